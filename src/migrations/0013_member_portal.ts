import { sql, type Kysely } from 'kysely';

/**
 * Member sign-in with one-time codes, and member sessions.
 *
 * A sign-in attempt is written whether or not anyone is known by the address typed (member_id is then
 * null), so the next page, the code check and the throttle behave the same either way and nobody can
 * learn from the service whether someone has a record. Codes and links are stored only as hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE member_sign_in_attempts (
    id uuid PRIMARY KEY,
    -- The browser that asked holds this attempt's token in a cookie; only its hash is kept.
    attempt_token_hash text NOT NULL UNIQUE,
    member_id uuid REFERENCES members (id),
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    code_hash text NOT NULL,
    link_token_hash text NOT NULL UNIQUE,
    wrong_codes integer NOT NULL DEFAULT 0 CHECK (wrong_codes >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at timestamptz,
    locked_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX member_sign_in_attempts_member ON member_sign_in_attempts (member_id)`.execute(db);

  await sql`CREATE TABLE member_sessions (
    id_hash text PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX member_sessions_member ON member_sessions (member_id)`.execute(db);

  // Sign-in looks a member up by the email address they type, in any case.
  await sql`CREATE INDEX members_email_lower ON members (lower(email))`.execute(db);

  // "Who has looked at my record" finds the reads that name a member in their details: one member
  // (`memberId`, e.g. a plan or a contact read) or a list shown at once (`memberIds`, e.g. a register,
  // a caseload or the duplicate check). Without these every portal page view would scan the trail.
  await sql`CREATE INDEX audit_events_details_member ON audit_events ((details ->> 'memberId'))`.execute(db);
  await sql`CREATE INDEX audit_events_details_members ON audit_events USING gin ((details -> 'memberIds'))`.execute(
    db,
  );
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
