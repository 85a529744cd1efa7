import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can } from '../../policy/index.ts';
import { registerAgreementPages, STATUS_TAGS } from './agreements.pages.ts';
import * as forms from './organisations.forms.ts';
import * as organisations from './organisations.service.ts';
import { registerServicePages } from './services.pages.ts';

const kindItems = (selected: unknown) =>
  Object.entries(forms.ORGANISATION_KINDS).map(([value, text]) => ({
    value,
    text,
    checked: selected === value,
  }));

/**
 * Registers the organisation, locality, base, service and sharing-agreement administration pages.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerOrganisationPages(app: FastifyInstance, deps: Deps): void {
  app.get('/organisations', { config: { can: 'organisation.list' } }, async (req, reply) => {
    const list = await organisations.listOrganisations(ctxOf(req, deps));
    return renderPage(reply, 'organisation-list.njk', {
      title: 'Organisations',
      columns: 'full',
      organisations: list,
      kinds: forms.ORGANISATION_KINDS,
      canAdd: can(req.actor, 'organisation.create'),
    });
  });

  // Adding a partner organisation.

  const newPage = (reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) =>
    renderFormPage(
      reply,
      'organisation-new.njk',
      { title: 'Add a partner organisation', values, kindItems: kindItems(values.kind) },
      errors,
    );

  app.get('/organisations/new', { config: { can: 'organisation.create' } }, (_req, reply) =>
    newPage(reply, {}),
  );

  app.post('/organisations/new', { config: { can: 'organisation.create' } }, async (req, reply) => {
    const submitted = await submitForm(forms.newOrganisationForm, req.body, (data) =>
      organisations.addPartnerOrganisation(ctxOf(req, deps), data),
    );
    if (!submitted.ok) {
      return newPage(reply, submitted.values, submitted.errors);
    }
    return reply.redirect(`/organisations/${submitted.result.id}`, 303);
  });

  // An organisation's page.

  app.get(
    '/organisations/:organisationId',
    { config: { can: 'organisation.read' } },
    async (req: Params<'organisationId'>, reply) => {
      const view = await organisations.viewOrganisation(ctxOf(req, deps), req.params.organisationId);
      return renderPage(reply, 'organisation-show.njk', {
        title: view.organisation.name,
        ...view,
        kinds: forms.ORGANISATION_KINDS,
        statusTags: STATUS_TAGS,
        canEdit: can(req.actor, 'organisation.edit', { organisationIds: [view.organisation.id] }),
        canList: can(req.actor, 'organisation.list'),
      });
    },
  );

  // Changing its details.

  const editPage = (
    reply: FastifyReply,
    organisation: organisations.Organisation,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'organisation-edit.njk',
      { title: 'Change organisation details', organisation, values, kindItems: kindItems(values.kind) },
      errors,
    );

  app.get(
    '/organisations/:organisationId/edit',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) => {
      const { organisation } = await organisations.organisationForChange(
        ctxOf(req, deps),
        req.params.organisationId,
      );
      const { name, kind, odsCode, version } = organisation;
      return editPage(reply, organisation, { name, kind, odsCode: odsCode ?? '', version });
    },
  );

  app.post(
    '/organisations/:organisationId/edit',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const submitted = await submitForm(forms.organisationDetailsForm, req.body, (data) =>
        organisations.changeOrganisationDetails(ctx, req.params.organisationId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/organisations/${req.params.organisationId}`, 303);
      }
      const { organisation } = await organisations.organisationForChange(ctx, req.params.organisationId);
      return editPage(reply, organisation, submitted.values, submitted.errors);
    },
  );

  // Adding a locality.

  const localityPage = (
    reply: FastifyReply,
    organisation: organisations.Organisation,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) => renderFormPage(reply, 'locality-new.njk', { title: 'Add a locality', organisation, values }, errors);

  app.get(
    '/organisations/:organisationId/add-locality',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) => {
      const { organisation } = await organisations.organisationForChange(
        ctxOf(req, deps),
        req.params.organisationId,
      );
      return localityPage(reply, organisation, {});
    },
  );

  app.post(
    '/organisations/:organisationId/add-locality',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const submitted = await submitForm(forms.localityForm, req.body, (data) =>
        organisations.addLocality(ctx, req.params.organisationId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/organisations/${req.params.organisationId}#localities`, 303);
      }
      const { organisation } = await organisations.organisationForChange(ctx, req.params.organisationId);
      return localityPage(reply, organisation, submitted.values, submitted.errors);
    },
  );

  // Adding a base.

  const basePage = (
    reply: FastifyReply,
    { organisation, localities }: Awaited<ReturnType<typeof organisations.organisationForChange>>,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'base-new.njk',
      {
        title: 'Add a base',
        organisation,
        values,
        localityItems: [
          { value: '', text: 'No locality' },
          ...localities.map((locality) => ({
            value: locality.id,
            text: locality.name,
            selected: values.localityId === locality.id,
          })),
        ],
      },
      errors,
    );

  app.get(
    '/organisations/:organisationId/add-base',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) =>
      basePage(
        reply,
        await organisations.organisationForChange(ctxOf(req, deps), req.params.organisationId),
        {},
      ),
  );

  app.post(
    '/organisations/:organisationId/add-base',
    { config: { can: 'organisation.edit' } },
    async (req: Params<'organisationId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const submitted = await submitForm(forms.baseForm, req.body, (data) =>
        organisations.addBase(ctx, req.params.organisationId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/organisations/${req.params.organisationId}#bases`, 303);
      }
      return basePage(
        reply,
        await organisations.organisationForChange(ctx, req.params.organisationId),
        submitted.values,
        submitted.errors,
      );
    },
  );

  registerServicePages(app, deps);
  registerAgreementPages(app, deps);
}
