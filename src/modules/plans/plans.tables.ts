import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { PlanContent, PlanKind } from './plan-kinds.ts';

export type PlanVersionHow = 'member_edit' | 'accepted_proposal' | 'agreed_in_person';
export type ProposalStatus = 'waiting' | 'accepted' | 'declined';

export interface PlansTable {
  id: string;
  member_id: string;
  organisation_id: string;
  kind: PlanKind;
  /** The number of the current version; 0 until the first is saved. */
  current_version: Generated<number>;
  share_with_team: Generated<boolean>;
  share_with_partner: Generated<boolean>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  /** The row's own version, for the sharing choices (the plan's text is versioned in plan_versions). */
  version: Generated<number>;
}

/** Every saved version of a plan, kept as saved (the database refuses changes and deletions). */
export interface PlanVersionsTable {
  plan_id: string;
  number: number;
  based_on: number;
  content: JSONColumnType<PlanContent>;
  summary: string;
  saved_by_kind: 'member' | 'staff';
  saved_by_staff_id: string | null;
  saved_by_role: string;
  how: PlanVersionHow;
  proposal_id: string | null;
  created_at: Date;
}

export interface PlanProposalsTable {
  id: string;
  plan_id: string;
  based_on: number;
  content: JSONColumnType<PlanContent>;
  summary: string;
  proposed_by: string;
  proposer_role: string;
  proposed_at: Date;
  status: Generated<ProposalStatus>;
  decided_at: Date | null;
  accepted_as: number | null;
}

export interface PlanBreakGlassTable {
  id: string;
  member_id: string;
  staff_id: string;
  reason: string;
  opened_at: Date;
  expires_at: Date;
}

export interface MemberNoticesTable {
  id: string;
  member_id: string;
  kind: 'crisis_view_opened';
  text: string;
  created_at: Date;
  seen_at: Date | null;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface PlansTables {
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  plan_proposals: PlanProposalsTable;
  plan_break_glass: PlanBreakGlassTable;
  member_notices: MemberNoticesTable;
}
