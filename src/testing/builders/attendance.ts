import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import type { AttendanceStatus, ConductMethod } from '../../modules/groups/attendance.tables.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');

/**
 * Books a member onto one session.
 *
 * @param db - the test database.
 * @param booking - the session, the member and the worker who booked.
 * @param booking.sessionId - the session.
 * @param booking.memberId - the member.
 * @param booking.staffId - the worker.
 */
export async function buildBooking(
  db: Db,
  booking: { sessionId: string; memberId: string; staffId: string },
): Promise<void> {
  await db
    .insertInto('session_bookings')
    .values({
      id: randomUUID(),
      session_id: booking.sessionId,
      member_id: booking.memberId,
      status: 'booked',
      cancel_reason: null,
      booked_by: booking.staffId,
      booked_at: BUILT_AT,
      cancelled_by: null,
      cancelled_at: null,
    })
    .execute();
}

/**
 * Gives a member a regular place in a group from a day.
 *
 * @param db - the test database.
 * @param membership - the group, the member, the first day and the worker who booked.
 * @param membership.groupId - the group.
 * @param membership.memberId - the member.
 * @param membership.fromDay - the first day covered, 'YYYY-MM-DD'.
 * @param membership.staffId - the worker.
 */
export async function buildMembership(
  db: Db,
  membership: { groupId: string; memberId: string; fromDay: string; staffId: string },
): Promise<void> {
  await db
    .insertInto('group_memberships')
    .values({
      id: randomUUID(),
      group_id: membership.groupId,
      member_id: membership.memberId,
      from_date: membership.fromDay,
      ended_on: null,
      ended_by_whom: null,
      end_reason: null,
      created_by: membership.staffId,
      created_at: BUILT_AT,
    })
    .execute();
}

/**
 * Records a member's agreement to the group code of conduct.
 *
 * @param db - the test database.
 * @param conduct - the member, the worker, and how (read together in person unless given).
 * @param conduct.memberId - the member.
 * @param conduct.staffId - the worker.
 * @param conduct.method - how they agreed.
 */
export async function buildConductAcknowledgement(
  db: Db,
  conduct: { memberId: string; staffId: string; method?: ConductMethod },
): Promise<void> {
  await db
    .insertInto('conduct_acknowledgements')
    .values({
      member_id: conduct.memberId,
      method: conduct.method ?? 'read_together_in_person',
      acknowledged_at: BUILT_AT,
      recorded_by: conduct.staffId,
      recorded_at: BUILT_AT,
    })
    .execute();
}

/**
 * Records one person's status at a session, as a saved register would.
 *
 * @param db - the test database.
 * @param row - the session, member, status, whether they walked in, and who recorded it.
 * @param row.sessionId - the session.
 * @param row.memberId - the member.
 * @param row.status - their status.
 * @param row.walkIn - whether they walked in.
 * @param row.staffId - the worker.
 */
export async function buildAttendance(
  db: Db,
  row: { sessionId: string; memberId: string; status: AttendanceStatus; walkIn?: boolean; staffId: string },
): Promise<void> {
  await db
    .insertInto('session_attendance')
    .values({
      session_id: row.sessionId,
      member_id: row.memberId,
      status: row.status,
      walk_in: row.walkIn ?? false,
      recorded_by: row.staffId,
      recorded_at: BUILT_AT,
    })
    .execute();
}
