import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize } from '../../policy/index.ts';
import type { ChangeSessionInput } from './groups.forms.ts';
import * as groupsRepo from './groups.repo.ts';
import * as repo from './session-changes.repo.ts';
import {
  checkPlan,
  clashesIn,
  clashesOnFields,
  facilitatorChoices,
  inPageOrder,
  roomChoices,
} from './session-changes.checks.ts';

/**
 * Changing one published session: its day and times, room or link, and facilitators (with the same
 * checks as scheduling it), or taking one facilitator off it when they can no longer come (allowed even
 * when it leaves the session short, because that is the truth; the session is then flagged as needing
 * attention until someone is found).
 */

async function load(db: Db, ctx: Ctx, groupId: string, sessionId: string) {
  authorize(ctx.actor, 'session.change');
  const group = await groupsRepo.findGroup(db, groupId);
  if (!group) {
    throw new NotFound('group.not_found');
  }
  authorize(ctx.actor, 'session.change', group);
  const session = await groupsRepo.findSession(db, group.id, sessionId);
  if (!session) {
    throw new NotFound('session.not_found');
  }
  return { group, session };
}

/**
 * Loads a session for the page that changes it, with the choices the form offers.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @returns the group, the session, the rooms and the staff to choose from.
 * @throws NotFound when there is no such session of a group the actor may change.
 */
export async function sessionForChange(ctx: Ctx, groupId: string, sessionId: string) {
  const { group, session } = await load(ctx.db, ctx, groupId, sessionId);
  const venues = await groupsRepo.listVenues(ctx.db, group.organisationId);
  return {
    group,
    session,
    rooms: roomChoices(venues),
    staff: await facilitatorChoices(ctx.db, group, dayInLondon(ctx.clock.now())),
  };
}

/**
 * Changes a session that has not yet started. The audit row names what changed, never the values.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - the new day, times, room, link and facilitators, and the version the manager saw.
 * @throws NotFound when there is no such session of a group the actor may change.
 * @throws Conflict when someone else changed or cancelled it since.
 * @throws InvalidInput with what is wrong, field by field.
 */
export async function changeSession(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: ChangeSessionInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const { group, session } = await load(tx, ctx, groupId, sessionId);
    await groupsRepo.lockScheduling(tx, group.organisationId);
    if (session.status !== 'scheduled' || session.version !== input.version) {
      throw new Conflict('session.version_mismatch');
    }
    // A session with a link still to set up may keep it unset; one with a link cannot lose it.
    const checked = await checkPlan(tx, group, input, {
      today: dayInLondon(now),
      linkLater: session.onlineLink === null,
    });
    if (session.startsAt <= now) {
      checked.problems.date = 'This session has already started, so it can no longer be changed';
    } else if (input.date < dayInLondon(now)) {
      checked.problems.date = 'The date of the session must be today or in the future';
    } else if (input.startsAt <= now) {
      checked.problems.startTime = 'The start time must be later than now';
    }
    if (input.endsAt > input.startsAt) {
      clashesOnFields(checked, await clashesIn(tx, checked, [input], [session.id]));
    }
    if (Object.keys(checked.problems).length > 0) {
      throw new InvalidInput('session.invalid', inPageOrder(checked.problems));
    }
    const changed = await repo.updateSessionIfVersion(tx, session.id, input.version, now, {
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      roomId: checked.roomId,
      onlineLink: checked.onlineLink,
    });
    if (!changed) {
      throw new Conflict('session.version_mismatch');
    }
    const before = session.facilitators.map((f) => `${f.staffId}:${f.sessionRole}`).sort();
    const after = checked.chosen.map((f) => `${f.staffId}:${f.sessionRole}`).sort();
    const facilitatorsChanged = before.join() !== after.join();
    if (facilitatorsChanged) {
      await repo.replaceFacilitators(tx, session.id, checked.chosen);
    }
    const fields = [
      (session.startsAt.getTime() !== input.startsAt.getTime() ||
        session.endsAt.getTime() !== input.endsAt.getTime()) &&
        'time',
      session.roomId !== checked.roomId && 'room',
      session.onlineLink !== checked.onlineLink && 'onlineLink',
      facilitatorsChanged && 'facilitators',
    ].filter((f): f is string => typeof f === 'string');
    await audit(tx, ctx, {
      action: 'session.changed',
      subject: { type: 'GroupSession', id: session.id },
      details: { groupId: group.id, fields },
      at: now,
    });
  });
}

/**
 * Takes one facilitator off a session that has not yet started, whatever the rule then says: the
 * session shows as needing attention (on the group page, the month view and the list) until it is
 * covered.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param staffId - the facilitator.
 * @param version - the version the manager saw.
 * @throws NotFound when there is no such session, or the person does not facilitate it.
 * @throws Conflict when it was changed or cancelled since.
 */
export async function takeOffSession(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  staffId: string,
  version: number,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const { group, session } = await load(tx, ctx, groupId, sessionId);
    if (!session.facilitators.some((f) => f.staffId === staffId)) {
      throw new NotFound('session.facilitator_not_found');
    }
    if (session.startsAt <= now || !(await repo.updateSessionIfVersion(tx, session.id, version, now))) {
      throw new Conflict('session.version_mismatch');
    }
    await repo.removeFacilitator(tx, session.id, staffId);
    await audit(tx, ctx, {
      action: 'session.facilitator_removed',
      subject: { type: 'GroupSession', id: session.id },
      details: { groupId: group.id, staffId },
      at: now,
    });
  });
}
