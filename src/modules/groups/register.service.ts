import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize } from '../../policy/index.ts';
import * as people from './attendance.repo.ts';
import { loadSession, mayOnSession, staffIdOf, type AttendanceSession } from './attendance.service.ts';
import type { AttendanceStatus, ConductMethod } from './attendance.tables.ts';
import { ATTENDANCE_STATUSES, PRESENT, type SubmittedRegister } from './register.forms.ts';
import * as repo from './register.repo.ts';

/**
 * The register in one pass: one form per session with everyone expected, anyone who cancelled and
 * anyone who walked in, saved whole or not at all.
 *
 * The code of conduct is due before someone's first group. When a facilitator marks someone present
 * who has not agreed it yet, the register asks how they agreed it, on the same row, and records both
 * in the one save: at the door the facilitator reads it through with them, and a refusal would only
 * send them back to another page while the group starts.
 */

/** Someone else saved the register since this one was loaded; nothing was written. */
export class RegisterConflict extends Conflict {
  constructor() {
    super('register.version_mismatch');
  }
}

/** One row of the register as the page shows it. */
export type RegisterRow = {
  memberId: string;
  name: string;
  dateOfBirth: string | null;
  expected: boolean;
  regular: boolean;
  walkIn: boolean;
  bookingStatus: people.SessionPerson['bookingStatus'];
  /** As saved, or as the booking says (a cancellation), or none yet. */
  status: AttendanceStatus | null;
  conductMethod: ConductMethod | null;
};

/** What the register page shows. */
export type RegisterView = {
  session: AttendanceSession;
  saved: repo.SavedRegister | undefined;
  version: number;
  rows: RegisterRow[];
  found: people.FoundMember[] | undefined;
  mayTake: boolean;
  /** Why the register cannot be taken now, if it cannot. */
  closedBecause: string | undefined;
};

function closedBecause(ctx: Ctx, session: AttendanceSession): string | undefined {
  if (session.status !== 'scheduled') {
    return 'This session was cancelled, so there is no register to take';
  }
  if (dayInLondon(ctx.clock.now()) < session.day) {
    return 'You can take the register from the day of the session';
  }
  return undefined;
}

const rowOf = (p: people.SessionPerson): RegisterRow => ({
  memberId: p.memberId,
  name: p.name,
  dateOfBirth: p.dateOfBirth,
  expected: p.expected,
  regular: p.regular,
  walkIn: p.walkIn || (!p.expected && p.bookingStatus === null),
  bookingStatus: p.bookingStatus,
  status: p.attendance ?? (p.bookingStatus === 'booked' ? null : p.bookingStatus),
  conductMethod: p.conductMethod,
});

/**
 * Opens a session's register with everyone on it, plus any walk-ins added on the page so far and the
 * members found by a name search. The names shown are audited, by id.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param extra - walk-ins added but not yet saved, and a name to look for.
 * @param extra.walkInIds - the walk-ins' member ids.
 * @param extra.search - the name typed, if any.
 * @returns the page's contents.
 * @throws NotFound when there is no such session the actor may see.
 */
export async function viewRegister(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  extra: { walkInIds: readonly string[]; search?: string } = { walkInIds: [] },
): Promise<RegisterView> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'register.read');
    const rows = (await people.listSessionPeople(tx, session)).map(rowOf);
    const known = new Set(rows.map((r) => r.memberId));
    const added = await people.findMembersOf(
      tx,
      session.organisationId,
      extra.walkInIds.filter((id) => !known.has(id)),
    );
    for (const id of extra.walkInIds) {
      const member = added.find((m) => m.id === id);
      if (member && !known.has(id)) {
        known.add(id);
        rows.push({
          memberId: member.id,
          name: member.name,
          dateOfBirth: member.dateOfBirth,
          expected: false,
          regular: false,
          walkIn: true,
          bookingStatus: null,
          status: null,
          conductMethod: member.conductMethod,
        });
      }
    }
    const mayTake = mayOnSession(ctx, 'register.take', session);
    const found =
      mayTake && extra.search
        ? (await people.findMembersByName(tx, session.organisationId, extra.search)).filter(
            (m) => !known.has(m.id),
          )
        : undefined;
    const saved = await repo.findRegister(tx, session.id);
    await audit(tx, ctx, {
      action: 'register.read',
      subject: { type: 'GroupSession', id: session.id },
      details: { memberIds: [...rows.map((r) => r.memberId), ...(found ?? []).map((m) => m.id)] },
    });
    return {
      session,
      saved,
      version: saved?.version ?? 0,
      rows,
      found,
      mayTake,
      closedBecause: closedBecause(ctx, session),
    };
  });
}

