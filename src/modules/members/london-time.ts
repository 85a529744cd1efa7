/**
 * Times of day as people in the UK read and type them: the clock in Europe/London, whatever the
 * server's zone, with British Summer Time handled.
 */
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function londonWallClock(at: number): number {
  const parts = Object.fromEntries(partsFormat.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
}

/**
 * The time of day in the UK at a moment, as a 24-hour "14:30".
 *
 * @param at - the moment.
 * @returns hours and minutes in Europe/London.
 */
export function timeInLondon(at: Date): string {
  const wall = new Date(londonWallClock(at.getTime()));
  return wall.toISOString().slice(11, 16);
}

/**
 * The moment a UK clock showed a day and time. In the hour the clocks go back, the first of the two
 * moments is taken; in the hour they go forward (which never appears), the time after the change.
 *
 * @param day - the calendar day, 'YYYY-MM-DD'.
 * @param time - the time, 'HH:MM' (24-hour).
 * @returns the moment.
 */
export function londonMoment(day: string, time: string): Date {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The UK's offset a day either side: the moments that show this wall-clock time under each.
  const DAY = 24 * 60 * 60 * 1000;
  const offsets = [wall - DAY, wall + DAY].map((at) => londonWallClock(at) - at);
  const candidates = offsets.map((offset) => wall - offset);
  const real = candidates.filter((at) => londonWallClock(at) === wall);
  return new Date(real.length > 0 ? Math.min(...real) : (candidates[0] ?? wall));
}
