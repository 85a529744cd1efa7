/**
 * The calendar day in the UK at a moment, as 'YYYY-MM-DD': the form date columns are stored and
 * compared in, whatever the server's time zone.
 *
 * @param now - the moment.
 * @returns the day in Europe/London.
 */
export function dayInLondon(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}
