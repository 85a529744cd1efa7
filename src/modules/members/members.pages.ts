import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { formatNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import { can } from '../../policy/index.ts';
import {
  CHOOSABLE_ETHNIC_CODES,
  ETHNIC_CATEGORIES,
  PREFER_NOT_TO_SAY,
  ethnicCategoryLabel,
} from './ethnic-categories.ts';
import * as forms from './members.forms.ts';
import * as members from './members.service.ts';

type Values = Record<string, unknown>;

/** Ticked or chosen options for the NHS checkboxes and radios macros. */
function items(labels: Record<string, string>, chosen: unknown) {
  const list = [chosen ?? []].flat().map(String);
  return Object.entries(labels).map(([value, text]) => ({ value, text, checked: list.includes(value) }));
}

const YES_NO = { yes: 'Yes', no: 'No' };

/**
 * The date inputs' error summary links go to their first box (the day), as the NHS date input pattern
 * asks: the fieldset itself cannot take focus.
 *
 * @param errors - the page's errors.
 * @returns the errors with those links changed.
 */
function linkDateInputs(errors: FormErrors | undefined): FormErrors | undefined {
  if (!errors) {
    return undefined;
  }
  const dates: readonly string[] = forms.DATE_INPUTS;
  return {
    ...errors,
    errorList: errors.errorList.map((item) =>
      dates.includes(item.href.slice(1)) ? { ...item, href: `${item.href}-day` } : item,
    ),
  };
}

const dateValues = (name: string, date: string | null): Values => {
  const [year, month, day] = date ? date.split('-') : [];
  return {
    [`${name}-day`]: day ? String(Number(day)) : '',
    [`${name}-month`]: month ? String(Number(month)) : '',
    [`${name}-year`]: year ?? '',
  };
};

const yesNoValue = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');

/** The form's values for a member as they are now, for each change page. */
const initialValues = {
  details: (m: members.MemberRow): Values => ({
    legalName: m.legal_name,
    preferredName: m.preferred_name ?? '',
    pronouns: m.pronouns ?? '',
    ...dateValues('dateOfBirth', m.date_of_birth),
    nhsNumber: m.nhs_number ? formatNhsNumber(m.nhs_number) : '',
    gpPractice: m.gp_practice ?? '',
    version: m.version,
  }),
  contact: (m: members.MemberRow): Values => ({
    contactMethods: m.contact_methods,
    phone: m.phone ?? '',
    email: m.email ?? '',
    postalAddress: m.postal_address ?? '',
    postcode: m.postcode ?? '',
    safeToLeaveMessage: yesNoValue(m.safe_to_leave_message),
    bestTimes: m.best_times ?? '',
    communicationNeeds: m.communication_needs,
    preferredLanguage: m.preferred_language ?? '',
    communicationNeedsOther: m.communication_needs_other ?? '',
    version: m.version,
  }),
  emergency: (m: members.MemberRow): Values => ({
    emergencyContactName: m.emergency_contact_name ?? '',
    emergencyContactRelationship: m.emergency_contact_relationship ?? '',
    emergencyContactPhone: m.emergency_contact_phone ?? '',
    version: m.version,
  }),
  equality: (m: members.MemberRow): Values => ({
    ethnicCategory: m.ethnic_category ?? '',
    version: m.version,
  }),
};

/** The equality monitoring radios: the NHS categories, then "Prefer not to say". */
function ethnicItems(chosen: unknown) {
  return [
    ...ETHNIC_CATEGORIES.map((category) => ({
      value: category.code,
      text: `${category.group} – ${category.text}`,
      checked: chosen === category.code,
    })),
    { divider: 'or' },
    { value: PREFER_NOT_TO_SAY, text: 'Prefer not to say', checked: chosen === PREFER_NOT_TO_SAY },
  ];
}

/** The labels every record template uses. */
const LABELS = {
  contactMethodLabels: forms.CONTACT_METHOD_LABELS,
  communicationNeedLabels: forms.COMMUNICATION_NEED_LABELS,
};

/**
 * Registers the member record pages for staff: finding a person, their record, and changing it.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerMemberPages(app: FastifyInstance, deps: Deps): void {
  const today = () => dayInLondon(deps.clock.now());

  // Finding a person. The search is posted, not put in the address: a name must never be in a URL
  // (browser history, server logs).

  const listPage = (
    reply: FastifyReply,
    values: Values,
    people: members.MemberSummary[],
    searched: boolean,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'member-list.njk',
      { title: 'People', columns: 'full', values, people, searched },
      linkDateInputs(errors),
    );

  app.get('/members', { config: { can: 'member.list' } }, async (req, reply) =>
    listPage(reply, {}, await members.searchMembers(ctxOf(req, deps), {}), false),
  );

  app.post('/members', { config: { can: 'member.list' } }, async (req, reply) => {
    const submitted = await submitForm(forms.searchForm(today()), req.body, (data) =>
      members.searchMembers(ctxOf(req, deps), data),
    );
    return submitted.ok
      ? listPage(reply, (req.body ?? {}) as Values, submitted.result, true)
      : listPage(reply, submitted.values, [], true, submitted.errors);
  });

  // The record.

  app.get(
    '/members/:memberId',
    { config: { can: 'member.read' } },
    async (req: Params<'memberId'>, reply) => {
      const record = await members.viewMemberRecord(ctxOf(req, deps), req.params.memberId);
      const { member } = record;
      return renderPage(reply, 'member-show.njk', {
        title: member.preferred_name ?? member.legal_name,
        columns: 'full',
        record,
        member,
        nhsNumber: member.nhs_number ? formatNhsNumber(member.nhs_number) : null,
        ethnicCategory: record.whole ? ethnicCategoryLabel(record.member.ethnic_category) : null,
        // The member's plans and one-to-one contacts live in their own modules; each page checks
        // the sharing rules again, so these links only save a worker a dead end.
        supportLinks: {
          plans: can(req.actor, 'plan.list'),
          crisis: can(req.actor, 'plan.list'),
          contacts: can(req.actor, 'contact.list'),
        },
        ...LABELS,
      });
    },
  );

  // The change pages for the member's own row: each loads the member, shows the form with what is
  // recorded now and the version, and on a valid save changes only that part.

  type MemberEdit<S extends z.ZodType> = {
    path: string;
    template: string;
    title: string;
    anchor: string;
    form: () => S;
    initial: (member: members.MemberRow) => Values;
    extra?: (values: Values) => Values;
    save: (ctx: ReturnType<typeof ctxOf>, memberId: string, data: z.output<S>) => Promise<void>;
  };

  function registerMemberEdit<S extends z.ZodType>(edit: MemberEdit<S>) {
    const page = (reply: FastifyReply, member: members.MemberRow, values: Values, errors?: FormErrors) =>
      renderFormPage(
        reply,
        edit.template,
        { title: edit.title, member, values, ...LABELS, ...edit.extra?.(values) },
        linkDateInputs(errors),
      );

    app.get(
      `/members/:memberId/${edit.path}`,
      { config: { can: 'member.edit' } },
      async (req: Params<'memberId'>, reply) => {
        const member = await members.memberForChange(ctxOf(req, deps), req.params.memberId);
        return page(reply, member, edit.initial(member));
      },
    );

    app.post(
      `/members/:memberId/${edit.path}`,
      { config: { can: 'member.edit' } },
      async (req: Params<'memberId'>, reply) => {
        const ctx = ctxOf(req, deps);
        // Loaded first, so a member the worker may not change answers 404 whatever was posted.
        const member = await members.memberForChange(ctx, req.params.memberId);
        const submitted = await submitForm(edit.form(), req.body, (data) => edit.save(ctx, member.id, data));
        if (submitted.ok) {
          return reply.redirect(`/members/${member.id}#${edit.anchor}`, 303);
        }
        return page(reply, member, submitted.values, submitted.errors);
      },
    );
  }

  registerMemberEdit({
    path: 'details',
    template: 'member-details.njk',
    title: 'Change personal details',
    anchor: 'personal-details',
    form: () => forms.detailsForm(today()),
    initial: initialValues.details,
    save: members.changePersonalDetails,
  });

  registerMemberEdit({
    path: 'contact',
    template: 'member-contact.njk',
    title: 'Change contact details and communication needs',
    anchor: 'contact-details',
    form: () => forms.contactForm,
    initial: initialValues.contact,
    extra: (values) => ({
      contactItems: items(forms.CONTACT_METHOD_LABELS, values.contactMethods),
      messageItems: [
        ...items(YES_NO, values.safeToLeaveMessage),
        { value: '', text: 'Not known', checked: !values.safeToLeaveMessage },
      ],
      needItems: items(forms.COMMUNICATION_NEED_LABELS, values.communicationNeeds),
    }),
    save: members.changeContactDetails,
  });

  registerMemberEdit({
    path: 'emergency-contact',
    template: 'member-emergency-contact.njk',
    title: 'Change emergency contact',
    anchor: 'emergency-contact',
    form: () => forms.emergencyContactForm,
    initial: initialValues.emergency,
    save: members.changeEmergencyContact,
  });

  registerMemberEdit({
    path: 'equality',
    template: 'member-equality.njk',
    title: 'What is their ethnic group?',
    anchor: 'equality-monitoring',
    form: () => forms.equalityForm,
    initial: initialValues.equality,
    extra: (values) => ({
      ethnicItems: ethnicItems(
        CHOOSABLE_ETHNIC_CODES.includes(String(values.ethnicCategory)) ? values.ethnicCategory : undefined,
      ),
    }),
    save: members.changeEqualityMonitoring,
  });

  // People around them.

  const personPage = (
    reply: FastifyReply,
    member: members.MemberRow,
    person: members.MemberPerson | undefined,
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'member-person.njk',
      {
        title: person ? 'Change their details' : 'Add a person around them',
        member,
        person,
        values,
        carerItems: items(YES_NO, values.isCarer),
        mayContactItems: items(YES_NO, values.mayContact),
      },
      errors,
    );

  app.get(
    '/members/:memberId/people/new',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId'>, reply) =>
      personPage(reply, await members.memberForChange(ctxOf(req, deps), req.params.memberId), undefined, {}),
  );

  app.post(
    '/members/:memberId/people/new',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const member = await members.memberForChange(ctx, req.params.memberId);
      const submitted = await submitForm(forms.newPersonForm, req.body, (data) =>
        members.addPerson(ctx, member.id, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/members/${member.id}#people`, 303);
      }
      return personPage(reply, member, undefined, submitted.values, submitted.errors);
    },
  );

  app.get(
    '/members/:memberId/people/:personId',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId' | 'personId'>, reply) => {
      const { member, person } = await members.personForChange(
        ctxOf(req, deps),
        req.params.memberId,
        req.params.personId,
      );
      return personPage(reply, member, person, {
        name: person.name,
        relationship: person.relationship,
        isCarer: person.isCarer ? 'yes' : 'no',
        phone: person.phone ?? '',
        email: person.email ?? '',
        mayContact: person.mayContact ? 'yes' : 'no',
        version: person.version,
      });
    },
  );

  app.post(
    '/members/:memberId/people/:personId',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId' | 'personId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { member, person } = await members.personForChange(ctx, req.params.memberId, req.params.personId);
      const submitted = await submitForm(forms.personForm, req.body, (data) =>
        members.changePerson(ctx, member.id, person.id, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/members/${member.id}#people`, 303);
      }
      return personPage(reply, member, person, submitted.values, submitted.errors);
    },
  );

  // Consent and information-sharing choices.

  const consentPage = (reply: FastifyReply, member: members.MemberRow, values: Values, errors?: FormErrors) =>
    renderFormPage(
      reply,
      'member-consent-new.njk',
      {
        title: 'Record a consent choice',
        member,
        values,
        givenItems: items({ given: 'They gave consent', refused: 'They refused consent' }, values.given),
      },
      errors,
    );

  app.get(
    '/members/:memberId/consents/new',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId'>, reply) =>
      consentPage(reply, await members.memberForChange(ctxOf(req, deps), req.params.memberId), {}),
  );

  app.post(
    '/members/:memberId/consents/new',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const member = await members.memberForChange(ctx, req.params.memberId);
      const submitted = await submitForm(forms.consentForm, req.body, (data) =>
        members.recordConsent(ctx, member.id, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/members/${member.id}#consent`, 303);
      }
      return consentPage(reply, member, submitted.values, submitted.errors);
    },
  );

  app.get(
    '/members/:memberId/consents/:consentId/withdraw',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId' | 'consentId'>, reply) => {
      const { member, consent } = await members.consentForWithdrawal(
        ctxOf(req, deps),
        req.params.memberId,
        req.params.consentId,
      );
      return renderPage(reply, 'member-consent-withdraw.njk', {
        title: 'Record that consent is withdrawn',
        member,
        consent,
      });
    },
  );

  app.post(
    '/members/:memberId/consents/:consentId/withdraw',
    { config: { can: 'member.edit' } },
    async (req: Params<'memberId' | 'consentId'>, reply) => {
      const ctx = ctxOf(req, deps);
      await members.withdrawConsent(ctx, req.params.memberId, req.params.consentId);
      return reply.redirect(`/members/${req.params.memberId}#consent`, 303);
    },
  );
}
