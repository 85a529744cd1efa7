import { sql, type Kysely } from 'kysely';

/**
 * Extensions, the application's group role, the append-only audit trail and the email outbox.
 *
 * The web application logs in as a member of `alongside_app`, which is granted data rights but is never
 * the owner of a table, so it cannot alter the audit trail or drop its guard (reliability plan L3).
 * On a server where the migrating user may not create roles, the grants are skipped and the triggers
 * below still refuse every UPDATE, DELETE and TRUNCATE of audit rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS citext`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alongside_app') THEN
      CREATE ROLE alongside_app NOLOGIN;
    END IF;
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot create role alongside_app; the connecting user will be used as it is';
  END $$`.execute(db);
  await sql`DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'alongside_app') THEN
      GRANT USAGE ON SCHEMA public TO alongside_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO alongside_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO alongside_app;
    END IF;
  END $$`.execute(db);

  await sql`CREATE TABLE audit_events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    occurred_at timestamptz NOT NULL,
    actor_type text NOT NULL CHECK (actor_type IN ('staff', 'member', 'system', 'anonymous')),
    actor_id uuid,
    actor_role text,
    actor_organisation_id uuid,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text,
    request_id text,
    ip text,
    details jsonb NOT NULL DEFAULT '{}',
    prev_hash text NOT NULL,
    hash text NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, seq DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX audit_events_actor ON audit_events (actor_id, seq DESC)`.execute(db);
  await sql`CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit events cannot be changed or removed' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only()`.execute(db);
  await sql`DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'alongside_app') THEN
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM alongside_app;
    END IF;
  END $$`.execute(db);

  await sql`CREATE TABLE outbox_messages (
    id uuid PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    channel text NOT NULL CHECK (channel IN ('email')),
    recipient text NOT NULL,
    template text NOT NULL,
    params jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at) WHERE status = 'pending'`.execute(
    db,
  );
}

export function down(): Promise<void> {
  return Promise.reject(new Error('The audit trail is never dropped.'));
}
