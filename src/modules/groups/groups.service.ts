import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, isStaff } from '../../policy/index.ts';
import { listServicesInvolving } from '../organisations/index.ts';
import type {
  CancelSessionInput,
  ChangeGroupInput,
  GroupInput,
  RoomInput,
  SessionInput,
  VenueInput,
} from './groups.forms.ts';
import * as repo from './groups.repo.ts';
import {
  checkPlan,
  clashesIn,
  clashesOnFields,
  facilitatorChoices,
  type FacilitatorChoice,
  inPageOrder,
  roomChoices,
  roomTooSmall,
} from './session-changes.checks.ts';

export type { Group, Room, Session, Venue } from './groups.repo.ts';

/** The acting person's organisation: every list here is of one organisation's own records. */
function organisationOf(ctx: Ctx): string {
  if (!isStaff(ctx.actor)) {
    throw new Forbidden('policy.forbidden');
  }
  return ctx.actor.organisationId;
}

// Venues.

/**
 * Lists the venues of the actor's organisation, with their rooms.
 *
 * @param ctx - the request context.
 * @returns the venues, by name.
 * @throws Forbidden when the actor's role may not see venues.
 */
export async function listVenues(ctx: Ctx): Promise<repo.Venue[]> {
  authorize(ctx.actor, 'venue.list');
  return repo.listVenues(ctx.db, organisationOf(ctx));
}

async function loadVenue(db: Db, ctx: Ctx, venueId: string, action: 'venue.read' | 'venue.manage') {
  authorize(ctx.actor, action);
  const venue = await repo.findVenue(db, venueId);
  if (!venue) {
    throw new NotFound('venue.not_found');
  }
  authorize(ctx.actor, action, venue);
  return venue;
}

/**
 * Opens a venue.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @returns the venue with its rooms.
 * @throws NotFound when there is no such venue in the actor's organisation.
 */
export function viewVenue(ctx: Ctx, venueId: string): Promise<repo.Venue> {
  return loadVenue(ctx.db, ctx, venueId, 'venue.read');
}

/**
 * Loads a venue for the page that adds a room to it.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @returns the venue.
 * @throws NotFound when there is no such venue the actor may manage.
 */
export function venueForChange(ctx: Ctx, venueId: string): Promise<repo.Venue> {
  return loadVenue(ctx.db, ctx, venueId, 'venue.manage');
}

/**
 * Adds a venue to the actor's organisation.
 *
 * @param ctx - the request context.
 * @param input - the venue's details.
 * @returns the new venue's id.
 * @throws InvalidInput when the organisation already has a venue of that name.
 */
export async function addVenue(ctx: Ctx, input: VenueInput): Promise<string> {
  const organisationId = organisationOf(ctx);
  authorize(ctx.actor, 'venue.manage', { organisationId });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    if (await repo.venueNameTaken(tx, organisationId, input.name)) {
      throw new InvalidInput('venue.name_taken', { name: 'There is already a venue with this name' });
    }
    const id = randomUUID();
    await repo.insertVenue(
      tx,
      {
        id,
        organisationId,
        name: input.name,
        address: input.address,
        postcode: input.postcode,
        accessibility: input.accessibility ?? '',
      },
      now,
    );
    await audit(tx, ctx, { action: 'venue.created', subject: { type: 'Venue', id }, at: now });
    return id;
  });
}

/**
 * Adds a room to a venue.
 *
 * @param ctx - the request context.
 * @param venueId - the venue.
 * @param input - the room's name and how many people it holds.
 * @throws NotFound when there is no such venue the actor may manage.
 * @throws InvalidInput when the venue already has a room of that name.
 */
export async function addRoom(ctx: Ctx, venueId: string, input: RoomInput): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const venue = await loadVenue(tx, ctx, venueId, 'venue.manage');
    if (venue.rooms.some((r) => r.name.toLowerCase() === input.name.toLowerCase())) {
      throw new InvalidInput('venue.room_name_taken', {
        name: 'This venue already has a room with this name',
      });
    }
    const id = randomUUID();
    await repo.insertRoom(tx, { id, venueId: venue.id, name: input.name, capacity: input.capacity }, now);
    await audit(tx, ctx, {
      action: 'venue.room_added',
      subject: { type: 'Venue', id: venue.id },
      details: { roomId: id },
      at: now,
    });
  });
}

// Group programmes.

/**
 * Lists the group programmes of the actor's organisation.
 *
 * @param ctx - the request context.
 * @returns the groups, by name.
 * @throws Forbidden when the actor's role may not see groups.
 */
export async function listGroups(ctx: Ctx): Promise<repo.Group[]> {
  authorize(ctx.actor, 'group.list');
  return repo.listGroups(ctx.db, organisationOf(ctx));
}

