import { sql } from 'kysely';
import type { Db } from '../../database.ts';
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
