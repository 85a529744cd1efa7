import type { Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, can, isStaff, type Action } from '../../policy/index.ts';
import * as repo from './attendance.repo.ts';

export type { AttendanceSession, FoundMember, SessionPerson } from './attendance.repo.ts';

/** The actions that act on one session of a group. */
type SessionAction =
  | 'booking.read'
  | 'booking.manage'
  | 'register.read'
  | 'register.take'
  | 'session_note.read'
  | 'session_note.write';

/**
 * Loads a session of a group and checks the actor may take the action on it: a role that never may
 * is refused (403); a session of another organisation, or of another group, is not found (404). A
 * worker of the organisation who may read the session but does not run it is refused (403) when they
 * try to take its register or sign its note, since they can already see it exists.
 *
 * @param db - the connection or transaction.
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param action - what the actor wants to do.
 * @returns the session.
 * @throws Forbidden or NotFound as above.
 */
export async function loadSession(
  db: Db,
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  action: SessionAction,
): Promise<repo.AttendanceSession> {
  authorize(ctx.actor, action);
  const session = await repo.findAttendanceSession(db, groupId, sessionId, dayInLondon(ctx.clock.now()));
  if (!session) {
    throw new NotFound('session.not_found');
  }
  if (action === 'register.take' || action === 'session_note.write') {
    authorize(ctx.actor, 'register.read', session);
    if (!can(ctx.actor, action, session)) {
      throw new Forbidden('policy.forbidden', `${action} is only for the session's facilitators`);
    }
  } else {
    authorize(ctx.actor, action, session);
  }
  return session;
}

/**
 * The acting member of staff's id.
 *
 * @param ctx - the request context.
 * @returns their id.
 * @throws Forbidden for anyone but staff.
 */
export function staffIdOf(ctx: Ctx): string {
  if (!isStaff(ctx.actor)) {
    throw new Forbidden('policy.forbidden');
  }
  return ctx.actor.id;
}

/**
 * Whether the actor may take an action on a loaded session (for showing or hiding a button).
 *
 * @param ctx - the request context.
 * @param action - the action.
 * @param session - the session.
 * @returns true when allowed.
 */
export function mayOnSession(
  ctx: Ctx,
  action: Extract<Action, SessionAction>,
  session: repo.AttendanceSession,
): boolean {
  return can(ctx.actor, action, session);
}
