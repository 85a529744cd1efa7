import type { ReferralSource } from './referrals.tables.ts';

/** Where a referral can come from when someone else makes it, with the words shown on screen. */
export const REFERRAL_SOURCE_LABELS = {
  gp: 'GP',
  community_mental_health_team: 'Community mental health team',
  crisis_team: 'Crisis team',
  hospital_discharge: 'Hospital discharge',
  talking_therapies: 'NHS Talking Therapies',
  voluntary_sector: 'Voluntary sector',
  social_care: 'Social care',
  step_down: 'Step-down from an NHS team',
  other: 'Other',
} as const satisfies Record<Exclude<ReferralSource, 'self'>, string>;

/** Every source, the person themselves first, as the inbox and a referral's page show them. */
export const REFERRAL_SOURCES: Readonly<Record<ReferralSource, string>> = {
  self: 'Referred themselves',
  ...REFERRAL_SOURCE_LABELS,
};
