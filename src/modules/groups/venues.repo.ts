import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';

/**
 * SQL for changing venues and their rooms (renaming, resizing, retiring). Adding them, and reading
 * them, is in groups.repo.ts.
 */

/** A room as its change and retire pages need it. */
export type RoomForChange = {
  id: string;
  venueId: string;
  name: string;
  capacity: number;
  version: number;
  retiredAt: Date | null;
};

/**
 * Finds a room of a venue.
 *
 * @param db - any connection.
 * @param venueId - the venue it must belong to.
 * @param id - the room's id (anything that is not a UUID is not found).
 * @returns the room, or undefined.
 */
export async function findRoomOfVenue(
  db: Db,
  venueId: string,
  id: string,
): Promise<RoomForChange | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return db
    .selectFrom('venue_rooms')
    .select(['id', 'venue_id as venueId', 'name', 'capacity', 'version', 'retired_at as retiredAt'])
    .where('id', '=', id)
    .where('venue_id', '=', venueId)
    .executeTakeFirst();
}

/**
 * Whether an organisation has another venue of this name (ignoring case).
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @param name - the name.
 * @param exceptId - the venue being renamed.
 * @returns true when taken.
 */
export async function otherVenueNamed(
  db: Db,
  organisationId: string,
  name: string,
  exceptId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('venues')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A venue's own details. */
export type VenueDetails = { name: string; address: string; postcode: string; accessibility: string };

/**
 * Changes a venue's details if it is still at the version the worker saw.
 *
 * @param db - a transaction.
 * @param id - the venue.
 * @param details - its new details.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @returns false when the version was stale.
 */
export function updateVenueIfVersion(
  db: Db,
  id: string,
  details: VenueDetails,
  version: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(db, 'venues', id, details, version, now);
}

/**
 * Changes a room if it is still at the version the worker saw and has not been retired, moving the
 * version on (venue_rooms is versioned since 0008, like the tables update-if-version knows).
 *
 * @param db - a transaction.
 * @param id - the room.
 * @param change - the new name and capacity, or the time it is retired.
 * @param version - the version the change was based on.
 * @param now - the time.
 * @returns false when the version was stale or the room is retired.
 */
export async function updateRoomIfVersion(
  db: Db,
  id: string,
  change: { name: string; capacity: number } | { retiredAt: Date },
  version: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('venue_rooms')
    .set({
      ...('retiredAt' in change ? { retired_at: change.retiredAt } : change),
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A session still to come in a room, as the retire page lists it. */
export type SessionInRoom = { id: string; groupId: string; groupName: string; startsAt: Date; endsAt: Date };

/**
 * The scheduled sessions in a room that have not yet ended, soonest first.
 *
 * @param db - any connection.
 * @param roomId - the room.
 * @param now - the time.
 * @returns the sessions, with their groups' names.
 */
export async function listSessionsToComeInRoom(db: Db, roomId: string, now: Date): Promise<SessionInRoom[]> {
  return db
    .selectFrom('group_sessions as gs')
    .innerJoin('group_programmes as g', 'g.id', 'gs.group_id')
    .select([
      'gs.id',
      'g.id as groupId',
      'g.name as groupName',
      'gs.starts_at as startsAt',
      'gs.ends_at as endsAt',
    ])
    .where('gs.room_id', '=', roomId)
    .where('gs.status', '=', 'scheduled')
    .where('gs.ends_at', '>', now)
    .orderBy('gs.starts_at')
    .execute();
}

/**
 * The groups that usually meet in a room (it is their default for new sessions).
 *
 * @param db - any connection.
 * @param roomId - the room.
 * @returns each group's id and name, by name.
 */
export async function listGroupsUsuallyIn(db: Db, roomId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('group_programmes')
    .select(['id', 'name'])
    .where('default_room_id', '=', roomId)
    .orderBy(sql`lower(name)`)
    .execute();
}
