import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { GroupMode, GroupType, SessionRole, SessionStatus } from './groups.tables.ts';

// Venues and rooms.

/** A room in a venue; a retired one is kept for the sessions held in it but offered for no new ones. */
export type Room = { id: string; venueId: string; name: string; capacity: number; retiredAt: Date | null };

/** A venue an organisation holds groups in, with its rooms. */
export type Venue = {
  id: string;
  organisationId: string;
  name: string;
  address: string;
  postcode: string;
  accessibility: string;
  version: number;
  rooms: Room[];
};

/**
 * Lists an organisation's venues, by name, with their rooms.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns the venues.
 */
export async function listVenues(db: Db, organisationId: string): Promise<Venue[]> {
  const venues = await db
    .selectFrom('venues')
    .select([
      'id',
      'organisation_id as organisationId',
      'name',
      'address',
      'postcode',
      'accessibility',
      'version',
    ])
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`lower(name)`)
    .execute();
  if (venues.length === 0) {
    return [];
  }
  const rooms = await db
    .selectFrom('venue_rooms')
    .select(['id', 'venue_id as venueId', 'name', 'capacity', 'retired_at as retiredAt'])
    .where(
      'venue_id',
      'in',
      venues.map((v) => v.id),
    )
    .orderBy(sql`lower(name)`)
    .execute();
  return venues.map((v) => ({ ...v, rooms: rooms.filter((r) => r.venueId === v.id) }));
}

/**
 * Finds a venue with its rooms.
 *
 * @param db - any connection.
 * @param id - the venue's id (anything that is not a UUID is not found).
 * @returns the venue, or undefined.
 */
export async function findVenue(db: Db, id: string): Promise<Venue | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const venue = await db
    .selectFrom('venues')
    .select([
      'id',
      'organisation_id as organisationId',
      'name',
      'address',
      'postcode',
      'accessibility',
      'version',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!venue) {
    return undefined;
  }
  const rooms = await db
    .selectFrom('venue_rooms')
    .select(['id', 'venue_id as venueId', 'name', 'capacity', 'retired_at as retiredAt'])
    .where('venue_id', '=', id)
    .orderBy(sql`lower(name)`)
    .execute();
  return { ...venue, rooms };
}

/**
 * Whether an organisation already has a venue of this name (ignoring case).
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @param name - the name.
 * @returns true when taken.
 */