/** What the group form offers: the organisation's services and the rooms of its venues. */
export type GroupChoices = {
  services: { id: string; name: string }[];
  rooms: { id: string; text: string }[];
};

async function choicesFor(db: Db, organisationId: string): Promise<GroupChoices> {
  const services = await listServicesInvolving(db, organisationId);
  const venues = await repo.listVenues(db, organisationId);
  return {
    services: services.map((s) => ({ id: s.id, name: s.name })),
    rooms: roomChoices(venues),
  };
}

/**
 * What the add-a-group form offers.
 *
 * @param ctx - the request context.
 * @returns the services and rooms to choose from.
 * @throws Forbidden when the actor's role may not set up groups.
 */
export async function groupChoices(ctx: Ctx): Promise<GroupChoices> {
  const organisationId = organisationOf(ctx);
  authorize(ctx.actor, 'group.manage', { organisationId });
  return choicesFor(ctx.db, organisationId);
}

async function checkGroupChoices(db: Db, organisationId: string, input: GroupInput): Promise<void> {
  const choices = await choicesFor(db, organisationId);
  const problems: Record<string, string> = {};
  if (input.serviceId !== null && !choices.services.some((s) => s.id === input.serviceId)) {
    problems.serviceId = 'Select a service from the list';
  }
  if (input.defaultRoomId !== null && !choices.rooms.some((r) => r.id === input.defaultRoomId)) {
    problems.defaultRoomId = 'Select a room from the list';
  } else if (input.defaultRoomId !== null) {
    const room = await repo.findRoom(db, input.defaultRoomId);
    const tooSmall = room && roomTooSmall(input, room);
    if (tooSmall) {
      problems.defaultRoomId = tooSmall;
    }
  }
  if (Object.keys(problems).length > 0) {
    throw new InvalidInput('group.invalid', problems);
  }
}

const groupFields = (input: GroupInput): repo.GroupFields => ({
  name: input.name,
  type: input.type,
  serviceId: input.serviceId,
  audience: input.audience,
  capacity: input.capacity,
  mode: input.mode,
  defaultRoomId: input.defaultRoomId,
});

/**
 * Sets up a group programme in the actor's organisation.
 *
 * @param ctx - the request context.
 * @param input - the group's set-up.
 * @returns the new group's id.
 * @throws InvalidInput when the service or room is not one of the organisation's.
 */
export async function addGroup(ctx: Ctx, input: GroupInput): Promise<string> {
  const organisationId = organisationOf(ctx);
  authorize(ctx.actor, 'group.manage', { organisationId });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await checkGroupChoices(tx, organisationId, input);
    const id = randomUUID();
    await repo.insertGroup(tx, id, organisationId, groupFields(input), now);
    await audit(tx, ctx, {
      action: 'group.created',
      subject: { type: 'GroupProgramme', id },
      details: { type: input.type, mode: input.mode },
      at: now,
    });
    return id;
  });
}

async function loadGroup(
  db: Db,
  ctx: Ctx,
  groupId: string,
  action: 'group.read' | 'group.manage' | 'session.manage',
): Promise<repo.Group> {
  authorize(ctx.actor, action);
  const group = await repo.findGroup(db, groupId);
  if (!group) {
    throw new NotFound('group.not_found');
  }
  authorize(ctx.actor, action, group);
  return group;
}

/**
 * Opens a group programme with its sessions that have not yet ended.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @returns the group and its upcoming sessions, soonest first.
 * @throws NotFound when there is no such group in the actor's organisation.
 */
export async function viewGroup(
  ctx: Ctx,
  groupId: string,
): Promise<{ group: repo.Group; sessions: repo.Session[] }> {
  const group = await loadGroup(ctx.db, ctx, groupId, 'group.read');
  return { group, sessions: await repo.listUpcomingSessions(ctx.db, group.id, ctx.clock.now()) };
}

/**
 * Loads a group for the page that changes it, with the choices its form offers.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @returns the group and the choices.
 * @throws NotFound when there is no such group the actor may manage.
 */
export async function groupForChange(
  ctx: Ctx,
  groupId: string,
): Promise<{ group: repo.Group } & GroupChoices> {
  const group = await loadGroup(ctx.db, ctx, groupId, 'group.manage');
  return { group, ...(await choicesFor(ctx.db, group.organisationId)) };
}

/**
 * Changes a group programme's set-up. The audit row names the fields that changed, never their values.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param input - the new set-up and the version the worker saw.
 * @throws NotFound when there is no such group the actor may manage.
 * @throws Conflict when someone else changed it since.
 * @throws InvalidInput when the service or room is not one of the organisation's.
 */
