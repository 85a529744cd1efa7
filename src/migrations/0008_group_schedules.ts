import { sql, type Kysely } from 'kysely';

/**
 * Recurring schedules of group sessions, and changes to sessions and venues.
 *
 * A schedule keeps its rule as RFC 5545 text (RRULE, with the first day and UK start time in DTSTART)
 * and the sessions it made carry its id, so ending it early can cancel the ones not yet held. An online
 * or hybrid session may now exist before its link does: "set up the group link" is a task the month view
 * and the needing-attention list show, so the old "a room or a link" check gives way. Rooms gain a
 * version so two people changing one at once are told. Out-of-hours settings are kept per service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE group_schedules (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES group_programmes (id),
    rrule text NOT NULL CHECK (length(rrule) BETWEEN 1 AND 500),
    starts_on date NOT NULL,
    start_time time NOT NULL,
    end_time time NOT NULL CHECK (end_time > start_time),
    time_zone text NOT NULL DEFAULT 'Europe/London',
    room_id uuid REFERENCES venue_rooms (id),
    online_link text CHECK (online_link ~ '^https://' AND length(online_link) <= 500),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    end_reason text CHECK (length(end_reason) BETWEEN 1 AND 500),
    ended_at timestamptz,
    materialised_until date NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1,
    CHECK ((status = 'ended') = (end_reason IS NOT NULL))
  )`.execute(db);
  await sql`CREATE INDEX group_schedules_group ON group_schedules (group_id)`.execute(db);

  await sql`CREATE TABLE group_schedule_facilitators (
    schedule_id uuid NOT NULL REFERENCES group_schedules (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    session_role text NOT NULL CHECK (session_role IN ('clinical', 'lived_experience', 'peer_worker',
      'peer_bank_worker', 'facilitator')),
    PRIMARY KEY (schedule_id, staff_id)
  )`.execute(db);

  await sql`ALTER TABLE group_sessions ADD COLUMN schedule_id uuid REFERENCES group_schedules (id)`.execute(
    db,
  );
  await sql`CREATE INDEX group_sessions_schedule ON group_sessions (schedule_id, starts_at)
    WHERE schedule_id IS NOT NULL`.execute(db);
  // The check was written without a name in 0007, so it is found by what it says.
  await sql`DO $$
    DECLARE found text;
    BEGIN
      SELECT conname INTO found FROM pg_constraint
       WHERE conrelid = 'group_sessions'::regclass AND contype = 'c'
         AND pg_get_constraintdef(oid) LIKE '%room_id IS NOT NULL%online_link IS NOT NULL%';
      IF found IS NOT NULL THEN
        EXECUTE format('ALTER TABLE group_sessions DROP CONSTRAINT %I', found);
      END IF;
    END $$`.execute(db);

  await sql`ALTER TABLE venue_rooms
    ADD COLUMN updated_at timestamptz,
    ADD COLUMN version integer NOT NULL DEFAULT 1`.execute(db);

  await sql`CREATE TABLE service_out_of_hours (
    service_id uuid PRIMARY KEY REFERENCES services (id),
    evenings_from time,
    saturdays boolean NOT NULL,
    sundays boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
