import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, isStaff, type StaffActor } from '../../policy/index.ts';
import { writeCalendar, type FeedEvent } from './calendar-ics.ts';
import * as repo from './calendars.repo.ts';

/**
 * Calendar feeds: secret addresses a calendar program subscribes to.
 *
 * - A member of staff's own feed lists the sessions they facilitate and the one-to-one contacts they
 *   work on. A feed is read on phones and shared computers and shown on lock screens and in
 *   notifications, so a contact's title carries the member's initials only ("One-to-one: J. S."): enough
 *   for the worker to recognise whom they are seeing, not enough for an onlooker to know who is being
 *   supported. Contact notes, types (a "crisis support" title would say too much) and the free-text place
 *   (often a home address) are never in it.
 * - A group's feed is its public timetable: the group's name, each session's times, and the venue's
 *   name and address or "Online". Never members, never facilitators, never the online meeting link
 *   (whoever has the link can join the meeting; the team sends it to the members they booked).
 *
 * Each feed's address carries a long random token (32 bytes, base64url) that is the only credential a
 * calendar program can present; only its SHA-256 is stored, it is shown once when made, and it is
 * stopped by revoking it or replaced by making a new one. Every fetch is audited (which feed, how many
 * events), never the events themselves.
 */

/** How far back and ahead a feed reaches: a month behind (for "when was that?") and a year ahead. */
const DAYS_BACK = 31;
const DAYS_AHEAD = 366;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A new feed token and the hash that is stored in its place.
 *
 * @returns the token (to show once) and its SHA-256 in hex.
 */
export function newFeedToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOf(token) };
}

/** Tokens are base64url of 32 random bytes: 43 characters. Anything else is not a token of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type FeedKind = 'staff' | 'group';

/**
 * The address of a feed.
 *
 * @param publicUrl - the service's public address.
 * @param kind - whose feed.
 * @param token - the feed's token.
 * @returns e.g. https://support.example.org/calendars/staff/<token>.ics.
 */
export const feedAddress = (publicUrl: string, kind: FeedKind, token: string) =>
  `${publicUrl}/calendars/${kind === 'staff' ? 'staff' : 'groups'}/${token}.ics`;

function staffActor(ctx: Ctx): StaffActor {
  if (!isStaff(ctx.actor)) {
    throw new NotFound('calendar_feed.not_staff');
  }
  return ctx.actor;
}

/**
 * Whether the acting member of staff has a live feed, and since when.
 *
 * @param ctx - the use-case context.
 * @returns when their feed was made, or null.
 */
export async function viewOwnFeed(ctx: Ctx): Promise<{ createdAt: Date } | null> {
  authorize(ctx.actor, 'calendar.own_feed');
  const live = await repo.liveFeedOf(ctx.db, { staffId: staffActor(ctx).id });
  return live ? { createdAt: live.createdAt } : null;
}

async function replaceFeed(
  ctx: Ctx,
  owner: repo.FeedOwner,
  organisationId: string,
  subject: { type: string; id: string },
): Promise<string> {
  const actor = staffActor(ctx);
  const { token, tokenHash } = newFeedToken();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.lockFeedsOf(tx, owner);
    const replaced = await repo.revokeLiveFeed(tx, owner, actor.id, now);
    const id = randomUUID();
    await repo.insertFeed(tx, { id, organisationId, owner, tokenHash, by: actor.id, at: now });
    await audit(tx, ctx, {
      action: 'calendar_feed.created',
      subject,
      details: { feedId: id, ...(replaced && { replacedFeedId: replaced }) },
    });
  });
  return token;
}

async function stopFeed(
  ctx: Ctx,
  owner: repo.FeedOwner,
  subject: { type: string; id: string },
): Promise<void> {
  const actor = staffActor(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    const stopped = await repo.revokeLiveFeed(tx, owner, actor.id, ctx.clock.now());
    if (stopped) {
      await audit(tx, ctx, { action: 'calendar_feed.revoked', subject, details: { feedId: stopped } });
    }
  });
}

