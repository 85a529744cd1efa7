import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { ReferralSource } from './referrals.tables.ts';

/** A draft of a self-referral: what has been typed so far, and until when it is kept. */
export type ReferralDraft = {
  id: string;
  answers: Record<string, unknown>;
  expiresAt: Date;
};

/** A referral as a new one is written. */
export type NewReferral = {
  id: string;
  reference: string;
  serviceId: string | null;
  organisationId: string;
  source: ReferralSource;
  receivedAt: Date;
  firstContactDue: string;
  name: string;
  preferredName: string | null;
  email: string | null;
  phone: string | null;
  postalAddress: string | null;
  contactMethods: string[];
  safeToLeaveMessage: boolean | null;
  bestTimes: string | null;
  communicationNeeds: string[];
  preferredLanguage: string | null;
  communicationNeedsOther: string | null;
  nhsNumber: string | null;
  gpPractice: string | null;
  ownWords: string;
  hopes: string;
  consentToReferral: boolean;
  consentToContact: boolean;
  submissionKey: string | null;
  /** A calendar day, 'YYYY-MM-DD'. */
  dateOfBirth?: string | null;
  /** As Royal Mail prints it, e.g. "LS1 4AP". */
  postcode?: string | null;
  /** Who referred them, when someone else did (required unless the source is 'self'). */
  referrerName?: string | null;
  referrerRole?: string | null;
  referrerOrganisation?: string | null;
  referrerEmail?: string | null;
  referrerPhone?: string | null;
  /** What the referrer said the team should know to keep people safe: sensitive. */
  safetyInformation?: string | null;
};

/** What the person who sent a referral is shown once it is sent. */
export type SentReferral = { id: string; reference: string; firstContactDue: string };

/** Which organisation holds a referral, and how soon it promises first contact. */
export type ReferralDestination = {
  serviceId: string | null;
  organisationId: string;
  firstContactWorkingDays: number;
};

/**
 * Inserts a new, empty draft.
 *
 * @param db - a connection or transaction.
 * @param draft - its id, first answers and expiry.
 * @param now - the time.
 */
