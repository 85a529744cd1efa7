import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../policy/index.ts';
import * as groupsRepo from './groups.repo.ts';
import { whenInWords } from './session-changes.checks.ts';
import type { ChangeRoomInput, ChangeVenueInput } from './venues.forms.ts';
import * as repo from './venues.repo.ts';

/**
 * Changing a venue once it is in use: its details (name, address, postcode, accessibility) and its
 * rooms (renamed, resized, or retired when no longer used). Every change is versioned, so two people
 * changing one venue or room at once are told rather than one overwriting the other.
 *
 * A room made smaller than a group that meets in it is allowed: the room really is smaller (a partition
 * went up, the fire officer lowered the number), and refusing would leave the record wrong. Its
 * sessions to come then show on the sessions needing attention list (facilitation-attention.ts), which
 * works from the room's size as it is now. A new session is still refused a room too small for it.
 */

async function loadVenue(db: Db, ctx: Ctx, venueId: string): Promise<groupsRepo.Venue> {
  authorize(ctx.actor, 'venue.manage');
  const venue = await groupsRepo.findVenue(db, venueId);
  if (!venue) {
    throw new NotFound('venue.not_found');
  }
  authorize(ctx.actor, 'venue.manage', venue);
  return venue;
}

async function loadRoom(db: Db, ctx: Ctx, venueId: string, roomId: string) {
  const venue = await loadVenue(db, ctx, venueId);
  const room = await repo.findRoomOfVenue(db, venue.id, roomId);
  if (!room) {
    throw new NotFound('venue.room_not_found');
  }
  return { venue, room };
}

/**
 * Changes a venue's details. The audit row names the fields that changed, never their values.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param input - its new details and the version the worker saw.
 * @throws NotFound when there is no such venue the actor may manage.
 * @throws Conflict when someone else changed it since.
 * @throws InvalidInput when another of the organisation's venues has that name.
 */
export async function changeVenue(ctx: Ctx, venueId: string, input: ChangeVenueInput): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const venue = await loadVenue(tx, ctx, venueId);
    if (venue.version !== input.version) {
      throw new Conflict('venue.version_mismatch');
    }
    if (await repo.otherVenueNamed(tx, venue.organisationId, input.name, venue.id)) {
      throw new InvalidInput('venue.name_taken', { name: 'There is already a venue with this name' });
    }
    const next: repo.VenueDetails = {
      name: input.name,
      address: input.address,
      postcode: input.postcode,
      accessibility: input.accessibility ?? '',
    };
    if (!(await repo.updateVenueIfVersion(tx, venue.id, next, input.version, now))) {
      throw new Conflict('venue.version_mismatch');
    }
    const fields = (Object.keys(next) as (keyof repo.VenueDetails)[]).filter(
      (key) => venue[key] !== next[key],
    );
    await audit(tx, ctx, {
      action: 'venue.changed',
      subject: { type: 'Venue', id: venue.id },
      details: { fields },
      at: now,
    });
  });
}

/**
 * Loads a room for the page that changes it.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param roomId - the room.
 * @returns the venue and the room.
 * @throws NotFound when there is no such room of a venue the actor may manage.
 */
export function roomForChange(ctx: Ctx, venueId: string, roomId: string) {
  return loadRoom(ctx.db, ctx, venueId, roomId);
}

/**
 * Renames or resizes a room that is still in use.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param roomId - the room.
 * @param input - its new name and capacity, and the version the worker saw.
 * @throws NotFound when there is no such room of a venue the actor may manage.
 * @throws Conflict when someone else changed or retired it since.
 * @throws InvalidInput when the venue has another room of that name.
 */
