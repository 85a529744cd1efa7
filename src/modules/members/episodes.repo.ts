import type { Db } from '../../database.ts';

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
