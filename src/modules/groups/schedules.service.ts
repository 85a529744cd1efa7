import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import type { TimeOfDay } from '../../platform/time/london-time.ts';
import { authorize } from '../../policy/index.ts';
import { listServicesInvolving } from '../organisations/index.ts';
import * as groupsRepo from './groups.repo.ts';
import { occurrencesOf, ruleText } from './schedules-occurrences.ts';
import { outOfHoursFrom, outOfHoursInWords } from './schedules-out-of-hours.ts';
import {
  LONGEST_SCHEDULE_WEEKS,
  type EndScheduleInput,
  type OutOfHoursInput,
  type ScheduleInput,
} from './schedules.forms.ts';
import * as repo from './schedules.repo.ts';
import {
  checkPlan,
  clashesIn,
  clashInWords,
  facilitatorChoices,
  inPageOrder,
  roomChoices,
} from './session-changes.checks.ts';

export type { Schedule } from './schedules.repo.ts';

/** How many clashes the error summary lists one by one before saying how many more there are. */
const CLASHES_LISTED = 20;

async function loadGroup(db: Db, ctx: Ctx, groupId: string, action: 'group.read' | 'schedule.manage') {
  authorize(ctx.actor, action);
  const group = await groupsRepo.findGroup(db, groupId);
  if (!group) {
    throw new NotFound('group.not_found');
  }
  authorize(ctx.actor, action, group);
  return group;
}

const clockText = (time: TimeOfDay) =>
  `${String(time.hours).padStart(2, '0')}:${String(time.minutes).padStart(2, '0')}`;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** What the set-up-a-schedule form offers: the group, the organisation's rooms and active staff. */
export type ScheduleChoices = Awaited<ReturnType<typeof scheduleChoices>>;

/**
 * Loads a group for the page that sets up a schedule of it.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @returns the group, the rooms and the staff to choose from.
 * @throws NotFound when there is no such group the actor may schedule.
 */
export async function scheduleChoices(ctx: Ctx, groupId: string) {
  const group = await loadGroup(ctx.db, ctx, groupId, 'schedule.manage');
  const venues = await groupsRepo.listVenues(ctx.db, group.organisationId);
  return {
    group,
    rooms: roomChoices(venues),
    staff: await facilitatorChoices(ctx.db, group, dayInLondon(ctx.clock.now())),
  };
}

/**
 * Sets up a recurring schedule of a group and puts every session it makes in the diary, in one
 * transaction: each session gets the same checks as a one-off one (room, facilitation rule, no one and
 * no room booked twice), and if any session fails nothing is made and the manager is told which dates
 * clash and with what. An online link may be left for later: those sessions are then listed as tasks.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param input - the pattern, the times, where and who.
 * @returns the new schedule's id and how many sessions it made.
 * @throws NotFound when there is no such group the actor may schedule.
 * @throws InvalidInput with what is wrong, field by field, and each clashing date.
 */
export async function setUpSchedule(
  ctx: Ctx,
  groupId: string,
  input: ScheduleInput,
): Promise<{ id: string; sessions: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, ctx, groupId, 'schedule.manage');
    await groupsRepo.lockScheduling(tx, group.organisationId);
    const checked = await checkPlan(tx, group, input, { today: dayInLondon(now), linkLater: true });
    const { problems } = checked;
    const today = dayInLondon(now);
    const latest = addDays(input.startsOn, LONGEST_SCHEDULE_WEEKS * 7 - 1);
    if (input.startsOn < today) {
      problems.startsOn = 'The first day must be today or in the future';
    }
    if ('until' in input.end && input.end.until > latest) {
      problems.until = `A schedule can run for up to ${LONGEST_SCHEDULE_WEEKS} weeks: set up another one to carry on after that`;
    }
    const rrule = ruleText({ ...input, startTime: input.startTime });
    const occurrences = occurrencesOf(rrule, { start: input.startTime, end: input.endTime }, latest);
    if (!problems.until && 'sessions' in input.end && occurrences.length < input.end.sessions) {
      problems.sessions = `${input.end.sessions} sessions take more than ${LONGEST_SCHEDULE_WEEKS} weeks: choose fewer, or set up another schedule to carry on`;
    }
    if (occurrences.length === 0) {
      problems.weekdays = 'No sessions fall between the first and last day on the days chosen';
    } else if (!problems.startsOn && occurrences[0]!.startsAt <= now) {
      problems.startTime =
        'The first session would start in the past: choose a later start time or first day';
    }
    if (Object.keys(problems).length === 0) {
      const clashes = await clashesIn(tx, checked, occurrences);
      clashes.slice(0, CLASHES_LISTED).forEach((clash, n) => {
        problems[`clash-${n}`] = clashInWords(clash, occurrences[clash.slot]!);
      });
      if (clashes.length > CLASHES_LISTED) {
        problems[`clash-${CLASHES_LISTED}`] = `And ${clashes.length - CLASHES_LISTED} more clashes`;
      }
    }
    if (Object.keys(problems).length > 0) {
      throw new InvalidInput('schedule.invalid', inPageOrder(problems));
    }

    const id = randomUUID();
    const facilitators = checked.chosen.map(({ staffId, sessionRole }) => ({ staffId, sessionRole }));
    await repo.insertScheduleWithSessions(
      tx,
      {
        id,
        groupId: group.id,
        rrule,
        startsOn: input.startsOn,
        startTime: clockText(input.startTime),
        endTime: clockText(input.endTime),
        roomId: checked.roomId,
        onlineLink: checked.onlineLink,
        materialisedUntil: occurrences.at(-1)!.day,
        facilitators,
      },
      occurrences.map((o) => ({ id: randomUUID(), startsAt: o.startsAt, endsAt: o.endsAt })),
      now,
    );
    await audit(tx, ctx, {
      action: 'schedule.set_up',
      subject: { type: 'GroupSchedule', id },
      details: { groupId: group.id, sessions: occurrences.length, facilitators: facilitators.length },
      at: now,
    });
    return { id, sessions: occurrences.length };
  });
}

