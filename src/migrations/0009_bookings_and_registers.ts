import { sql, type Kysely } from 'kysely';

/**
 * Bookings onto group sessions, waiting lists, registers, session notes and the code of conduct.
 *
 * Two kinds of booking, because the two kinds of group are run differently:
 * - a weekly group (a SUN group, a peer support group, a course) has regular members: a place in the
 *   group from a date (group_memberships), expected at every session from then on, including sessions
 *   scheduled later by a recurring schedule;
 * - a single session can be booked too (a taster, a workshop, someone covering a gap week), and a
 *   regular member's "can't come this week" is a row for that one session (session_bookings).
 * A session_bookings row is the answer for its session and member, whatever a membership says.
 * Drop-ins take no booking: whoever comes is recorded at the register as a walk-in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE group_memberships (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES group_programmes (id),
    member_id uuid NOT NULL REFERENCES members (id),
    from_date date NOT NULL,
    ended_on date,
    ended_by_whom text CHECK (ended_by_whom IN ('member', 'service')),
    end_reason text CHECK (length(end_reason) BETWEEN 1 AND 500),
    created_by uuid NOT NULL REFERENCES staff (id),
    created_at timestamptz NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= from_date),
    CHECK ((ended_on IS NULL) = (end_reason IS NULL))
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX group_memberships_one_open ON group_memberships (group_id, member_id)
    WHERE ended_on IS NULL`.execute(db);
  await sql`CREATE INDEX group_memberships_group ON group_memberships (group_id)`.execute(db);

  await sql`CREATE TABLE session_bookings (
    id uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    member_id uuid NOT NULL REFERENCES members (id),
    status text NOT NULL CHECK (status IN ('booked', 'cancelled_by_member', 'cancelled_by_service')),
    cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 500),
    booked_by uuid NOT NULL REFERENCES staff (id),
    booked_at timestamptz NOT NULL,
    cancelled_by uuid REFERENCES staff (id),
    cancelled_at timestamptz,
    UNIQUE (session_id, member_id),
    CHECK ((status = 'booked') = (cancel_reason IS NULL))
  )`.execute(db);
  await sql`CREATE INDEX session_bookings_member ON session_bookings (member_id)`.execute(db);

  await sql`CREATE TABLE waiting_list_entries (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES group_programmes (id),
    session_id uuid REFERENCES group_sessions (id),
    member_id uuid NOT NULL REFERENCES members (id),
    status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'booked', 'removed')),
    added_by uuid NOT NULL REFERENCES staff (id),
    added_at timestamptz NOT NULL,
    offered_by uuid REFERENCES staff (id),
    offered_at timestamptz,
    closed_at timestamptz
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX waiting_list_entries_once ON waiting_list_entries
    (group_id, coalesce(session_id, '00000000-0000-0000-0000-000000000000'), member_id)
    WHERE status IN ('waiting', 'offered')`.execute(db);
  await sql`CREATE INDEX waiting_list_entries_group ON waiting_list_entries (group_id, added_at)`.execute(db);

  await sql`CREATE TABLE session_registers (
    session_id uuid PRIMARY KEY REFERENCES group_sessions (id),
    version integer NOT NULL,
    saved_by uuid NOT NULL REFERENCES staff (id),
    saved_at timestamptz NOT NULL
  )`.execute(db);

  // One row per submitted register form: a second copy of the same submission saves nothing.
  await sql`CREATE TABLE register_submissions (
    submission_key uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    saved_at timestamptz NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE session_attendance (
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    member_id uuid NOT NULL REFERENCES members (id),
    status text NOT NULL CHECK (status IN ('attended', 'late', 'left_early', 'did_not_attend',
      'cancelled_by_member', 'cancelled_by_service')),
    walk_in boolean NOT NULL DEFAULT false,
    recorded_by uuid NOT NULL REFERENCES staff (id),
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, member_id)
  )`.execute(db);
  // The non-engagement worklist and "has this person been before" look attendance up by member.
  await sql`CREATE INDEX session_attendance_member ON session_attendance (member_id, session_id)`.execute(db);

  await sql`CREATE TABLE session_notes (
    session_id uuid PRIMARY KEY REFERENCES group_sessions (id),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    version integer NOT NULL DEFAULT 1,
    drafted_by uuid NOT NULL REFERENCES staff (id),
    drafted_at timestamptz NOT NULL,
    updated_by uuid NOT NULL REFERENCES staff (id),
    updated_at timestamptz NOT NULL
  )`.execute(db);

  // A signature is of one version of the note: after an edit it no longer counts (see session-notes.service.ts).
  await sql`CREATE TABLE session_note_signatures (
    session_id uuid NOT NULL REFERENCES session_notes (session_id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    note_version integer NOT NULL,
    signed_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, staff_id)
  )`.execute(db);

  await sql`CREATE TABLE session_incidents (
    id uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    flagged_by uuid NOT NULL REFERENCES staff (id),
    flagged_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX session_incidents_session ON session_incidents (session_id)`.execute(db);
  await sql`CREATE INDEX session_incidents_flagged_at ON session_incidents (flagged_at)`.execute(db);

  await sql`CREATE TABLE conduct_acknowledgements (
    member_id uuid PRIMARY KEY REFERENCES members (id),
    method text NOT NULL CHECK (method IN ('read_together_in_person', 'agreed_by_phone',
      'agreed_by_video', 'agreed_in_writing', 'easy_read_version_in_person')),
    acknowledged_at timestamptz NOT NULL,
    recorded_by uuid NOT NULL REFERENCES staff (id),
    recorded_at timestamptz NOT NULL
  )`.execute(db);

  // Who is expected at each scheduled session: the reminder job reads it. The session's own day in UK
  // time decides whether a place in the group "from a date" covers it.
  await sql`CREATE VIEW session_expected_members AS
    SELECT s.id AS session_id, b.member_id
      FROM group_sessions s
      JOIN session_bookings b ON b.session_id = s.id AND b.status = 'booked'
     WHERE s.status = 'scheduled'
    UNION
    SELECT s.id AS session_id, m.member_id
      FROM group_sessions s
      JOIN group_memberships m ON m.group_id = s.group_id
       AND m.from_date <= (s.starts_at AT TIME ZONE 'Europe/London')::date
       AND (m.ended_on IS NULL OR m.ended_on > (s.starts_at AT TIME ZONE 'Europe/London')::date)
     WHERE s.status = 'scheduled'
       AND NOT EXISTS (
         SELECT 1 FROM session_bookings c WHERE c.session_id = s.id AND c.member_id = m.member_id
       )`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