export async function venueNameTaken(db: Db, organisationId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('venues')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Inserts a venue.
 *
 * @param db - a transaction.
 * @param venue - the venue, without rooms.
 * @param now - the time.
 */
export async function insertVenue(db: Db, venue: Omit<Venue, 'rooms' | 'version'>, now: Date): Promise<void> {
  await db
    .insertInto('venues')
    .values({
      id: venue.id,
      organisation_id: venue.organisationId,
      name: venue.name,
      address: venue.address,
      postcode: venue.postcode,
      accessibility: venue.accessibility,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Inserts a room in a venue.
 *
 * @param db - a transaction.
 * @param room - the room.
 * @param now - the time.
 */
export async function insertRoom(db: Db, room: Omit<Room, 'retiredAt'>, now: Date): Promise<void> {
  await db
    .insertInto('venue_rooms')
    .values({
      id: room.id,
      venue_id: room.venueId,
      name: room.name,
      capacity: room.capacity,
      created_at: now,
    })
    .execute();
}

/**
 * Finds a room with the organisation that holds its venue.
 *
 * @param db - any connection.
 * @param id - the room's id.
 * @returns the room, its venue's name and organisation, or undefined.
 */
export async function findRoom(
  db: Db,
  id: string,
): Promise<(Room & { venueName: string; organisationId: string }) | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return db
    .selectFrom('venue_rooms as r')
    .innerJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      'r.id',
      'r.venue_id as venueId',
      'r.name',
      'r.capacity',
      'r.retired_at as retiredAt',
      'v.name as venueName',
      'v.organisation_id as organisationId',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

// Group programmes.

/** A group programme. */
export type Group = {
  id: string;
  organisationId: string;
  serviceId: string | null;
  serviceName: string | null;
  name: string;
  type: GroupType;
  audience: string | null;
  capacity: number;
  mode: GroupMode;
  defaultRoomId: string | null;
  defaultRoomName: string | null;
  defaultVenueName: string | null;
  version: number;
};

/** What a group programme is set up with. */
export type GroupFields = {
  name: string;
  type: GroupType;
  serviceId: string | null;
  audience: string | null;
  capacity: number;
  mode: GroupMode;
  defaultRoomId: string | null;
};

function groupsQuery(db: Db) {
  return db
    .selectFrom('group_programmes as g')
    .leftJoin('services as s', 's.id', 'g.service_id')
    .leftJoin('venue_rooms as r', 'r.id', 'g.default_room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      'g.id',
      'g.organisation_id as organisationId',
      'g.service_id as serviceId',
      's.name as serviceName',
      'g.name',
      'g.group_type as type',
      'g.audience',
      'g.capacity',
      'g.mode',
      'g.default_room_id as defaultRoomId',
      'r.name as defaultRoomName',
      'v.name as defaultVenueName',
      'g.version',
    ]);
}

/**
 * Lists an organisation's group programmes, by name.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns the groups.
 */
export async function listGroups(db: Db, organisationId: string): Promise<Group[]> {
  return groupsQuery(db)
    .where('g.organisation_id', '=', organisationId)
    .orderBy(sql`lower(g.name)`)
    .execute();
}

/**
 * Finds a group programme.
 *
 * @param db - any connection.
 * @param id - the group's id.
 * @returns the group, or undefined.
 */
export async function findGroup(db: Db, id: string): Promise<Group | undefined> {
  return isUuid(id) ? groupsQuery(db).where('g.id', '=', id).executeTakeFirst() : undefined;
}

const groupColumns = (fields: GroupFields) => ({
  name: fields.name,
  group_type: fields.type,
  service_id: fields.serviceId,
  audience: fields.audience,
  capacity: fields.capacity,
  mode: fields.mode,
  default_room_id: fields.defaultRoomId,
});

/**
 * Inserts a group programme.
 *
 * @param db - a transaction.
 * @param id - its id.
 * @param organisationId - the organisation that runs it.
 * @param fields - what it is set up with.
 * @param now - the time.
 */
export async function insertGroup(
  db: Db,
  id: string,
  organisationId: string,
  fields: GroupFields,
  now: Date,
): Promise<void> {
  await db
    .insertInto('group_programmes')
    .values({
      id,
      organisation_id: organisationId,
      ...groupColumns(fields),
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Changes a group programme if it is still at the version the worker saw.
 *
 * @param db - a transaction.
 * @param id - the group.
 * @param fields - its new set-up.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @returns false when the version was stale.
 */
export function updateGroupIfVersion(
  db: Db,
  id: string,
  fields: GroupFields,
  version: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(db, 'group_programmes', id, groupColumns(fields), version, now);
}

// Sessions.

/** A session of a group, with where it is and who facilitates it. */
export type Session = {
  id: string;
  groupId: string;
  startsAt: Date;
  endsAt: Date;
  roomId: string | null;
  roomName: string | null;
  venueName: string | null;
  onlineLink: string | null;
  status: SessionStatus;
  cancelReason: string | null;
  version: number;
  facilitators: { staffId: string; name: string; sessionRole: SessionRole }[];
};

function sessionsQuery(db: Db) {
  return db
    .selectFrom('group_sessions as gs')
    .leftJoin('venue_rooms as r', 'r.id', 'gs.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      'gs.id',
      'gs.group_id as groupId',
      'gs.starts_at as startsAt',
      'gs.ends_at as endsAt',
      'gs.room_id as roomId',
      'r.name as roomName',
      'v.name as venueName',
      'gs.online_link as onlineLink',
      'gs.status',
      'gs.cancel_reason as cancelReason',
      'gs.version',
    ]);
}

async function withFacilitators(db: Db, rows: Omit<Session, 'facilitators'>[]): Promise<Session[]> {
  if (rows.length === 0) {
    return [];
  }
  const facilitators = await db
    .selectFrom('group_session_facilitators as f')
    .innerJoin('staff as s', 's.id', 'f.staff_id')
    .select([
      'f.session_id as sessionId',
      'f.staff_id as staffId',
      's.full_name as name',
      'f.session_role as sessionRole',
    ])
    .where(
      'f.session_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('f.session_role')
    .orderBy('s.full_name')
    .execute();
  return rows.map((row) => ({
    ...row,
    facilitators: facilitators
      .filter((f) => f.sessionId === row.id)
      .map(({ staffId, name, sessionRole }) => ({ staffId, name, sessionRole })),
  }));
}

/**
 * Lists a group's sessions that have not yet ended, soonest first (cancelled ones included, marked).
 *
 * @param db - any connection.
 * @param groupId - the group.
 * @param now - the time.
 * @returns the sessions.
 */
export async function listUpcomingSessions(db: Db, groupId: string, now: Date): Promise<Session[]> {
  const rows = await sessionsQuery(db)
    .where('gs.group_id', '=', groupId)
    .where('gs.ends_at', '>', now)
    .orderBy('gs.starts_at')
    .execute();
  return withFacilitators(db, rows);
}

/**
 * Finds a session of a group.
 *
 * @param db - any connection.
 * @param groupId - the group it must belong to.
 * @param id - the session's id.
 * @returns the session, or undefined.
 */
export async function findSession(db: Db, groupId: string, id: string): Promise<Session | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await sessionsQuery(db)
    .where('gs.id', '=', id)
    .where('gs.group_id', '=', groupId)
    .executeTakeFirst();
  return row ? (await withFacilitators(db, [row]))[0] : undefined;
}

/**
 * Holds the organisation's scheduling lock until the transaction ends, so two people scheduling at
 * once cannot both pass the clash checks and book the same room or person twice.
 *
 * @param db - a transaction.
 * @param organisationId - the organisation whose sessions are being scheduled.
 */
export async function lockScheduling(db: Db, organisationId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`group_sessions:${organisationId}`}))`.execute(db);
}

/**
 * Holds a lock on each of the people until the transaction ends, taken in one order, so two
 * organisations scheduling the same partner facilitator at once cannot both pass the clash checks.
 *
 * @param db - a transaction.
 * @param staffIds - the people.
 */
export async function lockFacilitators(db: Db, staffIds: readonly string[]): Promise<void> {
  for (const staffId of [...new Set(staffIds)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`facilitator:${staffId}`}))`.execute(db);
  }
}

/**
 * The people among those given who already facilitate a scheduled session at an overlapping time.
 * Times are half-open ranges, so a session ending at 14:00 does not clash with one starting then.
 *
 * @param db - any connection.
 * @param staffIds - the people.
 * @param startsAt - the new session's start.
 * @param endsAt - its end.
 * @returns each clashing person's id and name.
 */
export async function findFacilitatorClashes(
  db: Db,
  staffIds: readonly string[],
  startsAt: Date,
  endsAt: Date,
): Promise<{ staffId: string; name: string }[]> {
  if (staffIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('group_session_facilitators as f')
    .innerJoin('group_sessions as gs', 'gs.id', 'f.session_id')
    .innerJoin('staff as s', 's.id', 'f.staff_id')
    .select(['f.staff_id as staffId', 's.full_name as name'])
    .distinct()
    .where('f.staff_id', 'in', [...staffIds])
    .where('gs.status', '=', 'scheduled')
    .where(sql<boolean>`tstzrange(gs.starts_at, gs.ends_at) && tstzrange(${startsAt}, ${endsAt})`)
    .orderBy('s.full_name')
    .execute();
}

/**
 * Whether a room already has a scheduled session at an overlapping time.
 *
 * @param db - any connection.
 * @param roomId - the room.
 * @param startsAt - the new session's start.
 * @param endsAt - its end.
 * @returns true when it is booked.
 */
export async function roomBooked(db: Db, roomId: string, startsAt: Date, endsAt: Date): Promise<boolean> {
  const row = await db
    .selectFrom('group_sessions as gs')
    .select('gs.id')
    .where('gs.room_id', '=', roomId)
    .where('gs.status', '=', 'scheduled')
    .where(sql<boolean>`tstzrange(gs.starts_at, gs.ends_at) && tstzrange(${startsAt}, ${endsAt})`)
    .executeTakeFirst();
  return row !== undefined;
}

/** A session as a new one is written. */
export type NewSession = {
  id: string;
  groupId: string;
  startsAt: Date;
  endsAt: Date;
  roomId: string | null;
  onlineLink: string | null;
  facilitators: { staffId: string; sessionRole: SessionRole }[];
};

/**
 * Inserts a scheduled session and its facilitators.
 *
 * @param db - a transaction.
 * @param session - the session.
 * @param now - the time.
 */
export async function insertSession(db: Db, session: NewSession, now: Date): Promise<void> {
  await db
    .insertInto('group_sessions')
    .values({
      id: session.id,
      group_id: session.groupId,
      starts_at: session.startsAt,
      ends_at: session.endsAt,
      room_id: session.roomId,
      online_link: session.onlineLink,
      cancel_reason: null,
      cancelled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (session.facilitators.length > 0) {
    await db
      .insertInto('group_session_facilitators')
      .values(
        session.facilitators.map((f) => ({
          session_id: session.id,
          staff_id: f.staffId,
          session_role: f.sessionRole,
        })),
      )
      .execute();
  }
}

/**
 * Cancels a scheduled session if it is still at the version the worker saw.
 *
 * @param db - a transaction.
 * @param id - the session.
 * @param reason - why, in the worker's words.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @returns false when the version was stale.
 */
export function cancelSessionIfVersion(
  db: Db,
  id: string,
  reason: string,
  version: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(
    db,
    'group_sessions',
    id,
    { status: 'cancelled', cancel_reason: reason, cancelled_at: now },
    version,
    now,
  );
}
