import { createHash, randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { formatDateTime } from '../../platform/views/filters/format-date.ts';
import {
  authorize,
  can,
  isMember,
  isStaff,
  STAFF_ROLES,
  type Actor,
  type MemberPlansSubject,
  type PlanSubject,
} from '../../policy/index.ts';
import { summaryOfChanges, sameContent } from './plan-compare.ts';
import { emptyContent, PLAN_KIND_ORDER, PLAN_KINDS, type PlanContent, type PlanKind } from './plan-kinds.ts';
import * as repo from './plans.repo.ts';

export type { PlanMember, PlanRow, PlanVersion, Proposal } from './plans.repo.ts';

/** How long a break-glass opening of the crisis view stays open before another reason is needed. */
export const BREAK_GLASS_MINUTES = 60;

type MemberAction = 'plan.list' | 'plan.start' | 'plan.break_glass';
type PlanAction =
  'plan.read' | 'plan.edit' | 'plan.respond' | 'plan.share' | 'plan.propose' | 'plan.record_agreed';

/** A member and who is on their team, once the actor may act on their plans. */
type LoadedMember = { member: repo.PlanMember; subject: MemberPlansSubject };

async function loadMember(db: Db, ctx: Ctx, memberId: string, action: MemberAction): Promise<LoadedMember> {
  authorize(ctx.actor, action);
  const member = await repo.findMember(db, memberId);
  if (!member) {
    throw new NotFound('member.not_found');
  }
  const subject: MemberPlansSubject = {
    memberId: member.id,
    organisationId: member.organisationId,
    teamStaffIds: await repo.teamStaffIds(db, member.id),
  };
  authorize(ctx.actor, action, subject);
  return { member, subject };
}

const planSubject = (plan: repo.PlanRow, teamStaffIds: readonly string[]): PlanSubject => ({
  memberId: plan.memberId,
  organisationId: plan.organisationId,
  teamStaffIds,
  sharingCategory: PLAN_KINDS[plan.kind].sharingCategory,
  shareWithTeam: plan.shareWithTeam,
  shareWithPartner: plan.shareWithPartner,
});

type LoadedPlan = { member: repo.PlanMember; plan: repo.PlanRow; subject: PlanSubject };

async function loadPlan(
  db: Db,
  ctx: Ctx,
  memberId: string,
  planId: string,
  action: PlanAction,
  lock = false,
): Promise<LoadedPlan> {
  authorize(ctx.actor, action);
  const member = await repo.findMember(db, memberId);
  const plan = member && (await repo.findPlan(db, planId, lock));
  if (!member || !plan || plan.memberId !== member.id) {
    throw new NotFound('plan.not_found');
  }
  const subject = planSubject(plan, await repo.teamStaffIds(db, member.id));
  authorize(ctx.actor, action, subject);
  return { member, plan, subject };
}

/** Who saved a version, as the versions list shows them. */
function saverOf(actor: Actor): { kind: 'member' | 'staff'; staffId: string | null; role: string } {
  if (isStaff(actor)) {
    return { kind: 'staff', staffId: actor.id, role: actor.roles.map((r) => STAFF_ROLES[r]).join(', ') };
  }
  if (isMember(actor)) {
    return { kind: 'member', staffId: null, role: 'Member' };
  }
  throw new Forbidden('policy.forbidden');
}

/**
 * A plan's name as its member reads it: a goal goes by its own words.
 *
 * @param kind - the kind of plan.
 * @param content - its current content.
 * @returns the name.
 */
export function planTitle(kind: PlanKind, content: PlanContent): string {
  if (kind === 'goal') {
    const goal = typeof content.fields.goal === 'string' ? content.fields.goal.split('\n')[0]?.trim() : '';
    if (goal) {
      return goal.length > 80 ? `${goal.slice(0, 79)}…` : goal;
    }
  }
  return PLAN_KINDS[kind].title;
}

/**
 * A partner whom the member has shared nothing with learns nothing, not even that the person is known
 * here: the page looks missing (404), as for someone with no agreement at all.
 *
 * @param ctx - the request context.
 * @param member - the member.
 * @param visible - how many plans the actor may see.
 * @throws NotFound for a partner who may see none.
 */
function throwUnlessHolderOrShared(ctx: Ctx, member: MemberPlansSubject, visible: number): void {
  const holder =
    isMember(ctx.actor) || (isStaff(ctx.actor) && ctx.actor.organisationId === member.organisationId);
  if (!holder && visible === 0) {
    throw new NotFound('plan.nothing_shared');
  }
}

/** A plan on its member's list. */
export type PlanSummary = repo.PlanRow & {
  title: string;
  current: repo.PlanVersion | undefined;
  reviewOn: string | null;
  waiting: number;
};

/** A member's plans page. */
export type MemberPlans = {
  member: repo.PlanMember;
  plans: PlanSummary[];
  /** Plans the actor may not see are left out; this says whether any were, for the break-glass offer. */
  mayStart: boolean;
  mayBreakGlass: boolean;
};

/**
 * Lists the member's plans that the actor may see, and records the read.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member and their plans, in the order of the kinds.
 * @throws NotFound when there is no such member the actor may see plans of.
 */
export async function listMemberPlans(ctx: Ctx, memberId: string): Promise<MemberPlans> {
  return ctx.db.transaction().execute(async (tx) => {
    const { member, subject } = await loadMember(tx, ctx, memberId, 'plan.list');
    const rows = (await repo.listPlans(tx, member.id)).filter((plan) =>
      can(ctx.actor, 'plan.read', planSubject(plan, subject.teamStaffIds)),
    );
    const waiting = await repo.waitingProposals(
      tx,
      rows.map((r) => r.id),
    );
    const plans: PlanSummary[] = [];
    for (const row of rows) {
      const current = row.currentVersion ? await repo.findVersion(tx, row.id, row.currentVersion) : undefined;
      const content =
        current?.content ?? waiting.find((p) => p.planId === row.id)?.content ?? emptyContent(row.kind);
      plans.push({
        ...row,
        title: planTitle(row.kind, content),
        current,
        reviewOn: current?.content.reviewOn ?? null,
        waiting: waiting.filter((p) => p.planId === row.id).length,
      });
    }
    throwUnlessHolderOrShared(ctx, subject, plans.length);
    plans.sort((a, b) => PLAN_KIND_ORDER.indexOf(a.kind) - PLAN_KIND_ORDER.indexOf(b.kind));
    await audit(tx, ctx, {
      action: 'plan.list_read',
      subject: { type: 'Member', id: member.id },
      details: { planIds: plans.map((p) => p.id) },
    });
    return {
      member,
      plans,
      mayStart: can(ctx.actor, 'plan.start', subject),
      mayBreakGlass: can(ctx.actor, 'plan.break_glass', subject),
    };
  });
}

/**
 * Starts a plan of a kind for the member, or gives back the one they have (starting twice starts
 * one; for goals, an unwritten goal is reused).
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param kind - the kind of plan.
 * @returns the plan's id.
 * @throws NotFound when the actor may not start plans for this member.
 */
export async function startPlan(ctx: Ctx, memberId: string, kind: PlanKind): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const { member } = await loadMember(tx, ctx, memberId, 'plan.start');
    const existing = await repo.findReusablePlan(tx, member.id, kind, PLAN_KINDS[kind].onePerMember);
    if (existing) {
      return existing;
    }
    const id = randomUUID();
    await repo.insertPlan(
      tx,
      { id, memberId: member.id, organisationId: member.organisationId, kind },
      ctx.clock.now(),
    );
    await audit(tx, ctx, {
      action: 'plan.started',
      subject: { type: 'Plan', id },
      details: { memberId: member.id, kind },
    });
    return id;
  });
}