async function checkRows(
  tx: Db,
  session: AttendanceSession,
  list: people.SessionPerson[],
  submitted: SubmittedRegister,
) {
  const onList = new Map(list.map((p) => [p.memberId, p]));
  const others = await people.findMembersOf(
    tx,
    session.organisationId,
    submitted.rows.filter((r) => !onList.has(r.memberId)).map((r) => r.memberId),
  );
  const problems: Record<string, string> = {};
  const rows = submitted.rows.flatMap((row) => {
    const person = onList.get(row.memberId);
    const other = others.find((m) => m.id === row.memberId);
    if (!person && !other) {
      problems.q = 'Add people who walked in from the search results';
      return [];
    }
    const name = person?.name ?? other?.name ?? '';
    const agreed = person ? person.conductMethod !== null : other?.conductMethod !== null;
    if (row.status === undefined) {
      problems[`status-${row.memberId}`] = `Choose whether ${name} came`;
    } else if (PRESENT.includes(row.status) && !agreed && row.conductMethod === undefined) {
      problems[`conduct-${row.memberId}`] =
        `Choose how ${name} agreed to the code of conduct, or choose a different status`;
    }
    const walkIn = person ? person.walkIn || (!person.expected && person.bookingStatus === null) : true;
    return [
      { ...row, status: row.status!, walkIn, recordConduct: !agreed && row.conductMethod !== undefined },
    ];
  });
  if (Object.keys(problems).length > 0) {
    throw new InvalidInput('register.invalid', problems);
  }
  return rows;
}

/**
 * Saves a whole register in one transaction: every person's status, any code of conduct agreements
 * recorded at the door, and the register's new version. A second copy of the same submission saves
 * nothing; a register saved by someone else since this one was loaded is refused whole.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param submitted - the register as submitted, with the version it was based on and its key.
 * @returns 'saved', or 'already_saved' for a repeat of a submission already saved.
 * @throws RegisterConflict when someone else saved it since (nothing is written).
 * @throws InvalidInput naming each row that needs a status or a code of conduct agreement.
 * @throws Forbidden when the actor does not run the session; NotFound when they may not see it.
 */
export async function saveRegister(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  submitted: SubmittedRegister,
): Promise<'saved' | 'already_saved'> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'register.take');
    const closed = closedBecause(ctx, session);
    if (closed) {
      throw new InvalidInput('register.closed', { q: closed });
    }
    if (submitted.submissionKey === undefined) {
      throw new InvalidInput('register.no_key', { q: 'Reload the page and try again' });
    }
    const staffId = staffIdOf(ctx);
    if (!(await repo.claimSubmission(tx, submitted.submissionKey, session.id, now))) {
      return 'already_saved';
    }
    const current = await repo.lockRegister(tx, session.id, staffId, now);
    if (current !== submitted.version) {
      throw new RegisterConflict();
    }
    const list = await people.listSessionPeople(tx, session);
    const rows = await checkRows(tx, session, list, submitted);
    await repo.saveAttendance(tx, session.id, rows, staffId, now);
    await repo.bumpRegister(tx, session.id, staffId, now);
    const counts: Record<string, number> = {};
    for (const row of rows) {
      counts[row.status] = (counts[row.status] ?? 0) + 1;
    }
    await audit(tx, ctx, {
      action: 'register.saved',
      subject: { type: 'GroupSession', id: session.id },
      details: {
        version: current + 1,
        ...counts,
        walkIns: rows.filter((r) => r.walkIn).length,
        memberIds: rows.map((r) => r.memberId),
      },
      at: now,
    });
    for (const row of rows.filter((r) => r.recordConduct)) {
      await people.upsertConductAcknowledgement(
        tx,
        { memberId: row.memberId, method: row.conductMethod!, acknowledgedAt: now, recordedBy: staffId },
        now,
      );
      await audit(tx, ctx, {
        action: 'conduct.recorded',
        subject: { type: 'Member', id: row.memberId },
        details: { method: row.conductMethod!, sessionId: session.id },
        at: now,
      });
    }
    return 'saved';
  });
}

