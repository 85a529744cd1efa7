import type { ColumnType, Generated } from 'kysely';

/** How a member likes to be contacted, as on the self-referral form. */
export type ContactMethod = 'phone' | 'text' | 'email' | 'letter';

/** Accessible Information Standard needs the service records, and acts on for every contact. */
export type CommunicationNeed =
  'large_print' | 'easy_read' | 'bsl_interpreter' | 'another_language' | 'phone_first' | 'other';

export interface MembersTable {
  id: string;
  organisation_id: string;
  legal_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  /** A calendar day, 'YYYY-MM-DD'. */
  date_of_birth: string | null;
  email: string | null;
  phone: string | null;
  postal_address: string | null;
  /** In Royal Mail's printed form, e.g. 'SW1A 1AA'. */
  postcode: string | null;
  nhs_number: string | null;
  gp_practice: string | null;
  contact_methods: ContactMethod[];
  safe_to_leave_message: boolean | null;
  best_times: string | null;
  communication_needs: CommunicationNeed[];
  preferred_language: string | null;
  communication_needs_other: string | null;
  emergency_contact_name: string | null;
  emergency_contact_phone: string | null;
  emergency_contact_relationship: string | null;
  /** NHS Data Dictionary ethnic category code; 'Z' is "prefer not to say", null is not asked. */
  ethnic_category: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface MemberPeopleTable {
  id: string;
  member_id: string;
  name: string;
  relationship: string;
  is_carer: Generated<boolean>;
  phone: string | null;
  email: string | null;
  may_contact: Generated<boolean>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface MemberConsentsTable {
  id: string;
  member_id: string;
  about: string;
  with_whom: string;
  given: boolean;
  recorded_at: Date;
  recorded_by: string;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
}

export type EpisodeStatus = 'active' | 'discharged';

export interface EpisodesTable {
  id: string;
  member_id: string;
  organisation_id: string;
  service_id: string | null;
  status: Generated<EpisodeStatus>;
  started_on: string;
  anticipated_end_on: string | null;
  review_on: string | null;
  discharged_on: string | null;
  discharge_reason: string | null;
  /** The discharged episode this one carries on from, when the person came back within the door-open period. */
  continues_episode_id: Generated<string | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface EpisodeKeyWorkersTable {
  episode_id: string;
  staff_id: string;
}

export type FollowUpStep = 'call' | 'text' | 'letter' | 'review';
export type FollowUpOutcome = 'spoke' | 'no_answer' | 'left_message' | 'sent' | 'reviewed';

export interface EngagementFollowUpsTable {
  id: string;
  episode_id: string;
  step: FollowUpStep;
  outcome: FollowUpOutcome;
  note: string | null;
  at: Date;
  staff_id: string;
}

/** A view: each active episode's last time the person was in touch (see migration 0006). */
export interface EpisodeEngagementView {
  episode_id: ColumnType<string, never, never>;
  member_id: ColumnType<string, never, never>;
  organisation_id: ColumnType<string, never, never>;
  service_id: ColumnType<string | null, never, never>;
  started_on: ColumnType<string, never, never>;
  last_engaged_at: ColumnType<Date, never, never>;
}

export interface MembersTables {
  members: MembersTable;
  member_people: MemberPeopleTable;
  member_consents: MemberConsentsTable;
  episodes: EpisodesTable;
  episode_key_workers: EpisodeKeyWorkersTable;
  engagement_follow_ups: EngagementFollowUpsTable;
  episode_engagement: EpisodeEngagementView;
}
