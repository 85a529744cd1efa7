import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { CommunicationNeed, ContactMethod } from './members.tables.ts';

/** A member's record as a new one is written. */
export type NewMember = {
  id: string;
  organisationId: string;
  legalName: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string | null;
  email: string | null;
  phone: string | null;
  postalAddress: string | null;
  postcode: string | null;
  nhsNumber: string | null;
  gpPractice: string | null;
  contactMethods: ContactMethod[];
  safeToLeaveMessage: boolean | null;
  bestTimes: string | null;
  communicationNeeds: CommunicationNeed[];
  preferredLanguage: string | null;
  communicationNeedsOther: string | null;
};

/**
 * Inserts a member.
 *
 * @param db - a transaction.
 * @param member - the member.
 * @param now - the time.
 */
export async function insertMember(db: Db, member: NewMember, now: Date): Promise<void> {
  await db
    .insertInto('members')
    .values({
      id: member.id,
      organisation_id: member.organisationId,
      legal_name: member.legalName,
      preferred_name: member.preferredName,
      pronouns: member.pronouns,
      date_of_birth: member.dateOfBirth,
      email: member.email,
      phone: member.phone,
      postal_address: member.postalAddress,
      postcode: member.postcode,
      nhs_number: member.nhsNumber,
      gp_practice: member.gpPractice,
      contact_methods: sql<ContactMethod[]>`${member.contactMethods}::text[]`,
      safe_to_leave_message: member.safeToLeaveMessage,
      best_times: member.bestTimes,
      communication_needs: sql<CommunicationNeed[]>`${member.communicationNeeds}::text[]`,
      preferred_language: member.preferredLanguage,
      communication_needs_other: member.communicationNeedsOther,
      emergency_contact_name: null,
      emergency_contact_phone: null,
      emergency_contact_relationship: null,
      ethnic_category: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Finds a member's whole record.
 *
 * @param db - a connection or transaction.
 * @param id - the member.
 * @returns the row, or undefined.
 */
export async function findMember(db: Db, id: string) {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What is known of a person arriving, to look for them among people already known. */
export type DuplicateProbe = {
  name: string;
  preferredName?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  postcode?: string | null;
  email?: string | null;
  phone?: string | null;
};

/** Which details of a possible duplicate matched. */
export type DuplicateMatch = 'name' | 'date_of_birth' | 'nhs_number' | 'postcode' | 'email' | 'phone';

/** Someone already known who may be the person arriving, with what matched. */
export type PossibleDuplicate = {
  id: string;
  organisationId: string;
  legalName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
  nhsNumber: string | null;
  email: string | null;
  phone: string | null;
  /** Trigram similarity (0 to 1) of the closest pair of names. */
  nameSimilarity: number;
  matches: DuplicateMatch[];
};

/** Names this close (pg_trgm similarity, 0 to 1) count as a match; pg_trgm's own default is 0.3. */
export const NAME_SIMILARITY_THRESHOLD = 0.3;
/** How many of the nearest names to consider for each name compared. */
const NEAREST_NAMES = 20;
/** How many people to consider for each exactly matching detail (a busy postcode, a shared phone). */
const EXACT_MATCHES = 50;

const digitsOf = (phone: string | null | undefined) => (phone ? phone.replace(/[^0-9]/g, '') : '');

/**
 * Finds people already known who may be the person arriving: a legal or preferred name close by
 * trigram similarity (pg_trgm), or the same date of birth, NHS number, postcode, email or phone
 * (compared by digits). Strongest first: an NHS number counts most, then how many details agree,
 * then how close the name is. Nothing is merged: the worker decides.
 *
 * @param db - a connection or transaction.
 * @param organisationIds - the organisations whose members may be searched (the caller's scope).
 * @param probe - what is known of the person arriving.
 * @param limit - the most to return.
 * @returns the possible duplicates.
 */
export async function findPossibleDuplicates(
  db: Db,
  organisationIds: readonly string[],
  probe: DuplicateProbe,
  limit = 10,
): Promise<PossibleDuplicate[]> {
  if (organisationIds.length === 0) {
    return [];
  }
  const names = [probe.name, probe.preferredName]
    .filter((n): n is string => typeof n === 'string' && n.trim() !== '')
    .map((n) => n.trim().toLowerCase());
  const phone = digitsOf(probe.phone);
  const nameOf = sql.ref('m.legal_name');
  const preferredOf = sql.ref('m.preferred_name');
  // The closest pair among (legal, preferred) × (the probe's names); 0 when nothing compares.
  const similarity = sql<number>`greatest(0, ${sql.join(
    names.flatMap((n) => [
      sql`similarity(lower(${nameOf}), ${n})`,
      sql`coalesce(similarity(lower(${preferredOf}), ${n}), 0)`,
    ]),
  )})`;
  const nameMatch = sql<boolean>`(${sql.join(
    names.flatMap((n) => [sql`lower(${nameOf}) % ${n}`, sql`lower(${preferredOf}) % ${n}`]),
    sql` OR `,
  )})`;
  const exact = {
    date_of_birth: probe.dateOfBirth ? sql<boolean>`m.date_of_birth = ${probe.dateOfBirth}::date` : undefined,
    nhs_number: probe.nhsNumber ? sql<boolean>`m.nhs_number = ${probe.nhsNumber}` : undefined,
    postcode: probe.postcode ? sql<boolean>`m.postcode = ${probe.postcode}` : undefined,
    email: probe.email ? sql<boolean>`m.email = ${probe.email}::citext` : undefined,
    phone:
      phone.length >= 6 ? sql<boolean>`regexp_replace(m.phone, '[^0-9]', '', 'g') = ${phone}` : undefined,
  };
  const conditions = [nameMatch, ...Object.values(exact).filter((c) => c !== undefined)];
  const flag = (condition: ReturnType<typeof sql<boolean>> | undefined) =>
    condition ? sql<boolean>`coalesce(${condition}, false)` : sql<boolean>`false`;
  // The candidates: the nearest names by trigram distance (GiST, nearest first), and everyone with an
  // exactly matching detail. Each branch is bounded, so the check costs the same on a large service.
  const inScope = sql`m.organisation_id = ANY(${[...organisationIds]}::uuid[])`;
  const nearest = (column: typeof nameOf, name: string) =>
    sql`(SELECT m.id FROM members m WHERE ${inScope} AND ${column} IS NOT NULL
      ORDER BY lower(${column}) <-> ${name} LIMIT ${NEAREST_NAMES})`;
  const exactly = (condition: ReturnType<typeof sql<boolean>>) =>
    sql`(SELECT m.id FROM members m WHERE ${inScope} AND ${condition} LIMIT ${EXACT_MATCHES})`;
  const candidates = sql.join(
    [
      ...names.flatMap((n) => [nearest(nameOf, n), nearest(preferredOf, n)]),
      ...Object.values(exact)
        .filter((c) => c !== undefined)
        .map(exactly),
    ],
    sql` UNION `,
  );

  const rows = await db
    .selectFrom('members as m')
    .select([
      'm.id',
      'm.organisation_id',
      'm.legal_name',
      'm.preferred_name',
      'm.date_of_birth',
      'm.postcode',
      'm.nhs_number',
      'm.email',
      'm.phone',
      similarity.as('name_similarity'),
      flag(exact.date_of_birth).as('same_date_of_birth'),
      flag(exact.nhs_number).as('same_nhs_number'),
      flag(exact.postcode).as('same_postcode'),
      flag(exact.email).as('same_email'),
      flag(exact.phone).as('same_phone'),
    ])
    .where('m.organisation_id', 'in', [...organisationIds])
    .where(sql<boolean>`m.id IN (${candidates})`)
    .where(sql<boolean>`(${sql.join(conditions, sql` OR `)})`)
    .execute();

  return rows
    .map((row): PossibleDuplicate => {
      const nameSimilarity = Number(row.name_similarity);
      const matches: DuplicateMatch[] = [];
      if (nameSimilarity >= NAME_SIMILARITY_THRESHOLD) {
        matches.push('name');
      }
      if (row.same_date_of_birth) {
        matches.push('date_of_birth');
      }
      if (row.same_nhs_number) {
        matches.push('nhs_number');
      }
      if (row.same_postcode) {
        matches.push('postcode');
      }
      if (row.same_email) {
        matches.push('email');
      }
      if (row.same_phone) {
        matches.push('phone');
      }
      return {
        id: row.id,
        organisationId: row.organisation_id,
        legalName: row.legal_name,
        preferredName: row.preferred_name,
        dateOfBirth: row.date_of_birth,
        postcode: row.postcode,
        nhsNumber: row.nhs_number,
        email: row.email,
        phone: row.phone,
        nameSimilarity,
        matches,
      };
    })
    .sort((a, b) => duplicateStrength(b) - duplicateStrength(a))
    .slice(0, limit);
}

/**
 * How strongly a possible duplicate matches, for ordering: an NHS number identifies a person, so it
 * outweighs everything else together; then each other detail that agrees; then the name's closeness.
 *
 * @param candidate - the possible duplicate.
 * @returns a score; higher is stronger.
 */
export function duplicateStrength(candidate: Pick<PossibleDuplicate, 'matches' | 'nameSimilarity'>): number {
  const exact = candidate.matches.filter((m) => m !== 'name' && m !== 'nhs_number').length;
  return (candidate.matches.includes('nhs_number') ? 10 : 0) + exact + candidate.nameSimilarity;
}

// The member record for staff: finding a person, the record's parts, and versioned changes.

/** A member's whole row, as the record pages read it. */
export type MemberRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;

/** One person in a search's results. */
export type MemberSummary = {
  id: string;
  organisationId: string;
  legalName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
};

/** What a search for a person may give: part of a name, and a date of birth. */
export type MemberSearch = { name?: string | undefined; dateOfBirth?: string | null | undefined };

/** How many people a search shows at most. */
export const SEARCH_LIMIT = 50;

/** A LIKE pattern that matches the text anywhere, with LIKE's own wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Finds people by name and date of birth among the members of the given organisations. A name
 * matches when the legal or preferred name contains it (ignoring case) or is close to it by trigram
 * similarity (pg_trgm, as findPossibleDuplicates), so "Jon Smyth" finds "John Smith"; the closest
 * come first. With no name, the most recently updated come first.
 *
 * @param db - a connection or transaction.
 * @param organisationIds - the organisations whose members may be searched (the caller's scope).
 * @param search - the name and date of birth, either or both.
 * @param limit - the most to return.
 * @returns the people found.
 */
export async function searchMembers(
  db: Db,
  organisationIds: readonly string[],
  search: MemberSearch,
  limit = SEARCH_LIMIT,
): Promise<MemberSummary[]> {
  if (organisationIds.length === 0) {
    return [];
  }
  let query = db
    .selectFrom('members as m')
    .select([
      'm.id',
      'm.organisation_id',
      'm.legal_name',
      'm.preferred_name',
      'm.date_of_birth',
      'm.postcode',
    ])
    .where('m.organisation_id', 'in', [...organisationIds]);
  if (search.dateOfBirth) {
    query = query.where('m.date_of_birth', '=', search.dateOfBirth);
  }
  const name = search.name?.trim().toLowerCase();
  if (name) {
    const legal = sql.ref('m.legal_name');
    const preferred = sql.ref('m.preferred_name');
    const pattern = containing(name);
    query = query
      .where(
        sql<boolean>`(lower(${legal}) % ${name} OR lower(${preferred}) % ${name}
          OR ${legal} ILIKE ${pattern} OR ${preferred} ILIKE ${pattern})`,
      )
      .orderBy(
        sql`greatest(similarity(lower(${legal}), ${name}), coalesce(similarity(lower(${preferred}), ${name}), 0))`,
        'desc',
      );
  }
  const rows = await query.orderBy('m.updated_at', 'desc').orderBy('m.id').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    legalName: row.legal_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    postcode: row.postcode,
  }));
}

/** The member's columns a record page may change (never the id, organisation or timestamps). */
export type MemberChange = Partial<
  Omit<MemberRow, 'id' | 'organisation_id' | 'created_at' | 'updated_at' | 'version'>
>;

/**
 * Changes a member if the row is still at the version the caller saw, moving the version on by one.
 *
 * @param db - a transaction.
 * @param id - the member.
 * @param change - the new values of the columns that change.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale (nothing is changed).
 */
export async function updateMemberIfVersion(
  db: Db,
  id: string,
  change: MemberChange,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(db, 'members', id, change, expectedVersion, now);
}

/** A person in a member's life, as the record shows them. */
export type MemberPerson = {
  id: string;
  memberId: string;
  name: string;
  relationship: string;
  isCarer: boolean;
  phone: string | null;
  email: string | null;
  mayContact: boolean;
  createdAt: Date;
  version: number;
};

/** A person's details as they are written. */
export type PersonDetails = Pick<
  MemberPerson,
  'name' | 'relationship' | 'isCarer' | 'phone' | 'email' | 'mayContact'
>;

const personColumns = [
  'id',
  'member_id',
  'name',
  'relationship',
  'is_carer',
  'phone',
  'email',
  'may_contact',
  'created_at',
  'version',
] as const;

const toPerson = (row: {
  id: string;
  member_id: string;
  name: string;
  relationship: string;
  is_carer: boolean;
  phone: string | null;
  email: string | null;
  may_contact: boolean;
  created_at: Date;
  version: number;
}): MemberPerson => ({
  id: row.id,
  memberId: row.member_id,
  name: row.name,
  relationship: row.relationship,
  isCarer: row.is_carer,
  phone: row.phone,
  email: row.email,
  mayContact: row.may_contact,
  createdAt: row.created_at,
  version: row.version,
});

/**
 * The people around a member (carers and others), in the order they were added.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the people.
 */
export async function listPeople(db: Db, memberId: string): Promise<MemberPerson[]> {
  const rows = await db
    .selectFrom('member_people')
    .select(personColumns)
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toPerson);
}

