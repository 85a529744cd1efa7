import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { FollowUpOutcome, FollowUpStep } from './members.tables.ts';

/** Weeks without contact before someone shows as not engaging, for an episode with no service. */
export const DEFAULT_NON_ENGAGEMENT_WEEKS = 4;

/** One row of the non-engagement worklist. */
export type NotEngagingRow = {
  episodeId: string;
  memberId: string;
  /** Their preferred name, or their legal name when they gave none. */
  name: string;
  serviceName: string | null;
  lastEngagedAt: Date;
  keyWorkerNames: string[];
  /** The steps of the follow-up attempts logged since they were last in touch, oldest first. */
  stepsSinceEngagement: FollowUpStep[];
};

/**
 * The active episodes of one organisation whose person has not been in touch for longer than their
 * service allows, the longest quiet first. "In touch" comes from the view episode_engagement alone, so
 * the modules that record contacts and group attendance feed this list by replacing the view. The
 * organisation is a required argument and is applied inside the query.
 *
 * @param db - any connection.
 * @param scope - whose list and when.
 * @param scope.organisationId - the organisation that holds the episodes.
 * @param scope.now - the time now.
 * @param scope.keyWorkerId - when given, only episodes this member of staff is key worker for.
 * @returns the worklist.
 */
export async function listNotEngaging(
  db: Db,
  scope: { organisationId: string; now: Date; keyWorkerId?: string | undefined },
): Promise<NotEngagingRow[]> {
  let query = db
    .selectFrom('episode_engagement as ee')
    .innerJoin('members as m', 'm.id', 'ee.member_id')
    .leftJoin('services as s', 's.id', 'ee.service_id')
    .select([
      'ee.episode_id as episodeId',
      'ee.member_id as memberId',
      sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('name'),
      's.name as serviceName',
      'ee.last_engaged_at as lastEngagedAt',
      sql<string[]>`array(
        SELECT st.full_name FROM episode_key_workers k JOIN staff st ON st.id = k.staff_id
        WHERE k.episode_id = ee.episode_id ORDER BY st.full_name)`.as('keyWorkerNames'),
      sql<FollowUpStep[]>`array(
        SELECT f.step FROM engagement_follow_ups f
        WHERE f.episode_id = ee.episode_id AND f.at > ee.last_engaged_at ORDER BY f.at)`.as(
        'stepsSinceEngagement',
      ),
    ])
    .where('ee.organisation_id', '=', scope.organisationId)
    .where(
      'ee.last_engaged_at',
      '<',
      sql<Date>`${scope.now}::timestamptz - make_interval(weeks => coalesce(s.non_engagement_weeks, ${DEFAULT_NON_ENGAGEMENT_WEEKS}))`,
    );
  const keyWorkerId = scope.keyWorkerId;
  if (keyWorkerId !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('episode_key_workers as k')
          .select('k.staff_id')
          .whereRef('k.episode_id', '=', 'ee.episode_id')
          .where('k.staff_id', '=', keyWorkerId),
      ),
    );
  }
  return query.orderBy('ee.last_engaged_at').orderBy('ee.episode_id').execute();
}

/**
 * When the person in an active episode was last in touch, from the view episode_engagement.
 *
 * @param db - any connection.
 * @param episodeId - the episode.
 * @returns the moment, or undefined when the episode is not active.
 */
export async function findLastEngagedAt(db: Db, episodeId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('episode_engagement')
    .select('last_engaged_at')
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
  return row?.last_engaged_at;
}

/** One follow-up attempt as the episode page lists it. */
export type FollowUp = {
  id: string;
  step: FollowUpStep;
  outcome: FollowUpOutcome;
  note: string | null;
  at: Date;
  staffName: string;
};

/**
 * Lists an episode's follow-up attempts, newest first.
 *
 * @param db - any connection.
 * @param episodeId - the episode.
 * @returns the attempts, with who made each.
 */
export async function listFollowUps(db: Db, episodeId: string): Promise<FollowUp[]> {
  return db
    .selectFrom('engagement_follow_ups as f')
    .innerJoin('staff as st', 'st.id', 'f.staff_id')
    .select(['f.id', 'f.step', 'f.outcome', 'f.note', 'f.at', 'st.full_name as staffName'])
    .where('f.episode_id', '=', episodeId)
    .orderBy('f.at', 'desc')
    .orderBy('f.id')
    .execute();
}

/** A follow-up attempt as a new one is written. */
export type NewFollowUp = {
  id: string;
  episodeId: string;
  step: FollowUpStep;
  outcome: FollowUpOutcome;
  note: string | null;
  at: Date;
  staffId: string;
};

/**
 * Inserts a follow-up attempt.
 *
 * @param db - a transaction.
 * @param followUp - the attempt.
 */
export async function insertFollowUp(db: Db, followUp: NewFollowUp): Promise<void> {
  await db
    .insertInto('engagement_follow_ups')
    .values({
      id: followUp.id,
      episode_id: followUp.episodeId,
      step: followUp.step,
      outcome: followUp.outcome,
      note: followUp.note,
      at: followUp.at,
      staff_id: followUp.staffId,
    })
    .execute();
}
