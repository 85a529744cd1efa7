import { bankHolidaysInEnglandAndWales, isBankHoliday } from '../../platform/time/bank-holidays.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';

/**
 * The response clock counts working days: Monday to Friday, less the bank holidays in England and Wales
 * (platform/time/bank-holidays.ts). Days are calendar days in UK time, written 'YYYY-MM-DD', so the
 * answer is the same whatever time zone the server runs in.
 */
export { bankHolidaysInEnglandAndWales };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a 'YYYY-MM-DD' day as midnight UTC, so adding days never meets a clock change.
 *
 * @param day - a calendar day, 'YYYY-MM-DD'.
 * @returns the day at 00:00 UTC.
 * @throws RangeError when it is not a real calendar day, e.g. '2026-02-30'.
 */
function parseDay(day: string): Date {
  const match = DAY.exec(day);
  const date = new Date(`${day}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`Not a calendar day: ${day}`);
  }
  return date;
}

/**
 * Writes a day read by parseDay back as 'YYYY-MM-DD'.
 *
 * @param date - a day at 00:00 UTC.
 * @returns the day.
 */
function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The day after or before a day.
 *
 * @param day - a calendar day, 'YYYY-MM-DD'.
 * @param by - how many days to move, negative to go back.
 * @returns the day moved to.
 */
function shiftDay(day: string, by: number): string {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + by);
  return formatDay(date);
}

/**
 * Whether a day is a Saturday or a Sunday.
 *
 * @param day - a calendar day, 'YYYY-MM-DD'.
 * @returns true at the weekend.
 */
function isWeekend(day: string): boolean {
  const weekday = parseDay(day).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * Whether a day is a working day: not a Saturday, a Sunday or a bank holiday in England and Wales.
 *
 * @param day - a calendar day, 'YYYY-MM-DD'.
 * @returns true on a working day.
 * @throws RangeError when it is not a real calendar day.
 */
export function isWorkingDay(day: string): boolean {
  parseDay(day);
  return !isWeekend(day) && !isBankHoliday(day);
}

/**
 * The day a number of working days after a day. The day itself is never counted: 1 working day after a
 * Friday is the next Monday (or Tuesday after a bank holiday Monday).
 *
 * @param startDate - a calendar day, 'YYYY-MM-DD'; it need not be a working day.
 * @param n - how many working days, 0 or more; 0 gives startDate back.
 * @returns the nth working day after startDate.
 * @throws RangeError when startDate is not a real day or n is not a whole number of 0 or more.
 */
export function addWorkingDays(startDate: string, n: number): string {
  parseDay(startDate);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Working days must be a whole number of 0 or more, not ${n}`);
  }
  let day = startDate;
  for (let counted = 0; counted < n;) {
    day = shiftDay(day, 1);
    if (isWorkingDay(day)) {
      counted += 1;
    }
  }
  return day;
}

/**
 * How many working days there are after one day up to and including another, the reverse of
 * addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) is n.
 *
 * @param a - the earlier calendar day, 'YYYY-MM-DD'.
 * @param b - the later calendar day, 'YYYY-MM-DD'.
 * @returns the working days in (a, b]; negative when b is before a; 0 when they are the same day.
 * @throws RangeError when either is not a real calendar day.
 */
export function workingDaysBetween(a: string, b: string): number {
  parseDay(a);
  parseDay(b);
  if (b < a) {
    return -workingDaysBetween(b, a);
  }
  let count = 0;
  for (let day = a; day < b;) {
    day = shiftDay(day, 1);
    if (isWorkingDay(day)) {
      count += 1;
    }
  }
  return count;
}

/**
 * The last day for first contact with a person who was referred: the given number of working days after
 * the day the referral arrived.
 *
 * There is no NHS rule for this, so it borrows the best-known public one, the Freedom of Information
 * Act's "working day following the date of receipt" (FOIA 2000, section 10):
 * - On a working day, that day is the day of receipt, whatever the time. The Act's date of receipt is
 *   "the day on which" it arrives, with no office hours; and a 5pm cut-off would quietly give the team a
 *   day the person was never told about.
 * - On a weekend or bank holiday, the day of receipt is the next working day, as in the FOI Code of
 *   Practice (Cabinet Office, 2018, section 4: "the first working day following its arrival"). The
 *   ICO's guidance instead counts that next working day as day one, a day sooner; either is defensible,
 *   and this one is the simplest for a team to explain: "we count from the first working day we could
 *   have seen it".
 * The days are UK calendar days, so a referral sent at 00:30 on a summer Monday (23:30 UTC on Sunday)
 * arrived on Monday.
 *
 * @param receivedAt - when the referral arrived.
 * @param workingDays - the service's response standard, e.g. 5.
 * @returns the day by which first contact is due, 'YYYY-MM-DD' in UK time.
 */
export function firstContactDueDate(receivedAt: Date, workingDays: number): string {
  const arrived = dayInLondon(receivedAt);
  const receipt = isWorkingDay(arrived) ? arrived : addWorkingDays(arrived, 1);
  return addWorkingDays(receipt, workingDays);
}

/**
 * Whether first contact is overdue: the due day has passed in UK time. On the due day itself it is
 * still on time.
 *
 * @param due - the due day, 'YYYY-MM-DD', from firstContactDueDate.
 * @param now - the moment to judge at (the service's clock, so tests can fix it).
 * @returns true from the start of the day after the due day.
 */
export function isOverdue(due: string, now: Date): boolean {
  parseDay(due);
  return dayInLondon(now) > due;
}