/** A plan as its page shows it. */
export type PlanView = LoadedPlan & {
  title: string;
  current: repo.PlanVersion | undefined;
  /** The current content, or empty parts when nothing has been saved yet. */
  content: PlanContent;
  waiting: repo.Proposal[];
};

async function planView(tx: Db, ctx: Ctx, loaded: LoadedPlan): Promise<PlanView> {
  const { plan } = loaded;
  const current = plan.currentVersion ? await repo.findVersion(tx, plan.id, plan.currentVersion) : undefined;
  const waiting = await repo.waitingProposals(tx, [plan.id]);
  const content = current?.content ?? emptyContent(plan.kind);
  await audit(tx, ctx, {
    action: 'plan.read',
    subject: { type: 'Plan', id: plan.id },
    details: { memberId: plan.memberId, version: plan.currentVersion },
  });
  return {
    ...loaded,
    title: planTitle(plan.kind, current?.content ?? waiting[0]?.content ?? content),
    current,
    content,
    waiting,
  };
}

/**
 * Opens a plan at its current version, with the proposals waiting for the member, and records the read.
 *
 * @param ctx - the request context.
 * @param memberId - the member (from the address).
 * @param planId - the plan.
 * @param action - what the page is for: reading, or changing (the member) or proposing (a worker).
 * @returns the plan.
 * @throws NotFound when there is no such plan the actor may act on.
 */
