import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate, formatDateTime } from '../../platform/views/filters/format-date.ts';
import { can, isStaff } from '../../policy/index.ts';
import { CONTACT_MODES, CONTACT_STATUSES, CONTACT_TYPES } from './contact-kinds.ts';
import * as forms from './contacts.forms.ts';
import * as contacts from './contacts.service.ts';

type Values = Record<string, unknown>;

/** The fields of the contact pages in the order they appear, so the error summary lists them so. */
const FIELD_ORDER = [
  'outcome',
  'contactType',
  'mode',
  'date',
  'time',
  'durationMinutes',
  'venueId',
  'place',
  'workerIds',
  'notes',
  'reason',
  'nextStep',
  'nextStepAssignee',
  'nextStepDue',
  'description',
  'assignedTo',
  'dueOn',
];

/**
 * Puts a page's errors in page order and points each date's link at its first box (the day), as the
 * NHS date input pattern asks.
 */
function inPageOrder(errors: FormErrors | undefined): FormErrors | undefined {
  if (!errors) {
    return undefined;
  }
  const rank = (href: string) => {
    const i = FIELD_ORDER.indexOf(href.slice(1));
    return i === -1 ? FIELD_ORDER.length : i;
  };
  const dates: readonly string[] = forms.CONTACT_DATES;
  return {
    ...errors,
    errorList: [...errors.errorList]
      .sort((a, b) => rank(a.href) - rank(b.href))
      .map((item) => (dates.includes(item.href.slice(1)) ? { ...item, href: `${item.href}-day` } : item)),
  };
}

const newSubmissionKey = () => randomBytes(24).toString('base64url');

/** A moment as the date input's three boxes and the time box show it, in UK time. */
function whenValues(name: string, at: Date): Values {
  const [year = '', month = '', day = ''] = dayInLondon(at).split('-');
  return {
    [`${name}-day`]: String(Number(day)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year,
    time: timeInLondon(at),
  };
}

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];

/** The radios, checkboxes and selects of the contact form, with what was chosen kept. */
function choiceItems(choices: contacts.ContactChoices, values: Values) {
  const workers = listOf(values.workerIds);
  return {
    typeItems: Object.entries(CONTACT_TYPES).map(([value, text]) => ({
      value,
      text,
      checked: values.contactType === value,
    })),
    modeItems: Object.entries(CONTACT_MODES).map(([value, text]) => ({
      value,
      text,
      checked: values.mode === value,
    })),
    venueItems: [
      { value: '', text: choices.venues.length ? 'Not at one of our venues' : 'No venues have been added' },
      ...choices.venues.map((v) => ({ value: v.id, text: v.name, selected: values.venueId === v.id })),
    ],
    workerItems: choices.staff.map((s) => ({
      value: s.id,
      text: s.fullName,
      checked: workers.includes(s.id),
    })),
    assigneeItems: [
      { value: '', text: 'Choose who' },
      ...choices.staff.map((s) => ({
        value: s.id,
        text: s.fullName,
        selected: values.nextStepAssignee === s.id,
      })),
    ],
  };
}

/** A contact's place in words: the venue, what was typed, or both. */
const placeText = (contact: contacts.Contact) =>
  [contact.venueName, contact.place].filter(Boolean).join(': ');

/** A contact as the lists and its own page show it. */
function contactSummary(contact: contacts.Contact) {
  return {
    ...contact,
    typeText: CONTACT_TYPES[contact.contactType],
    modeText: CONTACT_MODES[contact.mode],
    statusText: CONTACT_STATUSES[contact.status],
    when: formatDateTime(contact.occurredAt),
    where: placeText(contact),
    workerText: contact.workers.map((w) => w.fullName).join(', '),
  };
}

const memberBase = (memberId: string) => `/members/${memberId}/contacts`;

/** The pages a form may send a worker back to after ticking off a next step. */
function returnTo(req: FastifyRequest, fallback: string): string {
  const asked = (req.body as Values | undefined)?.returnTo;
  return asked === '/caseload' ? '/caseload' : fallback;
}

