import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../../context.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can, SHARING_CATEGORIES } from '../../policy/index.ts';
import type { AgreementStatus } from './agreement.ts';
import * as agreements from './agreements.service.ts';
import { linkDateInputs } from './form-errors.ts';
import * as forms from './organisations.forms.ts';

const DATE_INPUTS = ['startsOn', 'endsOn'] as const;

/** How each status is tagged on screen. */
export const STATUS_TAGS: Record<AgreementStatus, { text: string; classes: string }> = {
  in_force: { text: 'In force', classes: 'nhsuk-tag--green' },
  not_started: { text: 'Not started', classes: 'nhsuk-tag--blue' },
  ended: { text: 'Ended', classes: 'nhsuk-tag--grey' },
};

/**
 * The parties' checkboxes and, for every organisation, the checkboxes for what it may see, with
 * what was ticked.
 *
 * @param ctx - the request context.
 * @param values - the form's values.
 * @param errors - the form's errors, for each organisation's group.
 * @returns the items for the page.
 */
async function choiceItems(ctx: Ctx, values: Record<string, unknown>, errors?: FormErrors) {
  const choices = await agreements.agreementOrganisationChoices(ctx);
  const parties = [values.parties ?? []].flat();
  return {
    partyItems: choices.map((o) => ({ value: o.id, text: o.name, checked: parties.includes(o.id) })),
    grantGroups: choices.map((o) => {
      const ticked = [values[`grants-${o.id}`] ?? []].flat();
      return {
        name: `grants-${o.id}`,
        organisationName: o.name,
        errorMessage: errors?.errors[`grants-${o.id}`],
        items: Object.entries(SHARING_CATEGORIES).map(([value, text]) => ({
          value,
          text,
          checked: ticked.includes(value),
        })),
      };
    }),
  };
}

function datePartsOf(name: string, date: string | null): Record<string, string> {
  const [year = '', month = '', day = ''] = date ? date.split('-') : [];
  return {
    [`${name}-day`]: day.replace(/^0/, ''),
    [`${name}-month`]: month.replace(/^0/, ''),
    [`${name}-year`]: year,
  };
}

const valuesOf = (agreement: agreements.Agreement) => ({
  name: agreement.name,
  ...datePartsOf('startsOn', agreement.startsOn),
  ...datePartsOf('endsOn', agreement.endsOn),
  parties: agreement.parties.map((party) => party.organisationId),
  ...Object.fromEntries(
    agreement.parties.map((party) => [`grants-${party.organisationId}`, party.categories]),
  ),
  version: agreement.version,
});

/**
 * Registers the pages for information-sharing agreements.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerAgreementPages(app: FastifyInstance, deps: Deps): void {
  app.get('/agreements', { config: { can: 'agreement.list' } }, async (req, reply) => {
    const list = await agreements.listAgreements(ctxOf(req, deps));
    return renderPage(reply, 'agreement-list.njk', {
      title: 'Sharing agreements',
      columns: 'full',
      agreements: list,
      statusTags: STATUS_TAGS,
      canAdd: can(req.actor, 'agreement.manage'),
    });
  });

  const formPage = async (
    template: 'agreement-new.njk' | 'agreement-edit.njk',
    ctx: Ctx,
    reply: FastifyReply,
    data: Record<string, unknown> & { values: Record<string, unknown> },
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      template,
      { ...data, ...(await choiceItems(ctx, data.values, errors)) },
      errors && linkDateInputs(errors, DATE_INPUTS),
    );

  app.get('/agreements/new', { config: { can: 'agreement.manage' } }, (req, reply) =>
    formPage('agreement-new.njk', ctxOf(req, deps), reply, { title: 'Make a sharing agreement', values: {} }),
  );

  app.post('/agreements/new', { config: { can: 'agreement.manage' } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const submitted = await submitForm(forms.newAgreementForm, req.body, (data) =>
      agreements.createAgreement(ctx, data),
    );
    if (submitted.ok) {
      return reply.redirect(`/agreements/${submitted.result}`, 303);
    }
    return formPage(
      'agreement-new.njk',
      ctx,
      reply,
      { title: 'Make a sharing agreement', values: submitted.values },
      submitted.errors,
    );
  });

  app.get(
    '/agreements/:agreementId',
    { config: { can: 'agreement.read' } },
    async (req: Params<'agreementId'>, reply) => {
      const agreement = await agreements.viewAgreement(ctxOf(req, deps), req.params.agreementId);
      const record = { organisationIds: agreement.parties.map((party) => party.organisationId) };
      return renderPage(reply, 'agreement-show.njk', {
        title: agreement.name,
        agreement,
        statusTags: STATUS_TAGS,
        categories: SHARING_CATEGORIES,
        canManage: can(req.actor, 'agreement.manage', record),
      });
    },
  );

  app.get(
    '/agreements/:agreementId/edit',
    { config: { can: 'agreement.manage' } },
    async (req: Params<'agreementId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const agreement = await agreements.agreementForChange(ctx, req.params.agreementId);
      return formPage('agreement-edit.njk', ctx, reply, {
        title: 'Change sharing agreement',
        agreement,
        values: valuesOf(agreement),
      });
    },
  );

  app.post(
    '/agreements/:agreementId/edit',
    { config: { can: 'agreement.manage' } },
    async (req: Params<'agreementId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const submitted = await submitForm(forms.agreementForm, req.body, (data) =>
        agreements.changeAgreement(ctx, req.params.agreementId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/agreements/${req.params.agreementId}`, 303);
      }
      const agreement = await agreements.agreementForChange(ctx, req.params.agreementId);
      return formPage(
        'agreement-edit.njk',
        ctx,
        reply,
        { title: 'Change sharing agreement', agreement, values: submitted.values },
        submitted.errors,
      );
    },
  );
}