export async function viewPlan(
  ctx: Ctx,
  memberId: string,
  planId: string,
  action: 'plan.read' | 'plan.edit' | 'plan.propose' | 'plan.share' = 'plan.read',
): Promise<PlanView> {
  return ctx.db
    .transaction()
    .execute(async (tx) => planView(tx, ctx, await loadPlan(tx, ctx, memberId, planId, action)));
}

/** How a change is saved. */
export type SaveHow = 'member_edit' | 'propose' | 'agreed_in_person';

/** A change to a plan, naming the version it started from. */
export type PlanChange = {
  basedOn: number;
  content: PlanContent;
  summary: string | undefined;
  how: SaveHow;
  /** When the member saves a combined version of a worker's proposal after a conflict. */
  proposalId?: string | undefined;
};

/** What came of a save. */
export type SaveOutcome =
  | { outcome: 'saved'; version: number }
  | { outcome: 'proposed'; proposalId: string }
  /** The double-submitted form: the very same text was already saved on top of where it started. */
  | { outcome: 'already_saved'; version: number }
  /** Someone saved since this change started: nothing was written; the person combines the two. */
  | { outcome: 'conflict'; current: repo.PlanVersion | undefined; yours: PlanContent; basedOn: number };

const ACTION_FOR: Record<SaveHow, PlanAction> = {
  member_edit: 'plan.edit',
  propose: 'plan.propose',
  agreed_in_person: 'plan.record_agreed',
};

/**
 * Saves a change to a plan: the member's own edit applies at once; a worker's is proposed to the
 * member, or recorded as agreed with them in person. The change names the version it started from:
 * when someone has saved since, nothing is written and the conflict comes back with both versions, so
 * no one's edit is ever silently lost. Saves of one plan take turns (row lock).
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param change - the new content, the version it started from, and how it is agreed.
 * @returns saved, proposed, already saved, or the conflict.
 * @throws NotFound when the actor may not make this kind of change to this plan.
 */
export async function saveChange(
  ctx: Ctx,
  memberId: string,
  planId: string,
  change: PlanChange,
): Promise<SaveOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const { plan } = await loadPlan(tx, ctx, memberId, planId, ACTION_FOR[change.how], true);
    const current = plan.currentVersion
      ? await repo.findVersion(tx, plan.id, plan.currentVersion)
      : undefined;
    const before = current?.content ?? emptyContent(plan.kind);
    const saver = saverOf(ctx.actor);
    if (change.basedOn !== plan.currentVersion) {
      // The same person sending the same text twice (a double-submitted form) saved it once already.
      const sameSaver = current?.savedByStaffId === saver.staffId && current?.savedByKind === saver.kind;
      if (
        current &&
        change.how !== 'propose' &&
        sameSaver &&
        current.basedOn === change.basedOn &&
        sameContent(plan.kind, current.content, change.content)
      ) {
        return { outcome: 'already_saved', version: current.number };
      }
      await audit(tx, ctx, {
        action: 'plan.save_refused_stale',
        subject: { type: 'Plan', id: plan.id },
        details: { basedOn: change.basedOn, current: plan.currentVersion },
      });
      return { outcome: 'conflict', current, yours: change.content, basedOn: change.basedOn };
    }
    const summary = change.summary ?? summaryOfChanges(plan.kind, before, change.content);
    const now = ctx.clock.now();
    if (change.how === 'propose') {
      const id = randomUUID();
      await repo.insertProposal(
        tx,
        {
          id,
          planId: plan.id,
          basedOn: plan.currentVersion,
          content: change.content,
          summary,
          proposedBy: saver.staffId ?? '',
          proposerRole: saver.role,
        },
        now,
      );
      await audit(tx, ctx, {
        action: 'plan.change_proposed',
        subject: { type: 'Plan', id: plan.id },
        details: { proposalId: id, basedOn: plan.currentVersion },
      });
      return { outcome: 'proposed', proposalId: id };
    }
    let proposalId: string | null = null;
    if (change.how === 'member_edit' && change.proposalId) {
      const proposal = await repo.findProposal(tx, plan.id, change.proposalId);
      if (proposal?.status === 'waiting') {
        proposalId = proposal.id;
      }
    }
    const number = plan.currentVersion + 1;
    await repo.insertVersion(
      tx,
      {
        planId: plan.id,
        number,
        content: change.content,
        summary,
        savedByKind: saver.kind,
        savedByStaffId: saver.staffId,
        savedByRole: saver.role,
        how: proposalId
          ? 'accepted_proposal'
          : change.how === 'agreed_in_person'
            ? 'agreed_in_person'
            : 'member_edit',
        proposalId,
      },
      now,
    );
    if (proposalId) {
      await repo.decideProposal(tx, proposalId, { status: 'accepted', acceptedAs: number }, now);
    }
    await audit(tx, ctx, {
      action: 'plan.version_saved',
      subject: { type: 'Plan', id: plan.id },
      details: { version: number, how: change.how, proposalId },
    });
    return { outcome: 'saved', version: number };
  });
}