/**
 * Registers the pages for one-to-one contacts (a member's list, record, book, open, change, record
 * what became of a booked one, next steps) and caseloads (my caseload, any worker's for a manager,
 * and the count per worker).
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerContactPages(app: FastifyInstance, deps: Deps): void {
  // A member's contacts.

  app.get(
    '/members/:memberId/contacts',
    { config: { can: 'contact.list' } },
    async (req: Params<'memberId'>, reply) => {
      const {
        member,
        contacts: list,
        canRecord,
      } = await contacts.listMemberContacts(ctxOf(req, deps), req.params.memberId);
      return renderPage(reply, 'contact-list.njk', {
        title: 'Contacts',
        member,
        base: memberBase(member.id),
        planned: list
          .filter((c) => c.status === 'planned')
          .map(contactSummary)
          .reverse(),
        past: list.filter((c) => c.status !== 'planned').map(contactSummary),
        canRecord,
        // A partner who sees contacts but not personal details has no record page to go back to.
        back: member.nameVisible
          ? { href: `/members/${member.id}`, text: 'Back to their record' }
          : undefined,
      });
    },
  );

  type FormPage = {
    title: string;
    action: string;
    buttonText: string;
    kind: 'record' | 'plan' | 'change_happened' | 'change_planned';
  };

  const contactFormPage = (
    reply: FastifyReply,
    page: FormPage,
    choices: contacts.ContactChoices,
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'contact-form.njk',
      {
        ...page,
        member: choices.member,
        values,
        ...choiceItems(choices, values),
        happened: page.kind === 'record' || page.kind === 'change_happened',
        withNextStep: page.kind === 'record',
        back: { href: memberBase(choices.member.id) },
      },
      inPageOrder(errors),
    );

  const recordPage = (memberId: string): FormPage => ({
    title: 'Record a contact',
    action: memberBase(memberId),
    buttonText: 'Save the contact',
    kind: 'record',
  });

  const planPage = (memberId: string): FormPage => ({
    title: 'Plan a contact',
    action: `${memberBase(memberId)}/planned`,
    buttonText: 'Book the contact',
    kind: 'plan',
  });

  const actingId = (req: FastifyRequest) => (isStaff(req.actor) ? req.actor.id : '');

  app.get(
    '/members/:memberId/contacts/new',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId'>, reply) => {
      const choices = await contacts.contactChoices(ctxOf(req, deps), req.params.memberId);
      const now = deps.clock.now();
      const today = whenValues('date', now);
      return contactFormPage(reply, recordPage(choices.member.id), choices, {
        'date-day': today['date-day'],
        'date-month': today['date-month'],
        'date-year': today['date-year'],
        workerIds: [actingId(req)],
        nextStepAssignee: '',
        submissionKey: newSubmissionKey(),
      });
    },
  );

  app.post(
    '/members/:memberId/contacts',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId } = req.params;
      const submitted = await submitForm(forms.recordContactForm, req.body, (data) =>
        contacts.recordContact(ctx, memberId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`${memberBase(memberId)}/${submitted.result}`, 303);
      }
      const choices = await contacts.contactChoices(ctx, memberId);
      return contactFormPage(reply, recordPage(memberId), choices, submitted.values, submitted.errors);
    },
  );

  app.get(
    '/members/:memberId/contacts/plan',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId'>, reply) => {
      const choices = await contacts.contactChoices(ctxOf(req, deps), req.params.memberId);
      return contactFormPage(reply, planPage(choices.member.id), choices, {
        contactType: 'check_in_call',
        mode: 'phone',
        workerIds: [actingId(req)],
        submissionKey: newSubmissionKey(),
      });
    },
  );

  app.post(
    '/members/:memberId/contacts/planned',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId } = req.params;
      const submitted = await submitForm(forms.planContactForm, req.body, (data) =>
        contacts.planContact(ctx, memberId, data),
      );
      if (submitted.ok) {
        return reply.redirect(memberBase(memberId), 303);
      }
      const choices = await contacts.contactChoices(ctx, memberId);
      return contactFormPage(reply, planPage(memberId), choices, submitted.values, submitted.errors);
    },
  );

  // One contact.

  const contactPage = async (
    req: Params<'memberId' | 'contactId'>,
    reply: FastifyReply,
    stepValues: Values = {},
    errors?: FormErrors,
  ) => {
    const view = await contacts.viewContact(ctxOf(req, deps), req.params.memberId, req.params.contactId);
    const base = memberBase(view.member.id);
    const today = dayInLondon(deps.clock.now());
    return renderFormPage(
      reply,
      'contact-show.njk',
      {
        title: CONTACT_TYPES[view.contact.contactType],
        member: view.member,
        contact: contactSummary(view.contact),
        notesShown: view.notesShown,
        nextSteps: view.nextSteps.map((s) => ({
          ...s,
          dueText: s.dueOn ? formatDate(s.dueOn) : '',
          overdue: s.doneAt === null && s.dueOn !== null && s.dueOn < today,
        })),
        canRecord: view.canRecord,
        assigneeItems: [
          { value: '', text: 'Choose who' },
          ...view.staff.map((s) => ({
            value: s.id,
            text: s.fullName,
            selected: (stepValues.assignedTo ?? actingId(req)) === s.id,
          })),
        ],
        values: stepValues,
        path: `${base}/${view.contact.id}`,
        back: { href: base, text: 'Back to contacts' },
      },
      inPageOrder(errors),
    );
  };

  app.get(
    '/members/:memberId/contacts/:contactId',
    { config: { can: 'contact.read' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => contactPage(req, reply),
  );

  const changePage = (memberId: string, contactId: string, planned: boolean): FormPage => ({
    title: planned ? 'Change the planned contact' : 'Change the contact',
    action: `${memberBase(memberId)}/${contactId}/change`,
    buttonText: 'Save changes',
    kind: planned ? 'change_planned' : 'change_happened',
  });

  app.get(
    '/members/:memberId/contacts/:contactId/change',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => {
      const { contact, ...choices } = await contacts.contactForChange(
        ctxOf(req, deps),
        req.params.memberId,
        req.params.contactId,
        true,
      );
      if (contact.status === 'did_not_happen') {
        return reply.redirect(`${memberBase(contact.memberId)}/${contact.id}`, 303);
      }
      return contactFormPage(
        reply,
        changePage(contact.memberId, contact.id, contact.status === 'planned'),
        choices,
        {
          contactType: contact.contactType,
          mode: contact.mode,
          ...whenValues('date', contact.occurredAt),
          durationMinutes: contact.durationMinutes === null ? '' : String(contact.durationMinutes),
          venueId: contact.venueId ?? '',
          place: contact.place ?? '',
          workerIds: contact.workers.map((w) => w.id),
          notes: contact.notes ?? '',
          version: contact.version,
        },
      );
    },
  );

  app.post(
    '/members/:memberId/contacts/:contactId/change',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, contactId } = req.params;
      const status = await contacts.contactStatusForChange(ctx, memberId, contactId);
      const planned = status === 'planned';
      const submitted = planned
        ? await submitForm(forms.changePlannedContactForm, req.body, (data) =>
            contacts.changeContact(ctx, memberId, contactId, { kind: 'planned', ...data }),
          )
        : await submitForm(forms.changeHappenedContactForm, req.body, (data) =>
            contacts.changeContact(ctx, memberId, contactId, { kind: 'happened', ...data }),
          );
      if (submitted.ok) {
        return reply.redirect(`${memberBase(memberId)}/${contactId}`, 303);
      }
      const choices = await contacts.contactChoices(ctx, memberId);
      return contactFormPage(
        reply,
        changePage(memberId, contactId, planned),
        choices,
        submitted.values,
        submitted.errors,
      );
    },
  );

  const outcomePage = (
    reply: FastifyReply,
    loaded: contacts.ContactChoices & { contact: contacts.Contact },
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'contact-outcome.njk',
      {
        title: 'Did the contact happen?',
        member: loaded.member,
        contact: contactSummary(loaded.contact),
        values,
        path: `${memberBase(loaded.member.id)}/${loaded.contact.id}`,
        back: { href: `${memberBase(loaded.member.id)}/${loaded.contact.id}` },
      },
      inPageOrder(errors),
    );

  app.get(
    '/members/:memberId/contacts/:contactId/outcome',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => {
      const loaded = await contacts.contactForChange(
        ctxOf(req, deps),
        req.params.memberId,
        req.params.contactId,
        false,
      );
      if (loaded.contact.status !== 'planned') {
        return reply.redirect(`${memberBase(loaded.member.id)}/${loaded.contact.id}`, 303);
      }
      return outcomePage(reply, loaded, {
        ...whenValues('date', loaded.contact.occurredAt),
        durationMinutes:
          loaded.contact.durationMinutes === null ? '' : String(loaded.contact.durationMinutes),
        version: loaded.contact.version,
      });
    },
  );

  app.post(
    '/members/:memberId/contacts/:contactId/outcome',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, contactId } = req.params;
      const submitted = await submitForm(forms.contactOutcomeForm, req.body, (data) =>
        contacts.recordOutcome(ctx, memberId, contactId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`${memberBase(memberId)}/${contactId}`, 303);
      }
      const loaded = await contacts.contactForChange(ctx, memberId, contactId, false);
      return outcomePage(reply, loaded, submitted.values, submitted.errors);
    },
  );

  // Next steps.

  app.post(
    '/members/:memberId/contacts/:contactId/next-steps',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, contactId } = req.params;
      // Only someone who may add one is shown the form's problems (anyone else finds nothing here).
      await contacts.contactStatusForChange(ctx, memberId, contactId);
      const submitted = await submitForm(forms.nextStepForm, req.body, (data) =>
        contacts.addNextStep(ctx, memberId, contactId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`${memberBase(memberId)}/${contactId}#next-steps`, 303);
      }
      return contactPage(req, reply, submitted.values, submitted.errors);
    },
  );

  app.post(
    '/members/:memberId/contacts/:contactId/next-steps/:stepId/done',
    { config: { can: 'contact.record' } },
    async (req: Params<'memberId' | 'contactId' | 'stepId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, contactId, stepId } = req.params;
      await contacts.contactStatusForChange(ctx, memberId, contactId);
      const submitted = await submitForm(forms.nextStepDoneForm, req.body, (data) =>
        contacts.completeNextStep(ctx, memberId, contactId, stepId, data),
      );
      if (!submitted.ok) {
        // Only the hidden version can be wrong: the form was not one this service sent.
        return reply.redirect(`${memberBase(memberId)}/${contactId}`, 303);
      }
      return reply.redirect(returnTo(req, `${memberBase(memberId)}/${contactId}#next-steps`), 303);
    },
  );

  // Caseloads.

  const caseloadPage = (reply: FastifyReply, caseload: contacts.Caseload, req: FastifyRequest) => {
    const today = dayInLondon(deps.clock.now());
    return renderPage(reply, 'caseload.njk', {
      title: caseload.mine ? 'My caseload' : `Caseload of ${caseload.worker.fullName}`,
      caseload,
      people: caseload.people.map((p) => ({
        ...p,
        lastText: p.lastContactAt ? formatDate(p.lastContactAt) : 'No contact yet',
        nextText: p.nextPlannedAt ? formatDateTime(p.nextPlannedAt) : '',
        dueText: p.due
          ? p.daysOverdue === 0
            ? 'Due a contact today'
            : `Due a contact: ${p.daysOverdue} day${p.daysOverdue === 1 ? '' : 's'} overdue`
          : `Next contact due by ${formatDate(p.dueOn)}`,
      })),
      dueCount: caseload.people.filter((p) => p.due).length,
      nextSteps: caseload.nextSteps.map((s) => ({
        ...s,
        dueText: s.dueOn ? formatDate(s.dueOn) : 'No date set',
        overdue: s.dueOn !== null && s.dueOn < today,
        path: `${memberBase(s.memberId)}/${s.contactId}`,
      })),
      canSeeAll: can(req.actor, 'caseload.read_any'),
      columns: 'full',
      back: caseload.mine ? undefined : { href: '/caseloads', text: 'Back to caseloads' },
    });
  };

  app.get('/caseload', { config: { can: 'caseload.read_own' } }, async (req, reply) =>
    caseloadPage(reply, await contacts.viewCaseload(ctxOf(req, deps), undefined), req),
  );

  app.get('/caseloads', { config: { can: 'caseload.read_any' } }, async (req, reply) => {
    const sizes = await contacts.caseloadSizes(ctxOf(req, deps));
    return renderPage(reply, 'caseload-sizes.njk', {
      title: 'Caseloads',
      sizes,
      total: sizes.reduce((sum, s) => sum + s.people, 0),
    });
  });

  app.get(
    '/caseloads/:staffId',
    { config: { can: 'caseload.read_any' } },
    async (req: Params<'staffId'>, reply) =>
      caseloadPage(reply, await contacts.viewCaseload(ctxOf(req, deps), req.params.staffId), req),
  );
}
