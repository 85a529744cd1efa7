import { sql, type Kysely } from 'kysely';

/**
 * A message that has gone (sent, failed for good, or taken back) keeps its row, so its dedupe key still
 * stops a repeat, but not who it went to: after a week the outbox removes the address or number and
 * anything left of the message (see removeFinishedMessageDetails in platform/outbox). `details_removed_at`
 * says when; the partial index finds the rows still to clear without reading the whole outbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox_messages ADD COLUMN details_removed_at timestamptz`.execute(db);
  await sql`CREATE INDEX outbox_messages_details_to_remove ON outbox_messages (created_at)
    WHERE status <> 'pending' AND details_removed_at IS NULL`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
