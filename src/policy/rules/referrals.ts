import { hasRole, type Actor, type StaffRole } from '../actors.ts';
import { sharedUnder } from '../agreements.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';

/** The people who welcome new referrals: front-line workers and their managers, not commissioners. */
const WELCOMING_ROLES: readonly StaffRole[] = [
  'peer_support_worker',
  'senior_peer_support_worker',
  'lived_experience_practitioner',
  'advanced_lived_experience_practitioner',
  'clinical_facilitator',
  'psychological_wellbeing_practitioner',
  'community_connector',
  'care_coordinator',
  'social_prescribing_link_worker',
  'service_manager',
  'safeguarding_lead',
];

const welcomes = (actor: Actor) => hasRole(actor, WELCOMING_ROLES);

/**
 * Referrals. Anyone may refer themselves, with no account: the front door has no wrong way in ("no
 * wrong door"). A referral is seen by the organisation that holds it, and by a partner only while an
 * information-sharing agreement grants it referrals.
 */
export const referralRules = {
  /** The public self-referral journey at /refer: start, answer, save and resume, send. */
  'referral.submit': { who: () => true } satisfies Rule<never>,
  'referral.list': { who: welcomes } satisfies Rule<never>,
  'referral.read': {
    who: welcomes,
    which: (actor: Actor, referral: OrganisationOwned) =>
      (actor.kind === 'staff' && actor.organisationId === referral.organisationId) ||
      sharedUnder(actor, referral.organisationId, 'referrals'),
  } satisfies Rule<OrganisationOwned>,
};
