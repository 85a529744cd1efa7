import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { SessionRole } from './groups.tables.ts';

/**
 * Changes a scheduled session if it is still at the version the manager saw, moving the version on.
 *
 * @param db - a transaction.
 * @param id - the session.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @param change - the new times, room and link, if they change.
 * @param change.startsAt - the start.
 * @param change.endsAt - the end.
 * @param change.roomId - the room.
 * @param change.onlineLink - the link.
 * @returns false when the version was stale or the session is no longer scheduled.
 */
export async function updateSessionIfVersion(
  db: Db,
  id: string,
  version: number,
  now: Date,
  change?: { startsAt: Date; endsAt: Date; roomId: string | null; onlineLink: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('group_sessions')
    .set({
      ...(change && {
        starts_at: change.startsAt,
        ends_at: change.endsAt,
        room_id: change.roomId,
        online_link: change.onlineLink,
      }),
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Puts a new set of facilitators on a session in place of the old.
 *
 * @param db - a transaction.
 * @param sessionId - the session.
 * @param facilitators - who, in which role.
 */
export async function replaceFacilitators(
  db: Db,
  sessionId: string,
  facilitators: readonly { staffId: string; sessionRole: SessionRole }[],
): Promise<void> {
  await db.deleteFrom('group_session_facilitators').where('session_id', '=', sessionId).execute();
  if (facilitators.length > 0) {
    await db
      .insertInto('group_session_facilitators')
      .values(
        facilitators.map((f) => ({
          session_id: sessionId,
          staff_id: f.staffId,
          session_role: f.sessionRole,
        })),
      )
      .execute();
  }
}

/**
 * Takes one facilitator off a session.
 *
 * @param db - a transaction.
 * @param sessionId - the session.
 * @param staffId - the facilitator.
 */
export async function removeFacilitator(db: Db, sessionId: string, staffId: string): Promise<void> {
  await db
    .deleteFrom('group_session_facilitators')
    .where('session_id', '=', sessionId)
    .where('staff_id', '=', staffId)
    .execute();
}
