import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { SessionRole } from './groups.tables.ts';
import type { ScheduleStatus } from './schedules.tables.ts';

// Clashes, for one session or many at once.

/** A time a session would take. */
export type Slot = { startsAt: Date; endsAt: Date };

/** Something already booked at the time of one of the slots asked about. */
export type Clash = {
  /** Which of the slots asked about, counted from 0. */
  slot: number;
  kind: 'facilitator' | 'room';
  /** The person booked, for a facilitator clash. */
  staffId: string | null;
  staffName: string | null;
  /** The other session and its group. */
  otherStartsAt: Date;
  otherEndsAt: Date;
  otherGroupName: string;
};

/**
 * Everything already booked (people and the room) at an overlapping time to any of the slots, in one
 * query per kind however many slots (a schedule of 26 weeks asks once). Times are half-open ranges, so
 * a session ending at 14:00 does not clash with one starting then. Cancelled sessions hold nothing.
 *
 * @param db - any connection (the caller holds the organisation's scheduling lock).
 * @param slots - the times.
 * @param who - the people and room to check.
 * @param who.staffIds - the facilitators.
 * @param who.roomId - the room, if any.
 * @param who.exceptSessionIds - sessions to leave out (the one being changed).
 * @returns the clashes, by slot, people before the room.
 */
export async function findClashes(
  db: Db,
  slots: readonly Slot[],
  who: { staffIds: readonly string[]; roomId: string | null; exceptSessionIds?: readonly string[] },
): Promise<Clash[]> {
  if (slots.length === 0) {
    return [];
  }
  const starts = slots.map((s) => s.startsAt.toISOString());
  const ends = slots.map((s) => s.endsAt.toISOString());
  const except = [...(who.exceptSessionIds ?? [])];
  const wanted = sql`unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS o(starts_at, ends_at, n)`;
  const clashes: Clash[] = [];
  if (who.staffIds.length > 0) {
    const people = await sql<Clash>`
      SELECT (o.n - 1)::int AS slot, 'facilitator' AS kind, f.staff_id AS "staffId", s.full_name AS "staffName",
             gs.starts_at AS "otherStartsAt", gs.ends_at AS "otherEndsAt", g.name AS "otherGroupName"
        FROM ${wanted}
        JOIN group_sessions gs
          ON gs.status = 'scheduled' AND tstzrange(gs.starts_at, gs.ends_at) && tstzrange(o.starts_at, o.ends_at)
        JOIN group_session_facilitators f ON f.session_id = gs.id
        JOIN staff s ON s.id = f.staff_id
        JOIN group_programmes g ON g.id = gs.group_id
       WHERE f.staff_id = ANY(${[...who.staffIds]}::uuid[])
         AND NOT (gs.id = ANY(${except}::uuid[]))
       ORDER BY o.n, s.full_name`.execute(db);
    clashes.push(...people.rows);
  }
  if (who.roomId !== null) {
    const room = await sql<Clash>`
      SELECT (o.n - 1)::int AS slot, 'room' AS kind, NULL AS "staffId", NULL AS "staffName",
             gs.starts_at AS "otherStartsAt", gs.ends_at AS "otherEndsAt", g.name AS "otherGroupName"
        FROM ${wanted}
        JOIN group_sessions gs
          ON gs.status = 'scheduled' AND tstzrange(gs.starts_at, gs.ends_at) && tstzrange(o.starts_at, o.ends_at)
        JOIN group_programmes g ON g.id = gs.group_id
       WHERE gs.room_id = ${who.roomId}
         AND NOT (gs.id = ANY(${except}::uuid[]))
       ORDER BY o.n`.execute(db);
    clashes.push(...room.rows);
  }
  return clashes.sort((a, b) => a.slot - b.slot);
}

// Schedules.

/** A recurring schedule of a group. */
export type Schedule = {
  id: string;
  groupId: string;
  rrule: string;
  startsOn: string;
  startTime: string;
  endTime: string;
  roomId: string | null;
  roomName: string | null;
  venueName: string | null;
  onlineLink: string | null;
  status: ScheduleStatus;
  endReason: string | null;
  materialisedUntil: string;
  version: number;
  facilitators: { staffId: string; name: string; sessionRole: SessionRole }[];
};

/** A schedule as it is first written. */
export type NewSchedule = Omit<
  Schedule,
  'roomName' | 'venueName' | 'status' | 'endReason' | 'version' | 'facilitators'
> & { facilitators: { staffId: string; sessionRole: SessionRole }[] };

/**
 * Writes a schedule, its facilitators and all the sessions it makes (each with the same facilitators),
 * in the caller's transaction, in three statements whatever the number of sessions.
 *
 * @param db - a transaction.
 * @param schedule - the schedule.
 * @param sessions - the sessions: their ids and times.
 * @param now - the time.
 */
