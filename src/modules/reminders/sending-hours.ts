import { timeInLondon } from '../../platform/time/london-time.ts';

/** Hours of the UK day, as "HH:MM" from (inclusive) and before (exclusive). */
export type UkHours = { readonly from: string; readonly before: string };

/**
 * Whether a moment falls in some hours of the UK day. Reminder rounds run every minute, day and
 * night; each kind of reminder queues only in its own hours, so no one is woken by one.
 *
 * @param now - the moment.
 * @param hours - the hours.
 * @returns true inside them, on the UK clock.
 */
export function withinUkHours(now: Date, hours: UkHours): boolean {
  const time = timeInLondon(now);
  return time >= hours.from && time < hours.before;
}
