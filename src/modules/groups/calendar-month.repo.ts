import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { mayFacilitate, partnerMayFacilitate } from '../organisations/index.ts';
import type { StaffRole } from '../../policy/index.ts';
import type { GroupMode, GroupType, SessionRole, SessionStatus } from './groups.tables.ts';

/** A session as the month view, the group page and the needing-attention list show it. */
export type SessionOverview = {
  id: string;
  groupId: string;
  groupName: string;
  groupType: GroupType;
  groupMode: GroupMode;
  groupCapacity: number;
  /** The organisation that runs the group, and its name (shown for a partner's group). */
  organisationId: string;
  organisationName: string;
  scheduleId: string | null;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  cancelReason: string | null;
  roomId: string | null;
  roomName: string | null;
  roomCapacity: number | null;
  venueName: string | null;
  onlineLink: string | null;
  version: number;
  /** The service's stored out-of-hours settings; null when it has none (or the group no service). */
  outOfHours: {
    evenings_from: string | null;
    saturdays: boolean;
    sundays: boolean;
    bank_holidays: boolean;
  } | null;
  facilitators: {
    staffId: string;
    name: string;
    sessionRole: SessionRole;
    roles: StaffRole[];
    active: boolean;
    /** Their organisation's name (for a partner's staff, whose agreement may stop covering them). */
    organisationName: string;
    /** Whether they may facilitate on the session's day: own staff, or a partner an agreement covers. */
    permitted: boolean;
  }[];
};

function overviewQuery(db: Db) {
  return db
    .selectFrom('group_programmes as g')
    .innerJoin('group_sessions as gs', 'gs.group_id', 'g.id')
    .leftJoin('venue_rooms as r', 'r.id', 'gs.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
    .leftJoin('service_out_of_hours as ooh', 'ooh.service_id', 'g.service_id')
    .select([
      'gs.id',
      'g.id as groupId',
      'g.name as groupName',
      'g.group_type as groupType',
      'g.mode as groupMode',
      'g.capacity as groupCapacity',
      'g.organisation_id as organisationId',
      'o.name as organisationName',
      'gs.schedule_id as scheduleId',
      'gs.starts_at as startsAt',
      'gs.ends_at as endsAt',
      'gs.status',
      'gs.cancel_reason as cancelReason',
      'gs.room_id as roomId',
      'r.name as roomName',
      'r.capacity as roomCapacity',
      'v.name as venueName',
      'gs.online_link as onlineLink',
      'gs.version',
      sql<SessionOverview['outOfHours']>`CASE WHEN ooh.service_id IS NULL THEN NULL ELSE
        json_build_object('evenings_from', ooh.evenings_from, 'saturdays', ooh.saturdays, 'sundays', ooh.sundays,
          'bank_holidays', ooh.bank_holidays)
        END`.as('outOfHours'),
      sql<SessionOverview['facilitators']>`coalesce((
        SELECT json_agg(json_build_object('staffId', f.staff_id, 'name', s.full_name,
                 'sessionRole', f.session_role, 'roles', s.roles, 'active', s.status = 'active',
                 'organisationName', so.name,
                 'permitted', ${mayFacilitate({
                   staffOrganisation: sql.ref('s.organisation_id'),
                   group: sql.ref('g.organisation_id'),
                   service: sql.ref('g.service_id'),
                   day: sql`(gs.starts_at AT TIME ZONE 'Europe/London')::date`,
                 })})
               ORDER BY f.session_role, s.full_name)
          FROM group_session_facilitators f JOIN staff s ON s.id = f.staff_id
               JOIN organisations so ON so.id = s.organisation_id
         WHERE f.session_id = gs.id), '[]')`.as('facilitators'),
    ]);
}

/**
 * Every session of an organisation's groups starting in a range, soonest first, with everything the
 * pages show and the checks need, in one query: the group, the room and venue, the service's
 * out-of-hours settings, and the facilitators with their current roles and whether their accounts are
 * active (gathered per session with json_agg, so there is no query per session). The organisation's
 * groups are found by group_programmes_organisation and their sessions by group_sessions_group
 * (group_id, starts_at), so the cost follows the sessions in range, not the size of the tables.
 *
 * @param db - any connection.
 * @param scope - whose sessions and when.
 * @param scope.organisationId - the organisation.
 * @param scope.from - the earliest start (inclusive).
 * @param scope.to - the latest start (exclusive).
 * @param scope.groupId - one group only, if given.
 * @param scope.scheduledOnly - leave out cancelled sessions.
 * @returns the sessions.
 */
export async function listSessionsOverview(
  db: Db,
  scope: { organisationId: string; from: Date; to: Date; groupId?: string; scheduledOnly?: boolean },
): Promise<SessionOverview[]> {
  let query = overviewQuery(db)
    .where('g.organisation_id', '=', scope.organisationId)
    .where('gs.starts_at', '>=', scope.from)
    .where('gs.starts_at', '<', scope.to);
  if (scope.groupId !== undefined) {
    query = query.where('g.id', '=', scope.groupId);
  }
  if (scope.scheduledOnly) {
    query = query.where('gs.status', '=', 'scheduled');
  }
  return query
    .orderBy('gs.starts_at')
    .orderBy(sql`lower(g.name)`)
    .execute();
}

/**
 * The sessions of other organisations' groups that one person facilitates, starting in a range,
 * soonest first: a trust clinician co-facilitating a charity's SUN group sees those sessions in their
 * own month view, while an agreement in force today lets their organisation facilitate the group
 * (partnerMayFacilitate in the organisations module). Found from the person's facilitator rows
 * (group_session_facilitators_staff), so the cost follows their sessions, not the other
 * organisation's timetable.
 *
 * @param db - any connection.
 * @param scope - whose sessions and when.
 * @param scope.staffId - the facilitator.
 * @param scope.exceptOrganisationId - their own organisation, whose sessions are listed already.
 * @param scope.from - the earliest start (inclusive).
 * @param scope.to - the latest start (exclusive).
 * @param scope.today - the day, 'YYYY-MM-DD' in UK time.
 * @returns the sessions.
 */
export async function listSessionsFacilitatedElsewhere(
  db: Db,
  scope: { staffId: string; exceptOrganisationId: string; from: Date; to: Date; today: string },
): Promise<SessionOverview[]> {
  return overviewQuery(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_session_facilitators as mine')
          .select('mine.session_id')
          .whereRef('mine.session_id', '=', 'gs.id')
          .where('mine.staff_id', '=', scope.staffId),
      ),
    )
    .where('g.organisation_id', '<>', scope.exceptOrganisationId)
    .where(
      partnerMayFacilitate({
        partner: sql`${scope.exceptOrganisationId}::uuid`,
        group: sql.ref('g.organisation_id'),
        service: sql.ref('g.service_id'),
        day: sql`${scope.today}`,
      }),
    )
    .where('gs.starts_at', '>=', scope.from)
    .where('gs.starts_at', '<', scope.to)
    .orderBy('gs.starts_at')
    .orderBy(sql`lower(g.name)`)
    .execute();
}