export async function changeGroup(ctx: Ctx, groupId: string, input: ChangeGroupInput): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, ctx, groupId, 'group.manage');
    if (group.version !== input.version) {
      throw new Conflict('group.version_mismatch');
    }
    await checkGroupChoices(tx, group.organisationId, input);
    const next = groupFields(input);
    if (!(await repo.updateGroupIfVersion(tx, group.id, next, input.version, now))) {
      throw new Conflict('group.version_mismatch');
    }
    const before: repo.GroupFields = {
      name: group.name,
      type: group.type,
      serviceId: group.serviceId,
      audience: group.audience,
      capacity: group.capacity,
      mode: group.mode,
      defaultRoomId: group.defaultRoomId,
    };
    const fields = (Object.keys(next) as (keyof repo.GroupFields)[]).filter(
      (key) => before[key] !== next[key],
    );
    await audit(tx, ctx, {
      action: 'group.changed',
      subject: { type: 'GroupProgramme', id: group.id },
      details: { fields },
      at: now,
    });
  });
}

// Sessions.

/** What the schedule-a-session form offers: the group, the organisation's rooms, its active staff and partners'. */
export type SessionChoices = {
  group: repo.Group;
  rooms: { id: string; text: string }[];
  staff: FacilitatorChoice[];
};

/**
 * Loads a group for the page that schedules a session of it.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @returns the group, the rooms and the staff to choose from.
 * @throws NotFound when there is no such group the actor may schedule.
 */
export async function sessionChoices(ctx: Ctx, groupId: string): Promise<SessionChoices> {
  const group = await loadGroup(ctx.db, ctx, groupId, 'session.manage');
  const { rooms } = await choicesFor(ctx.db, group.organisationId);
  return {
    group,
    rooms,
    staff: await facilitatorChoices(ctx.db, group, dayInLondon(ctx.clock.now())),
  };
}

/**
 * Schedules a one-off session of a group, refusing it (with every reason at once) when it is in the
 * past, has nowhere to meet, breaks the facilitation rule for its type of group, or books a
 * facilitator or a room already booked at an overlapping time.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param input - when, where and who facilitates.
 * @returns the new session's id.
 * @throws NotFound when there is no such group the actor may schedule.
 * @throws InvalidInput with what is wrong, field by field.
 */
export async function scheduleSession(ctx: Ctx, groupId: string, input: SessionInput): Promise<string> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, ctx, groupId, 'session.manage');
    // Two people scheduling at once must not both pass the clash checks below.
    await repo.lockScheduling(tx, group.organisationId);
    const checked = await checkPlan(tx, group, input, { today: dayInLondon(now) });
    if (input.date < dayInLondon(now)) {
      checked.problems.date = 'The date of the session must be today or in the future';
    } else if (input.startsAt <= now) {
      checked.problems.startTime = 'The start time must be later than now';
    }
    if (input.endsAt > input.startsAt) {
      clashesOnFields(checked, await clashesIn(tx, checked, [input]));
    }
    if (Object.keys(checked.problems).length > 0) {
      throw new InvalidInput('session.invalid', inPageOrder(checked.problems));
    }

    const id = randomUUID();
    await repo.insertSession(
      tx,
      {
        id,
        groupId: group.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        roomId: checked.roomId,
        onlineLink: checked.onlineLink,
        facilitators: checked.chosen.map(({ staffId, sessionRole }) => ({ staffId, sessionRole })),
      },
      now,
    );
    await audit(tx, ctx, {
      action: 'session.scheduled',
      subject: { type: 'GroupSession', id },
      details: { groupId: group.id, facilitators: checked.chosen.length },
      at: now,
    });
    return id;
  });
}

/**
 * Loads a scheduled session for the page that cancels it.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @returns the group and the session.
 * @throws NotFound when there is no such session of a group the actor may schedule.
 */
export async function sessionForCancel(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
): Promise<{ group: repo.Group; session: repo.Session }> {
  const group = await loadGroup(ctx.db, ctx, groupId, 'session.manage');
  const session = await repo.findSession(ctx.db, group.id, sessionId);
  if (!session) {
    throw new NotFound('session.not_found');
  }
  return { group, session };
}

/**
 * Cancels a scheduled session, with the reason (kept on the session, never in the audit trail).
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - the reason and the version the worker saw.
 * @throws NotFound when there is no such session of a group the actor may schedule.
 * @throws Conflict when it was changed or cancelled since.
 */
export async function cancelSession(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: CancelSessionInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, ctx, groupId, 'session.manage');
    const session = await repo.findSession(tx, group.id, sessionId);
    if (!session) {
      throw new NotFound('session.not_found');
    }
    if (session.status !== 'scheduled' || session.version !== input.version) {
      throw new Conflict('session.version_mismatch');
    }
    if (!(await repo.cancelSessionIfVersion(tx, session.id, input.reason, input.version, now))) {
      throw new Conflict('session.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'session.cancelled',
      subject: { type: 'GroupSession', id: session.id },
      details: { groupId: group.id },
      at: now,
    });
  });
}
