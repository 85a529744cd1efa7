import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { parseForm, submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { formatDate, formatDateTime } from '../../platform/views/filters/format-date.ts';
import { isMember, isStaff, type Action } from '../../policy/index.ts';
import { CRISIS_CONTACTS, CRISIS_HELP_HEADING } from '../referrals/index.ts';
import { networkPicture } from './network-picture.ts';
import { comparePlans, linesOf } from './plan-compare.ts';
import {
  CLOSENESS,
  NETWORK_KINDS,
  NETWORK_ROWS,
  PLAN_KIND_ORDER,
  PLAN_KINDS,
  WAYS_TO_WELLBEING,
  type NetworkEntry,
  type PlanContent,
  type PlanKind,
} from './plan-kinds.ts';
import * as forms from './plans.forms.ts';
import { planPdf } from './plans.pdf.ts';
import * as plans from './plans.service.ts';

type Values = Record<string, unknown>;

/** Which side a page is on: a worker on the member's record, or the member in their portal. */
type Side = { side: forms.Side; memberId: string; base: string; you: boolean };

/** The staff pages are for staff: a member reads their plans at /my-plans (here, 404 like anything missing). */
function staffSide(req: FastifyRequest, memberId: string): Side {
  if (!isStaff(req.actor)) {
    throw new NotFound('plan.not_staff');
  }
  return { side: 'staff', memberId, base: `/members/${memberId}/plans`, you: false };
}

/** The member's own pages act on their own record only: anyone else is not a member here (404). */
function memberSide(req: FastifyRequest): Side {
  if (!isMember(req.actor)) {
    throw new NotFound('plan.not_a_member');
  }
  return { side: 'member', memberId: req.actor.memberId, base: '/my-plans', you: true };
}

/** Who saved a version and how it was agreed, in a sentence. */
function versionLine(version: plans.PlanVersion, you: boolean): string {
  const member = you ? 'you' : 'the member';
  const staff = `${version.savedByName ?? 'a worker'} (${version.savedByRole})`;
  const by =
    version.how === 'agreed_in_person'
      ? `${staff}, agreed with ${member} in person`
      : version.how === 'accepted_proposal'
        ? `${member}, accepting a change proposed by ${version.proposedByName ?? 'a worker'} (${version.proposerRole ?? ''})`
        : member;
  return `Version ${version.number}, saved ${formatDateTime(version.createdAt)} by ${by}`;
}

/** A plan's parts as a page shows them. */
function partsOf(kind: PlanKind, content: PlanContent) {
  return PLAN_KINDS[kind].fields.map((field) => {
    const value = content.fields[field.name];
    const entries = field.kind === 'network' ? ((value ?? []) as NetworkEntry[]) : [];
    return {
      name: field.name,
      label: field.label,
      lines: linesOf(field, value),
      network:
        field.kind === 'network'
          ? {
              entries,
              rows: entries.map((e) => [
                { text: e.name },
                { text: NETWORK_KINDS[e.kind] },
                { text: CLOSENESS[e.closeness] },
              ]),
              picture: networkPicture(entries),
            }
          : undefined,
    };
  });
}

const dateValues = (name: string, date: string | null): Values => {
  const [year, month, day] = date ? date.split('-') : [];
  return {
    [`${name}-day`]: day ? String(Number(day)) : '',
    [`${name}-month`]: month ? String(Number(month)) : '',
    [`${name}-year`]: year ?? '',
  };
};

/** A plan's content as the values of its form. */
function valuesOf(kind: PlanKind, content: PlanContent): Values {
  const values: Values = { ...dateValues('reviewOn', content.reviewOn) };
  for (const field of PLAN_KINDS[kind].fields) {
    const value = content.fields[field.name];
    if (field.kind === 'network') {
      ((value ?? []) as NetworkEntry[]).forEach((entry, i) => {
        values[`${field.name}-${i + 1}-name`] = entry.name;
        values[`${field.name}-${i + 1}-kind`] = entry.kind;
        values[`${field.name}-${i + 1}-closeness`] = entry.closeness;
      });
    } else {
      values[field.name] = value;
    }
  }
  return values;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form's parts, with what the plan says now beside each when there is a conflict. */
function formFields(kind: PlanKind, values: Values, current: PlanContent | undefined) {
  return PLAN_KINDS[kind].fields.map((field) => {
    const currentLines = current ? linesOf(field, current.fields[field.name]) : undefined;
    const base = { kind: field.kind, name: field.name, label: field.label, hint: field.hint, currentLines };
    if (field.kind === 'text') {
      return { ...base, value: text(values[field.name]) };
    }
    if (field.kind === 'wellbeing_ways') {
      const ticked = [values[field.name] ?? []].flat().map(String);
      return {
        ...base,
        items: Object.entries(WAYS_TO_WELLBEING).map(([value, label]) => ({
          value,
          text: label,
          checked: ticked.includes(value),
        })),
      };
    }
    return {
      ...base,
      rows: Array.from({ length: NETWORK_ROWS }, (_, i) => {
        const id = `${field.name}-${i + 1}`;
        const chosenKind = text(values[`${id}-kind`]);
        const chosenCloseness = text(values[`${id}-closeness`]);
        return {
          n: i + 1,
          id,
          name: text(values[`${id}-name`]),
          kindItems: [
            { value: '', text: 'Choose' },
            ...Object.entries(NETWORK_KINDS).map(([value, label]) => ({
              value,
              text: label,
              selected: chosenKind === value,
            })),
          ],
          closenessItems: [
            { value: '', text: 'Choose' },
            ...Object.entries(CLOSENESS).map(([value, label]) => ({
              value,
              text: label,
              selected: chosenCloseness === value,
            })),
          ],
        };
      }),
    };
  });
}

/** The error summary links for the review date go to its first box, as the NHS date input asks. */
function linkReviewDate(errors: FormErrors | undefined): FormErrors | undefined {
  return (
    errors && {
      ...errors,
      errorList: errors.errorList.map((item) =>
        item.href === '#reviewOn' ? { ...item, href: '#reviewOn-day' } : item,
      ),
    }
  );
}

const kindItems = Object.fromEntries(PLAN_KIND_ORDER.map((kind) => [kind, PLAN_KINDS[kind].title]));

/**
 * Registers the plan pages: on the member's record for staff (/members/:memberId/plans...) and in the
 * member's own portal (/my-plans...).
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerPlanPages(app: FastifyInstance, deps: Deps): void {
  // Shared page builders, for either side.

  const listPage = async (reply: FastifyReply, ctx: Ctx, side: Side, errors?: FormErrors) => {
    const list = await plans.listMemberPlans(ctx, side.memberId);
    const notices = side.you ? await plans.listMemberNotices(ctx) : [];
    return renderFormPage(
      reply,
      'plan-list.njk',
      {
        title: side.you ? 'Your plans' : `Plans for ${list.member.name}`,
        side,
        member: list.member,
        notices: notices.map((n) => ({ ...n, when: formatDateTime(n.createdAt) })),
        plans: list.plans.map((p) => ({
          ...p,
          versionText: p.current ? versionLine(p.current, side.you) : 'Nothing saved yet',
          reviewText: p.reviewOn ? formatDate(p.reviewOn) : undefined,
          reviewDue: p.reviewOn !== null && p.reviewOn <= dayInLondon(ctx.clock.now()),
        })),
        mayStart: list.mayStart,
        mayBreakGlass: list.mayBreakGlass && !side.you,
        kindItems: [
          { value: '', text: 'Choose a plan' },
          ...Object.entries(kindItems).map(([value, label]) => ({ value, text: label })),
        ],
        back: side.you ? undefined : { href: `/members/${side.memberId}`, text: 'Back to their record' },
      },
      errors,
    );
  };

  const startPlan = async (req: FastifyRequest, reply: FastifyReply, side: Side) => {
    const ctx = ctxOf(req, deps);
    const submitted = await submitForm(forms.startPlanForm, req.body, (data) =>
      plans.startPlan(ctx, side.memberId, data.kind),
    );
    if (submitted.ok) {
      return reply.redirect(`${side.base}/${submitted.result}/change`, 303);
    }
    return listPage(reply, ctx, side, submitted.errors);
  };

  const showPage = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const view = await plans.viewPlan(ctxOf(req, deps), side.memberId, planId);
    return renderPage(reply, 'plan-show.njk', {
      ...planLocals(view, side),
      waiting: view.waiting.map((p) => ({
        ...p,
        when: formatDateTime(p.proposedAt),
        href: `${side.base}/${planId}/proposals/${p.id}`,
      })),
      sharing: {
        team: view.plan.shareWithTeam,
        partner: view.plan.shareWithPartner,
      },
      mayChange: side.you || plans.mayPropose(req.actor, view),
      back: { href: side.base, text: side.you ? 'Back to your plans' : 'Back to their plans' },
    });
  };

  const planLocals = (view: plans.PlanView, side: Side) => ({
    title: view.title,
    side,
    member: view.member,
    plan: view.plan,
    kindTitle: PLAN_KINDS[view.plan.kind].title,
    description: PLAN_KINDS[view.plan.kind].description,
    parts: partsOf(view.plan.kind, view.content),
    versionText: view.current ? versionLine(view.current, side.you) : undefined,
    reviewText: view.content.reviewOn ? formatDate(view.content.reviewOn) : undefined,
    crisis:
      view.plan.kind === 'safety' ? { heading: CRISIS_HELP_HEADING, contacts: CRISIS_CONTACTS } : undefined,
    planBase: `${side.base}/${view.plan.id}`,
  });

  type FormState = {
    values: Values;
    errors?: FormErrors;
    conflict?: { current: plans.PlanVersion | undefined; proposalId?: string };
  };

  const formPage = (reply: FastifyReply, view: plans.PlanView, side: Side, state: FormState) => {
    const { conflict } = state;
    const current = conflict ? (conflict.current?.content ?? undefined) : undefined;
    return renderPage(
      reply,
      'plan-form.njk',
      {
        ...planLocals(view, side),
        title: side.you
          ? `Change your ${PLAN_KINDS[view.plan.kind].title.toLowerCase()}`
          : `Change ${view.title}`,
        values: state.values,
        fields: formFields(
          view.plan.kind,
          state.values,
          conflict ? (current ?? { fields: {}, reviewOn: null }) : undefined,
        ),
        conflict: conflict && {
          currentText: conflict.current
            ? versionLine(conflict.current, side.you)
            : 'Nothing has been saved yet',
          currentReview: formatDate(conflict.current?.content.reviewOn),
        },
        basedOn: conflict ? view.plan.currentVersion : (state.values.basedOn ?? view.plan.currentVersion),
        proposalId: conflict?.proposalId ?? text(state.values.proposalId),
        howItems: [
          {
            value: 'propose',
            text: `Propose this change to ${view.member.name}`,
            hint: { text: 'They will see it in their plans and can accept or decline it' },
            checked: state.values.how === 'propose',
          },
          {
            value: 'agreed_in_person',
            text: `${view.member.name} agreed this change with me in person`,
            hint: { text: 'It is saved now, recorded as agreed in person by you' },
            checked: state.values.how === 'agreed_in_person',
          },
        ],
        ...linkReviewDate(state.errors),
        back: { href: `${side.base}/${view.plan.id}`, text: 'Back to the plan' },
      },
      conflict ? 409 : state.errors ? 400 : 200,
    );
  };

  const changeForm = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const view = await plans.viewPlan(
      ctxOf(req, deps),
      side.memberId,
      planId,
      side.you ? 'plan.edit' : 'plan.propose',
    );
    // A worker starting a plan that has only a proposal so far starts from that proposal's text.
    const startFrom = view.current ? view.content : (view.waiting[0]?.content ?? view.content);
    return formPage(reply, view, side, {
      values: { ...valuesOf(view.plan.kind, startFrom), basedOn: view.plan.currentVersion },
    });
  };

  const saveForm = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const ctx = ctxOf(req, deps);
    const view = await plans.viewPlan(ctx, side.memberId, planId, side.you ? 'plan.edit' : 'plan.propose');
    const submitted = await submitForm(forms.planChangeForm(view.plan.kind, side.side), req.body, (change) =>
      plans.saveChange(ctx, side.memberId, planId, change),
    );
    if (!submitted.ok) {
      return formPage(reply, view, side, { values: submitted.values, errors: submitted.errors });
    }
    const outcome = submitted.result;
    if (outcome.outcome === 'conflict') {
      const fresh = await plans.viewPlan(ctx, side.memberId, planId, side.you ? 'plan.edit' : 'plan.propose');
      return formPage(reply, fresh, side, {
        // Their text, exactly as they sent it, back in the boxes.
        values: req.body as Values,
        conflict: { current: outcome.current, proposalId: submitted.data.proposalId },
      });
    }
    return reply.redirect(`${side.base}/${planId}`, 303);
  };

  const versionsPage = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const { view, versions } = await plans.planHistory(ctxOf(req, deps), side.memberId, planId);
    return renderPage(reply, 'plan-versions.njk', {
      ...planLocals(view, side),
      title: `Versions of ${view.title}`,
      versions: versions.map((v) => ({ ...v, line: versionLine(v, side.you) })),
      fromItems: [...versions].reverse().map((v, i) => ({
        value: String(v.number),
        text: `Version ${v.number}`,
        selected: versions.length > 1 && i === versions.length - 2,
      })),
      toItems: versions.map((v, i) => ({
        value: String(v.number),
        text: `Version ${v.number}`,
        selected: i === 0,
      })),
      back: { href: `${side.base}/${planId}`, text: 'Back to the plan' },
    });
  };

  const comparePage = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const query = forms.compareQuery.safeParse(req.query);
    if (!query.success) {
      throw new NotFound('plan.version_not_found');
    }
    const { from, to } = query.data;
    const loaded = await plans.versionsToCompare(ctxOf(req, deps), side.memberId, planId, from, to);
    return renderPage(reply, 'plan-compare.njk', {
      ...planLocals(loaded.view, side),
      title: `Version ${from} and version ${to} compared`,
      from,
      to,
      parts: comparePlans(loaded.view.plan.kind, loaded.before, loaded.after),
      back: { href: `${side.base}/${planId}/versions`, text: 'Back to the versions' },
    });
  };

  const printPage = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const view = await plans.viewPlan(ctxOf(req, deps), side.memberId, planId);
    return renderPage(reply, 'plan-print.njk', {
      ...planLocals(view, side),
      printed: formatDateTime(deps.clock.now()),
    });
  };

  const pdf = async (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => {
    const view = await plans.viewPlan(ctxOf(req, deps), side.memberId, planId);
    const file = await planPdf({
      kind: view.plan.kind,
      title: view.title,
      memberName: view.member.name,
      content: view.content,
      version: view.plan.currentVersion,
      savedAt: view.current?.createdAt,
    });
    // The file name says what it is and nothing about whose it is.
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="${view.plan.kind.replace(/_/g, '-')}-plan.pdf"`)
      .send(file);
  };

  // Staff: the plans on a member's record.

  type MemberParams = Params<'memberId'>;
  type PlanParams = Params<'memberId' | 'planId'>;

  app.get('/members/:memberId/plans', { config: { can: 'plan.list' } }, async (req: MemberParams, reply) =>
    listPage(reply, ctxOf(req, deps), staffSide(req, req.params.memberId)),
  );
  app.post('/members/:memberId/plans', { config: { can: 'plan.start' } }, async (req: MemberParams, reply) =>
    startPlan(req, reply, staffSide(req, req.params.memberId)),
  );

  const crisisPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    memberId: string,
    errors?: FormErrors,
    values: Values = {},
  ) => {
    staffSide(req, memberId);
    const view = await plans.crisisView(ctxOf(req, deps), memberId);
    return renderFormPage(
      reply,
      'crisis-view.njk',
      {
        title: `Crisis view for ${view.member.name}`,
        member: view.member,
        parts: view.parts.map((p) => ({
          ...p,
          parts: partsOf(p.kind, p.content),
          versionText: p.current && versionLine(p.current, false),
        })),
        mayBreakGlass: view.mayBreakGlass && view.parts.length < 2,
        crisis: { heading: CRISIS_HELP_HEADING, contacts: CRISIS_CONTACTS },
        minutes: plans.BREAK_GLASS_MINUTES,
        values,
        back: { href: `/members/${memberId}/plans`, text: 'Back to their plans' },
      },
      errors,
    );
  };

  app.get(
    '/members/:memberId/plans/crisis',
    { config: { can: 'plan.list' } },
    async (req: MemberParams, reply) => crisisPage(req, reply, req.params.memberId),
  );

  app.post(
    '/members/:memberId/plans/crisis',
    { config: { can: 'plan.break_glass' } },
    async (req: MemberParams, reply) => {
      const { memberId } = req.params;
      const submitted = await submitForm(forms.breakGlassForm, req.body, (data) =>
        plans.openCrisisViewByBreakGlass(ctxOf(req, deps), memberId, data.reason),
      );
      if (submitted.ok) {
        return reply.redirect(`/members/${memberId}/plans/crisis/${submitted.result}`, 303);
      }
      return crisisPage(req, reply, memberId, submitted.errors, submitted.values);
    },
  );

  app.get(
    '/members/:memberId/plans/crisis/:accessId',
    { config: { can: 'plan.break_glass' } },
    async (req: Params<'memberId' | 'accessId'>, reply) => {
      staffSide(req, req.params.memberId);
      const view = await plans.crisisViewByBreakGlass(
        ctxOf(req, deps),
        req.params.memberId,
        req.params.accessId,
      );
      return renderPage(reply, 'crisis-view.njk', {
        title: `Crisis view for ${view.member.name}`,
        member: view.member,
        parts: view.parts.map((p) => ({
          ...p,
          parts: partsOf(p.kind, p.content),
          versionText: p.current && versionLine(p.current, false),
        })),
        breakGlass: view.breakGlass && {
          reason: view.breakGlass.reason,
          until: formatDateTime(view.breakGlass.expiresAt),
        },
        crisis: { heading: CRISIS_HELP_HEADING, contacts: CRISIS_CONTACTS },
        back: { href: `/members/${req.params.memberId}/plans`, text: 'Back to their plans' },
      });
    },
  );

  // The member's own plans, in the portal.

  type OwnPlan = Params<'planId'>;
  type OwnProposal = Params<'planId' | 'proposalId'>;

  app.get('/my-plans', { config: { can: 'plan.list' } }, async (req, reply) =>
    listPage(reply, ctxOf(req, deps), memberSide(req)),
  );
  app.post('/my-plans', { config: { can: 'plan.start' } }, async (req, reply) =>
    startPlan(req, reply, memberSide(req)),
  );
  // A plan's own pages, the same on both sides: each names its action for staff and for the member.
  const planPages: [
    'GET' | 'POST',
    string,
    Action,
    Action,
    (req: FastifyRequest, reply: FastifyReply, side: Side, planId: string) => Promise<unknown>,
  ][] = [
    ['GET', '', 'plan.read', 'plan.read', showPage],
    ['GET', '/change', 'plan.propose', 'plan.edit', changeForm],
    ['POST', '/change', 'plan.propose', 'plan.edit', saveForm],
    ['GET', '/versions', 'plan.read', 'plan.read', versionsPage],
    ['GET', '/compare', 'plan.read', 'plan.read', comparePage],
    ['GET', '/print', 'plan.read', 'plan.read', printPage],
    ['GET', '/pdf', 'plan.read', 'plan.read', pdf],
  ];
  for (const [method, path, staffAction, memberAction, page] of planPages) {
    app.route({
      method,
      url: `/members/:memberId/plans/:planId${path}`,
      config: { can: staffAction },
      handler: async (req: PlanParams, reply) =>
        page(req, reply, staffSide(req, req.params.memberId), req.params.planId),
    });
    app.route({
      method,
      url: `/my-plans/:planId${path}`,
      config: { can: memberAction },
      handler: async (req: OwnPlan, reply) => page(req, reply, memberSide(req), req.params.planId),
    });
  }

  const proposalPage = async (req: OwnProposal, reply: FastifyReply) => {
    const side = memberSide(req);
    const { view, proposal } = await plans.viewProposal(
      ctxOf(req, deps),
      side.memberId,
      req.params.planId,
      req.params.proposalId,
    );
    const before = view.current?.content ?? view.content;
    return renderPage(reply, 'plan-proposal.njk', {
      ...planLocals(view, side),
      title: `A change to your ${PLAN_KINDS[view.plan.kind].title.toLowerCase()}`,
      proposal: {
        ...proposal,
        when: formatDateTime(proposal.proposedAt),
        base: `${side.base}/${view.plan.id}/proposals/${proposal.id}`,
      },
      comparison: comparePlans(view.plan.kind, before, proposal.content),
      back: { href: `${side.base}/${view.plan.id}`, text: 'Back to the plan' },
    });
  };

  app.get('/my-plans/:planId/proposals/:proposalId', { config: { can: 'plan.respond' } }, proposalPage);

  app.post(
    '/my-plans/:planId/proposals/:proposalId/accept',
    { config: { can: 'plan.respond' } },
    async (req: OwnProposal, reply) => {
      const side = memberSide(req);
      const ctx = ctxOf(req, deps);
      const { planId, proposalId } = req.params;
      const outcome = await plans.acceptProposal(ctx, side.memberId, planId, proposalId);
      if (outcome.outcome !== 'conflict') {
        return reply.redirect(`${side.base}/${planId}`, 303);
      }
      // Someone changed the plan since the worker proposed this: the member combines the two.
      const view = await plans.viewPlan(ctx, side.memberId, planId, 'plan.edit');
      return formPage(reply, view, side, {
        values: valuesOf(view.plan.kind, outcome.yours),
        conflict: { current: outcome.current, proposalId },
      });
    },
  );

  app.post(
    '/my-plans/:planId/proposals/:proposalId/decline',
    { config: { can: 'plan.respond' } },
    async (req: OwnProposal, reply) => {
      const side = memberSide(req);
      await plans.declineProposal(ctxOf(req, deps), side.memberId, req.params.planId, req.params.proposalId);
      return reply.redirect(`${side.base}/${req.params.planId}`, 303);
    },
  );

  const sharingPage = async (req: OwnPlan, reply: FastifyReply, values?: Values, errors?: FormErrors) => {
    const side = memberSide(req);
    const view = await plans.viewPlan(ctxOf(req, deps), side.memberId, req.params.planId, 'plan.share');
    const chosen = values
      ? [values.shareWith ?? []].flat().map(String)
      : [view.plan.shareWithTeam && 'team', view.plan.shareWithPartner && 'partner'].filter(Boolean);
    return renderFormPage(
      reply,
      'plan-sharing.njk',
      {
        ...planLocals(view, side),
        title: `Who can see your ${PLAN_KINDS[view.plan.kind].title.toLowerCase()}`,
        version: values?.version ?? view.plan.version,
        shareItems: [
          {
            value: 'team',
            text: 'My team',
            hint: { text: 'The workers supporting you now, and the service manager' },
            checked: chosen.includes('team'),
          },
          {
            value: 'partner',
            text: 'The partner NHS team',
            hint: { text: 'Staff of the NHS trust we work with, under our information-sharing agreement' },
            checked: chosen.includes('partner'),
          },
        ],
        back: { href: `${side.base}/${view.plan.id}`, text: 'Back to the plan' },
      },
      errors,
    );
  };

  app.get('/my-plans/:planId/sharing', { config: { can: 'plan.share' } }, async (req: OwnPlan, reply) =>
    sharingPage(req, reply),
  );

  app.post('/my-plans/:planId/sharing', { config: { can: 'plan.share' } }, async (req: OwnPlan, reply) => {
    const side = memberSide(req);
    const form = parseForm(forms.sharingForm, req.body);
    if (!form.ok) {
      return sharingPage(req, reply, form.values, form);
    }
    await plans.changeSharing(ctxOf(req, deps), side.memberId, req.params.planId, {
      shareWithTeam: form.data.shareWith.includes('team'),
      shareWithPartner: form.data.shareWith.includes('partner'),
      version: form.data.version,
    });
    return reply.redirect(`${side.base}/${req.params.planId}`, 303);
  });
}