/**
 * Opens a schedule of a group.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param scheduleId - the schedule.
 * @param action - reading it, or loading it to end it.
 * @returns the group, the schedule and how many of its sessions are still to come.
 * @throws NotFound when there is no such schedule of a group the actor may see (or manage).
 */
export async function viewSchedule(
  ctx: Ctx,
  groupId: string,
  scheduleId: string,
  action: 'group.read' | 'schedule.manage' = 'group.read',
) {
  const group = await loadGroup(ctx.db, ctx, groupId, action);
  const schedule = await repo.findSchedule(ctx.db, group.id, scheduleId);
  if (!schedule) {
    throw new NotFound('schedule.not_found');
  }
  return { group, schedule, coming: await repo.countComingSessions(ctx.db, schedule.id, ctx.clock.now()) };
}

/**
 * Lists a group's schedules.
 *
 * @param ctx - the request context.
 * @param groupId - the group (already authorised by the caller's read of it).
 * @returns the schedules, newest first.
 */
export function listSchedules(ctx: Ctx, groupId: string): Promise<repo.Schedule[]> {
  authorize(ctx.actor, 'group.read');
  return repo.listSchedules(ctx.db, groupId);
}

/**
 * Ends a schedule early: every session of it not yet started is cancelled with the reason, in one
 * transaction; sessions already held stay as they were.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param scheduleId - the schedule.
 * @param input - the reason and the version the manager saw.
 * @returns how many sessions were cancelled.
 * @throws NotFound when there is no such schedule of a group the actor may schedule.
 * @throws Conflict when it was changed or ended since.
 */
export async function endSchedule(
  ctx: Ctx,
  groupId: string,
  scheduleId: string,
  input: EndScheduleInput,
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, ctx, groupId, 'schedule.manage');
    await groupsRepo.lockScheduling(tx, group.organisationId);
    const schedule = await repo.findSchedule(tx, group.id, scheduleId);
    if (!schedule) {
      throw new NotFound('schedule.not_found');
    }
    const cancelled = await repo.endScheduleIfVersion(tx, schedule.id, input.reason, input.version, now);
    if (cancelled === undefined) {
      throw new Conflict('schedule.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'schedule.ended',
      subject: { type: 'GroupSchedule', id: schedule.id },
      details: { groupId: group.id, sessionsCancelled: cancelled.length },
      at: now,
    });
    return cancelled.length;
  });
}

// Out of hours, per service.

async function servicesOf(ctx: Ctx) {
  authorize(ctx.actor, 'out_of_hours.manage');
  if (ctx.actor.kind !== 'staff') {
    throw new NotFound('service.not_found');
  }
  const organisationId = ctx.actor.organisationId;
  authorize(ctx.actor, 'out_of_hours.manage', { organisationId });
  return listServicesInvolving(ctx.db, organisationId);
}

/**
 * The services the actor's organisation takes part in, with when each counts as out of hours.
 *
 * @param ctx - the request context.
 * @returns each service's id, name and settings in words.
 * @throws Forbidden unless the actor is a service manager.
 */
export async function listOutOfHours(ctx: Ctx) {
  const services = await servicesOf(ctx);
  return Promise.all(
    services.map(async (s) => ({
      id: s.id,
      name: s.name,
      words: outOfHoursInWords(outOfHoursFrom(await repo.findOutOfHours(ctx.db, s.id))),
    })),
  );
}

/**
 * A service's out-of-hours settings for the page that changes them.
 *
 * @param ctx - the request context.
 * @param serviceId - the service.
 * @returns the service, its settings and their version (0 when it still has the usual ones).
 * @throws NotFound when the actor's organisation does not take part in the service.
 */
export async function outOfHoursForChange(ctx: Ctx, serviceId: string) {
  const service = (await servicesOf(ctx)).find((s) => s.id === serviceId);
  if (!service) {
    throw new NotFound('service.not_found');
  }
  const row = await repo.findOutOfHours(ctx.db, service.id);
  return {
    service: { id: service.id, name: service.name },
    settings: outOfHoursFrom(row),
    version: row?.version ?? 0,
  };
}

/**
 * Saves when a service counts as out of hours.
 *
 * @param ctx - the request context.
 * @param serviceId - the service.
 * @param input - the evening start (or none), the days that count all day and the version the manager saw.
 * @throws NotFound when the actor's organisation does not take part in the service.
 * @throws Conflict when someone else saved them since.
 */
export async function saveOutOfHours(ctx: Ctx, serviceId: string, input: OutOfHoursInput): Promise<void> {
  const now = ctx.clock.now();
  const { service } = await outOfHoursForChange(ctx, serviceId);
  await ctx.db.transaction().execute(async (tx) => {
    const saved = await repo.saveOutOfHoursIfVersion(
      tx,
      service.id,
      {
        evenings_from: input.eveningsFrom && clockText(input.eveningsFrom),
        saturdays: input.days.includes('saturdays'),
        sundays: input.days.includes('sundays'),
        bank_holidays: input.days.includes('bank_holidays'),
      },
      input.version,
      now,
    );
    if (!saved) {
      throw new Conflict('out_of_hours.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'out_of_hours.changed',
      subject: { type: 'Service', id: service.id },
      at: now,
    });
  });
}