export async function changeRoom(
  ctx: Ctx,
  venueId: string,
  roomId: string,
  input: ChangeRoomInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const { venue, room } = await loadRoom(tx, ctx, venueId, roomId);
    if (room.retiredAt !== null || room.version !== input.version) {
      throw new Conflict('venue.room_version_mismatch');
    }
    if (venue.rooms.some((r) => r.id !== room.id && r.name.toLowerCase() === input.name.toLowerCase())) {
      throw new InvalidInput('venue.room_name_taken', {
        name: 'This venue already has a room with this name',
      });
    }
    const change = { name: input.name, capacity: input.capacity };
    if (!(await repo.updateRoomIfVersion(tx, room.id, change, input.version, now))) {
      throw new Conflict('venue.room_version_mismatch');
    }
    const fields = [
      room.name !== input.name && 'name',
      room.capacity !== input.capacity && 'capacity',
    ].filter((f): f is string => typeof f === 'string');
    await audit(tx, ctx, {
      action: 'venue.room_changed',
      subject: { type: 'Venue', id: venue.id },
      details: { roomId: room.id, fields },
      at: now,
    });
  });
}

/** What stops a room being retired: sessions still to come in it, and groups that usually meet there. */
export type RetireBlockers = {
  sessions: (repo.SessionInRoom & { when: string })[];
  groups: { id: string; name: string }[];
};

async function blockersOf(db: Db, roomId: string, now: Date): Promise<RetireBlockers> {
  const sessions = await repo.listSessionsToComeInRoom(db, roomId, now);
  return {
    sessions: sessions.map((s) => ({ ...s, when: whenInWords(s) })),
    groups: await repo.listGroupsUsuallyIn(db, roomId),
  };
}

/**
 * Loads a room for the page that retires it, with whatever stops that.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param roomId - the room.
 * @returns the venue, the room, and the sessions still to come and groups that usually meet there.
 * @throws NotFound when there is no such room of a venue the actor may manage.
 */
export async function roomForRetiring(ctx: Ctx, venueId: string, roomId: string) {
  const { venue, room } = await loadRoom(ctx.db, ctx, venueId, roomId);
  return { venue, room, ...(await blockersOf(ctx.db, room.id, ctx.clock.now())) };
}

/**
 * Retires a room no longer used: it stays on the sessions held in it and is offered for no new ones.
 * Refused while any session still to come is booked in it (each must be moved or cancelled first, so
 * nobody turns up to a room that is gone) or a group has it as its usual room.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param roomId - the room.
 * @param version - the version the worker saw.
 * @throws NotFound when there is no such room of a venue the actor may manage.
 * @throws Conflict when someone else changed or retired it since.
 * @throws InvalidInput when sessions to come or groups still use it.
 */
export async function retireRoom(ctx: Ctx, venueId: string, roomId: string, version: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const { venue, room } = await loadRoom(tx, ctx, venueId, roomId);
    // Scheduling holds the same lock while it checks a room, so no session is booked in it meanwhile.
    await groupsRepo.lockScheduling(tx, venue.organisationId);
    if (room.retiredAt !== null || room.version !== version) {
      throw new Conflict('venue.room_version_mismatch');
    }
    const blockers = await blockersOf(tx, room.id, now);
    const problems: Record<string, string> = {};
    if (blockers.sessions.length > 0) {
      const count = blockers.sessions.length;
      problems.sessions = `${count} ${count === 1 ? 'session is' : 'sessions are'} still booked in this room: move ${count === 1 ? 'it' : 'them'} to another room or cancel ${count === 1 ? 'it' : 'them'} first`;
    }
    if (blockers.groups.length > 0) {
      problems.groups = 'Choose another usual room for each group that meets here first';
    }
    if (Object.keys(problems).length > 0) {
      throw new InvalidInput('venue.room_in_use', problems);
    }
    if (!(await repo.updateRoomIfVersion(tx, room.id, { retiredAt: now }, version, now))) {
      throw new Conflict('venue.room_version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'venue.room_retired',
      subject: { type: 'Venue', id: venue.id },
      details: { roomId: room.id },
      at: now,
    });
  });
}