/**
 * Opens a worker's proposal for the member to accept or decline, beside the current version.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param proposalId - the proposal.
 * @returns the plan and the proposal.
 * @throws NotFound when there is no such proposal of the member's own plan.
 */
export async function viewProposal(ctx: Ctx, memberId: string, planId: string, proposalId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const view = await planView(tx, ctx, await loadPlan(tx, ctx, memberId, planId, 'plan.respond'));
    const proposal = await repo.findProposal(tx, planId, proposalId);
    if (!proposal) {
      throw new NotFound('plan.proposal_not_found');
    }
    return { view, proposal };
  });
}

/**
 * The member accepts a worker's proposal: it becomes the next version. When someone saved since the
 * worker started, nothing is written and the conflict comes back, for the member to combine the two.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param proposalId - the proposal.
 * @returns saved, already saved (accepted twice), or the conflict.
 * @throws NotFound when there is no such proposal of the member's own plan.
 * @throws Conflict when the proposal was declined.
 */
export async function acceptProposal(
  ctx: Ctx,
  memberId: string,
  planId: string,
  proposalId: string,
): Promise<SaveOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const { plan } = await loadPlan(tx, ctx, memberId, planId, 'plan.respond', true);
    const proposal = await repo.findProposal(tx, plan.id, proposalId);
    if (!proposal) {
      throw new NotFound('plan.proposal_not_found');
    }
    if (proposal.status === 'accepted') {
      return { outcome: 'already_saved', version: plan.currentVersion };
    }
    if (proposal.status === 'declined') {
      throw new Conflict('plan.proposal_declined');
    }
    const current = plan.currentVersion
      ? await repo.findVersion(tx, plan.id, plan.currentVersion)
      : undefined;
    if (proposal.basedOn !== plan.currentVersion) {
      return { outcome: 'conflict', current, yours: proposal.content, basedOn: proposal.basedOn };
    }
    const number = plan.currentVersion + 1;
    const now = ctx.clock.now();
    await repo.insertVersion(
      tx,
      {
        planId: plan.id,
        number,
        content: proposal.content,
        summary: proposal.summary,
        savedByKind: 'member',
        savedByStaffId: null,
        savedByRole: 'Member',
        how: 'accepted_proposal',
        proposalId: proposal.id,
      },
      now,
    );
    await repo.decideProposal(tx, proposal.id, { status: 'accepted', acceptedAs: number }, now);
    await audit(tx, ctx, {
      action: 'plan.proposal_accepted',
      subject: { type: 'Plan', id: plan.id },
      details: { proposalId: proposal.id, version: number },
    });
    return { outcome: 'saved', version: number };
  });
}

/**
 * The member declines a worker's proposal: the plan stays as it is.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param proposalId - the proposal.
 * @throws NotFound when there is no such proposal of the member's own plan.
 */
export async function declineProposal(
  ctx: Ctx,
  memberId: string,
  planId: string,
  proposalId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const { plan } = await loadPlan(tx, ctx, memberId, planId, 'plan.respond', true);
    const proposal = await repo.findProposal(tx, plan.id, proposalId);
    if (!proposal) {
      throw new NotFound('plan.proposal_not_found');
    }
    if (await repo.decideProposal(tx, proposal.id, { status: 'declined' }, ctx.clock.now())) {
      await audit(tx, ctx, {
        action: 'plan.proposal_declined',
        subject: { type: 'Plan', id: plan.id },
        details: { proposalId: proposal.id },
      });
    }
  });
}

