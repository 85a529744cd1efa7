import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/** One event of a feed, already reduced to what that feed may show. */
export type FeedEvent = {
  /** Stable for the session or contact across every fetch, so a calendar updates it in place. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  url?: string;
  cancelled: boolean;
  /** Goes up when the event changes (RFC 5545 section 3.8.7.4), so calendars take the new times. */
  sequence: number;
  /** When the record last changed (DTSTAMP). */
  stamp: Date;
};

/**
 * How often a subscribed calendar should fetch the feed again: an hour. Outlook reads
 * X-PUBLISHED-TTL and other programs REFRESH-INTERVAL (RFC 7986 section 5.7); ical-generator writes
 * both. Outlook on the web refreshes subscriptions on its own timetable (several hours) whatever this says.
 */
const REFRESH_SECONDS = 60 * 60;

/**
 * Writes a feed as an iCalendar file (RFC 5545). Times are written in UTC ("Z"), which every calendar
 * program shows in its own zone, so there is no time zone definition to get wrong around the clock
 * changes. A cancelled session stays in the feed with STATUS:CANCELLED, so calendars that had it show
 * it cancelled instead of silently keeping the old event.
 *
 * @param feed - the calendar's name and description, and its events.
 * @param feed.name - the calendar's name as the calendar program shows it.
 * @param feed.description - a line about what it holds.
 * @param feed.events - the events.
 * @returns the file's text.
 */
export function writeCalendar(feed: { name: string; description: string; events: FeedEvent[] }): string {
  const calendar = ical({
    name: feed.name,
    description: feed.description,
    prodId: { company: 'Alongside', product: 'Alongside calendar feed', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  for (const event of feed.events) {
    calendar.createEvent({
      id: event.uid,
      start: event.start,
      end: event.end,
      summary: event.summary,
      location: event.location ?? null,
      description: event.description ?? null,
      url: event.url ?? null,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: event.sequence,
      stamp: event.stamp,
    });
  }
  return calendar.toString();
}
