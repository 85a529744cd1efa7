import { hasRole, type Actor, type StaffRole } from '../actors.ts';
import { sharedUnder } from '../agreements.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation, WELCOMING_ROLES } from './referrals.ts';

/**
 * The people who support members one to one: the front-line roles who welcome referrals, and their
 * managers. Administrators, volunteers, bank workers and commissioners do not record or read contacts.
 */
const supports = (actor: Actor) => hasRole(actor, WELCOMING_ROLES);

/** Who may look at another worker's caseload and at everyone's caseload sizes: service managers. */
const CASELOAD_OVERSEERS: readonly StaffRole[] = ['service_manager'];

const oversees = (actor: Actor) => hasRole(actor, CASELOAD_OVERSEERS);

/** The organisation that holds the member, or a partner whose agreement grants contacts and sessions. */
const ownOrSharedContacts = (actor: Actor, member: OrganisationOwned) =>
  ownOrganisation(actor, member) || sharedUnder(actor, member.organisationId, 'contacts_and_sessions');

/**
 * One-to-one contacts with members, their next steps, and workers' caseloads.
 *
 * The organisation that holds the member records and reads their contacts. A partner sees the list and
 * each contact's type, time, mode and workers while an information-sharing agreement grants it
 * contacts, sessions and attendance; no category grants the notes (they are what the member said,
 * which no agreement in SHARING_CATEGORIES covers), so notes stay with the holding organisation's
 * front-line staff. Anyone else finds the member absent (404).
 */
export const contactRules = {
  /** The list of a member's contacts (type, when, who; never notes). */
  'contact.list': { who: supports, which: ownOrSharedContacts } satisfies Rule<OrganisationOwned>,
  /** One contact's page, without its notes unless contact.read_notes also allows. */
  'contact.read': { who: supports, which: ownOrSharedContacts } satisfies Rule<OrganisationOwned>,
  /** The notes of a contact: the holding organisation's front-line staff only. */
  'contact.read_notes': { who: supports, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Record, book, change and record the outcome of contacts; add and tick off next steps. */
  'contact.record': { who: supports, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** The acting worker's own caseload and open next steps. */
  'caseload.read_own': { who: supports } satisfies Rule<never>,
  /** Any worker's caseload in the manager's organisation, and the count per worker. */
  'caseload.read_any': { who: oversees, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
};