/** What the conflict page shows: the register as saved by someone else, and as this person sent it. */
export type RegisterConflictView = {
  session: AttendanceSession;
  saved: repo.SavedRegister | undefined;
  theirs: { name: string; statusText: string }[];
  yours: { name: string; statusText: string }[];
};

/**
 * Both versions of a register after a refused save: what is saved now, and what this person sent.
 * Nothing is written but the audit of the names shown.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param submitted - what this person sent.
 * @returns the two versions, by name.
 * @throws NotFound when there is no such session the actor may see.
 */
export async function registerConflict(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  submitted: SubmittedRegister,
): Promise<RegisterConflictView> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'register.read');
    const list = await people.listSessionPeople(tx, session);
    const others = await people.findMembersOf(
      tx,
      session.organisationId,
      submitted.rows.map((r) => r.memberId),
    );
    const nameOf = (id: string) =>
      list.find((p) => p.memberId === id)?.name ?? others.find((m) => m.id === id)?.name;
    const text = (status: AttendanceStatus | null | undefined) =>
      status ? ATTENDANCE_STATUSES[status] : 'Not recorded';
    await audit(tx, ctx, {
      action: 'register.read',
      subject: { type: 'GroupSession', id: session.id },
      details: {
        memberIds: [...new Set([...list.map((p) => p.memberId), ...others.map((m) => m.id)])],
        conflict: true,
      },
    });
    return {
      session,
      saved: await repo.findRegister(tx, session.id),
      theirs: list.map((p) => ({ name: p.name, statusText: text(p.attendance) })),
      yours: submitted.rows.flatMap((r) => {
        const name = nameOf(r.memberId);
        return name ? [{ name, statusText: text(r.status) }] : [];
      }),
    };
  });
}

/** A group's recent registers, for the page that lists them. */
export type GroupRegisters = {
  group: { id: string; name: string; organisationId: string };
  sessions: repo.RegisterSummary[];
  today: string;
};

const REGISTERS_BACK_MS = 8 * 7 * 86_400_000;
const REGISTERS_AHEAD_MS = 14 * 86_400_000;

/**
 * Lists a group's sessions from eight weeks ago to two weeks ahead, with whether each register has
 * been taken, its note signed by every facilitator, and any incident flagged, so a facilitator can
 * see what is still to do. No member's name is shown, so nothing here needs auditing as a read.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @returns the group and its sessions, latest first.
 * @throws NotFound when there is no such group in the actor's organisation.
 */
export async function groupRegisters(ctx: Ctx, groupId: string): Promise<GroupRegisters> {
  authorize(ctx.actor, 'register.list');
  const group = await people.findGroupHeader(ctx.db, groupId);
  if (!group) {
    throw new NotFound('group.not_found');
  }
  authorize(ctx.actor, 'register.list', group);
  const now = ctx.clock.now().getTime();
  const sessions = await repo.listGroupRegisters(
    ctx.db,
    group.id,
    new Date(now - REGISTERS_BACK_MS),
    new Date(now + REGISTERS_AHEAD_MS),
  );
  return { group, sessions, today: dayInLondon(ctx.clock.now()) };
}
