import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { formatNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import { REFERRAL_SOURCES } from './referral-sources.ts';
import { REFERRAL_STATUS_LABELS } from './referral-status.ts';
import { COMMUNICATION_NEEDS, CONTACT_METHODS } from './referrals.forms.ts';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  inboxFilterForm,
  linkPersonForm,
  OUTCOMES,
  contactAttemptForm,
  outcomeForm,
  welcomeForm,
} from './triage.forms.ts';
import { readSafetyInformation } from './safety-information.service.ts';
import * as triage from './triage.service.ts';

const DUPLICATE_MATCH_LABELS = {
  name: 'Name',
  date_of_birth: 'Date of birth',
  nhs_number: 'NHS number',
  postcode: 'Postcode',
  email: 'Email',
  phone: 'Phone',
} as const;

/**
 * Radio or checkbox items from a table of labels, with what was chosen checked.
 *
 * @param labels - the values and their words on screen.
 * @param chosen - the chosen value, if any.
 * @returns the items for the nhsuk macro.
 */
function itemsOf(labels: Readonly<Record<string, string>>, chosen: unknown) {
  return Object.entries(labels).map(([value, text]) => ({ value, text, checked: chosen === value }));
}

/**
 * The referral inbox and the triage of one referral: log contact attempts, book the welcome
 * conversation, check whether the person is already known and link them, and close the referral with
 * its outcome and reason (accepting starts an episode of support).
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerTriagePages(app: FastifyInstance, deps: Deps): void {
  app.get('/referrals', { config: { can: 'referral.list' } }, async (req, reply) => {
    const filter = inboxFilterForm.parse(req.query ?? {});
    const { referrals, total, pageSize, services } = await triage.listReferrals(ctxOf(req, deps), filter);
    // Previous and next keep the filters: the address says what is shown, so it can be shared or bookmarked.
    const pageHref = (page: number) =>
      `/referrals?${new URLSearchParams({
        status: filter.status,
        ...(filter.source && { source: filter.source }),
        ...(filter.service && { service: filter.service }),
        age: filter.age,
        ...(filter.overdue && { overdue: filter.overdue }),
        page: String(page),
      }).toString()}`;
    const lastPage = Math.max(1, Math.ceil(total / pageSize));
    const option = (value: string, text: string, chosen: unknown) => ({
      value,
      text,
      selected: chosen === value,
    });
    return renderPage(reply, 'referral-inbox.njk', {
      title: 'Referrals',
      columns: 'full',
      referrals,
      filter,
      total,
      shownFrom: total === 0 ? 0 : (filter.page - 1) * pageSize + 1,
      shownTo: (filter.page - 1) * pageSize + referrals.length,
      previous:
        filter.page > 1
          ? { href: pageHref(Math.min(filter.page - 1, lastPage)), labelText: 'Previous' }
          : undefined,
      next: filter.page < lastPage ? { href: pageHref(filter.page + 1), labelText: 'Next' } : undefined,
      statusLabels: REFERRAL_STATUS_LABELS,
      sourceLabels: REFERRAL_SOURCES,
      statusItems: [
        option('open', 'Waiting for an outcome', filter.status),
        option('new', 'New', filter.status),
        option('contact_attempted', 'Contact attempted', filter.status),
        option('welcome_booked', 'Welcome conversation booked', filter.status),
        option('closed', 'Closed', filter.status),
        option('all', 'All', filter.status),
      ],
      sourceItems: [
        option('', 'Any', filter.source ?? ''),
        ...Object.entries(REFERRAL_SOURCES).map(([value, text]) => option(value, text, filter.source)),
      ],
      serviceItems: [
        option('', 'Any', filter.service ?? ''),
        ...services.map((s) => option(s.id, s.name, filter.service)),
      ],
      ageItems: [
        option('any', 'Any time', filter.age),
        option('week', 'In the last 7 days', filter.age),
        option('month', 'In the last 4 weeks', filter.age),
        option('older', 'More than 4 weeks ago', filter.age),
      ],
    });
  });

  app.get(
    '/referrals/:referralId',
    { config: { can: 'referral.read' } },
    async (req: Params<'referralId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const referral = await triage.viewReferral(ctx, req.params.referralId);
      return renderPage(reply, 'referral-show.njk', {
        title: `Referral ${referral.reference}`,
        referral,
        safetyInformation: await readSafetyInformation(ctx, referral),
        nhsNumber: referral.nhs_number ? formatNhsNumber(referral.nhs_number) : undefined,
        statusLabels: REFERRAL_STATUS_LABELS,
        sourceLabels: REFERRAL_SOURCES,
        contactMethodLabels: CONTACT_METHODS,
        communicationNeedLabels: COMMUNICATION_NEEDS,
        channelLabels: CONTACT_CHANNELS,
        outcomeLabels: CONTACT_OUTCOMES,
        back: { href: '/referrals', text: 'Back to referrals' },
      });
    },
  );

  /**
   * Registers one triage form: a page to fill in, and its post, which on success goes back to the
   * referral and on errors shows the same page with what was typed.
   *
   * @param path - the form's address under the referral.
   * @param template - the page's template.
   * @param title - the page's heading.
   * @param schema - the form.
   * @param act - the use case, given the context, the referral and the form's data.
   * @param extra - the page's own values, from the referral.
   */
  function triageForm<S extends z.ZodType>(
    path: string,
    template: string,
    title: string,
    schema: S,
    act: (req: FastifyRequest, referralId: string, data: z.output<S>) => Promise<unknown>,
    extra: (
      req: FastifyRequest,
      referral: Awaited<ReturnType<typeof triage.referralForTriage>>,
    ) => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
  ): void {
    const show = async (
      req: Params<'referralId'>,
      reply: FastifyReply,
      values: Record<string, unknown> | undefined,
      errors?: FormErrors,
    ) => {
      const referral = await triage.referralForTriage(ctxOf(req, deps), req.params.referralId);
      return renderFormPage(
        reply,
        template,
        {
          title,
          referral,
          values: values ?? { version: referral.version },
          back: { href: `/referrals/${referral.id}`, text: `Back to referral ${referral.reference}` },
          ...(await extra(req, referral)),
        },
        errors,
      );
    };
    app.get(
      `/referrals/:referralId/${path}`,
      { config: { can: 'referral.triage' } },
      (req: Params<'referralId'>, reply) => show(req, reply, undefined),
    );
    app.post(
      `/referrals/:referralId/${path}`,
      { config: { can: 'referral.triage' } },
      async (req: Params<'referralId'>, reply) => {
        const submitted = await submitForm(schema, req.body, (data) => act(req, req.params.referralId, data));
        if (!submitted.ok) {
          return show(req, reply, submitted.values, submitted.errors);
        }
        return reply.redirect(`/referrals/${req.params.referralId}`, 303);
      },
    );
  }

  triageForm(
    'contact-attempts/new',
    'referral-contact-attempt.njk',
    'Record an attempt to contact them',
    contactAttemptForm,
    (req, id, data) => triage.logContactAttempt(ctxOf(req, deps), id, data),
    () => ({ channelLabels: CONTACT_CHANNELS, outcomeLabels: CONTACT_OUTCOMES, itemsOf }),
  );

  triageForm(
    'welcome',
    'referral-welcome.njk',
    'Book the welcome conversation',
    welcomeForm,
    (req, id, data) => triage.bookWelcome(ctxOf(req, deps), id, data),
  );

  triageForm(
    'person',
    'referral-person.njk',
    'Check whether this person is already known',
    linkPersonForm,
    (req, id, data) => triage.linkPerson(ctxOf(req, deps), id, data),
    async (req, referral) => {
      const { candidates } = await triage.possiblePeople(ctxOf(req, deps), referral.id);
      return {
        candidates: candidates.map((c) => ({
          ...c,
          nhsNumber: c.nhsNumber ? formatNhsNumber(c.nhsNumber) : null,
          matchedLabels: c.matches.map((m) => DUPLICATE_MATCH_LABELS[m]),
        })),
        referralNhsNumber: referral.nhs_number ? formatNhsNumber(referral.nhs_number) : null,
      };
    },
  );

  triageForm(
    'outcome',
    'referral-outcome.njk',
    'Record the outcome',
    outcomeForm,
    (req, id, data) =>
      triage.closeReferral(ctxOf(req, deps), id, {
        outcome: data.outcome,
        reason: data.reason,
        where: data.where,
        anticipatedEnd: data.anticipatedEnd,
        version: data.version,
      }),
    () => ({ outcomeLabels: OUTCOMES, itemsOf }),
  );
}
