import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { InvalidInput, NotFound } from '../../platform/errors.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import * as people from './attendance.repo.ts';
import { loadSession, mayOnSession, staffIdOf, type AttendanceSession } from './attendance.service.ts';
import type { BookingInput, CancelBookingInput, ConductInput } from './bookings.forms.ts';
import * as repo from './bookings.repo.ts';

export type { WaitingEntry } from './bookings.repo.ts';

/**
 * Booking members onto groups.
 *
 * Facilitators of a weekly SUN group think of "the group": the same people every week, who agreed the
 * code of conduct and build trust together. So a booking can be a regular place from a session on
 * (expected every week after, including sessions a recurring schedule adds later), or this one
 * session only (a taster, a workshop, a gap week). A regular who can't come one week cancels that
 * session alone; their place carries on. Drop-ins take no booking at all: whoever comes through the
 * door is recorded at the register as a walk-in.
 *
 * Places: the group's capacity, or the room's when that is smaller. Two workers booking the last
 * place at once take turns on the group's row (lockGroupForBooking), so the second is told it is full.
 */

/** The session has no place left: the page offers the waiting list instead. */
export class BookingFull extends InvalidInput {
  constructor(message: string) {
    super('booking.full', { memberId: message });
  }
}

/** What the bookings page shows. */
export type BookingsView = {
  session: AttendanceSession;
  people: people.SessionPerson[];
  waiting: repo.WaitingEntry[];
  expectedCount: number;
  found: people.FoundMember[] | undefined;
  mayBook: boolean;
};

/**
 * Opens a session's bookings: who is expected, who cancelled, who is waiting, and (for a worker who
 * books) the members found by a name search. The names shown are audited, by id.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param search - a name to look for, if any.
 * @returns the page's contents.
 * @throws NotFound when there is no such session the actor may see.
 */
export async function viewBookings(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  search?: string,
): Promise<BookingsView> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.read');
    const list = await people.listSessionPeople(tx, session);
    const waiting = await repo.listWaiting(tx, session.groupId, session.id);
    const mayBook = mayOnSession(ctx, 'booking.manage', session);
    const found =
      mayBook && search ? await people.findMembersByName(tx, session.organisationId, search) : undefined;
    await audit(tx, ctx, {
      action: 'session_bookings.read',
      subject: { type: 'GroupSession', id: session.id },
      details: {
        memberIds: [
          ...new Set(
            [...list, ...waiting, ...(found ?? [])].map((p) => ('memberId' in p ? p.memberId : p.id)),
          ),
        ],
      },
    });
    return {
      session,
      people: list,
      waiting,
      expectedCount: list.filter((p) => p.expected).length,
      found,
      mayBook,
    };
  });
}

async function memberOf(tx: Db, session: AttendanceSession, memberId: string): Promise<people.FoundMember> {
  const [member] = await people.findMembersOf(tx, session.organisationId, [memberId]);
  if (!member) {
    throw new InvalidInput('booking.member_unknown', { memberId: 'Choose who to book from the list' });
  }
  return member;
}

function checkBookable(ctx: Ctx, session: AttendanceSession): void {
  if (session.groupType === 'drop_in') {
    throw new InvalidInput('booking.drop_in', {
      memberId: 'Drop-ins need no booking: record who comes at the register',
    });
  }
  if (session.status !== 'scheduled') {
    throw new InvalidInput('booking.session_cancelled', { memberId: 'This session has been cancelled' });
  }
  if (session.startsAt <= ctx.clock.now()) {
    throw new InvalidInput('booking.session_started', {
      memberId: 'This session has already started: record who came at the register',
    });
  }
}

const fullMessage = (session: AttendanceSession) =>
  session.placeLimit === 1
    ? 'This session is full: its one place is booked'
    : `This session is full: all ${session.placeLimit} places are booked`;

