import { audit, type Ctx } from '../../context.ts';
import { Conflict, InvalidInput } from '../../platform/errors.ts';
import { authorize, isStaff } from '../../policy/index.ts';
import { loadSession, mayOnSession, staffIdOf, type AttendanceSession } from './attendance.service.ts';
import type { SessionRole } from './groups.tables.ts';
import type { IncidentInput, NoteInput, SignInput } from './session-notes.forms.ts';
import * as repo from './session-notes.repo.ts';

export type { FlaggedSession, SessionIncident, SessionNote } from './session-notes.repo.ts';

/**
 * The group-level session note and the incident flag.
 *
 * One facilitator drafts the note; each facilitator of the session signs it from their own account,
 * as themself. A signature vouches for the words as they stood, so a change to the note after someone
 * signed leaves their signature on the earlier version: the page says who needs to sign again. (The
 * note is not simply locked once signed, because a co-facilitator often adds what they saw before
 * signing, and both must then agree the final words.) Every read of a note is audited: it is written
 * about the group but can say how named people were.
 */

/** Where each facilitator stands with the note's current version. */
export type FacilitatorSigning = {
  staffId: string;
  name: string;
  sessionRole: SessionRole;
  signedAt: Date | undefined;
  /** They signed an earlier version, since changed. */
  signedEarlierAt: Date | undefined;
};

/** What the note page shows. */
export type NoteView = {
  session: AttendanceSession;
  note: repo.SessionNote | undefined;
  signing: FacilitatorSigning[];
  /** Signatures by organisers who do not facilitate this session, of the current version. */
  otherSignatures: repo.NoteSignature[];
  incidents: repo.SessionIncident[];
  mayWrite: boolean;
  /** Whether the acting person has signed the current version. */
  signedByMe: boolean;
  fullySigned: boolean;
};

/**
 * Opens a session's note, its signatures and its incident flags. Audited on every read.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @returns the page's contents.
 * @throws NotFound when there is no such session the actor may see.
 */
export async function viewNote(ctx: Ctx, groupId: string, sessionId: string): Promise<NoteView> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'session_note.read');
    const note = await repo.findNote(tx, session.id);
    const signatures = note ? await repo.listSignatures(tx, session.id) : [];
    const incidents = await repo.listIncidents(tx, session.id);
    await audit(tx, ctx, {
      action: 'session_note.read',
      subject: { type: 'GroupSession', id: session.id },
      details: { noteVersion: note?.version ?? null },
    });
    const current = signatures.filter((s) => s.noteVersion === note?.version);
    const signing = session.facilitators.map((f) => {
      const signature = signatures.find((s) => s.staffId === f.staffId);
      const valid = signature && signature.noteVersion === note?.version;
      return {
        staffId: f.staffId,
        name: f.name,
        sessionRole: f.sessionRole,
        signedAt: valid ? signature.signedAt : undefined,
        signedEarlierAt: signature && !valid ? signature.signedAt : undefined,
      };
    });
    const me = isStaff(ctx.actor) ? ctx.actor.id : '';
    return {
      session,
      note,
      signing,
      otherSignatures: current.filter((s) => !session.facilitators.some((f) => f.staffId === s.staffId)),
      incidents,
      mayWrite: mayOnSession(ctx, 'session_note.write', session),
      signedByMe: current.some((s) => s.staffId === me),
      fullySigned: note !== undefined && signing.length > 0 && signing.every((s) => s.signedAt),
    };
  });
}

/**
 * Drafts a session's note, or changes it (which leaves earlier signatures on the earlier version).
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - the note and the version the writer saw (0 for a new note).
 * @throws Conflict when someone else wrote or changed the note since (nothing is written).
 * @throws Forbidden when the actor does not run the session; NotFound when they may not see it.
 */
export async function saveNote(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: NoteInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'session_note.write');
    const staffId = staffIdOf(ctx);
    const saved =
      input.version === 0
        ? await repo.insertNote(tx, session.id, input.body, staffId, now)
        : await repo.updateNoteIfVersion(tx, session.id, input.body, input.version, staffId, now);
    if (!saved) {
      // The same words sent twice (a double click) saved once; anything else is someone else's change.
      const current = await repo.findNote(tx, session.id);
      if (current?.body === input.body && current.version === input.version + 1) {
        return;
      }
      throw new Conflict('session_note.version_mismatch');
    }
    await audit(tx, ctx, {
      action: input.version === 0 ? 'session_note.drafted' : 'session_note.changed',
      subject: { type: 'GroupSession', id: session.id },
      details: { noteVersion: input.version + 1 },
      at: now,
    });
  });
}

/**
 * Signs the note as the acting person, for the version they read.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - the version they read.
 * @throws InvalidInput when there is no note yet, or it changed since they read it.
 * @throws Forbidden when the actor does not run the session; NotFound when they may not see it.
 */
export async function signNote(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: SignInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'session_note.write');
    const version = await repo.lockNote(tx, session.id);
    if (version === undefined) {
      throw new InvalidInput('session_note.missing', { body: 'Write the note before signing it' });
    }
    if (version !== input.version) {
      throw new InvalidInput('session_note.changed', {
        sign: 'The note has changed since you opened it: read it again, then sign',
      });
    }
    await repo.sign(tx, session.id, staffIdOf(ctx), version, now);
    await audit(tx, ctx, {
      action: 'session_note.signed',
      subject: { type: 'GroupSession', id: session.id },
      details: { noteVersion: version },
      at: now,
    });
  });
}

/**
 * Flags an incident at a session, with a short description, for safeguarding to review.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - what happened, briefly.
 * @throws Forbidden when the actor does not run the session; NotFound when they may not see it.
 */
export async function flagIncident(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: IncidentInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'session_note.write');
    await repo.lockSessionIncidents(tx, session.id);
    const flagged = await repo.listIncidents(tx, session.id);
    if (flagged.some((i) => i.description === input.description)) {
      // The same incident sent twice (a double click, even at the same moment) is flagged once.
      return;
    }
    const id = await repo.insertIncident(tx, session.id, input.description, staffIdOf(ctx), now);
    await audit(tx, ctx, {
      action: 'session_incident.flagged',
      subject: { type: 'GroupSession', id: session.id },
      details: { incidentId: id },
      at: now,
    });
  });
}

/**
 * Lists the sessions flagged with an incident in the actor's organisation, newest first. Audited,
 * since a description may mention someone.
 *
 * @param ctx - the request context.
 * @returns the flagged sessions.
 * @throws Forbidden unless the actor reviews incidents.
 */
export async function listFlaggedSessions(ctx: Ctx): Promise<repo.FlaggedSession[]> {
  authorize(ctx.actor, 'incident.list');
  if (!isStaff(ctx.actor)) {
    return [];
  }
  const organisationId = ctx.actor.organisationId;
  return ctx.db.transaction().execute(async (tx) => {
    const flagged = await repo.listFlaggedSessions(tx, organisationId);
    await audit(tx, ctx, {
      action: 'session_incidents.read',
      subject: { type: 'GroupSession' },
      details: { count: flagged.length },
    });
    return flagged;
  });
}
