import { sql, type Kysely } from 'kysely';

/**
 * Plan review reminders run every minute in every app process (modules/reminders) and look for plans
 * whose current version has a review date in the coming week. Without an index that is a scan of
 * every version of every plan each minute; with this one the round reads only the versions whose
 * review date falls in the window, and joins each to its plan to keep the current one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX plan_versions_review_on ON plan_versions ((content->>'reviewOn'))
    WHERE content->>'reviewOn' IS NOT NULL`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