/** Books a member, in the caller's transaction with the group's booking lock already held. */
async function book(
  tx: Db,
  ctx: Ctx,
  session: AttendanceSession,
  member: people.FoundMember,
  kind: BookingInput['kind'],
): Promise<void> {
  const now = ctx.clock.now();
  const staffId = staffIdOf(ctx);
  const regular = await repo.findOpenMembership(tx, session.groupId, member.id);
  if (regular) {
    throw new InvalidInput('booking.already_regular', {
      memberId: `${member.name} already has a regular place in this group`,
    });
  }
  const existing = await repo.findSessionBooking(tx, session.id, member.id);
  if (kind === 'session' && existing?.status === 'booked') {
    throw new InvalidInput('booking.already_booked', {
      memberId: `${member.name} is already booked onto this session`,
    });
  }
  if ((await repo.countExpected(tx, session.id)) >= session.placeLimit && existing?.status !== 'booked') {
    throw new BookingFull(fullMessage(session));
  }
  if (kind === 'weekly') {
    if ((await repo.countRegularsOn(tx, session.groupId, session.day)) >= session.groupCapacity) {
      throw new BookingFull(`The group is full: all ${session.groupCapacity} regular places are taken`);
    }
    const full = await repo.firstFullSessionFrom(tx, session.groupId, session.day, now);
    if (full) {
      throw new BookingFull(
        `The session on ${formatDate(full)} is full: book this session only, or add them to the waiting list`,
      );
    }
    const id = await repo.insertMembership(
      tx,
      { groupId: session.groupId, memberId: member.id, fromDay: session.day, staffId },
      now,
    );
    if (existing && existing.status !== 'booked') {
      // A cancellation of theirs for this session would otherwise still say they are not coming.
      await repo.bookSession(tx, { sessionId: session.id, memberId: member.id, staffId }, now);
    }
    await audit(tx, ctx, {
      action: 'group_membership.booked',
      subject: { type: 'Member', id: member.id },
      details: { groupId: session.groupId, sessionId: session.id, membershipId: id },
      at: now,
    });
    return;
  }
  await repo.bookSession(tx, { sessionId: session.id, memberId: member.id, staffId }, now);
  await audit(tx, ctx, {
    action: 'session_booking.booked',
    subject: { type: 'Member', id: member.id },
    details: { groupId: session.groupId, sessionId: session.id },
    at: now,
  });
}

/**
 * Books a member onto a session, or gives them a regular place from it, if there is room.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - who, and whether this session or every week.
 * @throws BookingFull when there is no place (nothing is written).
 * @throws InvalidInput when they are already booked, the group is a drop-in or the session has begun.
 * @throws NotFound when there is no such session the actor may book onto.
 */
export async function bookMember(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: BookingInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    checkBookable(ctx, session);
    await people.lockGroupForBooking(tx, session.groupId);
    const member = await memberOf(tx, session, input.memberId);
    await book(tx, ctx, session, member, input.kind);
  });
}

/**
 * Puts a member on the waiting list: for this session, or for a regular place in the group.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param input - who, and whether for this session or every week.
 * @throws InvalidInput when they are already waiting or already booked.
 * @throws NotFound when there is no such session the actor may book onto.
 */
export async function addToWaitingList(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  input: BookingInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    checkBookable(ctx, session);
    await people.lockGroupForBooking(tx, session.groupId);
    const member = await memberOf(tx, session, input.memberId);
    const forSession = input.kind === 'session' ? session.id : null;
    if (await repo.isWaiting(tx, session.groupId, forSession, member.id)) {
      throw new InvalidInput('waiting_list.already_waiting', {
        memberId: `${member.name} is already on the waiting list`,
      });
    }
    if (await repo.findOpenMembership(tx, session.groupId, member.id)) {
      throw new InvalidInput('booking.already_regular', {
        memberId: `${member.name} already has a regular place in this group`,
      });
    }
    const id = await repo.insertWaiting(
      tx,
      { groupId: session.groupId, sessionId: forSession, memberId: member.id, staffId: staffIdOf(ctx) },
      now,
    );
    await audit(tx, ctx, {
      action: 'waiting_list.added',
      subject: { type: 'Member', id: member.id },
      details: { groupId: session.groupId, sessionId: forSession, entryId: id },
      at: now,
    });
  });
}

async function loadWaiting(tx: Db, session: AttendanceSession, entryId: string) {
  const entry = await repo.findWaiting(tx, session.groupId, session.id, entryId);
  if (!entry) {
    throw new NotFound('waiting_list.not_found');
  }
  return entry;
}

/**
 * Records that the place was offered to someone on the waiting list (the worker then calls or texts
 * them; the page shows who offered it and when).
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param entryId - the waiting-list entry.
 * @throws NotFound when there is no such open entry the actor may act on.
 */
export async function offerPlace(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  entryId: string,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    const entry = await loadWaiting(tx, session, entryId);
    if (entry.status === 'booked') {
      throw new NotFound('waiting_list.not_found');
    }
    await repo.markOffered(tx, entry.id, staffIdOf(ctx), now);
    await audit(tx, ctx, {
      action: 'waiting_list.place_offered',
      subject: { type: 'Member', id: entry.memberId },
      details: { groupId: session.groupId, sessionId: session.id, entryId: entry.id },
      at: now,
    });
  });
}

/**
 * Books the place for someone on the waiting list who has said yes, closing their entry.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param entryId - the waiting-list entry.
 * @throws BookingFull when the place has gone since (nothing is written).
 * @throws NotFound when there is no such open entry the actor may act on.
 */
