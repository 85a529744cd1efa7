import { sql, type Kysely } from 'kysely';

/**
 * Rooms can be retired: a room no longer used (the venue gave it up, it became an office) stays on
 * the sessions already held in it, so it cannot be deleted, but it is no longer offered for new ones.
 *
 * Partner facilitators (a trust clinician co-facilitating a charity's SUN group) need no new table:
 * who may be chosen is worked out from the information-sharing agreements and the services each
 * organisation delivers, both already recorded (see listActivePartnerFacilitators in the accounts module).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE venue_rooms ADD COLUMN retired_at timestamptz`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