export async function insertScheduleWithSessions(
  db: Db,
  schedule: NewSchedule,
  sessions: readonly (Slot & { id: string })[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('group_schedules')
    .values({
      id: schedule.id,
      group_id: schedule.groupId,
      rrule: schedule.rrule,
      starts_on: schedule.startsOn,
      start_time: schedule.startTime,
      end_time: schedule.endTime,
      room_id: schedule.roomId,
      online_link: schedule.onlineLink,
      end_reason: null,
      ended_at: null,
      materialised_until: schedule.materialisedUntil,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (schedule.facilitators.length > 0) {
    await db
      .insertInto('group_schedule_facilitators')
      .values(
        schedule.facilitators.map((f) => ({
          schedule_id: schedule.id,
          staff_id: f.staffId,
          session_role: f.sessionRole,
        })),
      )
      .execute();
  }
  if (sessions.length === 0) {
    return;
  }
  await db
    .insertInto('group_sessions')
    .values(
      sessions.map((s) => ({
        id: s.id,
        group_id: schedule.groupId,
        schedule_id: schedule.id,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        room_id: schedule.roomId,
        online_link: schedule.onlineLink,
        cancel_reason: null,
        cancelled_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  if (schedule.facilitators.length > 0) {
    await db
      .insertInto('group_session_facilitators')
      .values(
        sessions.flatMap((s) =>
          schedule.facilitators.map((f) => ({
            session_id: s.id,
            staff_id: f.staffId,
            session_role: f.sessionRole,
          })),
        ),
      )
      .execute();
  }
}

function schedulesQuery(db: Db) {
  return db
    .selectFrom('group_schedules as sc')
    .leftJoin('venue_rooms as r', 'r.id', 'sc.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      'sc.id',
      'sc.group_id as groupId',
      'sc.rrule',
      'sc.starts_on as startsOn',
      'sc.start_time as startTime',
      'sc.end_time as endTime',
      'sc.room_id as roomId',
      'r.name as roomName',
      'v.name as venueName',
      'sc.online_link as onlineLink',
      'sc.status',
      'sc.end_reason as endReason',
      'sc.materialised_until as materialisedUntil',
      'sc.version',
      sql<Schedule['facilitators']>`coalesce((
        SELECT json_agg(json_build_object('staffId', f.staff_id, 'name', s.full_name, 'sessionRole', f.session_role)
                        ORDER BY f.session_role, s.full_name)
          FROM group_schedule_facilitators f JOIN staff s ON s.id = f.staff_id
         WHERE f.schedule_id = sc.id), '[]')`.as('facilitators'),
    ]);
}

/**
 * Lists a group's schedules, newest first.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @returns the schedules.
 */
export function listSchedules(db: Db, groupId: string): Promise<Schedule[]> {
  return schedulesQuery(db).where('sc.group_id', '=', groupId).orderBy('sc.starts_on', 'desc').execute();
}

/**
 * Finds a schedule of a group.
 *
 * @param db - any connection.
 * @param groupId - the group it must belong to.
 * @param id - the schedule.
 * @returns the schedule, or undefined.
 */
export async function findSchedule(db: Db, groupId: string, id: string): Promise<Schedule | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return schedulesQuery(db).where('sc.id', '=', id).where('sc.group_id', '=', groupId).executeTakeFirst();
}

/**
 * Counts a schedule's sessions still to come (scheduled, not yet started).
 *
 * @param db - any connection.
 * @param scheduleId - the schedule.
 * @param now - the time.
 * @returns how many.
 */
export async function countComingSessions(db: Db, scheduleId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('group_sessions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'scheduled')
    .where('starts_at', '>', now)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Ends a schedule if it is still at the version the manager saw, cancelling with the reason every
 * session of it that has not yet started.
 *
 * @param db - a transaction.
 * @param id - the schedule.
 * @param reason - why, in the manager's words.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @returns the cancelled sessions' ids, or undefined when the version was stale.
 */
export async function endScheduleIfVersion(
  db: Db,
  id: string,
  reason: string,
  version: number,
  now: Date,
): Promise<string[] | undefined> {
  const ended = await db
    .updateTable('group_schedules')
    .set({
      status: 'ended',
      end_reason: reason,
      ended_at: now,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (ended.numUpdatedRows === 0n) {
    return undefined;
  }
  const cancelled = await db
    .updateTable('group_sessions')
    .set({
      status: 'cancelled',
      cancel_reason: reason,
      cancelled_at: now,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('schedule_id', '=', id)
    .where('status', '=', 'scheduled')
    .where('starts_at', '>', now)
    .returning('id')
    .execute();
  return cancelled.map((c) => c.id);
}

// Out-of-hours settings.

/**
 * A service's stored out-of-hours settings.
 *
 * @param db - any connection.
 * @param serviceId - the service.
 * @returns the row, or undefined when the service uses the usual settings.
 */
export function findOutOfHours(db: Db, serviceId: string) {
  return db
    .selectFrom('service_out_of_hours')
    .select(['evenings_from', 'saturdays', 'sundays', 'bank_holidays', 'version'])
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
}

/**
 * Saves a service's out-of-hours settings: the first time (expected version 0) or over the version
 * the manager saw.
 *
 * @param db - a transaction.
 * @param serviceId - the service.
 * @param settings - the settings as stored.
 * @param settings.evenings_from - 'HH:MM' or null.
 * @param settings.saturdays - whether Saturdays count.
 * @param settings.sundays - whether Sundays count.
 * @param settings.bank_holidays - whether bank holidays count.
 * @param version - the version the change was based on (0 when there were none).
 * @param now - the time.
 * @returns false when the version was stale.
 */
export async function saveOutOfHoursIfVersion(
  db: Db,
  serviceId: string,
  settings: { evenings_from: string | null; saturdays: boolean; sundays: boolean; bank_holidays: boolean },
  version: number,
  now: Date,
): Promise<boolean> {
  if (version === 0) {
    const inserted = await db
      .insertInto('service_out_of_hours')
      .values({ service_id: serviceId, ...settings, updated_at: now })
      .onConflict((oc) => oc.column('service_id').doNothing())
      .returning('service_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }
  const updated = await db
    .updateTable('service_out_of_hours')
    .set({ ...settings, updated_at: now, version: sql<number>`version + 1` })
    .where('service_id', '=', serviceId)
    .where('version', '=', version)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}
