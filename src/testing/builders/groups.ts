import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import type { GroupMode, GroupType, SessionRole } from '../../modules/groups/groups.tables.ts';
import { occurrencesOf, ruleText, type Weekday } from '../../modules/groups/schedules-occurrences.ts';
import { insertScheduleWithSessions } from '../../modules/groups/schedules.repo.ts';
import { buildOrganisation } from './organisations.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');
let counter = 0;

/**
 * Builds a venue with one room, in the given organisation (or a new one).
 *
 * @param db - the test database.
 * @param overrides - anything to set.
 * @returns the venue's id and organisation, and its room's id.
 */
export async function buildVenue(
  db: Db,
  overrides: Partial<{ organisationId: string; name: string; roomName: string; capacity: number }> = {},
): Promise<{ id: string; organisationId: string; name: string; roomId: string }> {
  counter += 1;
  const organisationId = overrides.organisationId ?? (await buildOrganisation(db)).id;
  const id = randomUUID();
  const name = overrides.name ?? `Test Venue ${counter}`;
  await db
    .insertInto('venues')
    .values({
      id,
      organisation_id: organisationId,
      name,
      address: '1 Test Street\nChatham',
      postcode: 'ME4 4AA',
      accessibility: 'Step-free access',
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  const roomId = await buildRoom(db, id, { name: overrides.roomName, capacity: overrides.capacity });
  return { id, organisationId, name, roomId };
}

/**
 * Builds a room in a venue.
 *
 * @param db - the test database.
 * @param venueId - the venue.
 * @param overrides - anything to set.
 * @returns the room's id.
 */
export async function buildRoom(
  db: Db,
  venueId: string,
  overrides: Partial<{ name: string | undefined; capacity: number | undefined }> = {},
): Promise<string> {
  counter += 1;
  const id = randomUUID();
  await db
    .insertInto('venue_rooms')
    .values({
      id,
      venue_id: venueId,
      name: overrides.name ?? `Room ${counter}`,
      capacity: overrides.capacity ?? 12,
      created_at: BUILT_AT,
    })
    .execute();
  return id;
}

/**
 * Builds a group programme.
 *
 * @param db - the test database.
 * @param organisationId - the organisation that runs it.
 * @param overrides - anything to set.
 * @returns the group's id and name.
 */
export async function buildGroup(
  db: Db,
  organisationId: string,
  overrides: Partial<{
    name: string;
    type: GroupType;
    mode: GroupMode;
    defaultRoomId: string | null;
    serviceId: string | null;
    audience: string | null;
    capacity: number;
  }> = {},
): Promise<{ id: string; name: string }> {
  counter += 1;
  const id = randomUUID();
  const name = overrides.name ?? `Test Group ${counter}`;
  await db
    .insertInto('group_programmes')
    .values({
      id,
      organisation_id: organisationId,
      service_id: overrides.serviceId ?? null,
      name,
      group_type: overrides.type ?? 'sun_group',
      audience: overrides.audience ?? null,
      capacity: overrides.capacity ?? 10,
      mode: overrides.mode ?? 'in_person',
      default_room_id: overrides.defaultRoomId ?? null,
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  return { id, name };
}

/**
 * Builds a scheduled session of a group.
 *
 * @param db - the test database.
 * @param session - when and where, and who facilitates it.
 * @param session.groupId - the group.
 * @param session.startsAt - its start.
 * @param session.endsAt - its end.
 * @param session.roomId - its room, if any.
 * @param session.onlineLink - its online link, if any.
 * @param session.facilitators - who facilitates, in which role.
 * @returns the session's id.
 */
export async function buildSession(
  db: Db,
  session: {
    groupId: string;
    startsAt: Date;
    endsAt: Date;
    roomId?: string | null;
    onlineLink?: string | null;
    facilitators?: { staffId: string; sessionRole: SessionRole }[];
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('group_sessions')
    .values({
      id,
      group_id: session.groupId,
      starts_at: session.startsAt,
      ends_at: session.endsAt,
      room_id: session.roomId ?? null,
      online_link: session.onlineLink ?? (session.roomId ? null : 'https://meet.example.org/group'),
      cancel_reason: null,
      cancelled_at: null,
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  const facilitators = session.facilitators ?? [];
  if (facilitators.length > 0) {
    await db
      .insertInto('group_session_facilitators')
      .values(facilitators.map((f) => ({ session_id: id, staff_id: f.staffId, session_role: f.sessionRole })))
      .execute();
  }
  return id;
}

/**
 * Builds a weekly schedule of a group with all its sessions, written by the same repo function the
 * service uses (so the columns are the real ones), without the service's checks: a test that needs
 * those goes through the pages. Times are UK clock times; the rule is kept as the service keeps it.
 *
 * @param db - the test database.
 * @param schedule - the group, first day, weekday, times, number of sessions, where and who.
 * @param schedule.groupId - the group.
 * @param schedule.startsOn - the first day it can meet, 'YYYY-MM-DD'.
 * @param schedule.weekday - the day of the week it meets, e.g. 'TU'.
 * @param schedule.startTime - the UK start, 'HH:MM'.
 * @param schedule.endTime - the UK end, 'HH:MM'.
 * @param schedule.sessions - how many sessions it makes.
 * @param schedule.roomId - its room, if any.
 * @param schedule.onlineLink - its online link, if any.
 * @param schedule.facilitators - who facilitates every session, in which role.
 * @returns the schedule's id and its sessions' ids and times, in order.
 */
export async function buildSchedule(
  db: Db,
  schedule: {
    groupId: string;
    startsOn: string;
    weekday?: Weekday;
    startTime?: string;
    endTime?: string;
    sessions?: number;
    roomId?: string | null;
    onlineLink?: string | null;
    facilitators?: { staffId: string; sessionRole: SessionRole }[];
  },
): Promise<{ id: string; sessions: { id: string; startsAt: Date; endsAt: Date }[] }> {
  const time = (text: string) => {
    const [hours = 0, minutes = 0] = text.split(':').map(Number);
    return { hours, minutes };
  };
  const startTime = schedule.startTime ?? '10:00';
  const endTime = schedule.endTime ?? '12:00';
  const rrule = ruleText({
    startsOn: schedule.startsOn,
    weekdays: [schedule.weekday ?? 'TU'],
    everyWeeks: 1,
    end: { sessions: schedule.sessions ?? 6 },
    startTime: time(startTime),
  });
  const occurrences = occurrencesOf(rrule, { start: time(startTime), end: time(endTime) }, '2199-12-31');
  const sessions = occurrences.map((o) => ({ id: randomUUID(), startsAt: o.startsAt, endsAt: o.endsAt }));
  const id = randomUUID();
  await insertScheduleWithSessions(
    db,
    {
      id,
      groupId: schedule.groupId,
      rrule,
      startsOn: schedule.startsOn,
      startTime: `${startTime}:00`,
      endTime: `${endTime}:00`,
      roomId: schedule.roomId ?? null,
      onlineLink: schedule.onlineLink ?? null,
      materialisedUntil: occurrences.at(-1)?.day ?? schedule.startsOn,
      facilitators: schedule.facilitators ?? [],
    },
    sessions,
    BUILT_AT,
  );
  return { id, sessions };
}
