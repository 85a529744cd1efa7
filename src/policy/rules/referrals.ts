import { hasRole, type Actor, type StaffRole } from '../actors.ts';
import { sharedUnder } from '../agreements.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';

/** The people who welcome new referrals: front-line workers and their managers, not commissioners. */
export const WELCOMING_ROLES: readonly StaffRole[] = [
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

/** Staff of the organisation that holds the record. */
export const ownOrganisation = (actor: Actor, record: OrganisationOwned) =>
  actor.kind === 'staff' && actor.organisationId === record.organisationId;

/**
 * Referrals. Anyone may refer themselves, with no account: the front door has no wrong way in ("no
 * wrong door"). A referral is seen by the organisation that holds it, and by a partner only while an
 * information-sharing agreement grants it referrals. Only the holding organisation triages it: a
 * partner reading it under an agreement sees, but does not decide.
 */
export const referralRules = {
  /** The public self-referral journey at /refer: start, answer, save and resume, send. */
  'referral.submit': { who: () => true } satisfies Rule<never>,
  /** The public professional referral form at /refer/professional: a GP or partner refers someone. */
  'referral.submit_professional': { who: () => true } satisfies Rule<never>,
  'referral.list': { who: welcomes } satisfies Rule<never>,
  'referral.read': {
    who: welcomes,
    which: (actor: Actor, referral: OrganisationOwned) =>
      ownOrganisation(actor, referral) || sharedUnder(actor, referral.organisationId, 'referrals'),
  } satisfies Rule<OrganisationOwned>,
  /**
   * What a referrer said the team should know to keep people safe: only the holding organisation's
   * welcoming staff, or a partner granted safeguarding concerns under an agreement.
   */
  'referral.read_safety_information': {
    who: welcomes,
    which: (actor: Actor, referral: OrganisationOwned) =>
      ownOrganisation(actor, referral) || sharedUnder(actor, referral.organisationId, 'safeguarding'),
  } satisfies Rule<OrganisationOwned>,
  /** Log contact attempts, book the welcome, check for duplicates, link a person, close with a reason. */
  'referral.triage': { who: welcomes, which: ownOrganisation } satisfies Rule<OrganisationOwned>,
};
