import type { Rule } from '../rule.ts';

/**
 * Referrals. Anyone may refer themselves, with no account: the front door has no wrong way in
 * ("no wrong door"). What they send is seen only by the organisation that holds it (rules to come with triage).
 */
export const referralRules = {
  /** The public self-referral journey at /refer: start, answer, save and resume, send. */
  'referral.submit': { who: () => true },
} satisfies Record<string, Rule<never>>;
