import { hasRole, type Actor, type StaffRole } from '../actors.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation, WELCOMING_ROLES } from './referrals.ts';

/**
 * Everyone who runs or helps at groups sees the venues, groups and sessions: front-line workers,
 * peer bank workers and volunteers (who co-facilitate and welcome people at the door), and
 * administrators (who book rooms). Commissioners see totals only, never the timetable here.
 */
const GROUP_READERS: readonly StaffRole[] = [
  ...WELCOMING_ROLES,
  'peer_bank_worker',
  'volunteer',
  'administrator',
];

/**
 * Setting up groups and scheduling their sessions is a senior task: it decides who facilitates and
 * whether the rule for the type of group is met. Service managers do it, and so do the senior peer
 * and lived experience roles who lead group work on the career pathway (shared/DESIGN.md section 1).
 */
const GROUP_ORGANISERS: readonly StaffRole[] = [
  'service_manager',
  'senior_peer_support_worker',
  'advanced_lived_experience_practitioner',
];

/** Venues and rooms are premises, looked after by service managers and administrators. */
const VENUE_KEEPERS: readonly StaffRole[] = ['service_manager', 'administrator'];

/**
 * When a service counts as out of hours (evenings, Saturdays) shapes the rota and pay for unsocial
 * hours, so only service managers set it.
 */
const SERVICE_MANAGERS: readonly StaffRole[] = ['service_manager'];

const reads = (actor: Actor) => hasRole(actor, GROUP_READERS);
const organises = (actor: Actor) => hasRole(actor, GROUP_ORGANISERS);
const keepsVenues = (actor: Actor) => hasRole(actor, VENUE_KEEPERS);

/**
 * Venues, group programmes and their sessions. Each belongs to one organisation and is seen and
 * changed only by its staff; a record of another organisation answers 404 like a missing one. A
 * partner's staff may be chosen to facilitate a group's sessions (under an agreement granting them
 * contacts and sessions, for a service both deliver: see the accounts module's
 * listActivePartnerStaffFor), and then see those sessions in their own month view; the partner's group
 * pages, timetable and needing-attention list stay the partner's.
 */
export const groupRules = {
  'venue.list': { who: reads } satisfies Rule<never>,
  'venue.read': { who: reads, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Add a venue or a room, change a venue's details or a room, retire a room no longer used. */
  'venue.manage': { who: keepsVenues, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  'group.list': { who: reads } satisfies Rule<never>,
  'group.read': { who: reads, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Add or change a group programme. */
  'group.manage': { who: organises, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Schedule or cancel a session of a group, choosing its facilitators. */
  'session.manage': { who: organises, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Change one session's time, room or link, or facilitators; take a facilitator off it. */
  'session.change': { who: organises, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Set up a recurring schedule of a group (making its sessions), or end one early. */
  'schedule.manage': { who: organises, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** The month view of every session of the organisation. */
  'calendar.read': { who: reads } satisfies Rule<never>,
  /** The sessions needing attention: staffing that fell through, links to set up, rooms. */
  'attention.list': { who: reads } satisfies Rule<never>,
  /** Say when a service counts as out of hours. */
  'out_of_hours.manage': {
    who: (actor: Actor) => hasRole(actor, SERVICE_MANAGERS),
    which: ownOrganisation,
  } satisfies Rule<OrganisationOwned>,
};
