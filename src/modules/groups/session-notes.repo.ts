import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../database.ts';

/** A session's group-level note, with who drafted and last changed it. */
export type SessionNote = {
  body: string;
  version: number;
  draftedByName: string;
  draftedAt: Date;
  updatedByName: string;
  updatedAt: Date;
};

/** A signature on a note: valid only for the version that was signed. */
export type NoteSignature = { staffId: string; name: string; noteVersion: number; signedAt: Date };

/** An incident flagged at a session. */
export type SessionIncident = { id: string; description: string; flaggedByName: string; flaggedAt: Date };

/**
 * Finds a session's note.
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @returns the note, or undefined when none has been written.
 */
export async function findNote(db: Db, sessionId: string): Promise<SessionNote | undefined> {
  return db
    .selectFrom('session_notes as n')
    .innerJoin('staff as d', 'd.id', 'n.drafted_by')
    .innerJoin('staff as u', 'u.id', 'n.updated_by')
    .select([
      'n.body',
      'n.version',
      'd.full_name as draftedByName',
      'n.drafted_at as draftedAt',
      'u.full_name as updatedByName',
      'n.updated_at as updatedAt',
    ])
    .where('n.session_id', '=', sessionId)
    .executeTakeFirst();
}

/**
 * Lists the signatures on a session's note, first signed first.
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @returns the signatures, of any version.
 */
export async function listSignatures(db: Db, sessionId: string): Promise<NoteSignature[]> {
  return db
    .selectFrom('session_note_signatures as s')
    .innerJoin('staff as st', 'st.id', 's.staff_id')
    .select([
      's.staff_id as staffId',
      'st.full_name as name',
      's.note_version as noteVersion',
      's.signed_at as signedAt',
    ])
    .where('s.session_id', '=', sessionId)
    .orderBy('s.signed_at')
    .execute();
}

/**
 * Writes the first version of a session's note.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param body - the note.
 * @param staffId - who drafted it.
 * @param now - the time.
 * @returns false when a note already exists (someone else wrote one first).
 */
export async function insertNote(db: Db, sessionId: string, body: string, staffId: string, now: Date) {
  const inserted = await db
    .insertInto('session_notes')
    .values({
      session_id: sessionId,
      body,
      drafted_by: staffId,
      drafted_at: now,
      updated_by: staffId,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .returning('session_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Changes a note if it is still at the version the writer saw.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param body - the new note.
 * @param expectedVersion - the version the change was based on.
 * @param staffId - who changed it.
 * @param now - the time.
 * @returns true when it changed.
 */
export async function updateNoteIfVersion(
  db: Db,
  sessionId: string,
  body: string,
  expectedVersion: number,
  staffId: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('session_notes')
    .set({ body, version: sql<number>`version + 1`, updated_by: staffId, updated_at: now })
    .where('session_id', '=', sessionId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Locks a note and returns its version, so a signature is of the version the signer read.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @returns the version, or undefined when there is no note.
 */
export async function lockNote(db: Db, sessionId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('session_notes')
    .select('version')
    .where('session_id', '=', sessionId)
    .forUpdate()
    .executeTakeFirst();
  return row?.version;
}

/**
 * Signs a note (a later signature by the same person replaces their earlier one).
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param staffId - who signs.
 * @param noteVersion - the version signed.
 * @param now - the time.
 */
export async function sign(db: Db, sessionId: string, staffId: string, noteVersion: number, now: Date) {
  await db
    .insertInto('session_note_signatures')
    .values({ session_id: sessionId, staff_id: staffId, note_version: noteVersion, signed_at: now })
    .onConflict((oc) =>
      oc.columns(['session_id', 'staff_id']).doUpdateSet({ note_version: noteVersion, signed_at: now }),
    )
    .execute();
}

/**
 * Lists the incidents flagged at a session, oldest first.
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @returns the incidents.
 */
export async function listIncidents(db: Db, sessionId: string): Promise<SessionIncident[]> {
  return db
    .selectFrom('session_incidents as i')
    .innerJoin('staff as st', 'st.id', 'i.flagged_by')
    .select(['i.id', 'i.description', 'st.full_name as flaggedByName', 'i.flagged_at as flaggedAt'])
    .where('i.session_id', '=', sessionId)
    .orderBy('i.flagged_at')
    .execute();
}

/**
 * Holds a session's incident flags until the transaction ends, so two copies of one flag sent at the
 * same moment (a double click, two tabs) are checked one after the other: the second sees the first
 * and is not saved again. An advisory lock, like the facilitators' (groups.repo.ts), so nothing else
 * about the session waits.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 */
export async function lockSessionIncidents(db: Db, sessionId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`session-incidents:${sessionId}`}))`.execute(db);
}

/**
 * Flags an incident at a session.
 *
 * @param db - the transaction.
 * @param sessionId - the session.
 * @param description - what happened, briefly.
 * @param staffId - who flagged it.
 * @param now - the time.
 * @returns the incident's id.
 */
export async function insertIncident(
  db: Db,
  sessionId: string,
  description: string,
  staffId: string,
  now: Date,
) {
  const id = randomUUID();
  await db
    .insertInto('session_incidents')
    .values({ id, session_id: sessionId, description, flagged_by: staffId, flagged_at: now })
    .execute();
  return id;
}

/** A flagged session, as the managers' list shows it. */
export type FlaggedSession = {
  incidentId: string;
  sessionId: string;
  groupId: string;
  groupName: string;
  startsAt: Date;
  description: string;
  flaggedByName: string;
  flaggedAt: Date;
};

/**
 * Lists the incidents flagged at an organisation's sessions, newest first.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns up to 200 incidents.
 */
export async function listFlaggedSessions(db: Db, organisationId: string): Promise<FlaggedSession[]> {
  return db
    .selectFrom('session_incidents as i')
    .innerJoin('group_sessions as s', 's.id', 'i.session_id')
    .innerJoin('group_programmes as g', 'g.id', 's.group_id')
    .innerJoin('staff as st', 'st.id', 'i.flagged_by')
    .select([
      'i.id as incidentId',
      's.id as sessionId',
      'g.id as groupId',
      'g.name as groupName',
      's.starts_at as startsAt',
      'i.description',
      'st.full_name as flaggedByName',
      'i.flagged_at as flaggedAt',
    ])
    .where('g.organisation_id', '=', organisationId)
    .orderBy('i.flagged_at', 'desc')
    .limit(200)
    .execute();
}