export async function insertDraft(db: Db, draft: ReferralDraft, now: Date): Promise<void> {
  await db
    .insertInto('referral_drafts')
    .values({
      id: draft.id,
      answers: JSON.stringify(draft.answers),
      expires_at: draft.expiresAt,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Finds a draft that has not expired.
 *
 * @param db - a connection or transaction.
 * @param id - the draft's id.
 * @param now - the time, to leave out expired drafts.
 * @param forUpdate - lock the row until the transaction ends.
 * @returns the draft, or undefined.
 */
export async function findDraft(
  db: Db,
  id: string,
  now: Date,
  forUpdate = false,
): Promise<ReferralDraft | undefined> {
  let query = db
    .selectFrom('referral_drafts')
    .select(['id', 'answers', 'expires_at'])
    .where('id', '=', id)
    .where('expires_at', '>', now);
  if (forUpdate) {
    query = query.forUpdate();
  }
  const row = await query.executeTakeFirst();
  return row && { id: row.id, answers: row.answers, expiresAt: row.expires_at };
}

/**
 * Finds the draft a resume code belongs to, if it has not expired.
 *
 * @param db - a connection.
 * @param codeHash - the SHA-256 of the code.
 * @param now - the time.
 * @returns the draft's id, or undefined.
 */
export async function findDraftIdByCodeHash(
  db: Db,
  codeHash: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('referral_drafts')
    .select('id')
    .where('code_hash', '=', codeHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Replaces a draft's answers and moves its expiry on.
 *
 * @param db - a connection or transaction.
 * @param id - the draft.
 * @param answers - all its answers.
 * @param expiresAt - the new expiry.
 * @param now - the time.
 */
export async function updateDraftAnswers(
  db: Db,
  id: string,
  answers: Record<string, unknown>,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  await db
    .updateTable('referral_drafts')
    .set({ answers: JSON.stringify(answers), expires_at: expiresAt, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Gives a draft a new resume code (only its hash is kept), replacing any earlier one.
 *
 * @param db - a connection or transaction.
 * @param id - the draft.
 * @param codeHash - the SHA-256 of the new code.
 * @param expiresAt - the new expiry.
 * @param now - the time.
 */
export async function setDraftCodeHash(
  db: Db,
  id: string,
  codeHash: string,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  await db
    .updateTable('referral_drafts')
    .set({ code_hash: codeHash, expires_at: expiresAt, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Deletes every draft past its expiry: what a person typed and did not send is not kept beyond the
 * 7 days they were told about.
 *
 * @param db - a connection or transaction.
 * @param now - the time.
 * @returns how many were deleted.
 */
export async function deleteExpiredDrafts(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('referral_drafts').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes a draft.
 *
 * @param db - a connection or transaction.
 * @param id - the draft.
 */
export async function deleteDraft(db: Db, id: string): Promise<void> {
  await db.deleteFrom('referral_drafts').where('id', '=', id).execute();
}

/**
 * Finds who holds a referral: the lead organisation of the service it is for, or the host organisation
 * when there is no service (or the service is not known).
 *
 * @param db - a connection or transaction.
 * @param serviceId - the service, if one was chosen.
 * @returns the destination, or undefined when there is no host organisation yet.
 */
export async function findDestination(
  db: Db,
  serviceId: string | undefined,
): Promise<ReferralDestination | undefined> {
  if (serviceId) {
    const service = await db
      .selectFrom('services')
      .select(['id', 'lead_organisation_id', 'first_contact_working_days'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    if (service) {
      return {
        serviceId: service.id,
        organisationId: service.lead_organisation_id,
        firstContactWorkingDays: service.first_contact_working_days,
      };
    }
  }
  const host = await db
    .selectFrom('organisations')
    .select('id')
    .where('is_host', '=', true)
    .executeTakeFirst();
  return host && { serviceId: null, organisationId: host.id, firstContactWorkingDays: 5 };
}

/**
 * Inserts a referral.
 *
 * @param db - a transaction.
 * @param referral - the referral.
 */
export async function insertReferral(db: Db, referral: NewReferral): Promise<void> {
  await db
    .insertInto('referrals')
    .values({
      id: referral.id,
      reference: referral.reference,
      service_id: referral.serviceId,
      organisation_id: referral.organisationId,
      source: referral.source,
      received_at: referral.receivedAt,
      first_contact_due: referral.firstContactDue,
      name: referral.name,
      preferred_name: referral.preferredName,
      email: referral.email,
      phone: referral.phone,
      postal_address: referral.postalAddress,
      contact_methods: sql<string[]>`${referral.contactMethods}::text[]`,
      safe_to_leave_message: referral.safeToLeaveMessage,
      best_times: referral.bestTimes,
      communication_needs: sql<string[]>`${referral.communicationNeeds}::text[]`,
      preferred_language: referral.preferredLanguage,
      communication_needs_other: referral.communicationNeedsOther,
      nhs_number: referral.nhsNumber,
      gp_practice: referral.gpPractice,
      own_words: referral.ownWords,
      hopes: referral.hopes,
      consent_to_referral: referral.consentToReferral,
      consent_to_contact: referral.consentToContact,
      submission_key: referral.submissionKey,
      date_of_birth: referral.dateOfBirth ?? null,
      postcode: referral.postcode ?? null,
      referrer_name: referral.referrerName ?? null,
      referrer_role: referral.referrerRole ?? null,
      referrer_organisation: referral.referrerOrganisation ?? null,
      referrer_email: referral.referrerEmail ?? null,
      referrer_phone: referral.referrerPhone ?? null,
      safety_information: referral.safetyInformation ?? null,
      created_at: referral.receivedAt,
      updated_at: referral.receivedAt,
    })
    .execute();
}

/**
 * Finds the referral a submission made, so sending the same form twice shows the same confirmation.
 *
 * @param db - a connection or transaction.
 * @param submissionKey - the key the check-your-answers form carried.
 * @returns the referral, or undefined.
 */
export async function findBySubmissionKey(db: Db, submissionKey: string): Promise<SentReferral | undefined> {
  return db
    .selectFrom('referrals')
    .select(['id', 'reference', 'first_contact_due as firstContactDue'])
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst();
}

/**
 * Finds a referral's reference and first-contact date.
 *
 * @param db - a connection.
 * @param id - the referral.
 * @returns the referral, or undefined.
 */
export async function findSentReferral(db: Db, id: string): Promise<SentReferral | undefined> {
  return db
    .selectFrom('referrals')
    .select(['id', 'reference', 'first_contact_due as firstContactDue'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Reads what the referrer said the team should know to keep people safe.
 *
 * @param db - a connection or transaction.
 * @param id - the referral.
 * @returns the text, or undefined when there is none (or no such referral).
 */
export async function findSafetyInformation(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('referrals')
    .select('safety_information')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.safety_information ?? undefined;
}

/**
 * Holds a named lock until the transaction ends. Two app processes then take turns: counting one
 * address's sends (so two cannot both see 19 and send the 20th and 21st), or looking for a submission
 * key (so a double click's two requests cannot both miss it and both insert).
 *
 * @param tx - a transaction.
 * @param name - what is locked, e.g. `referral-send:<address>`.
 */
export async function lockUntilCommit(tx: Db, name: string): Promise<void> {
  // The two-number form, with a number of our own for these locks, so they cannot meet another's.
  await sql`SELECT pg_advisory_xact_lock(7201, hashtext(${name}))`.execute(tx);
}
