import type { ColumnType, Generated } from 'kysely';

/** The kinds of one-to-one contact a worker has with a member. */
export type ContactType =
  | 'welcome_conversation'
  | 'peer_support'
  | 'check_in_call'
  | 'crisis_support'
  | 'accompanied_appointment'
  | 'follow_up_after_non_attendance'
  | 'signposting_conversation';

/** How the contact was made. */
export type ContactMode = 'in_person' | 'phone' | 'video' | 'text' | 'email';

/** A contact booked for later, one that happened, or a booked one that did not happen. */
export type ContactStatus = 'planned' | 'happened' | 'did_not_happen';

export interface ContactsTable {
  id: string;
  organisation_id: string;
  member_id: string;
  episode_id: string | null;
  contact_type: ContactType;
  mode: ContactMode;
  /** When it happened; for a planned contact, when it is planned for. */
  occurred_at: Date;
  duration_minutes: number | null;
  venue_id: string | null;
  place: string | null;
  status: ContactStatus;
  not_happened_reason: string | null;
  /** Sensitive: every read is audited. */
  notes: string | null;
  submission_key: string | null;
  recorded_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface ContactWorkersTable {
  contact_id: string;
  staff_id: string;
}

export interface ContactNextStepsTable {
  id: string;
  contact_id: string;
  description: string;
  assigned_to: string;
  /** A calendar day, 'YYYY-MM-DD'. */
  due_on: ColumnType<string | null, string | null, string | null>;
  done_at: Date | null;
  done_by: string | null;
  created_at: ColumnType<Date, Date, never>;
  created_by: string;
  version: Generated<number>;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface ContactsTables {
  contacts: ContactsTable;
  contact_workers: ContactWorkersTable;
  contact_next_steps: ContactNextStepsTable;
}
