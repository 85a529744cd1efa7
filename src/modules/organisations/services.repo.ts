import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { ListScope } from './organisations.repo.ts';

/** A service the partnership delivers, with every organisation that delivers it (the lead included). */
export type Service = {
  id: string;
  name: string;
  description: string;
  leadOrganisationId: string;
  leadOrganisationName: string;
  firstContactWorkingDays: number;
  /** Weeks without contact before someone in the service shows as not engaging. */
  nonEngagementWeeks: number;
  /** Weeks after a discharge in which someone coming back has their history picked up again. */
  doorOpenWeeks: number;
  version: number;
  organisations: { id: string; name: string }[];
};

export type ServiceFields = {
  name: string;
  description: string;
  leadOrganisationId: string;
  firstContactWorkingDays: number;
  nonEngagementWeeks: number;
  doorOpenWeeks: number;
};

function servicesQuery(db: Db) {
  return db
    .selectFrom('services as s')
    .innerJoin('organisations as lead', 'lead.id', 's.lead_organisation_id')
    .select([
      's.id',
      's.name',
      's.description',
      's.lead_organisation_id as leadOrganisationId',
      'lead.name as leadOrganisationName',
      's.first_contact_working_days as firstContactWorkingDays',
      's.non_engagement_weeks as nonEngagementWeeks',
      's.door_open_weeks as doorOpenWeeks',
      's.version',
    ]);
}

async function withOrganisations(db: Db, rows: Omit<Service, 'organisations'>[]): Promise<Service[]> {
  if (rows.length === 0) {
    return [];
  }
  const links = await db
    .selectFrom('service_organisations as so')
    .innerJoin('organisations as o', 'o.id', 'so.organisation_id')
    .select(['so.service_id as serviceId', 'o.id', 'o.name'])
    .where(
      'so.service_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy(sql`lower(o.name)`)
    .execute();
  return rows.map((row) => ({
    ...row,
    organisations: links.filter((link) => link.serviceId === row.id).map(({ id, name }) => ({ id, name })),
  }));
}

/**
 * Lists the services in scope, by name.
 *
 * @param db - any connection.
 * @param scope - whose view: the host organisation sees every service, any other only those it delivers.
 * @returns the services.
 */
export async function listServicesInScope(db: Db, scope: ListScope): Promise<Service[]> {
  return listServices(db, scope.hostOrganisation ? undefined : scope.organisationId);
}

/**
 * Lists the services an organisation leads or helps deliver, by name.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns the services.
 */
export async function listServicesInvolving(db: Db, organisationId: string): Promise<Service[]> {
  return listServices(db, organisationId);
}

// Every service by name, or only those an organisation leads or helps deliver.
async function listServices(db: Db, organisationId?: string): Promise<Service[]> {
  let query = servicesQuery(db);
  if (organisationId !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('s.lead_organisation_id', '=', organisationId),
        eb.exists(
          eb
            .selectFrom('service_organisations as so')
            .select('so.service_id')
            .whereRef('so.service_id', '=', 's.id')
            .where('so.organisation_id', '=', organisationId),
        ),
      ]),
    );
  }
  return withOrganisations(db, await query.orderBy(sql`lower(s.name)`).execute());
}

/**
 * Finds a service by id.
 *
 * @param db - any connection.
 * @param id - the service's id.
 * @returns the service, or undefined.
 */
export async function findServiceById(db: Db, id: string): Promise<Service | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await servicesQuery(db).where('s.id', '=', id).executeTakeFirst();
  return row ? (await withOrganisations(db, [row]))[0] : undefined;
}

/**
 * Inserts a service and the organisations that deliver it.
 *
 * @param db - the transaction.
 * @param id - a new id.
 * @param fields - its details.
 * @param organisationIds - every organisation that delivers it, the lead included.
 * @param now - the time.
 */
export async function insertService(
  db: Db,
  id: string,
  fields: ServiceFields,
  organisationIds: readonly string[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('services')
    .values({
      id,
      name: fields.name,
      description: fields.description,
      lead_organisation_id: fields.leadOrganisationId,
      first_contact_working_days: fields.firstContactWorkingDays,
      non_engagement_weeks: fields.nonEngagementWeeks,
      door_open_weeks: fields.doorOpenWeeks,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await replaceServiceOrganisations(db, id, organisationIds);
}

/**
 * Changes a service's details if it is still at the version the caller saw.
 *
 * @param db - the transaction.
 * @param id - the service.
 * @param fields - the new details.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export async function updateServiceIfVersion(
  db: Db,
  id: string,
  fields: ServiceFields,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(
    db,
    'services',
    id,
    {
      name: fields.name,
      description: fields.description,
      lead_organisation_id: fields.leadOrganisationId,
      first_contact_working_days: fields.firstContactWorkingDays,
      non_engagement_weeks: fields.nonEngagementWeeks,
      door_open_weeks: fields.doorOpenWeeks,
    },
    expectedVersion,
    now,
  );
}

/**
 * Sets which organisations deliver a service.
 *
 * @param db - the transaction.
 * @param serviceId - the service.
 * @param organisationIds - every organisation that delivers it, the lead included.
 */
export async function replaceServiceOrganisations(
  db: Db,
  serviceId: string,
  organisationIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('service_organisations').where('service_id', '=', serviceId).execute();
  if (organisationIds.length > 0) {
    await db
      .insertInto('service_organisations')
      .values(
        organisationIds.map((organisationId) => ({ service_id: serviceId, organisation_id: organisationId })),
      )
      .execute();
  }
}