export async function bookFromWaitingList(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  entryId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    checkBookable(ctx, session);
    await people.lockGroupForBooking(tx, session.groupId);
    const entry = await loadWaiting(tx, session, entryId);
    if (entry.status === 'booked') {
      // A repeat of a "book the place" already done (a double click, a resent form): nothing more to do.
      return;
    }
    const member = await memberOf(tx, session, entry.memberId);
    await book(tx, ctx, session, member, entry.sessionId === null ? 'weekly' : 'session');
    await repo.markBookedFromWaiting(tx, entry.id, ctx.clock.now());
  });
}

/**
 * Loads one expected member of a session for the page that cancels their booking.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param memberId - the member.
 * @returns the session and the person.
 * @throws NotFound when they are not expected at a session the actor may book onto.
 */
export async function bookingForCancel(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  memberId: string,
): Promise<{ session: AttendanceSession; person: people.SessionPerson }> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    const person = (await people.listSessionPeople(tx, session)).find(
      (p) => p.memberId === memberId && p.expected,
    );
    if (!person) {
      throw new NotFound('booking.not_found');
    }
    await audit(tx, ctx, {
      action: 'session_booking.read',
      subject: { type: 'Member', id: person.memberId },
      details: { sessionId: session.id },
    });
    return { session, person };
  });
}

/**
 * Cancels a member's booking, by the member or by the service, with the reason: for this session
 * only, or (for a regular) their place from this session on.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session.
 * @param memberId - the member.
 * @param input - who cancelled, why, and how far.
 * @throws NotFound when they are not expected at a session the actor may book onto.
 */
export async function cancelBooking(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  memberId: string,
  input: CancelBookingInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    await people.lockGroupForBooking(tx, session.groupId);
    const person = (await people.listSessionPeople(tx, session)).find((p) => p.memberId === memberId);
    if (person && !person.expected && person.bookingStatus !== null && person.bookingStatus !== 'booked') {
      // Already cancelled: a repeat of the same form (a double click) changes nothing.
      return;
    }
    if (!person?.expected) {
      throw new NotFound('booking.not_found');
    }
    const staffId = staffIdOf(ctx);
    const membership = person.regular
      ? await repo.findOpenMembership(tx, session.groupId, memberId)
      : undefined;
    if (membership && input.scope === 'from_this_session') {
      await repo.endMembership(tx, membership.id, {
        day: session.day,
        byWhom: input.byWhom,
        reason: input.reason,
      });
    }
    await repo.cancelSessionBooking(
      tx,
      { sessionId: session.id, memberId, byWhom: input.byWhom, reason: input.reason, staffId },
      now,
    );
    await audit(tx, ctx, {
      action: 'session_booking.cancelled',
      subject: { type: 'Member', id: memberId },
      details: {
        groupId: session.groupId,
        sessionId: session.id,
        byWhom: input.byWhom,
        regularPlaceEnded: Boolean(membership && input.scope === 'from_this_session'),
      },
      at: now,
    });
  });
}

/**
 * Loads a member of the organisation for the page that records their agreement to the code of conduct.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session the worker came from.
 * @param memberId - the member.
 * @returns the session and the member.
 * @throws NotFound when there is no such member or session the actor may act on.
 */
export async function conductFor(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  memberId: string,
): Promise<{ session: AttendanceSession; member: people.FoundMember }> {
  return ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    const [member] = await people.findMembersOf(tx, session.organisationId, [memberId]);
    if (!member) {
      throw new NotFound('member.not_found');
    }
    await audit(tx, ctx, { action: 'conduct.read', subject: { type: 'Member', id: member.id } });
    return { session, member };
  });
}

/**
 * Records that a member has agreed to the group code of conduct, how, and who recorded it.
 *
 * @param ctx - the request context.
 * @param groupId - the group.
 * @param sessionId - the session the worker came from.
 * @param memberId - the member.
 * @param input - how they agreed.
 * @throws NotFound when there is no such member or session the actor may act on.
 */
export async function recordConduct(
  ctx: Ctx,
  groupId: string,
  sessionId: string,
  memberId: string,
  input: ConductInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const session = await loadSession(tx, ctx, groupId, sessionId, 'booking.manage');
    const [member] = await people.findMembersOf(tx, session.organisationId, [memberId]);
    if (!member) {
      throw new NotFound('member.not_found');
    }
    await people.upsertConductAcknowledgement(
      tx,
      { memberId: member.id, method: input.method, acknowledgedAt: now, recordedBy: staffIdOf(ctx) },
      now,
    );
    await audit(tx, ctx, {
      action: 'conduct.recorded',
      subject: { type: 'Member', id: member.id },
      details: { method: input.method, sessionId: session.id },
      at: now,
    });
  });
}
