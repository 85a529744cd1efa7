import { hasRole, isMember, type Actor, type StaffRole } from '../actors.ts';
import { sharedUnder, type SharingCategory } from '../agreements.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation, WELCOMING_ROLES } from './referrals.ts';

/**
 * Plans the member owns (Resource and Support Plan, safety plan, goals, advance statement, network
 * map). The member decides who sees each plan:
 *
 * - **their team**: the key workers on the member's active episodes of support, and the service
 *   managers of the organisation that holds the record (who assign key workers and cover for them).
 *   Not every front-line worker of the organisation: a worker who is not supporting this person has no
 *   need to read their plan, and for a crisis they have break-glass access instead (below). On by
 *   default, because the plan is written with the team and held centrally so the team can support the
 *   person heading into crisis (shared/DESIGN.md section 1, SUN model).
 * - **the partner NHS team**: staff of a partner organisation whose information-sharing agreement
 *   grants 'support_plans' (for the Resource and Support Plan, goals, advance statement, network map)
 *   or 'crisis_plans' (for the safety plan). Off unless the member turns it on; partners read only.
 * - nobody else.
 *
 * The member changes their own plans directly. A worker on the team proposes a change, which the
 * member accepts or declines, or records one as agreed with the member in person. Break-glass: a
 * front-line worker of the holding organisation who is not on the team may open the one-page crisis
 * view, only by giving a reason; it is audited and the member is told.
 *
 * Anything outside these answers 404, exactly like a plan that does not exist.
 */

/** A member's plans as a whole: whose they are, and who is on their team. */
export type MemberPlansSubject = OrganisationOwned & {
  memberId: string;
  /** Staff ids of the key workers on the member's active episodes. */
  teamStaffIds: readonly string[];
};

/** One plan, with what it takes to see it. */
export type PlanSubject = MemberPlansSubject & {
  sharingCategory: SharingCategory;
  shareWithTeam: boolean;
  shareWithPartner: boolean;
};

/** Front-line roles: the people who support members. Commissioners, administrators, volunteers and bank workers see no plans. */
const FRONT_LINE: readonly StaffRole[] = WELCOMING_ROLES;

/** Service managers are on every member's team in their organisation. */
const ALWAYS_ON_TEAM: readonly StaffRole[] = ['service_manager'];

const frontLine = (actor: Actor) => hasRole(actor, FRONT_LINE);
const frontLineOrMember = (actor: Actor) => isMember(actor) || frontLine(actor);

/** The member themself, on their own record. */
export const isSelf = (actor: Actor, subject: MemberPlansSubject) =>
  isMember(actor) && actor.memberId === subject.memberId && actor.organisationId === subject.organisationId;

/** On the member's team: a key worker on an active episode, or a service manager, of the holding organisation. */
export const onTeam = (actor: Actor, subject: MemberPlansSubject) =>
  frontLine(actor) &&
  ownOrganisation(actor, subject) &&
  (subject.teamStaffIds.includes(actor.id) || hasRole(actor, ALWAYS_ON_TEAM));

const teamMaySee = (actor: Actor, plan: PlanSubject) => plan.shareWithTeam && onTeam(actor, plan);

const partnerMaySee = (actor: Actor, plan: PlanSubject) =>
  plan.shareWithPartner &&
  frontLine(actor) &&
  !ownOrganisation(actor, plan) &&
  sharedUnder(actor, plan.organisationId, plan.sharingCategory);

export const planRules = {
  /** The list of a member's plans (each plan on it still checked with plan.read). */
  'plan.list': {
    who: frontLineOrMember,
    which: (actor: Actor, member: MemberPlansSubject) =>
      isSelf(actor, member) ||
      (frontLine(actor) &&
        (ownOrganisation(actor, member) ||
          sharedUnder(actor, member.organisationId, 'support_plans') ||
          sharedUnder(actor, member.organisationId, 'crisis_plans'))),
  } satisfies Rule<MemberPlansSubject>,
  /** A plan, its versions, their comparison, the print view and the PDF. */
  'plan.read': {
    who: frontLineOrMember,
    which: (actor: Actor, plan: PlanSubject) =>
      isSelf(actor, plan) || teamMaySee(actor, plan) || partnerMaySee(actor, plan),
  } satisfies Rule<PlanSubject>,
  /** Start a plan: the member, or a worker on their team (drafting it with them). */
  'plan.start': {
    who: frontLineOrMember,
    which: (actor: Actor, member: MemberPlansSubject) => isSelf(actor, member) || onTeam(actor, member),
  } satisfies Rule<MemberPlansSubject>,
  /** The member changes their own plan directly. */
  'plan.edit': { who: isMember, which: isSelf } satisfies Rule<PlanSubject>,
  /** The member accepts or declines a worker's proposed change. */
  'plan.respond': { who: isMember, which: isSelf } satisfies Rule<PlanSubject>,
  /** The member chooses who may see the plan. */
  'plan.share': { who: isMember, which: isSelf } satisfies Rule<PlanSubject>,
  /** A worker on the team proposes a change for the member to accept. */
  'plan.propose': { who: frontLine, which: teamMaySee } satisfies Rule<PlanSubject>,
  /** A worker on the team records a change as agreed with the member in person. */
  'plan.record_agreed': { who: frontLine, which: teamMaySee } satisfies Rule<PlanSubject>,
  /**
   * Break-glass: a front-line worker of the holding organisation (signed in, so on duty) opens the
   * crisis view without being on the team, giving a reason. Partners never break glass: what they see
   * is what the member shared under the agreement.
   */
  'plan.break_glass': { who: frontLine, which: ownOrganisation } satisfies Rule<MemberPlansSubject>,
  /** The member reads what they have been told (that someone opened their crisis view). */
  'plan.notices': { who: isMember } satisfies Rule<never>,
};
