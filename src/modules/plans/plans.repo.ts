import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { MemberName } from '../members/index.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { PlanContent, PlanKind } from './plan-kinds.ts';
import type { PlanVersionHow, ProposalStatus } from './plans.tables.ts';

/** A member as this module's pages name them (the members module finds them). */
export type PlanMember = MemberName;

export { findMemberName as findMember } from '../members/index.ts';

/**
 * The member's team: the key workers on their active episodes of support.
 *
 * @param db - any connection.
 * @param memberId - the member.
 * @returns the staff ids.
 */
export async function teamStaffIds(db: Db, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('episode_key_workers')
    .innerJoin('episodes', 'episodes.id', 'episode_key_workers.episode_id')
    .select('episode_key_workers.staff_id')
    .distinct()
    .where('episodes.member_id', '=', memberId)
    .where('episodes.status', '=', 'active')
    .execute();
  return rows.map((r) => r.staff_id);
}

/** A plan without its text. */
export type PlanRow = {
  id: string;
  memberId: string;
  organisationId: string;
  kind: PlanKind;
  currentVersion: number;
  shareWithTeam: boolean;
  shareWithPartner: boolean;
  version: number;
  createdAt: Date;
};

const planColumns = [
  'plans.id',
  'plans.member_id as memberId',
  'plans.organisation_id as organisationId',
  'plans.kind',
  'plans.current_version as currentVersion',
  'plans.share_with_team as shareWithTeam',
  'plans.share_with_partner as shareWithPartner',
  'plans.version',
  'plans.created_at as createdAt',
] as const;

/**
 * Finds a plan, optionally locking it for the rest of the transaction, so two saves take turns.
 *
 * @param db - any connection, or the saving transaction.
 * @param planId - the plan (anything that is not a UUID is not found).
 * @param lock - take a row lock (FOR UPDATE).
 * @returns the plan, or undefined.
 */
export async function findPlan(db: Db, planId: string, lock = false): Promise<PlanRow | undefined> {
  if (!isUuid(planId)) {
    return undefined;
  }
  const query = db.selectFrom('plans').select(planColumns).where('plans.id', '=', planId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Lists a member's plans, in the order they were started.
 *
 * @param db - any connection.
 * @param memberId - the member.
 * @returns the plans.
 */
export function listPlans(db: Db, memberId: string): Promise<PlanRow[]> {
  return db
    .selectFrom('plans')
    .select(planColumns)
    .where('plans.member_id', '=', memberId)
    .orderBy('plans.created_at')
    .orderBy('plans.id')
    .execute();
}

/**
 * An unwritten plan of this kind, to reuse rather than start another (starting twice starts one).
 *
 * @param db - the transaction.
 * @param memberId - the member.
 * @param kind - the kind.
 * @param onePerMember - whether any plan of the kind counts, or only an unwritten one.
 * @returns the plan's id, or undefined.
 */
export async function findReusablePlan(
  db: Db,
  memberId: string,
  kind: PlanKind,
  onePerMember: boolean,
): Promise<string | undefined> {
  let query = db.selectFrom('plans').select('id').where('member_id', '=', memberId).where('kind', '=', kind);
  if (!onePerMember) {
    query = query
      .where('current_version', '=', 0)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('plan_proposals').select('id').whereRef('plan_id', '=', 'plans.id'))),
      );
  }
  return (await query.executeTakeFirst())?.id;
}

/**
 * Inserts a new, unwritten plan, shared with the member's team and no one else.
 *
 * @param db - the transaction.
 * @param plan - the plan.
 * @param plan.id - its id.
 * @param plan.memberId - whose it is.
 * @param plan.organisationId - the organisation holding the member's record.
 * @param plan.kind - the kind.
 * @param now - the time.
 */
