import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { WaitingStatus } from './attendance.tables.ts';

/**
 * How many are expected at a session (booked and regulars, less anyone who cancelled).
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @returns the count.
 */
export async function countExpected(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('session_expected_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The first scheduled session of a group, on or after a day and not yet started, that has no place
 * left: a regular place from that day would overfill it.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param fromDay - the first day the place covers, in UK time.
 * @param now - the time.
 * @returns the full session's start, or undefined when every one has room.
 */
export async function firstFullSessionFrom(
  db: Db,
  groupId: string,
  fromDay: string,
  now: Date,
): Promise<Date | undefined> {
  const row = await sql<{ startsAt: Date }>`
    SELECT s.starts_at AS "startsAt"
      FROM group_sessions s
      JOIN group_programmes g ON g.id = s.group_id
      LEFT JOIN venue_rooms r ON r.id = s.room_id
     WHERE s.group_id = ${groupId} AND s.status = 'scheduled' AND s.starts_at > ${now}
       AND (s.starts_at AT TIME ZONE 'Europe/London')::date >= ${fromDay}::date
       AND (SELECT count(*) FROM session_expected_members e WHERE e.session_id = s.id)
           >= least(g.capacity, coalesce(r.capacity, g.capacity))
     ORDER BY s.starts_at
     LIMIT 1`.execute(db);
  return row.rows[0]?.startsAt;
}

/**
 * How many regular places in a group are held on or after a day.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param day - the day.
 * @returns the count.
 */
export async function countRegularsOn(db: Db, groupId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('group_memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('group_id', '=', groupId)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', day)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A member's open regular place in a group, if they have one.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param memberId - the member.
 * @returns the place's id and first day, or undefined.
 */
export async function findOpenMembership(db: Db, groupId: string, memberId: string) {
  return db
    .selectFrom('group_memberships')
    .select(['id', 'from_date as fromDate'])
    .where('group_id', '=', groupId)
    .where('member_id', '=', memberId)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
}

/**
 * Gives a member a regular place in a group from a day.
 *
 * @param db - the transaction.
 * @param row - the group, member, first day and who booked it.
 * @param row.groupId - the group.
 * @param row.memberId - the member.
 * @param row.fromDay - the first day covered.
 * @param row.staffId - the worker booking.
 * @param now - the time.
 * @returns the place's id.
 */
export async function insertMembership(
  db: Db,
  row: { groupId: string; memberId: string; fromDay: string; staffId: string },
  now: Date,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('group_memberships')
    .values({
      id,
      group_id: row.groupId,
      member_id: row.memberId,
      from_date: row.fromDay,
      ended_on: null,
      ended_by_whom: null,
      end_reason: null,
      created_by: row.staffId,
      created_at: now,
    })
    .execute();
  return id;
}

/**
 * Ends a regular place: the member is no longer expected from that day on.
 *
 * @param db - the transaction.
 * @param id - the place.
 * @param end - the first day no longer covered, by whom it ended and why.
 * @param end.day - the day.
 * @param end.byWhom - the member or the service.
 * @param end.reason - why.
 */
export async function endMembership(
  db: Db,
  id: string,
  end: { day: string; byWhom: 'member' | 'service'; reason: string },
): Promise<void> {
  await db
    .updateTable('group_memberships')
    .set({
      ended_on: sql<string>`greatest(from_date, ${end.day}::date)`,
      ended_by_whom: end.byWhom,
      end_reason: end.reason,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A member's booking row for one session, whatever its status.
 *
 * @param db - any connection.
 * @param sessionId - the session.
 * @param memberId - the member.
 * @returns the row, or undefined.
 */
export async function findSessionBooking(db: Db, sessionId: string, memberId: string) {
  return db
    .selectFrom('session_bookings')
    .select(['id', 'status'])
    .where('session_id', '=', sessionId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
}

/**
 * Books a member onto one session (a cancelled booking of theirs is booked again).
 *
 * @param db - the transaction.
 * @param row - the session, member and who booked.
 * @param row.sessionId - the session.
 * @param row.memberId - the member.
 * @param row.staffId - the worker booking.
 * @param now - the time.
 */
export async function bookSession(
  db: Db,
  row: { sessionId: string; memberId: string; staffId: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('session_bookings')
    .values({
      id: randomUUID(),
      session_id: row.sessionId,
      member_id: row.memberId,
      status: 'booked',
      cancel_reason: null,
      booked_by: row.staffId,
      booked_at: now,
      cancelled_by: null,
      cancelled_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['session_id', 'member_id']).doUpdateSet({
        status: 'booked',
        cancel_reason: null,
        booked_by: row.staffId,
        booked_at: now,
        cancelled_by: null,
        cancelled_at: null,
      }),
    )
    .execute();
}

/**
 * Records that a member will not be at one session: a single booking cancelled, or a regular's
 * absence that week (a row that overrides their regular place for that session only).
 *
 * @param db - the transaction.
 * @param row - the session, member, who cancelled and why.
 * @param row.sessionId - the session.
 * @param row.memberId - the member.
 * @param row.byWhom - the member or the service.
 * @param row.reason - why.
 * @param row.staffId - the worker recording it.
 * @param now - the time.
 */
export async function cancelSessionBooking(
  db: Db,
  row: { sessionId: string; memberId: string; byWhom: 'member' | 'service'; reason: string; staffId: string },
  now: Date,
): Promise<void> {
  const status = row.byWhom === 'member' ? 'cancelled_by_member' : 'cancelled_by_service';
  await db
    .insertInto('session_bookings')
    .values({
      id: randomUUID(),
      session_id: row.sessionId,
      member_id: row.memberId,
      status,
      cancel_reason: row.reason,
      booked_by: row.staffId,
      booked_at: now,
      cancelled_by: row.staffId,
      cancelled_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['session_id', 'member_id']).doUpdateSet({
        status,
        cancel_reason: row.reason,
        cancelled_by: row.staffId,
        cancelled_at: now,
      }),
    )
    .execute();
}

/** Someone waiting for a place: in this session, or a regular place in the group. */
export type WaitingEntry = {
  id: string;
  memberId: string;
  name: string;
  forSession: boolean;
  status: WaitingStatus;
  addedAt: Date;
  offeredAt: Date | null;
  offeredByName: string | null;
};

/**
 * The waiting list for a session, in the order people joined it: those waiting for this session and
 * those waiting for a regular place in its group.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @returns the open entries, first come first.
 */
export async function listWaiting(db: Db, groupId: string, sessionId: string): Promise<WaitingEntry[]> {
  return db
    .selectFrom('waiting_list_entries as w')
    .innerJoin('members as m', 'm.id', 'w.member_id')
    .leftJoin('staff as st', 'st.id', 'w.offered_by')
    .select([
      'w.id',
      'w.member_id as memberId',
      sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('name'),
      sql<boolean>`w.session_id IS NOT NULL`.as('forSession'),
      'w.status',
      'w.added_at as addedAt',
      'w.offered_at as offeredAt',
      'st.full_name as offeredByName',
    ])
    .where('w.group_id', '=', groupId)
    .where((eb) => eb.or([eb('w.session_id', '=', sessionId), eb('w.session_id', 'is', null)]))
    .where('w.status', 'in', ['waiting', 'offered'])
    .orderBy('w.added_at')
    .orderBy('w.id')
    .execute();
}

/**
 * Whether a member is already waiting for this place.
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param sessionId - the session, or null for a regular place.
 * @param memberId - the member.
 * @returns true when they are on the list.
 */
export async function isWaiting(
  db: Db,
  groupId: string,
  sessionId: string | null,
  memberId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('waiting_list_entries')
    .select('id')
    .where('group_id', '=', groupId)
    .where('member_id', '=', memberId)
    .where('status', 'in', ['waiting', 'offered'])
    .where((eb) => (sessionId === null ? eb('session_id', 'is', null) : eb('session_id', '=', sessionId)))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Puts a member on a waiting list.
 *
 * @param db - the transaction.
 * @param row - the group, session (null for a regular place), member and who added them.
 * @param row.groupId - the group.
 * @param row.sessionId - the session, or null.
 * @param row.memberId - the member.
 * @param row.staffId - the worker.
 * @param now - the time.
 * @returns the entry's id.
 */
export async function insertWaiting(
  db: Db,
  row: { groupId: string; sessionId: string | null; memberId: string; staffId: string },
  now: Date,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('waiting_list_entries')
    .values({
      id,
      group_id: row.groupId,
      session_id: row.sessionId,
      member_id: row.memberId,
      added_by: row.staffId,
      added_at: now,
      offered_by: null,
      offered_at: null,
      closed_at: null,
    })
    .execute();
  return id;
}

/**
 * Finds a waiting-list entry for a session (or for a regular place in its group) that is open, or
 * that has just been booked (so a repeated "book the place" finds it done).
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param id - the entry.
 * @returns the entry, or undefined.
 */
export async function findWaiting(db: Db, groupId: string, sessionId: string, id: string) {
  if (!isUuid(id)) {
    return undefined;
  }
  return db
    .selectFrom('waiting_list_entries')
    .select(['id', 'member_id as memberId', 'session_id as sessionId', 'status'])
    .where('id', '=', id)
    .where('group_id', '=', groupId)
    .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('session_id', 'is', null)]))
    .where('status', 'in', ['waiting', 'offered', 'booked'])
    .executeTakeFirst();
}

/**
 * Marks a waiting-list entry as offered the place.
 *
 * @param db - the transaction.
 * @param id - the entry.
 * @param staffId - who offered it.
 * @param now - the time.
 */
export async function markOffered(db: Db, id: string, staffId: string, now: Date): Promise<void> {
  await db
    .updateTable('waiting_list_entries')
    .set({ status: 'offered', offered_by: staffId, offered_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Closes a waiting-list entry once the member has the place.
 *
 * @param db - the transaction.
 * @param id - the entry.
 * @param now - the time.
 */
export async function markBookedFromWaiting(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('waiting_list_entries')
    .set({ status: 'booked', closed_at: now })
    .where('id', '=', id)
    .execute();
}
