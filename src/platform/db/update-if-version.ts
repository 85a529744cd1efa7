import { sql, type Updateable } from 'kysely';
import type { Database, Db } from '../../database.ts';

/**
 * The tables whose rows carry a version, so a stale change is detected rather than applied (two
 * people editing one record: the second is told, never silently overwritten).
 */
export type VersionedTable =
  | 'organisations'
  | 'services'
  | 'sharing_agreements'
  | 'referrals'
  | 'members'
  | 'member_people'
  | 'episodes'
  | 'venues'
  | 'group_programmes'
  | 'group_sessions';

/**
 * Changes a row if it is still at the version the caller saw, moving the version on by one.
 *
 * @param db - the transaction.
 * @param table - the table.
 * @param id - the row's id.
 * @param change - the new values of the columns that change.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export async function updateIfVersion<T extends VersionedTable>(
  db: Db,
  table: T,
  id: string,
  change: Omit<Updateable<Database[T]>, 'id' | 'version' | 'updated_at'>,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const versioned: VersionedTable = table;
  const result = await db
    .updateTable(versioned)
    .set({ ...change, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
