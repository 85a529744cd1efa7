import type { Db } from '../../database.ts';
import type { OrganisationKind } from './organisations.tables.ts';


export type Organisation = {
  id: string;
  name: string;
  kind: OrganisationKind;
  odsCode: string | null;
  isHost: boolean;
  version: number;
};

const columns = ['id', 'name', 'kind', 'ods_code', 'is_host', 'version'] as const;

function toOrganisation(row: {
  id: string;
  name: string;
  kind: OrganisationKind;
  ods_code: string | null;
  is_host: boolean;
  version: number;
}): Organisation {
  return { id: row.id, name: row.name, kind: row.kind, odsCode: row.ods_code, isHost: row.is_host, version: row.version };
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
  const row = await db.selectFrom('organisations').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

/**
 * Whether an organisation with this name exists already (names are unique, ignoring case).
 *
 * @param db - any connection.
 * @param name - the name.
 * @returns true when taken.
 */
export async function organisationNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
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
