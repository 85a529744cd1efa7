import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import type { ReferralStatus } from './referral-status.ts';
import type { ContactAttemptChannel, ContactAttemptOutcome, ReferralSource } from './referrals.tables.ts';

/** A referral as the inbox lists it. */
export type InboxRow = {
  id: string;
  reference: string;
  name: string;
  source: ReferralSource;
  serviceName: string | null;
  status: ReferralStatus;
  receivedAt: Date;
  firstContactDue: string;
  /** How many referrals match the filter in all, across every page. */
  total: number;
};

/** What the inbox can be narrowed to. Days are calendar days since the referral arrived. */
export type InboxFilter = {
  statuses?: readonly ReferralStatus[];
  source?: ReferralSource;
  serviceId?: string;
  /** Only open referrals whose first-contact day is before this day ('YYYY-MM-DD'). */
  overdueBefore?: string;
  receivedAfter?: Date;
  receivedBefore?: Date;
};

/**
 * Lists the referrals held by some organisations, oldest first (the longest waiting come first). The
 * organisations are a required argument, so the list never reaches beyond what the caller may see.
 *
 * @param db - a connection.
 * @param organisationIds - the organisations whose referrals to list.
 * @param filter - what to narrow the list to.
 * @param page - which page of the list, from 1, and how many to a page.
 * @param page.number - the page, from 1.
 * @param page.size - how many to a page.
 * @returns one page of referrals, each carrying the total that match.
 */
export async function listInbox(
  db: Db,
  organisationIds: readonly string[],
  filter: InboxFilter,
  page: { number: number; size: number },
): Promise<InboxRow[]> {
  if (organisationIds.length === 0) {
    return [];
  }
  let query = db
    .selectFrom('referrals as r')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .select([
      'r.id',
      'r.reference',
      'r.name',
      'r.source',
      's.name as serviceName',
      'r.status',
      'r.received_at as receivedAt',
      'r.first_contact_due as firstContactDue',
      sql<number>`count(*) over ()::int`.as('total'),
    ])
    .where('r.organisation_id', 'in', [...organisationIds]);
  if (filter.statuses && filter.statuses.length > 0) {
    query = query.where('r.status', 'in', [...filter.statuses]);
  }
  if (filter.source) {
    query = query.where('r.source', '=', filter.source);
  }
  if (filter.serviceId) {
    query = query.where('r.service_id', '=', filter.serviceId);
  }
  if (filter.overdueBefore) {
    query = query
      .where('r.status', 'in', ['new', 'contact_attempted', 'welcome_booked'])
      .where('r.first_contact_due', '<', filter.overdueBefore);
  }
  if (filter.receivedAfter) {
    query = query.where('r.received_at', '>=', filter.receivedAfter);
  }
  if (filter.receivedBefore) {
    query = query.where('r.received_at', '<', filter.receivedBefore);
  }
  return query
    .orderBy('r.received_at')
    .orderBy('r.id')
    .limit(page.size)
    .offset((page.number - 1) * page.size)
    .execute();
}

/**
 * The services whose referrals an organisation may hold, for the inbox's filter.
 *
 * @param db - a connection.
 * @param organisationIds - the organisations.
 * @returns the services' ids and names, by name.
 */
export async function listServicesFor(db: Db, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('services')
    .select(['id', 'name'])
    .where('lead_organisation_id', 'in', [...organisationIds])
    .orderBy(sql`lower(name)`)
    .execute();
}

/**
 * Finds a whole referral, optionally locking it until the transaction ends, except what the referrer
 * said about keeping people safe: that is read only through findSafetyInformation, by someone allowed
 * to see it, so no page can show it by accident.
 *
 * @param db - a connection or transaction.
 * @param id - the referral.
 * @param forUpdate - lock the row.
 * @returns the referral's row without `safety_information`, or undefined.
 */
export async function findReferral(db: Db, id: string, forUpdate = false) {
  let query = db.selectFrom('referrals').selectAll().where('id', '=', id);
  if (forUpdate) {
    query = query.forUpdate();
  }
  const row = await query.executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const { safety_information: _sensitive, ...rest } = row;
  return rest;
}

/** A row of the referrals table, as the triage use cases read it. */
export type ReferralRow = NonNullable<Awaited<ReturnType<typeof findReferral>>>;

/**
 * Changes a referral if it is still at the version the worker saw.
 *
 * @param db - the transaction.
 * @param id - the referral.
 * @param change - the columns that change.
 * @param change.status - the new status.
 * @param change.welcome_at - when the welcome conversation is booked for.
 * @param change.member_id - the person it is linked to.
 * @param change.episode_id - the episode of support accepting it started.
 * @param change.previous_referral_id - the person's earlier referral, when they came back.
 * @param change.outcome_reason - why it closed.
 * @param change.outcome_where - where the person was signposted.
 * @param change.closed_at - when it closed.
 * @param expectedVersion - the version the worker saw.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale.
 */
