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
  postcode: Generated<string | null>;
  referrer_name: Generated<string | null>;
  referrer_role: Generated<string | null>;
  referrer_organisation: Generated<string | null>;
  referrer_email: Generated<string | null>;
  referrer_phone: Generated<string | null>;
  /** What the team should know to keep people safe: sensitive, shown only to roles that need it. */
  safety_information: Generated<string | null>;
  /** The member this referral is about, once a worker has linked or created them at triage. */
  member_id: Generated<string | null>;
  /** The episode of support that accepting this referral started. */
  episode_id: Generated<string | null>;
  /** The earlier referral of the same person, when the door stayed open and they came back. */
  previous_referral_id: Generated<string | null>;
  welcome_at: Generated<Date | null>;
  outcome_reason: Generated<string | null>;
  outcome_where: Generated<string | null>;
  closed_at: Generated<Date | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export type ContactAttemptChannel = 'phone' | 'text' | 'email' | 'letter' | 'in_person';
export type ContactAttemptOutcome = 'spoke' | 'no_answer' | 'left_message' | 'sent' | 'wrong_details';

export interface ReferralContactAttemptsTable {
  id: string;
  referral_id: string;
  at: Date;
  channel: ContactAttemptChannel;
  outcome: ContactAttemptOutcome;
  note: string | null;
  staff_id: string;
}

export interface ReferralStatusChangesTable {
  id: string;
  referral_id: string;
  from_status: ReferralStatus;
  to_status: ReferralStatus;
  reason: string | null;
  at: Date;
  staff_id: string;
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
  referral_contact_attempts: ReferralContactAttemptsTable;
  referral_status_changes: ReferralStatusChangesTable;
}