export async function insertPlan(
  db: Db,
  plan: { id: string; memberId: string; organisationId: string; kind: PlanKind },
  now: Date,
): Promise<void> {
  await db
    .insertInto('plans')
    .values({
      id: plan.id,
      member_id: plan.memberId,
      organisation_id: plan.organisationId,
      kind: plan.kind,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** A saved version of a plan, with who saved it. */
export type PlanVersion = {
  number: number;
  basedOn: number;
  content: PlanContent;
  summary: string;
  savedByKind: 'member' | 'staff';
  savedByStaffId: string | null;
  savedByName: string | null;
  savedByRole: string;
  how: PlanVersionHow;
  proposedByName: string | null;
  proposerRole: string | null;
  createdAt: Date;
};

function versionsQuery(db: Db, planId: string) {
  return db
    .selectFrom('plan_versions as v')
    .leftJoin('staff as saver', 'saver.id', 'v.saved_by_staff_id')
    .leftJoin('plan_proposals as p', 'p.id', 'v.proposal_id')
    .leftJoin('staff as proposer', 'proposer.id', 'p.proposed_by')
    .select([
      'v.number',
      'v.based_on as basedOn',
      'v.content',
      'v.summary',
      'v.saved_by_kind as savedByKind',
      'v.saved_by_staff_id as savedByStaffId',
      'saver.full_name as savedByName',
      'v.saved_by_role as savedByRole',
      'v.how',
      'proposer.full_name as proposedByName',
      'p.proposer_role as proposerRole',
      'v.created_at as createdAt',
    ])
    .where('v.plan_id', '=', planId);
}

/**
 * One version of a plan.
 *
 * @param db - any connection.
 * @param planId - the plan.
 * @param number - the version's number.
 * @returns the version, or undefined.
 */
export function findVersion(db: Db, planId: string, number: number): Promise<PlanVersion | undefined> {
  return versionsQuery(db, planId).where('v.number', '=', number).executeTakeFirst();
}

/**
 * Every version of a plan, newest first.
 *
 * @param db - any connection.
 * @param planId - the plan.
 * @returns the versions.
 */
export function listVersions(db: Db, planId: string): Promise<PlanVersion[]> {
  return versionsQuery(db, planId).orderBy('v.number', 'desc').execute();
}

/** A new version, as the saving use case writes it. */
export type NewVersion = {
  planId: string;
  number: number;
  content: PlanContent;
  summary: string;
  savedByKind: 'member' | 'staff';
  savedByStaffId: string | null;
  savedByRole: string;
  how: PlanVersionHow;
  proposalId: string | null;
};

/**
 * Adds a version and makes it the plan's current one. The caller holds the plan's row lock and has
 * checked the save started from the current version; the primary key (plan, number) refuses a second
 * version with the same number all the same.
 *
 * @param db - the transaction.
 * @param version - the version.
 * @param now - the time.
 */
export async function insertVersion(db: Db, version: NewVersion, now: Date): Promise<void> {
  await db
    .insertInto('plan_versions')
    .values({
      plan_id: version.planId,
      number: version.number,
      based_on: version.number - 1,
      content: JSON.stringify(version.content),
      summary: version.summary,
      saved_by_kind: version.savedByKind,
      saved_by_staff_id: version.savedByStaffId,
      saved_by_role: version.savedByRole,
      how: version.how,
      proposal_id: version.proposalId,
      created_at: now,
    })
    .execute();
  await db
    .updateTable('plans')
    .set({ current_version: version.number, updated_at: now })
    .where('id', '=', version.planId)
    .where('current_version', '=', version.number - 1)
    .executeTakeFirstOrThrow();
}

/** A worker's proposed change. */
export type Proposal = {
  id: string;
  planId: string;
  basedOn: number;
  content: PlanContent;
  summary: string;
  proposedBy: string;
  proposedByName: string;
  proposerRole: string;
  proposedAt: Date;
  status: ProposalStatus;
};

function proposalsQuery(db: Db) {
  return db
    .selectFrom('plan_proposals as p')
    .innerJoin('staff', 'staff.id', 'p.proposed_by')
    .select([
      'p.id',
      'p.plan_id as planId',
      'p.based_on as basedOn',
      'p.content',
      'p.summary',
      'p.proposed_by as proposedBy',
      'staff.full_name as proposedByName',
      'p.proposer_role as proposerRole',
      'p.proposed_at as proposedAt',
      'p.status',
    ]);
}

/**
 * A proposal of a plan, optionally locked.
 *
 * @param db - any connection.
 * @param planId - the plan.
 * @param proposalId - the proposal (anything that is not a UUID is not found).
 * @returns the proposal, or undefined.
 */
export async function findProposal(
  db: Db,
  planId: string,
  proposalId: string,
): Promise<Proposal | undefined> {
  if (!isUuid(proposalId)) {
    return undefined;
  }
  return proposalsQuery(db).where('p.id', '=', proposalId).where('p.plan_id', '=', planId).executeTakeFirst();
}

/**
 * The proposals waiting for the member, oldest first.
 *
 * @param db - any connection.
 * @param planIds - the plans.
 * @returns the proposals.
 */
export async function waitingProposals(db: Db, planIds: string[]): Promise<Proposal[]> {
  if (planIds.length === 0) {
    return [];
  }
  return proposalsQuery(db)
    .where('p.plan_id', 'in', planIds)
    .where('p.status', '=', 'waiting')
    .orderBy('p.proposed_at')
    .execute();
}

/**
 * Records a proposed change.
 *
 * @param db - the transaction.
 * @param proposal - the proposal.
 * @param now - the time.
 */
export async function insertProposal(
  db: Db,
  proposal: Pick<
    Proposal,
    'id' | 'planId' | 'basedOn' | 'content' | 'summary' | 'proposedBy' | 'proposerRole'
  >,
  now: Date,
): Promise<void> {
  await db
    .insertInto('plan_proposals')
    .values({
      id: proposal.id,
      plan_id: proposal.planId,
      based_on: proposal.basedOn,
      content: JSON.stringify(proposal.content),
      summary: proposal.summary,
      proposed_by: proposal.proposedBy,
      proposer_role: proposal.proposerRole,
      proposed_at: now,
    })
    .execute();
}

/**
 * Closes a waiting proposal as accepted (as a version) or declined.
 *
 * @param db - the transaction.
 * @param proposalId - the proposal.
 * @param decision - accepted as a version number, or declined.
 * @param now - the time.
 * @returns true when it was still waiting.
 */
export async function decideProposal(
  db: Db,
  proposalId: string,
  decision: { status: 'accepted'; acceptedAs: number } | { status: 'declined' },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('plan_proposals')
    .set({
      status: decision.status,
      decided_at: now,
      accepted_as: decision.status === 'accepted' ? decision.acceptedAs : null,
    })
    .where('id', '=', proposalId)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Changes who the member shares a plan with, if the plan's row is still at the version they saw.
 *
 * @param db - the transaction.
 * @param planId - the plan.
 * @param sharing - the choices.
 * @param sharing.shareWithTeam - their team may see it.
 * @param sharing.shareWithPartner - the partner NHS team may see it.
 * @param expectedVersion - the row version the member saw.
 * @param now - the time.
 * @returns true when changed; false when stale.
 */
export async function updateSharing(
  db: Db,
  planId: string,
  sharing: { shareWithTeam: boolean; shareWithPartner: boolean },
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('plans')
    .set({
      share_with_team: sharing.shareWithTeam,
      share_with_partner: sharing.shareWithPartner,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', planId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records that someone opened the crisis view without being on the team.
 *
 * @param db - the transaction.
 * @param access - who, whose, why, and until when the view stays open to them.
 * @param access.id - the access's id.
 * @param access.memberId - whose crisis view.
 * @param access.staffId - who opened it.
 * @param access.reason - why, in their words.
 * @param access.expiresAt - when it closes.
 * @param now - the time.
 */
export async function insertBreakGlass(
  db: Db,
  access: { id: string; memberId: string; staffId: string; reason: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db
    .insertInto('plan_break_glass')
    .values({
      id: access.id,
      member_id: access.memberId,
      staff_id: access.staffId,
      reason: access.reason,
      opened_at: now,
      expires_at: access.expiresAt,
    })
    .execute();
}

/**
 * A break-glass access of this member of staff to this member that is still open.
 *
 * @param db - any connection.
 * @param accessId - the access (anything that is not a UUID is not found).
 * @param memberId - the member.
 * @param staffId - the member of staff.
 * @param now - the time.
 * @returns the access, or undefined.
 */
export async function findOpenBreakGlass(
  db: Db,
  accessId: string,
  memberId: string,
  staffId: string,
  now: Date,
): Promise<{ id: string; reason: string; openedAt: Date; expiresAt: Date } | undefined> {
  if (!isUuid(accessId)) {
    return undefined;
  }
  return db
    .selectFrom('plan_break_glass')
    .select(['id', 'reason', 'opened_at as openedAt', 'expires_at as expiresAt'])
    .where('id', '=', accessId)
    .where('member_id', '=', memberId)
    .where('staff_id', '=', staffId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * Tells the member something (shown in their portal).
 *
 * @param db - the transaction.
 * @param notice - the notice.
 * @param notice.id - its id.
 * @param notice.memberId - who to tell.
 * @param notice.kind - what about.
 * @param notice.text - what to say.
 * @param now - the time.
 */
export async function insertNotice(
  db: Db,
  notice: { id: string; memberId: string; kind: 'crisis_view_opened'; text: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('member_notices')
    .values({
      id: notice.id,
      member_id: notice.memberId,
      kind: notice.kind,
      text: notice.text,
      created_at: now,
    })
    .execute();
}

/**
 * The member's notices, newest first.
 *
 * @param db - any connection.
 * @param memberId - the member.
 * @returns the notices.
 */
export function listNotices(db: Db, memberId: string) {
  return db
    .selectFrom('member_notices')
    .select(['id', 'kind', 'text', 'created_at as createdAt', 'seen_at as seenAt'])
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * The name of a member of staff, for a notice or a page.
 *
 * @param db - any connection.
 * @param staffId - the member of staff.
 * @returns their name and their organisation's name.
 */
export async function staffAndOrganisation(db: Db, staffId: string) {
  return db
    .selectFrom('staff')
    .innerJoin('organisations', 'organisations.id', 'staff.organisation_id')
    .select(['staff.full_name as name', 'organisations.name as organisationName'])
    .where('staff.id', '=', staffId)
    .executeTakeFirstOrThrow();
}
