import { hasRole, type Actor } from '../actors.ts';
import { sharedUnder } from '../agreements.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation, WELCOMING_ROLES } from './referrals.ts';

const supports = (actor: Actor) => hasRole(actor, WELCOMING_ROLES);

/**
 * Members (the people the service supports), the people around them, their consent choices, their
 * episodes of support and the follow-up of non-engagement.
 *
 * The organisation that holds a member's record sees and keeps it. A partner sees a member's details
 * only while an agreement grants it personal and contact details, and changes nothing; without one,
 * the record looks absent (404). Commissioners, administrators, volunteers and bank workers see no
 * one's record here.
 */
export const memberRules = {
  'member.list': { who: supports } satisfies Rule<never>,
  'member.read': {
    who: supports,
    which: (actor: Actor, member: OrganisationOwned) =>
      ownOrganisation(actor, member) || sharedUnder(actor, member.organisationId, 'member_details'),
  } satisfies Rule<OrganisationOwned>,
  /** Details, communication needs, equality monitoring, people around them, consent choices. */
  'member.edit': { who: supports, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** Start, review, change key workers and discharge an episode of support. */
  'episode.manage': { who: supports, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** The non-engagement worklist and its follow-up ladder. */
  'engagement.list': { who: supports } satisfies Rule<never>,
  'engagement.follow_up': { who: supports, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
};
