import { TZDate } from '@date-fns/tz';

/**
 * Times of day as people in the UK read and type them: the clock in Europe/London, whatever the
 * server's zone, with British Summer Time from the time zone database (through @date-fns/tz).
 */
const LONDON = 'Europe/London';

/** A time on the 24-hour clock. */
export type TimeOfDay = { hours: number; minutes: number };

/**
 * The moment a UK clock shows a day and time. In the hour the clocks go back, which the clock shows
 * twice, the later (GMT) moment is taken; in the hour they go forward (which no clock shows), the time after the change.
 *
 * @param day - the calendar day, 'YYYY-MM-DD'.
 * @param time - the time of day in the UK.
 * @returns the moment.
 */
export function londonMoment(day: string, time: TimeOfDay): Date {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(new TZDate(y, m - 1, d, time.hours, time.minutes, LONDON).getTime());
}

/**
 * The time of day in the UK at a moment, as a 24-hour "14:30".
 *
 * @param at - the moment.
 * @returns hours and minutes in Europe/London.
 */
export function timeInLondon(at: Date): string {
  const london = new TZDate(at.getTime(), LONDON);
  return `${String(london.getHours()).padStart(2, '0')}:${String(london.getMinutes()).padStart(2, '0')}`;
}
