import rrule from 'rrule';
import type { TimeOfDay } from '../../platform/time/london-time.ts';
import { londonMoment } from '../../platform/time/london-time.ts';

const { RRule, rrulestr } = rrule;

/**
 * Recurring schedules as RFC 5545 recurrence rules (datatracker.ietf.org/doc/html/rfc5545#section-3.3.10),
 * written and expanded by the `rrule` library.
 *
 * A group "every Tuesday at 10:00" meets at 10:00 on the UK clock all year, so the rule is kept in
 * Europe/London local time (DTSTART;TZID=Europe/London) and expanded to calendar days only; each day is
 * then joined to the UK start and end times through the time zone database (londonMoment). The library's
 * own README advises this "floating" use: its dates carry local wall-clock values in UTC fields, and
 * mixing them with real instants goes wrong across the clocks changing (github.com/jkbrzt/rrule#timezone-support).
 */

/** Days of the week as RFC 5545 names them, Monday first as a UK calendar is. */
export const WEEKDAYS = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
} as const;

export type Weekday = keyof typeof WEEKDAYS;

const RRULE_DAYS: Record<Weekday, InstanceType<typeof RRule>['options']['byweekday'][number]> = {
  MO: 0,
  TU: 1,
  WE: 2,
  TH: 3,
  FR: 4,
  SA: 5,
  SU: 6,
};

/** A schedule's pattern as a manager sets it up. */
export type SchedulePattern = {
  /** The first day it can meet, 'YYYY-MM-DD'. */
  startsOn: string;
  weekdays: readonly Weekday[];
  /** 1 for every week, 2 for every other week. */
  everyWeeks: 1 | 2;
  /** It ends after this many sessions, or on this day ('YYYY-MM-DD'), whichever is given. */
  end: { sessions: number } | { until: string };
  startTime: TimeOfDay;
};

const floating = (day: string, time: TimeOfDay = { hours: 0, minutes: 0 }) => {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, time.hours, time.minutes));
};

/**
 * Writes a schedule's pattern as RFC 5545 text, e.g.
 * "DTSTART;TZID=Europe/London:20260106T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=12".
 *
 * @param pattern - the pattern.
 * @returns the rule's text.
 */
export function ruleText(pattern: SchedulePattern): string {
  const rule = new RRule({
    freq: RRule.WEEKLY,
    interval: pattern.everyWeeks,
    byweekday: pattern.weekdays.map((d) => RRULE_DAYS[d]),
    wkst: RRule.MO,
    dtstart: floating(pattern.startsOn, pattern.startTime),
    tzid: 'Europe/London',
    ...('sessions' in pattern.end
      ? { count: pattern.end.sessions }
      : { until: floating(pattern.end.until, { hours: 23, minutes: 59 }) }),
  });
  return rule.toString();
}

/** One session a schedule makes: its UK day and its start and end as instants. */
export type Occurrence = { day: string; startsAt: Date; endsAt: Date };

/**
 * The sessions a rule makes, in order, from its first day to the last day given.
 *
 * @param text - the rule's RFC 5545 text (as ruleText writes it).
 * @param times - the UK start and end times.
 * @param times.start - the start.
 * @param times.end - the end, later the same day.
 * @param lastDay - the horizon, 'YYYY-MM-DD': no sessions after it.
 * @returns each occurrence.
 */
export function occurrencesOf(
  text: string,
  times: { start: TimeOfDay; end: TimeOfDay },
  lastDay: string,
): Occurrence[] {
  const parsed = rrulestr(text);
  // Expanded without its zone, so the library hands back the wall-clock days (see the note at the top).
  const rule = new RRule({ ...parsed.origOptions, tzid: null });
  const days = rule
    .between(new Date(0), floating(lastDay, { hours: 23, minutes: 59 }), true)
    .map((d) => d.toISOString().slice(0, 10));
  return days.map((day) => ({
    day,
    startsAt: londonMoment(day, times.start),
    endsAt: londonMoment(day, times.end),
  }));
}

/**
 * A schedule's pattern in words, as the group page shows it: "Every Tuesday and Thursday, 12 sessions".
 *
 * @param text - the rule's RFC 5545 text.
 * @returns the words.
 */
export function patternInWords(text: string): string {
  const options = rrulestr(text).options;
  const days = (Object.keys(RRULE_DAYS) as Weekday[])
    .filter((d) => options.byweekday.includes(RRULE_DAYS[d]))
    .map((d) => WEEKDAYS[d]);
  const dayList = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days.at(-1)}` : (days[0] ?? '');
  const every = options.interval === 2 ? `Every other ${dayList}` : `Every ${dayList}`;
  if (options.count) {
    return `${every}, ${options.count} ${options.count === 1 ? 'session' : 'sessions'}`;
  }
  return every;
}
