import type { Ctx } from '../../context.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { londonMoment, timeInLondon } from '../../platform/time/london-time.ts';
import { authorize, isStaff } from '../../policy/index.ts';
import { GROUP_TYPES, SESSION_ROLES } from './facilitation.ts';
import { sessionAttention, type Attention } from './facilitation-attention.ts';
import * as repo from './calendar-month.repo.ts';
import { isOutOfHours, outOfHoursFrom } from './schedules-out-of-hours.ts';

/** How far ahead the needing-attention list looks: a quarter, a little past the published rota. */
const ATTENTION_WEEKS = 12;

/** A session as the pages show it, with its out-of-hours mark and what needs attention. */
export type SessionInView = repo.SessionOverview & {
  typeText: string;
  time: string;
  where: string;
  facilitatorText: string;
  outOfHoursMark: boolean;
  attention: Attention[];
  /** The partner organisation running the group, when it is not the viewer's own; else null. */
  partnerName: string | null;
};

function inView(session: repo.SessionOverview, now: Date, viewerOrganisationId: string): SessionInView {
  const ended = session.endsAt <= now;
  return {
    ...session,
    partnerName: session.organisationId === viewerOrganisationId ? null : session.organisationName,
    typeText: GROUP_TYPES[session.groupType],
    time: `${timeInLondon(session.startsAt)} to ${timeInLondon(session.endsAt)}`,
    where:
      [
        session.roomId && `${session.venueName}: ${session.roomName}`,
        session.groupMode !== 'in_person' && (session.onlineLink ? 'Online' : 'Online (link not set up yet)'),
      ]
        .filter(Boolean)
        .join(' and ') || 'No room chosen',
    facilitatorText:
      session.facilitators
        .map((f) => `${f.name} (${SESSION_ROLES[f.sessionRole].toLowerCase()})`)
        .join(', ') || 'No one yet',
    outOfHoursMark: isOutOfHours(session.startsAt, outOfHoursFrom(session.outOfHours)),
    // What happened at a session already held is for its register, not a flag here.
    attention: ended
      ? []
      : sessionAttention({
          group: { type: session.groupType, mode: session.groupMode, capacity: session.groupCapacity },
          status: session.status,
          roomId: session.roomId,
          roomCapacity: session.roomCapacity,
          onlineLink: session.onlineLink,
          facilitators: session.facilitators,
        }),
  };
}

function organisationOf(ctx: Ctx): string {
  if (!isStaff(ctx.actor)) {
    throw new Forbidden('policy.forbidden');
  }
  return ctx.actor.organisationId;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const monthName = (year: number, month: number) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );

const monthKey = (year: number, month: number) => {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** One day of the month view. */
export type DayInView = { day: string; heading: string; sessions: SessionInView[] };

/**
 * The month view: every session of the actor's organisation starting in a UK calendar month, by day,
 * with the sessions of partners' groups the actor facilitates.
 *
 * @param ctx - the request context.
 * @param month - 'YYYY-MM'; the current UK month when not given.
 * @returns the month's title, its days with sessions, and the months before and after.
 * @throws NotFound when the month is not a real 'YYYY-MM' between 2000 and 2199.
 */
export async function monthView(ctx: Ctx, month: string | undefined) {
  authorize(ctx.actor, 'calendar.read');
  const organisationId = organisationOf(ctx);
  const now = ctx.clock.now();
  const key = month ?? dayInLondon(now).slice(0, 7);
  const match = MONTH.exec(key);
  const year = Number(match?.[1]);
  if (!match || year < 2000 || year > 2199) {
    throw new NotFound('calendar.no_such_month');
  }
  const number = Number(match[2]);
  const first = `${key}-01`;
  const next = monthKey(year, number + 1);
  const range = {
    from: londonMoment(first, { hours: 0, minutes: 0 }),
    to: londonMoment(`${next}-01`, { hours: 0, minutes: 0 }),
  };
  const own = await repo.listSessionsOverview(ctx.db, { organisationId, ...range });
  // A partner's sessions the viewer facilitates (a trust clinician on a charity's SUN group) are their
  // work too, so their month shows them, marked with the partner's name. Only those: the partner's other
  // sessions, its group pages and its needing-attention list stay the partner's (group.read is by
  // organisation), since the agreement shares the sessions a person takes part in, not a timetable.
  const elsewhere = isStaff(ctx.actor)
    ? await repo.listSessionsFacilitatedElsewhere(ctx.db, {
        staffId: ctx.actor.id,
        exceptOrganisationId: organisationId,
        ...range,
        today: dayInLondon(ctx.clock.now()),
      })
    : [];
  const sessions =
    elsewhere.length === 0
      ? own
      : [...own, ...elsewhere].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  const days: DayInView[] = [];
  for (const session of sessions) {
    const day = dayInLondon(session.startsAt);
    let entry = days.at(-1);
    if (entry?.day !== day) {
      entry = {
        day,
        heading: new Intl.DateTimeFormat('en-GB', {
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          timeZone: 'Europe/London',
        }).format(session.startsAt),
        sessions: [],
      };
      days.push(entry);
    }
    entry.sessions.push(inView(session, now, organisationId));
  }
  return {
    title: monthName(year, number),
    days,
    count: sessions.length,
    previous: { key: monthKey(year, number - 1), name: monthName(year, number - 1) },
    next: { key: next, name: monthName(year, number + 1) },
  };
}

/**
 * The sessions of the next twelve weeks that need attention: staffing that fell through and rooms
 * (problems), and online links still to set up (tasks). Worked out from the data as it is now.
 *
 * @param ctx - the request context.
 * @returns the problems and the tasks, soonest first.
 */
export async function sessionsNeedingAttention(ctx: Ctx) {
  authorize(ctx.actor, 'attention.list');
  const now = ctx.clock.now();
  const organisationId = organisationOf(ctx);
  const sessions = await repo.listSessionsOverview(ctx.db, {
    organisationId,
    from: new Date(now.getTime() - 12 * 3600_000),
    to: new Date(now.getTime() + ATTENTION_WEEKS * 7 * 86_400_000),
    scheduledOnly: true,
  });
  const shown = sessions.map((s) => inView(s, now, organisationId));
  const withKind = (kinds: Attention['kind'][]) =>
    shown
      .map((s) => ({ ...s, attention: s.attention.filter((a) => kinds.includes(a.kind)) }))
      .filter((s) => s.attention.length > 0);
  return { problems: withKind(['staffing', 'room']), tasks: withKind(['link']), weeks: ATTENTION_WEEKS };
}

/**
 * A group's sessions still to come, as its page shows them, with marks and what needs attention.
 *
 * @param ctx - the request context.
 * @param group - the group, already loaded and authorised for reading.
 * @param group.id - its id.
 * @param group.organisationId - its organisation.
 * @returns the sessions, soonest first.
 */
export async function upcomingSessionsOfGroup(ctx: Ctx, group: { id: string; organisationId: string }) {
  authorize(ctx.actor, 'group.read', group);
  const now = ctx.clock.now();
  const sessions = await repo.listSessionsOverview(ctx.db, {
    organisationId: group.organisationId,
    groupId: group.id,
    from: new Date(now.getTime() - 24 * 3600_000),
    to: new Date(now.getTime() + 400 * 86_400_000),
  });
  return sessions.filter((s) => s.endsAt > now).map((s) => inView(s, now, group.organisationId));
}
