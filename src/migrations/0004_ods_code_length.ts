import { sql, type Kysely } from 'kysely';

/**
 * ODS codes are 1 to 9 letters and numbers (NHS England Organisation Data Service; new codes use the
 * 5-character ANANA format), not the 3 to 6 first allowed: widen the check so no real code is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE organisations DROP CONSTRAINT organisations_ods_code_check`.execute(db);
  await sql`ALTER TABLE organisations ADD CONSTRAINT organisations_ods_code_check CHECK (ods_code ~ '^[A-Z0-9]{1,9}$')`.execute(
    db,
  );
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
