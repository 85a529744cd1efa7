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

/** One session of a group as the list of its registers shows it. */
export type RegisterSummary = {
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  day: string;
  savedByName: string | null;
  savedAt: Date | null;
  recorded: number;
  hasNote: boolean;
  /** Facilitators who have signed the note as it stands, out of how many facilitate. */
  signed: number;
  facilitators: number;
  incidents: number;
};

/**
 * A group's scheduled sessions between two moments, each with its register, note and incident state,
 * in one query (no one's name: only counts and who saved the register).
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param from - the earliest start.
 * @param to - the latest start.
 * @returns the sessions, latest first.
 */
export async function listGroupRegisters(
  db: Db,
  groupId: string,
  from: Date,
  to: Date,
): Promise<RegisterSummary[]> {
  const rows = await sql<RegisterSummary>`
    SELECT s.id AS "sessionId", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
           to_char(s.starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day,
           CASE WHEN r.version > 0 THEN st.full_name END AS "savedByName",
           CASE WHEN r.version > 0 THEN r.saved_at END AS "savedAt",
           (SELECT count(*)::int FROM session_attendance a WHERE a.session_id = s.id) AS recorded,
           (n.session_id IS NOT NULL) AS "hasNote",
           (SELECT count(*)::int FROM session_note_signatures sg
             JOIN group_session_facilitators f ON f.session_id = sg.session_id AND f.staff_id = sg.staff_id
            WHERE sg.session_id = s.id AND sg.note_version = n.version) AS signed,
           (SELECT count(*)::int FROM group_session_facilitators f WHERE f.session_id = s.id) AS facilitators,
           (SELECT count(*)::int FROM session_incidents i WHERE i.session_id = s.id) AS incidents
      FROM group_sessions s
      LEFT JOIN session_registers r ON r.session_id = s.id
      LEFT JOIN staff st ON st.id = r.saved_by
      LEFT JOIN session_notes n ON n.session_id = s.id
     WHERE s.group_id = ${groupId} AND s.status = 'scheduled'
       AND s.starts_at >= ${from} AND s.starts_at <= ${to}
     ORDER BY s.starts_at DESC`.execute(db);
  return rows.rows;
}