export function updateReferral(
  db: Db,
  id: string,
  change: Partial<{
    status: ReferralStatus;
    welcome_at: Date | null;
    member_id: string | null;
    episode_id: string | null;
    previous_referral_id: string | null;
    outcome_reason: string;
    outcome_where: string | null;
    closed_at: Date;
  }>,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(db, 'referrals', id, change, expectedVersion, now);
}

/** A logged attempt to reach the person. */
export type ContactAttempt = {
  at: Date;
  channel: ContactAttemptChannel;
  outcome: ContactAttemptOutcome;
  note: string | null;
  staffName: string;
};

/**
 * Logs an attempt to contact the person.
 *
 * @param db - the transaction.
 * @param attempt - the referral, when, how, what happened, any note and who tried.
 * @param attempt.referralId - the referral.
 * @param attempt.at - when.
 * @param attempt.channel - how.
 * @param attempt.outcome - what happened.
 * @param attempt.note - anything to add.
 * @param attempt.staffId - who tried.
 * @returns the attempt's id.
 */
export async function insertContactAttempt(
  db: Db,
  attempt: {
    referralId: string;
    at: Date;
    channel: ContactAttemptChannel;
    outcome: ContactAttemptOutcome;
    note: string | null;
    staffId: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('referral_contact_attempts')
    .values({
      id,
      referral_id: attempt.referralId,
      at: attempt.at,
      channel: attempt.channel,
      outcome: attempt.outcome,
      note: attempt.note,
      staff_id: attempt.staffId,
    })
    .execute();
  return id;
}

/**
 * The attempts to contact the person, oldest first, with who made them.
 *
 * @param db - a connection or transaction.
 * @param referralId - the referral.
 * @returns the attempts.
 */
export async function listContactAttempts(db: Db, referralId: string): Promise<ContactAttempt[]> {
  return db
    .selectFrom('referral_contact_attempts as a')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .select(['a.at', 'a.channel', 'a.outcome', 'a.note', 's.full_name as staffName'])
    .where('a.referral_id', '=', referralId)
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
}

/** One change of a referral's status. */
export type StatusChange = {
  fromStatus: ReferralStatus;
  toStatus: ReferralStatus;
  reason: string | null;
  at: Date;
  staffName: string;
};

/**
 * Records a change of status, with who made it and why.
 *
 * @param db - the transaction.
 * @param change - the referral, the statuses before and after, the reason, when and who.
 * @param change.referralId - the referral.
 * @param change.fromStatus - the status before.
 * @param change.toStatus - the status after.
 * @param change.reason - why, when one was given.
 * @param change.at - when.
 * @param change.staffId - who.
 */
export async function insertStatusChange(
  db: Db,
  change: {
    referralId: string;
    fromStatus: ReferralStatus;
    toStatus: ReferralStatus;
    reason: string | null;
    at: Date;
    staffId: string;
  },
): Promise<void> {
  await db
    .insertInto('referral_status_changes')
    .values({
      id: randomUUID(),
      referral_id: change.referralId,
      from_status: change.fromStatus,
      to_status: change.toStatus,
      reason: change.reason,
      at: change.at,
      staff_id: change.staffId,
    })
    .execute();
}

/**
 * A referral's changes of status, oldest first.
 *
 * @param db - a connection or transaction.
 * @param referralId - the referral.
 * @returns the changes.
 */
export async function listStatusChanges(db: Db, referralId: string): Promise<StatusChange[]> {
  return db
    .selectFrom('referral_status_changes as c')
    .innerJoin('staff as s', 's.id', 'c.staff_id')
    .select([
      'c.from_status as fromStatus',
      'c.to_status as toStatus',
      'c.reason',
      'c.at',
      's.full_name as staffName',
    ])
    .where('c.referral_id', '=', referralId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();
}

/**
 * A service's promises that triage needs: how soon a discharged person's history is picked up again.
 *
 * @param db - a connection or transaction.
 * @param serviceId - the service, if any.
 * @returns the door-open weeks (26 when there is no service).
 */
export async function doorOpenWeeks(db: Db, serviceId: string | null): Promise<number> {
  if (!serviceId) {
    return 26;
  }
  const row = await db
    .selectFrom('services')
    .select('door_open_weeks')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  return row?.door_open_weeks ?? 26;
}

/**
 * The person's most recent earlier referral, for linking a re-referral to its history.
 *
 * @param db - a connection or transaction.
 * @param memberId - the person.
 * @param exceptId - the referral being triaged.
 * @returns the earlier referral's id, or undefined.
 */
export async function findEarlierReferral(db: Db, memberId: string, exceptId: string) {
  const row = await db
    .selectFrom('referrals')
    .select('id')
    .where('member_id', '=', memberId)
    .where('id', '<>', exceptId)
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
