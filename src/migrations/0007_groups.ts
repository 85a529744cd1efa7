import { sql, type Kysely } from 'kysely';

/**
 * Groups: venues and their rooms, group programmes (SUN groups, peer support groups, drop-ins and the
 * rest), and one-off sessions with their facilitators.
 *
 * Clashes (a facilitator or a room booked twice at once) are found with range overlap on
 * tstzrange(starts_at, ends_at), which PostgreSQL has had since 9.2; the GiST index below serves it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE venues (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address text NOT NULL CHECK (length(address) BETWEEN 1 AND 500),
    postcode text NOT NULL CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    accessibility text NOT NULL DEFAULT '' CHECK (length(accessibility) <= 2000),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX venues_name ON venues (organisation_id, lower(name))`.execute(db);

  await sql`CREATE TABLE venue_rooms (
    id uuid PRIMARY KEY,
    venue_id uuid NOT NULL REFERENCES venues (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX venue_rooms_name ON venue_rooms (venue_id, lower(name))`.execute(db);

  await sql`CREATE TABLE group_programmes (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    service_id uuid REFERENCES services (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    group_type text NOT NULL CHECK (group_type IN ('sun_group', 'peer_support_group', 'drop_in',
      'social_activity', 'living_well_workshop', 'recovery_college_course', 'peer_support_training',
      'carers_group')),
    audience text CHECK (length(audience) BETWEEN 1 AND 200),
    capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    mode text NOT NULL CHECK (mode IN ('in_person', 'online', 'hybrid')),
    default_room_id uuid REFERENCES venue_rooms (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX group_programmes_organisation ON group_programmes (organisation_id)`.execute(db);

  await sql`CREATE TABLE group_sessions (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES group_programmes (id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    room_id uuid REFERENCES venue_rooms (id),
    online_link text CHECK (online_link ~ '^https://' AND length(online_link) <= 500),
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 500),
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1,
    CHECK (ends_at > starts_at),
    CHECK (room_id IS NOT NULL OR online_link IS NOT NULL),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
  )`.execute(db);
  await sql`CREATE INDEX group_sessions_group ON group_sessions (group_id, starts_at)`.execute(db);
  await sql`CREATE INDEX group_sessions_during ON group_sessions USING gist (tstzrange(starts_at, ends_at))
    WHERE status = 'scheduled'`.execute(db);

  await sql`CREATE TABLE group_session_facilitators (
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    session_role text NOT NULL CHECK (session_role IN ('clinical', 'lived_experience', 'peer_worker',
      'peer_bank_worker', 'facilitator')),
    PRIMARY KEY (session_id, staff_id)
  )`.execute(db);
  await sql`CREATE INDEX group_session_facilitators_staff ON group_session_facilitators (staff_id)`.execute(
    db,
  );
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
