import { formatDate } from '../../platform/views/filters/format-date.ts';
import { CRISIS_CONTACTS, CRISIS_HELP_HEADING } from './crisis-help.ts';

const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' });

/**
 * A calendar day with its weekday, as the NHS content style guide writes it: "Monday 9 March 2026".
 *
 * @param day - 'YYYY-MM-DD'.
 * @returns the day in words.
 */
export function dayInWords(day: string): string {
  return `${weekday.format(new Date(`${day}T12:00:00Z`))} ${formatDate(day)}`;
}

/** The values every public referral page shows: the crisis help, most urgent first. */
export const crisisHelp = { crisisHeading: CRISIS_HELP_HEADING, crisisContacts: CRISIS_CONTACTS };

/**
 * Checkbox or radio items from a set of labels, ticked where the form's value says so.
 *
 * @param labels - each value and the words shown for it.
 * @param selected - what was chosen: one value, a list, or nothing.
 * @returns the items for the nhsuk macro.
 */
export function labelled<K extends string>(labels: Record<K, string>, selected: unknown) {
  const chosen = [selected ?? []].flat();
  return (Object.entries(labels) as [K, string][]).map(([value, text]) => ({
    value,
    text,
    checked: chosen.includes(value),
  }));
}

/**
 * Yes and No radio items, one ticked when it was chosen.
 *
 * @param selected - what was chosen.
 * @returns the items for the nhsuk macro.
 */
export function yesNo(selected: unknown) {
  return [
    { value: 'yes', text: 'Yes', checked: selected === 'yes' },
    { value: 'no', text: 'No', checked: selected === 'no' },
  ];
}

/**
 * How many whole minutes to wait, rounded up, for a page that asks someone to come back later.
 *
 * @param seconds - the seconds until they may try again.
 * @returns the minutes, at least 1.
 */
export function minutesToWait(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