/**
 * Finds one of a member's people.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param personId - the person.
 * @returns the person, or undefined when the member has no such person.
 */
export async function findPerson(
  db: Db,
  memberId: string,
  personId: string,
): Promise<MemberPerson | undefined> {
  const row = await db
    .selectFrom('member_people')
    .select(personColumns)
    .where('member_id', '=', memberId)
    .where('id', '=', personId)
    .executeTakeFirst();
  return row && toPerson(row);
}

/**
 * Adds a person to a member's record.
 *
 * @param db - a transaction.
 * @param person - the new person's id, the member and their details.
 * @param now - the time.
 */
export async function insertPerson(
  db: Db,
  person: PersonDetails & { id: string; memberId: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('member_people')
    .values({
      id: person.id,
      member_id: person.memberId,
      name: person.name,
      relationship: person.relationship,
      is_carer: person.isCarer,
      phone: person.phone,
      email: person.email,
      may_contact: person.mayContact,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Changes a person's details if the row is still at the version the caller saw.
 *
 * @param db - a transaction.
 * @param personId - the person.
 * @param details - the new details.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export async function updatePersonIfVersion(
  db: Db,
  personId: string,
  details: PersonDetails,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(
    db,
    'member_people',
    personId,
    {
      name: details.name,
      relationship: details.relationship,
      is_carer: details.isCarer,
      phone: details.phone,
      email: details.email,
      may_contact: details.mayContact,
    },
    expectedVersion,
    now,
  );
}

/** A consent or information-sharing choice, with who recorded it and who recorded its withdrawal. */
export type MemberConsent = {
  id: string;
  memberId: string;
  about: string;
  withWhom: string;
  given: boolean;
  recordedAt: Date;
  recordedByName: string;
  withdrawnAt: Date | null;
  withdrawnByName: string | null;
};

const consentQuery = (db: Db) =>
  db
    .selectFrom('member_consents as c')
    .innerJoin('staff as recorder', 'recorder.id', 'c.recorded_by')
    .leftJoin('staff as withdrawer', 'withdrawer.id', 'c.withdrawn_by')
    .select([
      'c.id',
      'c.member_id',
      'c.about',
      'c.with_whom',
      'c.given',
      'c.recorded_at',
      'recorder.full_name as recorded_by_name',
      'c.withdrawn_at',
      'withdrawer.full_name as withdrawn_by_name',
    ]);

const toConsent = (row: Awaited<ReturnType<ReturnType<typeof consentQuery>['executeTakeFirstOrThrow']>>) => ({
  id: row.id,
  memberId: row.member_id,
  about: row.about,
  withWhom: row.with_whom,
  given: row.given,
  recordedAt: row.recorded_at,
  recordedByName: row.recorded_by_name,
  withdrawnAt: row.withdrawn_at,
  withdrawnByName: row.withdrawn_by_name,
});

/**
 * A member's consent and information-sharing choices, newest first, withdrawn ones included.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the choices.
 */
export async function listConsents(db: Db, memberId: string): Promise<MemberConsent[]> {
  const rows = await consentQuery(db)
    .where('c.member_id', '=', memberId)
    .orderBy('c.recorded_at', 'desc')
    .orderBy('c.id')
    .execute();
  return rows.map(toConsent);
}

/**
 * Finds one of a member's consent choices.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param consentId - the choice.
 * @returns the choice, or undefined when the member has no such choice.
 */
export async function findConsent(
  db: Db,
  memberId: string,
  consentId: string,
): Promise<MemberConsent | undefined> {
  const row = await consentQuery(db)
    .where('c.member_id', '=', memberId)
    .where('c.id', '=', consentId)
    .executeTakeFirst();
  return row && toConsent(row);
}

/**
 * Records a consent or information-sharing choice.
 *
 * @param db - a transaction.
 * @param consent - the new choice's id, the member, what it is about, with whom, and whether given.
 * @param recordedBy - the member of staff recording it.
 * @param now - the time.
 */
export async function insertConsent(
  db: Db,
  consent: { id: string; memberId: string; about: string; withWhom: string; given: boolean },
  recordedBy: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('member_consents')
    .values({
      id: consent.id,
      member_id: consent.memberId,
      about: consent.about,
      with_whom: consent.withWhom,
      given: consent.given,
      recorded_at: now,
      recorded_by: recordedBy,
      withdrawn_at: null,
      withdrawn_by: null,
    })
    .execute();
}

/**
 * Records that a choice was withdrawn, on the same row (it is never deleted), unless it already was.
 *
 * @param db - a transaction.
 * @param consentId - the choice.
 * @param withdrawnBy - the member of staff recording the withdrawal.
 * @param now - the time.
 * @returns true when it was withdrawn now; false when it had already been withdrawn.
 */
export async function withdrawConsentIfStanding(
  db: Db,
  consentId: string,
  withdrawnBy: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('member_consents')
    .set({ withdrawn_at: now, withdrawn_by: withdrawnBy })
    .where('id', '=', consentId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** An episode of support as the member's record lists it. */
export type MemberEpisode = {
  id: string;
  serviceName: string | null;
  status: 'active' | 'discharged';
  startedOn: string;
  anticipatedEndOn: string | null;
  reviewOn: string | null;
  dischargedOn: string | null;
};

/**
 * A member's episodes of support, newest first, with each service's name.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the episodes.
 */
export async function listEpisodesOfMember(db: Db, memberId: string): Promise<MemberEpisode[]> {
  const rows = await db
    .selectFrom('episodes as e')
    .leftJoin('services as s', 's.id', 'e.service_id')
    .select([
      'e.id',
      's.name as service_name',
      'e.status',
      'e.started_on',
      'e.anticipated_end_on',
      'e.review_on',
      'e.discharged_on',
    ])
    .where('e.member_id', '=', memberId)
    .orderBy('e.started_on', 'desc')
    .orderBy('e.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    serviceName: row.service_name,
    status: row.status,
    startedOn: row.started_on,
    anticipatedEndOn: row.anticipated_end_on,
    reviewOn: row.review_on,
    dischargedOn: row.discharged_on,
  }));
}

/** A member as another module's pages name them: whose record it is, and the name they go by. */
export type MemberName = {
  id: string;
  organisationId: string;
  /** Their preferred name, or their legal name when they gave none. */
  name: string;
};

/**
 * Finds whose record a member is and what they are called, for a module (contacts, plans) that then
 * applies its own policy before showing anything; nothing here is audited, because nothing is shown yet.
 *
 * @param db - any connection.
 * @param id - the member; anything that is not an id finds nothing.
 * @returns the member, or undefined.
 */
export async function findMemberName(db: Db, id: string): Promise<MemberName | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return db
    .selectFrom('members')
    .select([
      'id',
      'organisation_id as organisationId',
      sql<string>`coalesce(preferred_name, legal_name)`.as('name'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}
