import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import { mayFacilitate } from '../organisations/index.ts';
import type { AttendanceStatus, BookingStatus, ConductMethod } from './attendance.tables.ts';
import type { GroupType, SessionRole, SessionStatus } from './groups.tables.ts';

/**
 * The reads that bookings, registers and notes share: a session with its group and facilitators, and
 * the people on a session's list. This module reads the groups tables with its own SQL, so it never
 * reaches into the groups pages' code.
 */

/** A session as bookings and registers need it. */
export type AttendanceSession = {
  id: string;
  groupId: string;
  groupName: string;
  groupType: GroupType;
  organisationId: string;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  /** The session's day in UK time, 'YYYY-MM-DD'. */
  day: string;
  /** The fewer of the group's places and its room's. */
  placeLimit: number;
  groupCapacity: number;
  roomName: string | null;
  venueName: string | null;
  online: boolean;
  facilitators: { staffId: string; name: string; sessionRole: SessionRole }[];
  /**
   * The facilitators who may act as such today: the group's own staff, and partners' staff only
   * while an agreement lets them (partnerMayFacilitate). The policy lets these take the register.
   */
  facilitatorIds: string[];
};

/**
 * Finds a session of a group, with what the policy and the pages need. Two queries whatever the size
 * of the group.
 *
 * @param db - any connection.
 * @param groupId - the group it must belong to.
 * @param sessionId - the session (anything that is not a UUID is not found).
 * @param today - the day, 'YYYY-MM-DD' in UK time: a partner's facilitator counts only while an
 *   agreement in force on it lets them.
 * @returns the session, or undefined.
 */
export async function findAttendanceSession(
  db: Db,
  groupId: string,
  sessionId: string,
  today: string,
): Promise<AttendanceSession | undefined> {
  if (!isUuid(groupId) || !isUuid(sessionId)) {
    return undefined;
  }
  const row = await db
    .selectFrom('group_sessions as s')
    .innerJoin('group_programmes as g', 'g.id', 's.group_id')
    .leftJoin('venue_rooms as r', 'r.id', 's.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      's.id',
      's.group_id as groupId',
      'g.name as groupName',
      'g.group_type as groupType',
      'g.organisation_id as organisationId',
      's.starts_at as startsAt',
      's.ends_at as endsAt',
      's.status',
      sql<string>`to_char(s.starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`.as('day'),
      sql<number>`least(g.capacity, coalesce(r.capacity, g.capacity))`.as('placeLimit'),
      'g.capacity as groupCapacity',
      'r.name as roomName',
      'v.name as venueName',
      sql<boolean>`s.online_link IS NOT NULL`.as('online'),
    ])
    .where('s.id', '=', sessionId)
    .where('s.group_id', '=', groupId)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const rows = await db
    .selectFrom('group_session_facilitators as f')
    .innerJoin('staff as st', 'st.id', 'f.staff_id')
    .innerJoin('group_sessions as s', 's.id', 'f.session_id')
    .innerJoin('group_programmes as g', 'g.id', 's.group_id')
    .select([
      'f.staff_id as staffId',
      'st.full_name as name',
      'f.session_role as sessionRole',
      mayFacilitate({
        staffOrganisation: sql.ref('st.organisation_id'),
        group: sql.ref('g.organisation_id'),
        service: sql.ref('g.service_id'),
        day: sql`${today}`,
      }).as('permitted'),
    ])
    .where('f.session_id', '=', row.id)
    .orderBy('f.session_role')
    .orderBy('st.full_name')
    .execute();
  return {
    ...row,
    facilitators: rows.map(({ staffId, name, sessionRole }) => ({ staffId, name, sessionRole })),
    facilitatorIds: rows.filter((f) => f.permitted).map((f) => f.staffId),
  };
}

/**
 * Finds a group's name and organisation.
 *
 * @param db - any connection.
 * @param groupId - the group (anything that is not a UUID is not found).
 * @returns the group, or undefined.
 */
export async function findGroupHeader(
  db: Db,
  groupId: string,
): Promise<{ id: string; name: string; organisationId: string } | undefined> {
  if (!isUuid(groupId)) {
    return undefined;
  }
  return db
    .selectFrom('group_programmes')
    .select(['id', 'name', 'organisation_id as organisationId'])
    .where('id', '=', groupId)
    .executeTakeFirst();
}

/**
 * Holds the group's row until the transaction ends, so two people booking its last place at once
 * take turns: the second sees the first's booking and is told the session is full.
 *
 * @param db - the transaction.
 * @param groupId - the group.
 */
export async function lockGroupForBooking(db: Db, groupId: string): Promise<void> {
  await db.selectFrom('group_programmes').select('id').where('id', '=', groupId).forUpdate().execute();
}

/** One person on a session's list: booked, a regular, cancelled, or recorded at the register. */
export type SessionPerson = {
  memberId: string;
  name: string;
  dateOfBirth: string | null;
  /** Expected at the session: booked (or a regular) and not cancelled. */
  expected: boolean;
  regular: boolean;
  bookingStatus: BookingStatus | null;
  cancelReason: string | null;
  attendance: AttendanceStatus | null;
  walkIn: boolean;
  conductMethod: ConductMethod | null;
  conductAt: Date | null;
};

