import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../../context.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can } from '../../policy/index.ts';
import * as forms from './organisations.forms.ts';
import * as services from './services.service.ts';

/**
 * The lead organisation's options and the delivering organisations' checkboxes, with what was chosen.
 *
 * @param ctx - the request context.
 * @param values - the form's values.
 * @returns the items for the select and the checkboxes.
 */
async function organisationItems(ctx: Ctx, values: Record<string, unknown>) {
  const choices = await services.serviceOrganisationChoices(ctx);
  const delivering = [values.organisationIds ?? []].flat();
  return {
    leadItems: [
      { value: '', text: 'Select the lead organisation' },
      ...choices.map((o) => ({ value: o.id, text: o.name, selected: values.leadOrganisationId === o.id })),
    ],
    deliveringItems: choices.map((o) => ({ value: o.id, text: o.name, checked: delivering.includes(o.id) })),
  };
}

const valuesOf = (service: services.Service) => ({
  name: service.name,
  description: service.description,
  leadOrganisationId: service.leadOrganisationId,
  organisationIds: service.organisations.map((organisation) => organisation.id),
  firstContactWorkingDays: String(service.firstContactWorkingDays),
  nonEngagementWeeks: String(service.nonEngagementWeeks),
  doorOpenWeeks: String(service.doorOpenWeeks),
  version: service.version,
});

/**
 * Registers the pages for the services the partnership delivers.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerServicePages(app: FastifyInstance, deps: Deps): void {
  app.get('/services', { config: { can: 'service.list' } }, async (req, reply) => {
    const list = await services.listServices(ctxOf(req, deps));
    return renderPage(reply, 'service-list.njk', {
      title: 'Services',
      columns: 'full',
      services: list,
      canAdd: can(req.actor, 'service.manage'),
    });
  });

  const newPage = async (
    ctx: Ctx,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'service-new.njk',
      { title: 'Add a service', values, ...(await organisationItems(ctx, values)) },
      errors,
    );

  app.get('/services/new', { config: { can: 'service.manage' } }, (req, reply) =>
    newPage(ctxOf(req, deps), reply, {
      firstContactWorkingDays: '5',
      nonEngagementWeeks: '4',
      doorOpenWeeks: '26',
    }),
  );

  app.post('/services/new', { config: { can: 'service.manage' } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const submitted = await submitForm(forms.newServiceForm, req.body, (data) =>
      services.createService(ctx, data),
    );
    if (!submitted.ok) {
      return newPage(ctx, reply, submitted.values, submitted.errors);
    }
    return reply.redirect(`/services/${submitted.result}`, 303);
  });

  app.get(
    '/services/:serviceId',
    { config: { can: 'service.read' } },
    async (req: Params<'serviceId'>, reply) => {
      const service = await services.viewService(ctxOf(req, deps), req.params.serviceId);
      const record = { organisationIds: service.organisations.map((organisation) => organisation.id) };
      return renderPage(reply, 'service-show.njk', {
        title: service.name,
        service,
        canManage: can(req.actor, 'service.manage', record),
        // Link to an organisation's page only for someone who may open it.
        linkable: service.organisations
          .filter((organisation) =>
            can(req.actor, 'organisation.read', { organisationIds: [organisation.id] }),
          )
          .map((organisation) => organisation.id),
      });
    },
  );

  const editPage = async (
    ctx: Ctx,
    reply: FastifyReply,
    service: services.Service,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'service-edit.njk',
      { title: 'Change service', service, values, ...(await organisationItems(ctx, values)) },
      errors,
    );

  app.get(
    '/services/:serviceId/edit',
    { config: { can: 'service.manage' } },
    async (req: Params<'serviceId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const service = await services.serviceForChange(ctx, req.params.serviceId);
      return editPage(ctx, reply, service, valuesOf(service));
    },
  );

  app.post(
    '/services/:serviceId/edit',
    { config: { can: 'service.manage' } },
    async (req: Params<'serviceId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const submitted = await submitForm(forms.serviceForm, req.body, (data) =>
        services.changeService(ctx, req.params.serviceId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/services/${req.params.serviceId}`, 303);
      }
      const service = await services.serviceForChange(ctx, req.params.serviceId);
      return editPage(ctx, reply, service, submitted.values, submitted.errors);
    },
  );
}
