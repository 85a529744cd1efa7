import { sql, type Kysely } from 'kysely';

/**
 * Staff accounts with passwords and a mandatory second factor, invitations, password resets, the
 * one-time first-run setup link, sessions and the record of failed sign-in attempts used for throttling.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE staff (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    email citext NOT NULL UNIQUE CHECK (length(email) <= 254),
    full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 120),
    roles text[] NOT NULL CHECK (cardinality(roles) >= 1),
    status text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
    password_hash text,
    totp_secret text,
    totp_enrolled_at timestamptz,
    last_totp_step bigint,
    deactivated_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX staff_organisation ON staff (organisation_id, full_name)`.execute(db);

  await sql`CREATE TABLE staff_recovery_codes (
    id uuid PRIMARY KEY,
    staff_id uuid NOT NULL REFERENCES staff (id),
    code_hash text NOT NULL,
    used_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX staff_recovery_codes_staff ON staff_recovery_codes (staff_id)`.execute(db);

  // Links sent by email or printed at first run: only a SHA-256 of each token is stored.
  await sql`CREATE TABLE account_tokens (
    id uuid PRIMARY KEY,
    purpose text NOT NULL CHECK (purpose IN ('setup', 'invitation', 'password_reset')),
    token_hash text NOT NULL UNIQUE,
    staff_id uuid REFERENCES staff (id),
    created_by uuid REFERENCES staff (id),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL,
    CHECK (purpose = 'setup' OR staff_id IS NOT NULL)
  )`.execute(db);

  await sql`CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    staff_id uuid REFERENCES staff (id),
    stage text NOT NULL CHECK (stage IN ('second_factor', 'enrolment', 'signed_in')),
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'
  )`.execute(db);
  await sql`CREATE INDEX sessions_staff ON sessions (staff_id)`.execute(db);

  await sql`CREATE TABLE sign_in_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    throttle_key text NOT NULL,
    occurred_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX sign_in_failures_key ON sign_in_failures (throttle_key, occurred_at)`.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
