/**
 * Dates and times as the NHS service manual's content style guide writes them: "1 January 2025" and
 * "3:04pm", always in UK time (Europe/London) whatever the server's zone.
 */
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

function toDate(value: Date | string): Date {
  // A bare date ('2025-01-01') is a calendar day, not an instant: read it at midday UTC so no zone moves it.
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T12:00:00Z`)
    : new Date(value);
}

/**
 * Formats a date, e.g. "1 January 2025".
 *
 * @param value - a Date, an ISO timestamp or a 'YYYY-MM-DD' date.
 * @returns the date in words, or an empty string for nothing.
 */
export function formatDate(value: Date | string | null | undefined): string {
  return value ? dateFormat.format(toDate(value)) : '';
}

/**
 * Formats a moment, e.g. "1 January 2025 at 3:04pm".
 *
 * @param value - a Date or an ISO timestamp.
 * @returns the date and time in UK time, or an empty string for nothing.
 */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) {
    return '';
  }
  const date = toDate(value);
  // The style guide writes "3:04pm", "12pm" for midday and "12am" for midnight, with no space.
  const time = timeFormat.format(date).replace(/\s/g, '').replace(':00', '').toLowerCase();
  return `${dateFormat.format(date)} at ${time}`;
}
