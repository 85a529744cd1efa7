import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';

type Values = Record<string, unknown>;

/** The value a form field was given, for re-showing a choice; '' when none was. */
export const selected = (values: Values, name: string): string =>
  typeof values[name] === 'string' ? values[name] : '';

/** A session's day and times in words, in UK time: "Tuesday 3 March 2026, 10:00 to 12:00". */
export function sessionWhen(session: { startsAt: Date; endsAt: Date }): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(
    session.startsAt,
  );
  return `${weekday} ${formatDate(dayInLondon(session.startsAt))}, ${timeInLondon(session.startsAt)} to ${timeInLondon(session.endsAt)}`;
}
