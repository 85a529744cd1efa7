import { sql, type Kysely } from 'kysely';

/**
 * Bank holidays count as out of hours unless a service says otherwise. The NHS terms for unsocial
 * hours put public holidays with Sundays, at the higher rate (NHS Terms and Conditions of Service
 * Handbook, section 2, https://www.nhsemployers.org/publications/tchandbook), so a group run on Easter
 * Monday is marked like one run on a Sunday. Services that already saved their settings count them
 * too; a manager can turn it off on the same page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE service_out_of_hours ADD COLUMN bank_holidays boolean NOT NULL DEFAULT true`.execute(
    db,
  );
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
