import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { isSharingCategory, SHARING_CATEGORIES, type SharingCategory } from '../../policy/index.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { ListScope } from './organisations.repo.ts';

/** One party to an agreement, and what it may see of the other parties' records. */
export type AgreementParty = {
  organisationId: string;
  organisationName: string;
  categories: SharingCategory[];
};

/** An information-sharing agreement with its parties and what each may see. */
export type Agreement = {
  id: string;
  name: string;
  /** 'YYYY-MM-DD', the first day it is in force. */
  startsOn: string;
  /** 'YYYY-MM-DD', the last day it is in force, or null when it has no end date. */
  endsOn: string | null;
  version: number;
  parties: AgreementParty[];
};

export type AgreementFields = { name: string; startsOn: string; endsOn: string | null };

function agreementsQuery(db: Db) {
  return db
    .selectFrom('sharing_agreements as a')
    .select(['a.id', 'a.name', 'a.starts_on as startsOn', 'a.ends_on as endsOn', 'a.version']);
}

async function withParties(db: Db, rows: Omit<Agreement, 'parties'>[]): Promise<Agreement[]> {
  if (rows.length === 0) {
    return [];
  }
  const ids = rows.map((row) => row.id);
  const parties = await db
    .selectFrom('sharing_agreement_parties as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.agreement_id as agreementId', 'o.id', 'o.name'])
    .where('p.agreement_id', 'in', ids)
    .orderBy(sql`lower(o.name)`)
    .execute();
  const grants = await db
    .selectFrom('sharing_agreement_grants')
    .select(['agreement_id as agreementId', 'organisation_id as organisationId', 'category'])
    .where('agreement_id', 'in', ids)
    .execute();
  // Categories keep the order they are listed in, so every page shows them the same way.
  const order = (category: SharingCategory) => Object.keys(SHARING_CATEGORIES).indexOf(category);
  return rows.map((row) => ({
    ...row,
    parties: parties
      .filter((party) => party.agreementId === row.id)
      .map((party) => ({
        organisationId: party.id,
        organisationName: party.name,
        categories: grants
          .filter((grant) => grant.agreementId === row.id && grant.organisationId === party.id)
          .map((grant) => grant.category)
          .filter(isSharingCategory)
          .sort((a, b) => order(a) - order(b)),
      })),
  }));
}

/**
 * Lists the agreements in scope, latest start first.
 *
 * @param db - any connection.
 * @param scope - whose view: the host organisation sees every agreement, any other only those it is party to.
 * @returns the agreements.
 */
export async function listAgreementsInScope(db: Db, scope: ListScope): Promise<Agreement[]> {
  return listAgreements(db, scope.hostOrganisation ? undefined : scope.organisationId);
}

/**
 * Lists the agreements an organisation is party to, latest start first.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns the agreements.
 */
export async function listAgreementsInvolving(db: Db, organisationId: string): Promise<Agreement[]> {
  return listAgreements(db, organisationId);
}

// Every agreement, latest start first, or only those an organisation is party to.
async function listAgreements(db: Db, partyId?: string): Promise<Agreement[]> {
  let query = agreementsQuery(db);
  if (partyId !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('sharing_agreement_parties as p')
          .select('p.agreement_id')
          .whereRef('p.agreement_id', '=', 'a.id')
          .where('p.organisation_id', '=', partyId),
      ),
    );
  }
  return withParties(
    db,
    await query
      .orderBy('a.starts_on', 'desc')
      .orderBy(sql`lower(a.name)`)
      .execute(),
  );
}

/**
 * Finds an agreement by id.
 *
 * @param db - any connection.
 * @param id - the agreement's id.
 * @returns the agreement, or undefined.
 */
export async function findAgreementById(db: Db, id: string): Promise<Agreement | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await agreementsQuery(db).where('a.id', '=', id).executeTakeFirst();
  return row ? (await withParties(db, [row]))[0] : undefined;
}

/**
 * Inserts an agreement with its parties and grants.
 *
 * @param db - the transaction.
 * @param id - a new id.
 * @param fields - its name and dates.
 * @param parties - each party and what it may see.
 * @param now - the time.
 */
export async function insertAgreement(
  db: Db,
  id: string,
  fields: AgreementFields,
  parties: readonly { organisationId: string; categories: readonly SharingCategory[] }[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('sharing_agreements')
    .values({
      id,
      name: fields.name,
      starts_on: fields.startsOn,
      ends_on: fields.endsOn,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await replaceAgreementParties(db, id, parties);
}

/**
 * Changes an agreement's name and dates if it is still at the version the caller saw.
 *
 * @param db - the transaction.
 * @param id - the agreement.
 * @param fields - the new name and dates.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export async function updateAgreementIfVersion(
  db: Db,
  id: string,
  fields: AgreementFields,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(
    db,
    'sharing_agreements',
    id,
    { name: fields.name, starts_on: fields.startsOn, ends_on: fields.endsOn },
    expectedVersion,
    now,
  );
}

/**
 * Sets an agreement's parties and what each may see; anything not given is no longer shared.
 *
 * @param db - the transaction.
 * @param agreementId - the agreement.
 * @param parties - each party and its categories.
 */
export async function replaceAgreementParties(
  db: Db,
  agreementId: string,
  parties: readonly { organisationId: string; categories: readonly SharingCategory[] }[],
): Promise<void> {
  // Removing a party removes its grants too (ON DELETE CASCADE).
  await db.deleteFrom('sharing_agreement_parties').where('agreement_id', '=', agreementId).execute();
  if (parties.length === 0) {
    return;
  }
  await db
    .insertInto('sharing_agreement_parties')
    .values(parties.map((party) => ({ agreement_id: agreementId, organisation_id: party.organisationId })))
    .execute();
  const grants = parties.flatMap((party) =>
    party.categories.map((category) => ({
      agreement_id: agreementId,
      organisation_id: party.organisationId,
      category,
    })),
  );
  if (grants.length > 0) {
    await db.insertInto('sharing_agreement_grants').values(grants).execute();
  }
}
