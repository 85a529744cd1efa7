import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { authorize, can, type PartnershipRecord, type StaffActor } from '../../policy/index.ts';
import { actingStaff, changedFields } from './organisations.service.ts';
import * as organisationsRepo from './organisations.repo.ts';
import * as repo from './services.repo.ts';

export type { Service } from './services.repo.ts';

/** What the service form sends, once validated. */
export type ServiceInput = {
  name: string;
  description?: string | undefined;
  leadOrganisationId: string;
  organisationIds: string[];
  firstContactWorkingDays: number;
  nonEngagementWeeks: number;
  doorOpenWeeks: number;
};

const serviceRecord = (service: repo.Service): PartnershipRecord => ({
  organisationIds: [
    service.leadOrganisationId,
    ...service.organisations.map((organisation) => organisation.id),
  ],
});

/**
 * Lists the services the actor may see: every one for the host organisation's administrators, only
 * those their organisation delivers for a partner's.
 *
 * @param ctx - the request context.
 * @returns the services, by name.
 */
export async function listServices(ctx: Ctx): Promise<repo.Service[]> {
  const actor = actingStaff(ctx.actor, 'service.list');
  const services = await repo.listServicesInScope(ctx.db, actor);
  return services.filter((service) => can(actor, 'service.read', serviceRecord(service)));
}

async function findService(
  ctx: Ctx,
  actor: StaffActor,
  serviceId: string,
  action: 'service.read' | 'service.manage',
) {
  const service = await repo.findServiceById(ctx.db, serviceId);
  if (!service) {
    throw new NotFound('service.not_found');
  }
  authorize(actor, action, serviceRecord(service));
  return service;
}

/**
 * Opens a service's page (and records that it was read).
 *
 * @param ctx - the request context.
 * @param serviceId - the service.
 * @returns the service.
 * @throws NotFound when there is no such service, or the actor's organisation does not deliver it.
 */
export async function viewService(ctx: Ctx, serviceId: string): Promise<repo.Service> {
  const actor = actingStaff(ctx.actor, 'service.read');
  return ctx.db.transaction().execute(async (tx) => {
    const service = await findService({ ...ctx, db: tx }, actor, serviceId, 'service.read');
    await audit(tx, ctx, { action: 'service.read', subject: { type: 'Service', id: service.id } });
    return service;
  });
}

/**
 * The organisations a service can be delivered by, for the form.
 *
 * @param ctx - the request context.
 * @returns the organisations the actor may choose from, by name.
 */
export async function serviceOrganisationChoices(ctx: Ctx): Promise<organisationsRepo.Organisation[]> {
  const actor = actingStaff(ctx.actor, 'service.manage');
  return organisationsRepo.listOrganisationsInScope(ctx.db, actor);
}

/**
 * Loads a service for its change page.
 *
 * @param ctx - the request context.
 * @param serviceId - the service.
 * @returns the service.
 * @throws NotFound when there is no such service, or the actor may not manage it.
 */
export async function serviceForChange(ctx: Ctx, serviceId: string): Promise<repo.Service> {
  return findService(ctx, actingStaff(ctx.actor, 'service.manage'), serviceId, 'service.manage');
}

/**
 * Checks the chosen organisations are ones the actor may choose, and adds the lead to those that
 * deliver the service (the lead always delivers it).
 */
async function deliveringOrganisations(ctx: Ctx, actor: StaffActor, input: ServiceInput): Promise<string[]> {
  const choices = new Set((await organisationsRepo.listOrganisationsInScope(ctx.db, actor)).map((o) => o.id));
  const problems: Record<string, string> = {};
  if (!choices.has(input.leadOrganisationId)) {
    problems.leadOrganisationId = 'Select the lead organisation';
  }
  if (!input.organisationIds.every((id) => choices.has(id))) {
    problems.organisationIds = 'Select organisations from the list';
  }
  if (Object.keys(problems).length > 0) {
    throw new InvalidInput('service.invalid', problems);
  }
  return [...new Set([input.leadOrganisationId, ...input.organisationIds])];
}

const fieldsOf = (input: ServiceInput): repo.ServiceFields => ({
  name: input.name,
  description: input.description ?? '',
  leadOrganisationId: input.leadOrganisationId,
  firstContactWorkingDays: input.firstContactWorkingDays,
  nonEngagementWeeks: input.nonEngagementWeeks,
  doorOpenWeeks: input.doorOpenWeeks,
});

/**
 * Adds a service the partnership delivers.
 *
 * @param ctx - the request context.
 * @param input - its details and the organisations that deliver it.
 * @returns the new service's id.
 * @throws InvalidInput when an organisation chosen is not one the actor may choose.
 */
export async function createService(ctx: Ctx, input: ServiceInput): Promise<string> {
  const actor = actingStaff(ctx.actor, 'service.manage');
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const organisationIds = await deliveringOrganisations({ ...ctx, db: tx }, actor, input);
    await repo.insertService(tx, id, fieldsOf(input), organisationIds, now);
    await audit(tx, ctx, {
      action: 'service.created',
      subject: { type: 'Service', id },
      details: { lead_organisation_id: input.leadOrganisationId, organisation_ids: organisationIds },
      at: now,
    });
  });
  return id;
}

/**
 * Changes a service's details and the organisations that deliver it.
 *
 * @param ctx - the request context.
 * @param serviceId - the service.
 * @param input - the new details, and the version the administrator saw.
 * @throws NotFound when there is no such service, or the actor may not manage it.
 * @throws Conflict when someone else changed it since.
 * @throws InvalidInput when an organisation chosen is not one the actor may choose.
 */
export async function changeService(
  ctx: Ctx,
  serviceId: string,
  input: ServiceInput & { version: number },
): Promise<void> {
  const actor = actingStaff(ctx.actor, 'service.manage');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const service = await findService({ ...ctx, db: tx }, actor, serviceId, 'service.manage');
    if (service.version !== input.version) {
      throw new Conflict('service.version_mismatch');
    }
    const organisationIds = await deliveringOrganisations({ ...ctx, db: tx }, actor, input);
    const fields = fieldsOf(input);
    if (!(await repo.updateServiceIfVersion(tx, service.id, fields, input.version, now))) {
      throw new Conflict('service.version_mismatch');
    }
    await repo.replaceServiceOrganisations(tx, service.id, organisationIds);
    const before = service.organisations.map((organisation) => organisation.id);
    await audit(tx, ctx, {
      action: 'service.changed',
      subject: { type: 'Service', id: service.id },
      details: {
        fields: changedFields(
          {
            name: service.name,
            description: service.description,
            lead_organisation_id: service.leadOrganisationId,
            first_contact_working_days: service.firstContactWorkingDays,
            non_engagement_weeks: service.nonEngagementWeeks,
            door_open_weeks: service.doorOpenWeeks,
          },
          {
            name: fields.name,
            description: fields.description,
            lead_organisation_id: fields.leadOrganisationId,
            first_contact_working_days: fields.firstContactWorkingDays,
            non_engagement_weeks: fields.nonEngagementWeeks,
            door_open_weeks: fields.doorOpenWeeks,
          },
        ),
        organisations_added: organisationIds.filter((id) => !before.includes(id)),
        organisations_removed: before.filter((id) => !organisationIds.includes(id)),
      },
      at: now,
    });
  });
}
