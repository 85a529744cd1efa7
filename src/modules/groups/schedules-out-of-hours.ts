import { TZDate } from '@date-fns/tz';
import { isBankHoliday } from '../../platform/time/bank-holidays.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import type { TimeOfDay } from '../../platform/time/london-time.ts';

/**
 * Out of hours, as each service defines it. The SUN model runs groups "in person, online and out of
 * hours" (shared/DESIGN.md section 1) and the rota shares evening and Saturday work fairly, so each
 * session is marked when it falls outside the working day. Services differ (one counts 17:00 as the
 * evening, another 18:00; some open on Sundays), so the settings are per service. Bank holidays in
 * England and Wales count all day unless a service says otherwise (see migration 0018 for why).
 */
export type OutOfHoursSettings = {
  /** A weekday session starting at or after this UK time is an evening one; null when none are. */
  eveningsFrom: TimeOfDay | null;
  saturdays: boolean;
  sundays: boolean;
  bankHolidays: boolean;
};

/**
 * What a service that has not said otherwise counts as out of hours: weekday sessions starting at or
 * after 17:00 (the end of the NHS standard working day of 9 to 5), and anything at the weekend or on
 * a bank holiday.
 */
export const USUAL_OUT_OF_HOURS: OutOfHoursSettings = {
  eveningsFrom: { hours: 17, minutes: 0 },
  saturdays: true,
  sundays: true,
  bankHolidays: true,
};

/**
 * Reads the settings as stored, falling back to the usual ones for a service with none.
 *
 * @param row - the stored row, if any.
 * @param row.evenings_from - 'HH:MM:SS' or null.
 * @param row.saturdays - whether Saturdays count.
 * @param row.sundays - whether Sundays count.
 * @param row.bank_holidays - whether bank holidays count.
 * @returns the settings.
 */
export function outOfHoursFrom(
  row:
    | { evenings_from: string | null; saturdays: boolean; sundays: boolean; bank_holidays: boolean }
    | null
    | undefined,
): OutOfHoursSettings {
  if (!row) {
    return USUAL_OUT_OF_HOURS;
  }
  const [hours = 0, minutes = 0] = (row.evenings_from ?? '').split(':').map(Number);
  return {
    eveningsFrom: row.evenings_from === null ? null : { hours, minutes },
    saturdays: row.saturdays,
    sundays: row.sundays,
    bankHolidays: row.bank_holidays,
  };
}

/**
 * Whether a session starting at a moment is out of hours for a service, on the UK clock.
 *
 * @param startsAt - when it starts.
 * @param settings - the service's settings.
 * @returns true when it is an evening, Saturday, Sunday or bank holiday session by those settings.
 */
export function isOutOfHours(startsAt: Date, settings: OutOfHoursSettings): boolean {
  if (settings.bankHolidays && isBankHoliday(dayInLondon(startsAt))) {
    return true;
  }
  const london = new TZDate(startsAt.getTime(), 'Europe/London');
  const weekday = london.getDay();
  if (weekday === 6) {
    return settings.saturdays;
  }
  if (weekday === 0) {
    return settings.sundays;
  }
  if (settings.eveningsFrom === null) {
    return false;
  }
  const minutes = london.getHours() * 60 + london.getMinutes();
  return minutes >= settings.eveningsFrom.hours * 60 + settings.eveningsFrom.minutes;
}

const clock = (time: TimeOfDay) =>
  `${String(time.hours).padStart(2, '0')}:${String(time.minutes).padStart(2, '0')}`;

/**
 * The settings in words: "Weekdays from 17:00, Saturdays and Sundays".
 *
 * @param settings - the settings.
 * @returns the words.
 */
export function outOfHoursInWords(settings: OutOfHoursSettings): string {
  const parts = [
    settings.eveningsFrom && `weekdays from ${clock(settings.eveningsFrom)}`,
    settings.saturdays && 'Saturdays',
    settings.sundays && 'Sundays',
    settings.bankHolidays && 'bank holidays',
  ].filter((p): p is string => typeof p === 'string');
  if (parts.length === 0) {
    return 'Nothing is counted as out of hours';
  }
  const text = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The evening time as the settings form shows it.
 *
 * @param settings - the settings.
 * @returns "17:00", or empty when weekday evenings do not count.
 */
export function eveningsFromText(settings: OutOfHoursSettings): string {
  return settings.eveningsFrom ? clock(settings.eveningsFrom) : '';
}