/**
 * Everyone on a session's list, by name: the expected, those who cancelled, and anyone already on its
 * register. One query, served by the primary keys and the (session, member) indexes, so it costs the
 * same with two million attendance rows in the table as with none.
 *
 * @param db - any connection.
 * @param session - the session, with its group and its day.
 * @param session.id - the session.
 * @param session.groupId - its group.
 * @param session.day - its day in UK time.
 * @returns the people.
 */
export async function listSessionPeople(
  db: Db,
  session: { id: string; groupId: string; day: string },
): Promise<SessionPerson[]> {
  const rows = await sql<SessionPerson>`
    WITH people AS (
      SELECT member_id FROM session_expected_members WHERE session_id = ${session.id}
      UNION SELECT member_id FROM session_bookings WHERE session_id = ${session.id}
      UNION SELECT member_id FROM session_attendance WHERE session_id = ${session.id}
    )
    SELECT m.id AS "memberId",
           coalesce(m.preferred_name, m.legal_name) AS name,
           to_char(m.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
           EXISTS (SELECT 1 FROM session_expected_members e
                    WHERE e.session_id = ${session.id} AND e.member_id = m.id) AS expected,
           EXISTS (SELECT 1 FROM group_memberships gm
                    WHERE gm.group_id = ${session.groupId} AND gm.member_id = m.id
                      AND gm.from_date <= ${session.day}::date
                      AND (gm.ended_on IS NULL OR gm.ended_on > ${session.day}::date)) AS regular,
           b.status AS "bookingStatus",
           b.cancel_reason AS "cancelReason",
           a.status AS attendance,
           coalesce(a.walk_in, false) AS "walkIn",
           c.method AS "conductMethod",
           c.acknowledged_at AS "conductAt"
      FROM people p
      JOIN members m ON m.id = p.member_id
      LEFT JOIN session_bookings b ON b.session_id = ${session.id} AND b.member_id = m.id
      LEFT JOIN session_attendance a ON a.session_id = ${session.id} AND a.member_id = m.id
      LEFT JOIN conduct_acknowledgements c ON c.member_id = m.id
     ORDER BY lower(coalesce(m.preferred_name, m.legal_name)), m.id`.execute(db);
  return rows.rows;
}

/** A member found by name, to book or to add at the register. */
export type FoundMember = {
  id: string;
  name: string;
  dateOfBirth: string | null;
  conductMethod: ConductMethod | null;
};

/**
 * Finds an organisation's members by part of their name (preferred or legal), nearest first.
 *
 * @param db - any connection.
 * @param organisationId - the organisation that holds the records.
 * @param text - what was typed.
 * @returns up to 20 members.
 */
export async function findMembersByName(
  db: Db,
  organisationId: string,
  text: string,
): Promise<FoundMember[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('members as m')
    .leftJoin('conduct_acknowledgements as c', 'c.member_id', 'm.id')
    .select([
      'm.id',
      sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('name'),
      sql<string | null>`to_char(m.date_of_birth, 'YYYY-MM-DD')`.as('dateOfBirth'),
      'c.method as conductMethod',
    ])
    .where('m.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('m.legal_name', 'ilike', pattern), eb('m.preferred_name', 'ilike', pattern)]))
    .orderBy(sql`lower(coalesce(m.preferred_name, m.legal_name))`)
    .limit(20)
    .execute();
  return rows;
}

/**
 * Finds members of one organisation by id.
 *
 * @param db - any connection.
 * @param organisationId - the organisation that must hold them.
 * @param ids - the members' ids (any that are not UUIDs are left out).
 * @returns those found, with their names and code of conduct agreement.
 */
export async function findMembersOf(
  db: Db,
  organisationId: string,
  ids: readonly string[],
): Promise<FoundMember[]> {
  const wanted = ids.filter(isUuid);
  if (wanted.length === 0) {
    return [];
  }
  return db
    .selectFrom('members as m')
    .leftJoin('conduct_acknowledgements as c', 'c.member_id', 'm.id')
    .select([
      'm.id',
      sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('name'),
      sql<string | null>`to_char(m.date_of_birth, 'YYYY-MM-DD')`.as('dateOfBirth'),
      'c.method as conductMethod',
    ])
    .where('m.organisation_id', '=', organisationId)
    .where('m.id', 'in', wanted)
    .execute();
}

/**
 * Records (or replaces) a member's agreement to the group code of conduct.
 *
 * @param db - the transaction.
 * @param row - who, how, when and who recorded it.
 * @param row.memberId - the member.
 * @param row.method - how they agreed.
 * @param row.acknowledgedAt - when.
 * @param row.recordedBy - the worker who recorded it.
 * @param now - the time.
 */
export async function upsertConductAcknowledgement(
  db: Db,
  row: { memberId: string; method: ConductMethod; acknowledgedAt: Date; recordedBy: string },
  now: Date,
): Promise<void> {
  const values = {
    member_id: row.memberId,
    method: row.method,
    acknowledged_at: row.acknowledgedAt,
    recorded_by: row.recordedBy,
    recorded_at: now,
  };
  await db
    .insertInto('conduct_acknowledgements')
    .values(values)
    .onConflict((oc) =>
      oc.column('member_id').doUpdateSet({
        method: row.method,
        acknowledged_at: row.acknowledgedAt,
        recorded_by: row.recordedBy,
        recorded_at: now,
      }),
    )
    .execute();
}
