import { hasRole, isStaff, type Actor, type StaffRole } from '../actors.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation } from './referrals.ts';

/**
 * Everyone who may facilitate sessions or hold one-to-one contacts may keep a calendar feed of their
 * own: every staff role but the commissioner's, who sees totals only and has no timetable here.
 */
const FEED_HOLDERS = (actor: Actor) => isStaff(actor) && actor.roles.some((role) => role !== 'commissioner');

/** A group's public feed is handed out by whoever sets up the group (groups.ts GROUP_ORGANISERS). */
const GROUP_FEED_KEEPERS: readonly StaffRole[] = [
  'service_manager',
  'senior_peer_support_worker',
  'advanced_lived_experience_practitioner',
];

/**
 * Calendar feeds. A feed is read by a calendar program that cannot sign in (Outlook subscribes to an
 * address and fetches it every so often), so reading one is open to anyone at the route: the long
 * random token in the address is what authorises it, checked by the calendars service against the
 * hashes of live feeds, and an unknown or revoked token answers 404 like any missing page.
 */
export const calendarRules = {
  /** Fetch a calendar feed by its secret address (a member of staff's own, or a group's). */
  'calendar.feed.read': { who: () => true } satisfies Rule<never>,
  /** See, create, replace or stop one's own calendar feed. */
  'calendar.own_feed': { who: FEED_HOLDERS } satisfies Rule<never>,
  /** Create, replace or stop the public calendar feed of a group of one's own organisation. */
  'calendar.group_feed': {
    who: (actor: Actor) => hasRole(actor, GROUP_FEED_KEEPERS),
    which: ownOrganisation,
  } satisfies Rule<OrganisationOwned>,
};