/**
 * Every version of a plan, newest first, and records the read.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @returns the plan and its versions.
 * @throws NotFound when there is no such plan the actor may read.
 */
export async function planHistory(ctx: Ctx, memberId: string, planId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const view = await planView(tx, ctx, await loadPlan(tx, ctx, memberId, planId, 'plan.read'));
    return { view, versions: await repo.listVersions(tx, planId) };
  });
}

/**
 * Two versions of a plan to compare (version 0 is the empty plan before anything was saved).
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param from - the earlier version's number.
 * @param to - the later version's number.
 * @returns the plan, both versions' content and the versions list.
 * @throws NotFound when there is no such plan or version the actor may read.
 */
export async function versionsToCompare(
  ctx: Ctx,
  memberId: string,
  planId: string,
  from: number,
  to: number,
) {
  return ctx.db.transaction().execute(async (tx) => {
    const view = await planView(tx, ctx, await loadPlan(tx, ctx, memberId, planId, 'plan.read'));
    const versions = await repo.listVersions(tx, planId);
    const contentOf = (n: number) =>
      n === 0 ? emptyContent(view.plan.kind) : versions.find((v) => v.number === n)?.content;
    const before = contentOf(from);
    const after = contentOf(to);
    if (!before || !after) {
      throw new NotFound('plan.version_not_found');
    }
    return { view, versions, before, after };
  });
}

/**
 * The member chooses who may see a plan.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param planId - the plan.
 * @param choice - their team, the partner NHS team, and the row version they saw.
 * @param choice.shareWithTeam - their team may see it.
 * @param choice.shareWithPartner - the partner NHS team may see it.
 * @param choice.version - the version of the choices they saw.
 * @throws NotFound when the plan is not the member's own.
 * @throws Conflict when the choices changed since they were loaded.
 */
export async function changeSharing(
  ctx: Ctx,
  memberId: string,
  planId: string,
  choice: { shareWithTeam: boolean; shareWithPartner: boolean; version: number },
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const { plan } = await loadPlan(tx, ctx, memberId, planId, 'plan.share');
    if (!(await repo.updateSharing(tx, plan.id, choice, choice.version, ctx.clock.now()))) {
      throw new Conflict('plan.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'plan.sharing_changed',
      subject: { type: 'Plan', id: plan.id },
      details: { shareWithTeam: choice.shareWithTeam, shareWithPartner: choice.shareWithPartner },
    });
  });
}

/** The one-page crisis view: the Resource and Support Plan and the safety plan, as they are now. */
export type CrisisView = {
  member: repo.PlanMember;
  parts: { kind: PlanKind; title: string; content: PlanContent; current: repo.PlanVersion | undefined }[];
  /** For a break-glass opening: why, and until when. */
  breakGlass?: { reason: string; expiresAt: Date };
};

async function crisisParts(tx: Db, memberId: string, include: (plan: repo.PlanRow) => boolean) {
  const parts: CrisisView['parts'] = [];
  for (const plan of await repo.listPlans(tx, memberId)) {
    if (!PLAN_KINDS[plan.kind].inCrisisView || !include(plan)) {
      continue;
    }
    const current = plan.currentVersion
      ? await repo.findVersion(tx, plan.id, plan.currentVersion)
      : undefined;
    if (current) {
      parts.push({ kind: plan.kind, title: PLAN_KINDS[plan.kind].title, content: current.content, current });
    }
  }
  return parts.sort((a, b) => PLAN_KIND_ORDER.indexOf(a.kind) - PLAN_KIND_ORDER.indexOf(b.kind));
}

/**
 * The crisis view of what the actor may already read (their team, or the partner team it is shared
 * with), and whether they may open the rest by break-glass.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the view and the break-glass offer.
 * @throws NotFound when the actor may not see this member's plans at all.
 */
export async function crisisView(
  ctx: Ctx,
  memberId: string,
): Promise<CrisisView & { mayBreakGlass: boolean }> {
  return ctx.db.transaction().execute(async (tx) => {
    const { member, subject } = await loadMember(tx, ctx, memberId, 'plan.list');
    const parts = await crisisParts(tx, member.id, (plan) =>
      can(ctx.actor, 'plan.read', planSubject(plan, subject.teamStaffIds)),
    );
    throwUnlessHolderOrShared(ctx, subject, parts.length);
    // Someone shown none of the plans (a worker not on the team, offered break-glass) still saw whose
    // crisis page it is: that is a look at the record, told to the member as what it was.
    await audit(tx, ctx, {
      action: parts.length === 0 ? 'plan.crisis_page_read' : 'plan.crisis_view_read',
      subject: { type: 'Member', id: member.id },
      details: { kinds: parts.map((p) => p.kind) },
    });
    return { member, parts, mayBreakGlass: can(ctx.actor, 'plan.break_glass', subject) };
  });
}

