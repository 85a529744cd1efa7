import { dayInLondon } from '../../platform/time/day-in-london.ts';

/**
 * When someone on a caseload is due a contact.
 *
 * A service says how long a person may go without being in touch before they show on the
 * non-engagement worklist (`services.non_engagement_weeks`). The caseload nudges the key worker at
 * half that time, so there is still time to get in touch before the person shows as not engaging and
 * the follow-up ladder (call, text, letter, review) starts. With the default of 4 weeks that is a
 * contact every 14 days; a service that sets a longer period (a social peer support service, say)
 * gets a longer interval without any setting of its own.
 */

/** The non-engagement period of an episode with no service: the database's default (migration 0006). */
export const DEFAULT_NON_ENGAGEMENT_WEEKS = 4;

/**
 * The most days someone may go without a contact before they are due one.
 *
 * @param nonEngagementWeeks - the service's non-engagement period, or null for an episode with no service.
 * @returns days: half the non-engagement period, rounded up, at least 1.
 */
export function contactIntervalDays(nonEngagementWeeks: number | null): number {
  const weeks = nonEngagementWeeks ?? DEFAULT_NON_ENGAGEMENT_WEEKS;
  return Math.max(1, Math.ceil((weeks * 7) / 2));
}

const DAY_MS = 24 * 60 * 60 * 1000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

const dayFrom = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Where a person on a caseload stands: the day they are due a contact, and by how much it has passed. */
export type ContactDue = {
  /** The UK day from which they are due a contact, 'YYYY-MM-DD'. */
  dueOn: string;
  /** Whether that day has come. */
  due: boolean;
  /** Whole days since it came (0 on the day itself), or 0 when not yet due. */
  daysOverdue: number;
};

/**
 * Whether a person is due a contact: when their last contact (or, with none yet, the start of their
 * support) is at least the interval ago, counted in UK calendar days.
 *
 * @param since - the last contact that happened, or undefined for none.
 * @param startedOn - the day their support started, 'YYYY-MM-DD'.
 * @param intervalDays - from contactIntervalDays.
 * @param now - the time now.
 * @returns the day they are due and whether (and by how much) it has passed.
 */
export function contactDue(
  since: Date | undefined,
  startedOn: string,
  intervalDays: number,
  now: Date,
): ContactDue {
  const from = since ? dayInLondon(since) : startedOn;
  const dueDay = dayNumber(from) + intervalDays;
  const today = dayNumber(dayInLondon(now));
  return { dueOn: dayFrom(dueDay), due: today >= dueDay, daysOverdue: Math.max(0, today - dueDay) };
}
