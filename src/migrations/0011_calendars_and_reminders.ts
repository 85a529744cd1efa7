import { sql, type Kysely } from 'kysely';

/**
 * Calendar feeds and session reminders by email and text message.
 *
 * - The outbox learns a second channel, 'sms', a 'withdrawn' state (a reminder taken back before it
 *   went, because its session was cancelled) and the provider's id for a message it accepted.
 * - `calendar_feeds` holds the secret addresses of calendar feeds: one live feed per member of staff
 *   and one per group at a time. Only a SHA-256 hash of each token is kept: the token is a long random
 *   value, so a fast hash is enough, and a copy of the database does not give anyone a working feed.
 * - `session_reminders` records that a member's reminder for a session was queued (once per member per
 *   session, whichever worker got there first) and whether a cancellation notice followed it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check`.execute(db);
  await sql`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check
    CHECK (channel IN ('email', 'sms'))`.execute(db);
  await sql`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_status_check`.execute(db);
  await sql`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'withdrawn'))`.execute(db);
  await sql`ALTER TABLE outbox_messages ADD COLUMN provider_id text CHECK (length(provider_id) <= 200)`.execute(
    db,
  );

  await sql`CREATE TABLE calendar_feeds (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    staff_id uuid REFERENCES staff (id),
    group_id uuid REFERENCES group_programmes (id),
    token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL,
    created_by uuid NOT NULL REFERENCES staff (id),
    revoked_at timestamptz,
    revoked_by uuid REFERENCES staff (id),
    CHECK ((staff_id IS NULL) <> (group_id IS NULL)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX calendar_feeds_one_live_per_staff ON calendar_feeds (staff_id)
    WHERE revoked_at IS NULL AND staff_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX calendar_feeds_one_live_per_group ON calendar_feeds (group_id)
    WHERE revoked_at IS NULL AND group_id IS NOT NULL`.execute(db);

  await sql`CREATE TABLE session_reminders (
    session_id uuid NOT NULL REFERENCES group_sessions (id),
    member_id uuid NOT NULL REFERENCES members (id),
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    queued_at timestamptz NOT NULL,
    cancellation_queued_at timestamptz,
    PRIMARY KEY (session_id, member_id)
  )`.execute(db);
  await sql`CREATE INDEX session_reminders_awaiting_cancellation ON session_reminders (session_id)
    WHERE cancellation_queued_at IS NULL`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