/**
 * Makes a new feed for the acting member of staff, stopping any earlier one.
 *
 * @param ctx - the use-case context.
 * @returns the new token, to show once.
 */
export async function createOwnFeed(ctx: Ctx): Promise<string> {
  authorize(ctx.actor, 'calendar.own_feed');
  const actor = staffActor(ctx);
  return replaceFeed(ctx, { staffId: actor.id }, actor.organisationId, { type: 'Staff', id: actor.id });
}

/**
 * Stops the acting member of staff's feed: calendars subscribed to it get nothing more.
 *
 * @param ctx - the use-case context.
 */
export async function revokeOwnFeed(ctx: Ctx): Promise<void> {
  authorize(ctx.actor, 'calendar.own_feed');
  const actor = staffActor(ctx);
  await stopFeed(ctx, { staffId: actor.id }, { type: 'Staff', id: actor.id });
}

async function groupFor(ctx: Ctx, groupId: string) {
  authorize(ctx.actor, 'calendar.group_feed');
  const group = await repo.findGroup(ctx.db, groupId);
  if (!group) {
    throw new NotFound('group.not_found');
  }
  authorize(ctx.actor, 'calendar.group_feed', group);
  return group;
}

/**
 * A group and whether its public feed is live.
 *
 * @param ctx - the use-case context.
 * @param groupId - the group.
 * @returns the group's name and when its feed was made, or null.
 * @throws NotFound when the group is missing or in another organisation.
 */
export async function viewGroupFeed(
  ctx: Ctx,
  groupId: string,
): Promise<{ group: { id: string; name: string }; feed: { createdAt: Date } | null }> {
  const group = await groupFor(ctx, groupId);
  const live = await repo.liveFeedOf(ctx.db, { groupId });
  return { group: { id: group.id, name: group.name }, feed: live ? { createdAt: live.createdAt } : null };
}

/**
 * Makes a new public feed for a group, stopping any earlier one.
 *
 * @param ctx - the use-case context.
 * @param groupId - the group.
 * @returns the new token, to show once.
 */
export async function createGroupFeed(ctx: Ctx, groupId: string): Promise<string> {
  const group = await groupFor(ctx, groupId);
  return replaceFeed(ctx, { groupId }, group.organisationId, { type: 'GroupProgramme', id: groupId });
}

/**
 * Stops a group's public feed.
 *
 * @param ctx - the use-case context.
 * @param groupId - the group.
 */
export async function revokeGroupFeed(ctx: Ctx, groupId: string): Promise<void> {
  await groupFor(ctx, groupId);
  await stopFeed(ctx, { groupId }, { type: 'GroupProgramme', id: groupId });
}

/** "Jo Smith" → "J. S."; a single name gives one initial. */
export function initialsOf(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((part) => /\p{L}/u.test(part))
    .map((part) => `${[...part].find((c) => /\p{L}/u.test(c))?.toUpperCase() ?? ''}.`)
    .join(' ');
}

const CONTACT_MODE_PLACES: Record<string, string> = {
  in_person: 'In person',
  phone: 'Phone call',
  video: 'Video call',
  text: 'Text messages',
  email: 'Email',
};

function placeOf(session: repo.FeedSession, withRoom: boolean): string {
  const venue =
    session.venueName &&
    [
      withRoom && session.roomName ? `${session.venueName} (${session.roomName})` : session.venueName,
      session.venueAddress?.replace(/\s*\n\s*/g, ', '),
      session.venuePostcode,
    ]
      .filter(Boolean)
      .join(', ');
  if (venue && session.onlineLink) {
    return `${venue}, or online`;
  }
  return venue || 'Online';
}

