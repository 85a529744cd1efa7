import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import type { OrganisationKind } from './organisations.tables.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';

export type Organisation = {
  id: string;
  name: string;
  kind: OrganisationKind;
  odsCode: string | null;
  isHost: boolean;
  version: number;
};

const columns = ['id', 'name', 'kind', 'ods_code', 'is_host', 'version'] as const;

/**
 * Whose partnership records a list may hold. Lists take it as a required argument, so a query can
 * never reach beyond what the acting administrator's organisation may see, even if a check upstream
 * is forgotten: the host organisation sees the whole partnership, any other only what involves it.
 */
export type ListScope = { organisationId: string; hostOrganisation: boolean };

function toOrganisation(row: {
  id: string;
  name: string;
  kind: OrganisationKind;
  ods_code: string | null;
  is_host: boolean;
  version: number;
}): Organisation {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    odsCode: row.ods_code,
    isHost: row.is_host,
    version: row.version,
  };
}

/**
 * Inserts an organisation.
 *
 * @param db - the transaction.
 * @param organisation - its details.
 * @param organisation.id - a new id.
 * @param organisation.name - its name.
 * @param organisation.kind - charity, NHS trust or other.
 * @param organisation.odsCode - its ODS code, when it has one.
 * @param organisation.isHost - whether it is the host organisation.
 * @param now - the time.
 * @returns the organisation.
 */
export async function insertOrganisation(
  db: Db,
  organisation: { id: string; name: string; kind: OrganisationKind; odsCode: string | null; isHost: boolean },
  now: Date,
): Promise<Organisation> {
  const row = await db
    .insertInto('organisations')
    .values({
      id: organisation.id,
      name: organisation.name,
      kind: organisation.kind,
      ods_code: organisation.odsCode,
      is_host: organisation.isHost,
      created_at: now,
      updated_at: now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toOrganisation(row);
}

/**
 * Finds an organisation by id.
 *
 * @param db - any connection.
 * @param id - the organisation's id.
 * @returns the organisation, or undefined.
 */
export async function findOrganisationById(db: Db, id: string): Promise<Organisation | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await db.selectFrom('organisations').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

/**
 * Whether an organisation with this name exists already (names are unique, ignoring case).
 *
 * @param db - any connection.
 * @param name - the name.
 * @param exceptId - an organisation to leave out (the one being renamed).
 * @returns true when taken.
 */
export async function organisationNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('organisations')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId !== undefined) {
    query = query.where('id', '<>', exceptId);
  }
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * What an organisation's staff may see of its partners' records: every grant of every agreement the
 * organisation is a party to that is in force on the day.
 *
 * @param db - any connection.
 * @param organisationId - the receiving organisation.
 * @param today - the day, as 'YYYY-MM-DD' in UK time.
 * @returns one grant per (other party, category).
 */
export async function sharingGrantsFor(
  db: Db,
  organisationId: string,
  today: string,
): Promise<{ fromOrganisationId: string; category: string; agreementId: string }[]> {
  return db
    .selectFrom('sharing_agreement_grants as g')
    .innerJoin('sharing_agreements as a', 'a.id', 'g.agreement_id')
    .innerJoin('sharing_agreement_parties as p', 'p.agreement_id', 'g.agreement_id')
    .select(['p.organisation_id as fromOrganisationId', 'g.category', 'a.id as agreementId'])
    .where('g.organisation_id', '=', organisationId)
    .where('p.organisation_id', '<>', organisationId)
    .where('a.starts_on', '<=', today)
    .where((eb) => eb.or([eb('a.ends_on', 'is', null), eb('a.ends_on', '>=', today)]))
    .execute();
}

/**
 * Lists the organisations in scope, by name.
 *
 * @param db - any connection.
 * @param scope - whose view: the host organisation sees every organisation, any other only itself.
 * @returns the organisations.
 */
export async function listOrganisationsInScope(db: Db, scope: ListScope): Promise<Organisation[]> {
  let query = db.selectFrom('organisations').select(columns);
  if (!scope.hostOrganisation) {
    query = query.where('id', '=', scope.organisationId);
  }
  const rows = await query.orderBy(sql`lower(name)`).execute();
  return rows.map(toOrganisation);
}

/**
 * Changes an organisation's details if it is still at the version the caller saw.
 *
 * @param db - the transaction.
 * @param id - the organisation.
 * @param change - the new details.
 * @param change.name - its name.
 * @param change.kind - charity, NHS trust or other.
 * @param change.odsCode - its ODS code, or null.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export async function updateOrganisationIfVersion(
  db: Db,
  id: string,
  change: { name: string; kind: OrganisationKind; odsCode: string | null },
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(
    db,
    'organisations',
    id,
    { name: change.name, kind: change.kind, ods_code: change.odsCode },
    expectedVersion,
    now,
  );
}

// Localities and bases.

export type Locality = { id: string; organisationId: string; name: string };

export type Base = {
  id: string;
  organisationId: string;
  localityId: string | null;
  localityName: string | null;
  name: string;
  address: string;
  postcode: string;
};

/**
 * Lists one organisation's localities, by name.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns its localities.
 */
export async function listLocalities(db: Db, organisationId: string): Promise<Locality[]> {
  return db
    .selectFrom('localities')
    .select(['id', 'organisation_id as organisationId', 'name'])
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`lower(name)`)
    .execute();
}

/**
 * Whether the organisation already has a locality with this name, ignoring case.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @param name - the name.
 * @returns true when taken.
 */
export async function localityNameTaken(db: Db, organisationId: string, name: string): Promise<boolean> {
  return nameTakenIn(db, 'localities', organisationId, name);
}

/**
 * Inserts a locality.
 *
 * @param db - the transaction.
 * @param locality - its id, organisation and name.
 * @param now - the time.
 */
export async function insertLocality(db: Db, locality: Locality, now: Date): Promise<void> {
  await db
    .insertInto('localities')
    .values({
      id: locality.id,
      organisation_id: locality.organisationId,
      name: locality.name,
      created_at: now,
    })
    .execute();
}

/**
 * Lists one organisation's bases with the names of their localities, by name.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns its bases.
 */
export async function listBases(db: Db, organisationId: string): Promise<Base[]> {
  return db
    .selectFrom('bases as b')
    .leftJoin('localities as l', 'l.id', 'b.locality_id')
    .select([
      'b.id',
      'b.organisation_id as organisationId',
      'b.locality_id as localityId',
      'l.name as localityName',
      'b.name',
      'b.address',
      'b.postcode',
    ])
    .where('b.organisation_id', '=', organisationId)
    .orderBy(sql`lower(b.name)`)
    .execute();
}

/**
 * Whether the organisation already has a base with this name, ignoring case.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @param name - the name.
 * @returns true when taken.
 */
export async function baseNameTaken(db: Db, organisationId: string, name: string): Promise<boolean> {
  return nameTakenIn(db, 'bases', organisationId, name);
}

// Locality and base names are unique within their organisation, ignoring case.
async function nameTakenIn(
  db: Db,
  table: 'localities' | 'bases',
  organisationId: string,
  name: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Inserts a base.
 *
 * @param db - the transaction.
 * @param base - its details; its locality must belong to the same organisation (the caller checks).
 * @param now - the time.
 */
export async function insertBase(db: Db, base: Omit<Base, 'localityName'>, now: Date): Promise<void> {
  await db
    .insertInto('bases')
    .values({
      id: base.id,
      organisation_id: base.organisationId,
      locality_id: base.localityId,
      name: base.name,
      address: base.address,
      postcode: base.postcode,
      created_at: now,
    })
    .execute();
}
