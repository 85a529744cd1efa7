import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { EpisodeStatus } from './members.tables.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';

/** An episode of support as a new one is written. */
export type NewEpisode = {
  id: string;
  memberId: string;
  organisationId: string;
  serviceId: string | null;
  startedOn: string;
  anticipatedEndOn: string | null;
  reviewOn: string | null;
  keyWorkerIds: readonly string[];
  /** The discharged episode this one carries on from, if any. */
  continuesEpisodeId?: string | null;
};

/**
 * Inserts an active episode of support and its key workers.
 *
 * @param db - a transaction.
 * @param episode - the episode.
 * @param now - the time.
 */
export async function insertEpisode(db: Db, episode: NewEpisode, now: Date): Promise<void> {
  await db
    .insertInto('episodes')
    .values({
      id: episode.id,
      member_id: episode.memberId,
      organisation_id: episode.organisationId,
      service_id: episode.serviceId,
      started_on: episode.startedOn,
      anticipated_end_on: episode.anticipatedEndOn,
      review_on: episode.reviewOn,
      discharged_on: null,
      discharge_reason: null,
      continues_episode_id: episode.continuesEpisodeId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (episode.keyWorkerIds.length > 0) {
    await db
      .insertInto('episode_key_workers')
      .values(episode.keyWorkerIds.map((staffId) => ({ episode_id: episode.id, staff_id: staffId })))
      .execute();
  }
}

/**
 * Finds a member's active episode in a service (or with no service), if there is one.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param serviceId - the service, or null.
 * @returns the episode's id and version, or undefined.
 */
export async function findActiveEpisode(db: Db, memberId: string, serviceId: string | null) {
  let query = db
    .selectFrom('episodes')
    .select(['id', 'version'])
    .where('member_id', '=', memberId)
    .where('status', '=', 'active');
  query =
    serviceId === null ? query.where('service_id', 'is', null) : query.where('service_id', '=', serviceId);
  return query.executeTakeFirst();
}

/**
 * The member's most recent discharge, for "the door stays open": someone who comes back soon after
 * picks up where they left off.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the discharged episode's id, service and discharge day, or undefined.
 */
export async function findLatestDischarge(db: Db, memberId: string) {
  return db
    .selectFrom('episodes')
    .select(['id', 'service_id as serviceId', 'discharged_on as dischargedOn'])
    .where('member_id', '=', memberId)
    .where('status', '=', 'discharged')
    .orderBy('discharged_on', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** An episode of support as its pages show it, with its service's settings and its key workers. */
export type Episode = {
  id: string;
  memberId: string;
  organisationId: string;
  serviceId: string | null;
  serviceName: string | null;
  /** The service's weeks without contact before someone shows as not engaging (null with no service). */
  nonEngagementWeeks: number | null;
  /** The service's weeks a discharged person's history is picked up again (null with no service). */
  doorOpenWeeks: number | null;
  status: EpisodeStatus;
  startedOn: string;
  anticipatedEndOn: string | null;
  reviewOn: string | null;
  dischargedOn: string | null;
  dischargeReason: string | null;
  version: number;
  keyWorkers: { id: string; fullName: string }[];
};

/**
 * Finds an episode of support with its service's settings and key workers.
 *
 * @param db - a connection or transaction.
 * @param id - the episode; anything that is not an id finds nothing.
 * @returns the episode, or undefined.
 */
export async function findEpisode(db: Db, id: string): Promise<Episode | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await db
    .selectFrom('episodes as e')
    .leftJoin('services as s', 's.id', 'e.service_id')
    .select([
      'e.id',
      'e.member_id as memberId',
      'e.organisation_id as organisationId',
      'e.service_id as serviceId',
      's.name as serviceName',
      's.non_engagement_weeks as nonEngagementWeeks',
      's.door_open_weeks as doorOpenWeeks',
      'e.status',
      'e.started_on as startedOn',
      'e.anticipated_end_on as anticipatedEndOn',
      'e.review_on as reviewOn',
      'e.discharged_on as dischargedOn',
      'e.discharge_reason as dischargeReason',
      'e.version',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const keyWorkers = await db
    .selectFrom('episode_key_workers as k')
    .innerJoin('staff as st', 'st.id', 'k.staff_id')
    .select(['st.id', 'st.full_name as fullName'])
    .where('k.episode_id', '=', id)
    .orderBy('st.full_name')
    .execute();
  return { ...row, keyWorkers };
}

/** What the plan page changes: the anticipated end, the review date and the key workers. */
export type EpisodePlan = {
  anticipatedEndOn: string | null;
  reviewOn: string | null;
  keyWorkerIds: readonly string[];
};

/**
 * Changes an active episode's plan if it is still at the version the caller saw.
 *
 * @param db - a transaction.
 * @param id - the episode.
 * @param plan - the new anticipated end, review date and key workers.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale or the episode is not active.
 */
export async function updatePlanIfVersion(
  db: Db,
  id: string,
  plan: EpisodePlan,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('episodes')
    .set({
      anticipated_end_on: plan.anticipatedEndOn,
      review_on: plan.reviewOn,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    return false;
  }
  await db.deleteFrom('episode_key_workers').where('episode_id', '=', id).execute();
  if (plan.keyWorkerIds.length > 0) {
    await db
      .insertInto('episode_key_workers')
      .values(plan.keyWorkerIds.map((staffId) => ({ episode_id: id, staff_id: staffId })))
      .execute();
  }
  return true;
}

/**
 * Discharges an active episode if it is still at the version the caller saw.
 *
 * @param db - a transaction.
 * @param id - the episode.
 * @param discharge - the day support ended and why (as episodes.forms.ts stores it).
 * @param discharge.dischargedOn - the day support ended, 'YYYY-MM-DD'.
 * @param discharge.reason - the stored reason.
 * @param expectedVersion - the version the discharge was based on.
 * @param now - the time.
 * @returns true when it was discharged; false when the version was stale or it was not active.
 */
export async function dischargeIfVersion(
  db: Db,
  id: string,
  discharge: { dischargedOn: string; reason: string },
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('episodes')
    .set({
      status: 'discharged',
      discharged_on: discharge.dischargedOn,
      discharge_reason: discharge.reason,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The key workers of an episode.
 *
 * @param db - a connection or transaction.
 * @param episodeId - the episode.
 * @returns their staff ids.
 */
export async function findKeyWorkerIds(db: Db, episodeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('episode_key_workers')
    .select('staff_id')
    .where('episode_id', '=', episodeId)
    .execute();
  return rows.map((row) => row.staff_id);
}
