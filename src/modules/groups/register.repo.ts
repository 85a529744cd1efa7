import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { AttendanceStatus } from './attendance.tables.ts';

/** A session's register as last saved: its version, and who saved it when. */
export type SavedRegister = { version: number; savedByName: string; savedAt: Date };

/**
 * The register's version and who saved it last; version 0 when it has never been saved.
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @returns the register, or undefined before its first save.
 */
export async function findRegister(db: Db, sessionId: string): Promise<SavedRegister | undefined> {
  return db
    .selectFrom('session_registers as r')
    .innerJoin('staff as st', 'st.id', 'r.saved_by')
    .select(['r.version', 'st.full_name as savedByName', 'r.saved_at as savedAt'])
    .where('r.session_id', '=', sessionId)
    .where('r.version', '>', 0)
    .executeTakeFirst();
}

/**
 * Claims a submission key: the first copy of a submitted form claims it, a repeat (a double click, a
 * resent request) finds it taken. A repeat sent while the first is still saving waits for it.
 *
 * @param db - the transaction.
 * @param key - the key the form carried.
 * @param sessionId - the session.
 * @param now - the time.
 * @returns true when this is the first copy.
 */
export async function claimSubmission(db: Db, key: string, sessionId: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('register_submissions')
    .values({ submission_key: key, session_id: sessionId, saved_at: now })
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('submission_key')
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * Locks the session's register row (creating it at version 0 first), so two facilitators saving at
 * once take turns, and returns its version.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param staffId - who is saving.
 * @param now - the time.
 * @returns the version as it stands now.
 */
export async function lockRegister(db: Db, sessionId: string, staffId: string, now: Date): Promise<number> {
  await db
    .insertInto('session_registers')
    .values({ session_id: sessionId, version: 0, saved_by: staffId, saved_at: now })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('session_registers')
    .select('version')
    .where('session_id', '=', sessionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Moves the register on a version, recording who saved it.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param staffId - who saved it.
 * @param now - the time.
 */
export async function bumpRegister(db: Db, sessionId: string, staffId: string, now: Date): Promise<void> {
  await db
    .updateTable('session_registers')
    .set({ version: sql<number>`version + 1`, saved_by: staffId, saved_at: now })
    .where('session_id', '=', sessionId)
    .execute();
}

/**
 * Writes each person's status at a session in one statement, replacing what was there.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param rows - each member, their status and whether they walked in.
 * @param staffId - who took the register.
 * @param now - the time.
 */
export async function saveAttendance(
  db: Db,
  sessionId: string,
  rows: readonly { memberId: string; status: AttendanceStatus; walkIn: boolean }[],
  staffId: string,
  now: Date,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  await db
    .insertInto('session_attendance')
    .values(
      rows.map((r) => ({
        session_id: sessionId,
        member_id: r.memberId,
        status: r.status,
        walk_in: r.walkIn,
        recorded_by: staffId,
        recorded_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['session_id', 'member_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        walk_in: eb.ref('excluded.walk_in'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: eb.ref('excluded.recorded_at'),
      })),
    )
    .execute();
}
