import type { Kysely } from 'kysely';

/**
 * One-to-one contacts with members, their workers and next steps.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