function sessionEvent(session: repo.FeedSession, host: string, kind: FeedKind, publicUrl: string): FeedEvent {
  const cancelled = session.status === 'cancelled';
  return {
    uid: `${kind === 'staff' ? 'session' : 'group-session'}-${session.id}@${host}`,
    start: session.startsAt,
    end: session.endsAt,
    summary: `${cancelled ? 'Cancelled: ' : ''}${session.groupName}`,
    location: placeOf(session, kind === 'staff'),
    // Staff see the meeting link of a session they run; the public feed never carries it.
    ...(kind === 'staff' && {
      url: `${publicUrl}/groups/${session.groupId}`,
      ...(session.onlineLink && { description: `Online meeting: ${session.onlineLink}` }),
    }),
    cancelled,
    sequence: session.version,
    stamp: session.updatedAt,
  };
}

function contactEvent(contact: repo.FeedContact, host: string, publicUrl: string): FeedEvent {
  const cancelled = contact.status === 'did_not_happen';
  return {
    uid: `contact-${contact.id}@${host}`,
    start: contact.occurredAt,
    end: new Date(contact.occurredAt.getTime() + (contact.durationMinutes ?? 60) * 60_000),
    summary: `${cancelled ? 'Did not happen: ' : ''}One-to-one: ${initialsOf(contact.memberName)}`,
    location: contact.venueName ?? CONTACT_MODE_PLACES[contact.mode] ?? 'One-to-one',
    url: `${publicUrl}/members/${contact.memberId}/contacts/${contact.id}`,
    cancelled,
    sequence: contact.version,
    stamp: contact.updatedAt,
  };
}

/**
 * Reads a feed by its token and writes it as an iCalendar file, auditing the fetch.
 *
 * @param ctx - the use-case context (the caller is a calendar program: anonymous).
 * @param kind - a member of staff's feed or a group's.
 * @param token - the token from the address.
 * @param publicUrl - the service's public address, for links and event ids.
 * @returns the calendar file's text.
 * @throws NotFound when the token is not a live feed of that kind.
 */
export async function readFeed(ctx: Ctx, kind: FeedKind, token: string, publicUrl: string): Promise<string> {
  authorize(ctx.actor, 'calendar.feed.read');
  const feed = TOKEN_SHAPE.test(token) ? await repo.findLiveFeed(ctx.db, hashOf(token)) : undefined;
  const ownerId = kind === 'staff' ? feed?.staffId : feed?.groupId;
  if (!feed || !ownerId) {
    throw new NotFound('calendar_feed.not_found');
  }
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - DAYS_BACK * 86_400_000);
  const until = new Date(now.getTime() + DAYS_AHEAD * 86_400_000);
  const host = new URL(publicUrl).hostname;
  return ctx.db.transaction().execute(async (tx) => {
    if (kind === 'staff') {
      const sessions = await repo.sessionsFacilitatedBy(tx, ownerId, from, until, dayInLondon(now));
      const contacts = await repo.contactsWorkedBy(tx, ownerId, from, until);
      await audit(tx, ctx, {
        action: 'calendar_feed.read',
        subject: { type: 'Staff', id: ownerId },
        details: { feedId: feed.id, sessions: sessions.length, contacts: contacts.length },
      });
      return writeCalendar({
        name: 'My sessions and contacts',
        description: 'Group sessions you facilitate and your one-to-one contacts',
        events: [
          ...sessions.map((s) => sessionEvent(s, host, 'staff', publicUrl)),
          ...contacts.map((c) => contactEvent(c, host, publicUrl)),
        ],
      });
    }
    const group = await repo.findGroup(tx, ownerId);
    const sessions = await repo.sessionsOfGroup(tx, ownerId, from, until);
    await audit(tx, ctx, {
      action: 'calendar_feed.read',
      subject: { type: 'GroupProgramme', id: ownerId },
      details: { feedId: feed.id, sessions: sessions.length },
    });
    return writeCalendar({
      name: group?.name ?? 'Group sessions',
      description: 'When and where this group meets',
      events: sessions.map((s) => sessionEvent(s, host, 'group', publicUrl)),
    });
  });
}
