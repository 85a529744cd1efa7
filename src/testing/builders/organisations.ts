import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import {
  findOrganisationById,
  insertOrganisation,
  type Organisation,
  type OrganisationKind,
} from '../../modules/organisations/index.ts';
import type { SharingCategory } from '../../policy/index.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');
let counter = 0;

/**
 * Builds an organisation with a synthetic name.
 *
 * @param db - the test database.
 * @param overrides - anything to set.
 * @returns the organisation.
 */
export async function buildOrganisation(
  db: Db,
  overrides: Partial<{ name: string; kind: OrganisationKind; odsCode: string | null; isHost: boolean }> = {},
): Promise<Organisation> {
  counter += 1;
  return insertOrganisation(
    db,
    {
      id: randomUUID(),
      name: overrides.name ?? `Test Organisation ${counter} ${randomUUID().slice(0, 8)}`,
      kind: overrides.kind ?? 'charity',
      odsCode: overrides.odsCode ?? null,
      isHost: overrides.isHost ?? false,
    },
    BUILT_AT,
  );
}

/**
 * The host organisation of the test database (there is only ever one), made on first use.
 *
 * @param db - the test database.
 * @returns the host organisation.
 */
export async function hostOrganisation(db: Db): Promise<Organisation> {
  const existing = await db
    .selectFrom('organisations')
    .select('id')
    .where('is_host', '=', true)
    .executeTakeFirst();
  if (existing) {
    const found = await findOrganisationById(db, existing.id);
    if (found) {
      return found;
    }
  }
  return buildOrganisation(db, { isHost: true, name: `Host Organisation ${randomUUID().slice(0, 8)}` });
}

/**
 * Builds a service delivered by the given organisations (the first is the lead).
 *
 * @param db - the test database.
 * @param organisationIds - the organisations that deliver it, lead first.
 * @param overrides - anything to set.
 * @returns the service's id and name.
 */
export async function buildService(
  db: Db,
  organisationIds: [string, ...string[]],
  overrides: Partial<{
    name: string;
    description: string;
    firstContactWorkingDays: number;
    nonEngagementWeeks: number;
    doorOpenWeeks: number;
  }> = {},
): Promise<{ id: string; name: string }> {
  counter += 1;
  const id = randomUUID();
  const name = overrides.name ?? `Test Service ${counter}`;
  await db
    .insertInto('services')
    .values({
      id,
      name,
      description: overrides.description ?? '',
      lead_organisation_id: organisationIds[0],
      first_contact_working_days: overrides.firstContactWorkingDays ?? 5,
      non_engagement_weeks: overrides.nonEngagementWeeks ?? 4,
      door_open_weeks: overrides.doorOpenWeeks ?? 26,
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  await db
    .insertInto('service_organisations')
    .values(organisationIds.map((organisationId) => ({ service_id: id, organisation_id: organisationId })))
    .execute();
  return { id, name };
}

/**
 * Builds an information-sharing agreement between parties, each with the categories it may see.
 *
 * @param db - the test database.
 * @param parties - each party and what it may see of the others' records.
 * @param overrides - anything to set.
 * @returns the agreement's id and name.
 */
export async function buildAgreement(
  db: Db,
  parties: { organisationId: string; categories?: SharingCategory[] }[],
  overrides: Partial<{ name: string; startsOn: string; endsOn: string | null }> = {},
): Promise<{ id: string; name: string }> {
  counter += 1;
  const id = randomUUID();
  const name = overrides.name ?? `Test Agreement ${counter}`;
  await db
    .insertInto('sharing_agreements')
    .values({
      id,
      name,
      starts_on: overrides.startsOn ?? '2026-01-01',
      ends_on: overrides.endsOn ?? null,
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  await db
    .insertInto('sharing_agreement_parties')
    .values(parties.map((party) => ({ agreement_id: id, organisation_id: party.organisationId })))
    .execute();
  const grants = parties.flatMap((party) =>
    (party.categories ?? []).map((category) => ({
      agreement_id: id,
      organisation_id: party.organisationId,
      category,
    })),
  );
  if (grants.length > 0) {
    await db.insertInto('sharing_agreement_grants').values(grants).execute();
  }
  return { id, name };
}