/**
 * Break-glass: an on-duty worker of the holding organisation who is not on the member's team opens
 * their crisis view, giving a reason. The reason is kept with the opening (a row never changed), the
 * audit trail records the opening with a hash of the reason (the audit trail holds no free text, and
 * the hash shows the reason was not altered later), and the member is told.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param reason - why, in the worker's words (checked by the form: at least 10 characters).
 * @returns the opening's id, for the view's address.
 * @throws NotFound when the actor may not break glass for this member.
 */
export async function openCrisisViewByBreakGlass(
  ctx: Ctx,
  memberId: string,
  reason: string,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const { member } = await loadMember(tx, ctx, memberId, 'plan.break_glass');
    if (!isStaff(ctx.actor)) {
      throw new Forbidden('policy.forbidden');
    }
    const now = ctx.clock.now();
    const id = randomUUID();
    await repo.insertBreakGlass(
      tx,
      {
        id,
        memberId: member.id,
        staffId: ctx.actor.id,
        reason,
        expiresAt: new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000),
      },
      now,
    );
    const who = await repo.staffAndOrganisation(tx, ctx.actor.id);
    const role = ctx.actor.roles.map((r) => STAFF_ROLES[r].toLowerCase()).join(', ');
    // Role and organisation, not the worker's name: the member's "who has looked" page never names
    // staff (many are lone-working peer workers), and this notice is shown there.
    await repo.insertNotice(
      tx,
      {
        id: randomUUID(),
        memberId: member.id,
        kind: 'crisis_view_opened',
        text: `On ${formatDateTime(now)}, someone (${role}, ${who.organisationName}) opened your crisis plan without being on your team. The reason they gave: ${reason}`,
      },
      now,
    );
    await audit(tx, ctx, {
      action: 'plan.break_glass_opened',
      subject: { type: 'Member', id: member.id },
      details: { breakGlassId: id, reasonSha256: createHash('sha256').update(reason).digest('hex') },
    });
    return id;
  });
}

/**
 * The crisis view opened by break-glass, while the opening lasts; every look is recorded.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param accessId - the break-glass opening.
 * @returns the view, with the reason and when it closes.
 * @throws NotFound when the opening is not this person's, not this member's, or has closed.
 */
export async function crisisViewByBreakGlass(
  ctx: Ctx,
  memberId: string,
  accessId: string,
): Promise<CrisisView> {
  return ctx.db.transaction().execute(async (tx) => {
    const { member } = await loadMember(tx, ctx, memberId, 'plan.break_glass');
    const access = isStaff(ctx.actor)
      ? await repo.findOpenBreakGlass(tx, accessId, member.id, ctx.actor.id, ctx.clock.now())
      : undefined;
    if (!access) {
      throw new NotFound('plan.break_glass_not_open');
    }
    const parts = await crisisParts(tx, member.id, () => true);
    await audit(tx, ctx, {
      action: 'plan.crisis_view_read',
      subject: { type: 'Member', id: member.id },
      details: { kinds: parts.map((p) => p.kind), breakGlassId: access.id },
    });
    return { member, parts, breakGlass: { reason: access.reason, expiresAt: access.expiresAt } };
  });
}

/**
 * What the signed-in member has been told (that someone opened their crisis view, and why), newest
 * first. For the member portal.
 *
 * @param ctx - the request context, acting as a member.
 * @returns the notices.
 * @throws Forbidden for anyone but a member.
 */
export async function listMemberNotices(ctx: Ctx) {
  authorize(ctx.actor, 'plan.notices');
  if (!isMember(ctx.actor)) {
    throw new Forbidden('policy.forbidden');
  }
  return repo.listNotices(ctx.db, ctx.actor.memberId);
}

/**
 * Whether the actor may propose changes to a plan they are looking at (to offer the link).
 *
 * @param actor - who is acting.
 * @param view - the plan, as loaded for its page.
 * @returns true for a worker on the member's team, when the plan is shared with the team.
 */
export function mayPropose(actor: Actor, view: PlanView): boolean {
  return can(actor, 'plan.propose', view.subject);
}
