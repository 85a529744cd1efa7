import type { ColumnType, Generated } from 'kysely';
import type { ReferralStatus } from './referral-status.ts';

/** Where a referral came from: the person themselves, or a referrer on their behalf. */
export type ReferralSource =
  | 'self'
  | 'gp'
  | 'community_mental_health_team'
  | 'crisis_team'
  | 'hospital_discharge'
  | 'talking_therapies'
  | 'voluntary_sector'
  | 'social_care'
  | 'step_down'
  | 'other';

export interface ReferralsTable {
  id: string;
  reference: string;
  service_id: string | null;
  organisation_id: string;
  source: ReferralSource;
  status: Generated<ReferralStatus>;
  received_at: Date;
  /** A calendar day, 'YYYY-MM-DD'. */
  first_contact_due: string;
  name: string;
  preferred_name: string | null;
  date_of_birth: string | null;
  email: string | null;
  phone: string | null;
  postal_address: string | null;
  contact_methods: string[];
  safe_to_leave_message: boolean | null;
  best_times: string | null;
  communication_needs: string[];
  preferred_language: string | null;
  communication_needs_other: string | null;
  nhs_number: string | null;
  gp_practice: string | null;
  own_words: string;
  hopes: string;
  consent_to_referral: boolean;
  consent_to_contact: boolean;
  submission_key: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface ReferralDraftsTable {
  id: string;
  code_hash: string | null;
  /** What the person has typed so far, page by page, as typed: checked again before it is sent. */
  answers: ColumnType<Record<string, unknown>, string, string>;
  expires_at: Date;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface ReferralsTables {
  referrals: ReferralsTable;
  referral_drafts: ReferralDraftsTable;
}
