import type { Db } from '../../database.ts';
import {
  emptyContent,
  PLAN_KINDS,
  type FieldValue,
  type PlanContent,
  type PlanKind,
} from '../../modules/plans/plan-kinds.ts';
import { saveChange, startPlan } from '../../modules/plans/plans.service.ts';
import type { MemberActor, SharingGrant, StaffActor } from '../../policy/index.ts';
import type { Clock, Ctx } from '../../context.ts';
import type { BuiltStaff } from './accounts.ts';

/**
 * A use-case context acting as a member of staff, as a signed-in session would make it.
 *
 * @param db - the test database.
 * @param clock - the test clock.
 * @param staff - who.
 * @param sharing - what agreements grant their organisation.
 * @returns the context.
 */
export function staffCtx(db: Db, clock: Clock, staff: BuiltStaff, sharing: SharingGrant[] = []): Ctx {
  const actor: StaffActor = {
    kind: 'staff',
    id: staff.id,
    organisationId: staff.organisationId,
    hostOrganisation: false,
    roles: staff.roles,
    sharing,
  };
  return { db, clock, actor, origin: { requestId: 'test' } };
}

/**
 * A use-case context acting as a member signed in to the portal.
 *
 * @param db - the test database.
 * @param clock - the test clock.
 * @param member - who.
 * @param member.id - their member record.
 * @param member.organisationId - the organisation holding it.
 * @returns the context.
 */
export function memberCtx(db: Db, clock: Clock, member: { id: string; organisationId: string }): Ctx {
  const actor: MemberActor = { kind: 'member', memberId: member.id, organisationId: member.organisationId };
  return { db, clock, actor, origin: { requestId: 'test' } };
}

/**
 * A plan's content with some parts written (synthetic words), the rest empty.
 *
 * @param kind - the kind of plan.
 * @param fields - the parts to write.
 * @param reviewOn - the review date, if any.
 * @returns the content.
 */
export function planContent(
  kind: PlanKind,
  fields: Record<string, FieldValue> = {},
  reviewOn: string | null = null,
): PlanContent {
  const content = emptyContent(kind);
  const first = PLAN_KINDS[kind].fields.find((f) => f.kind === 'text');
  const written = Object.keys(fields).length > 0 ? fields : first ? { [first.name]: 'Going for a walk' } : {};
  return { fields: { ...content.fields, ...written }, reviewOn };
}

/**
 * Builds a plan the member wrote themselves, with one saved version unless told none.
 *
 * @param db - the test database.
 * @param clock - the test clock.
 * @param member - whose plan.
 * @param member.id - their member record.
 * @param member.organisationId - the organisation holding it.
 * @param kind - the kind of plan.
 * @param fields - the parts to write in the first version (none: an unwritten plan).
 * @returns the plan's id.
 */
export async function buildPlan(
  db: Db,
  clock: Clock,
  member: { id: string; organisationId: string },
  kind: PlanKind,
  fields: Record<string, FieldValue> | null = {},
): Promise<string> {
  const ctx = memberCtx(db, clock, member);
  const planId = await startPlan(ctx, member.id, kind);
  if (fields) {
    await saveChange(ctx, member.id, planId, {
      basedOn: 0,
      content: planContent(kind, fields),
      summary: 'First version',
      how: 'member_edit',
    });
  }
  return planId;
}

/**
 * Sets who may see a plan, straight in the database (the member's choice, made earlier).
 *
 * @param db - the test database.
 * @param planId - the plan.
 * @param sharing - the choices.
 * @param sharing.team - their team may see it.
 * @param sharing.partner - the partner NHS team may see it.
 */
export async function setPlanSharing(
  db: Db,
  planId: string,
  sharing: { team: boolean; partner: boolean },
): Promise<void> {
  await db
    .updateTable('plans')
    .set({ share_with_team: sharing.team, share_with_partner: sharing.partner })
    .where('id', '=', planId)
    .execute();
}
