import type { Db } from '../../database.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { STAFF_ROLES, type StaffRole } from '../../policy/index.ts';
import { listActivePartnerFacilitators, listActiveStaffWithRolesOf } from '../accounts/index.ts';
import { facilitationProblems } from './facilitation.ts';
import type { Group, Venue } from './groups.repo.ts';
import * as groupsRepo from './groups.repo.ts';
import type { SessionRole } from './groups.tables.ts';
import { findClashes, type Clash, type Slot } from './schedules.repo.ts';

/**
 * The checks every way of putting a session in the diary goes through (a one-off session, a change to
 * one, every session of a new schedule): somewhere to meet that fits the group, facilitators who meet
 * the rule for its type of group, and no one and no room booked twice. The caller holds the
 * organisation's scheduling lock, so two people cannot both pass them at once.
 */

/** What a session (or each session of a schedule) would be. */
export type SessionPlan = {
  roomId: string | null;
  onlineLink: string | null;
  facilitators: readonly { slot: number; staffId: string; sessionRole: SessionRole }[];
};

export type CheckedPlan = {
  problems: Record<string, string>;
  roomId: string | null;
  onlineLink: string | null;
  chosen: { slot: number; staffId: string; sessionRole: SessionRole; name: string; roles: StaffRole[] }[];
};

/** A session's day and times in words, in UK time: "Tuesday 3 March 2026, 10:00 to 12:00". */
export function whenInWords(slot: Slot): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(
    slot.startsAt,
  );
  return `${weekday} ${formatDate(dayInLondon(slot.startsAt))}, ${timeInLondon(slot.startsAt)} to ${timeInLondon(slot.endsAt)}`;
}

/**
 * The rooms a session, a schedule or a group's usual room may be chosen from: every room of the
 * organisation's venues that has not been retired.
 *
 * @param venues - the organisation's venues with their rooms.
 * @returns each room's id and its name in words with its venue and size.
 */
export function roomChoices(venues: readonly Venue[]): { id: string; text: string }[] {
  return venues.flatMap((v) =>
    v.rooms
      .filter((r) => r.retiredAt === null)
      .map((r) => ({ id: r.id, text: `${v.name}: ${r.name} (holds ${r.capacity})` })),
  );
}

/** Someone who may facilitate a group's sessions; a partner's staff carry their organisation's name. */
export type FacilitatorChoice = {
  id: string;
  fullName: string;
  roles: StaffRole[];
  /** The partner organisation's name; null for the group's own staff. */
  partnerName: string | null;
};

/**
 * Who may facilitate a group's sessions: the active staff of the group's organisation, then the active
 * staff of partners who co-facilitate its service under an agreement in force today (the SUN model's
 * trust clinician and charity lived experience facilitator as one team; the accounts module's
 * listActivePartnerFacilitators says exactly when). A facilitator is one person whichever
 * organisation schedules them, so the clash checks look at every session they facilitate.
 *
 * @param db - any connection.
 * @param group - the group.
 * @param today - the day, 'YYYY-MM-DD' in UK time.
 * @returns the people, own staff first.
 */
export async function facilitatorChoices(
  db: Db,
  group: Pick<Group, 'organisationId' | 'serviceId'>,
  today: string,
): Promise<FacilitatorChoice[]> {
  const own = await listActiveStaffWithRolesOf(db, group.organisationId);
  const partners =
    group.serviceId === null
      ? []
      : await listActivePartnerFacilitators(db, {
          organisationId: group.organisationId,
          serviceId: group.serviceId,
          today,
        });
  return [
    ...own.map((s) => ({ ...s, partnerName: null })),
    ...partners.map((s) => ({
      id: s.id,
      fullName: s.fullName,
      roles: s.roles,
      partnerName: s.organisationName,
    })),
  ];
}

/**
 * A facilitator as the choice lists show them: their name, a partner's organisation, their roles.
 *
 * @param person - the person.
 * @returns e.g. "Dana Price, Medway NHS Foundation Trust (Clinical facilitator)".
 */
export function facilitatorChoiceText(person: FacilitatorChoice): string {
  const roles = person.roles.map((r) => STAFF_ROLES[r]).join(', ');
  return person.partnerName === null
    ? `${person.fullName} (${roles})`
    : `${person.fullName}, ${person.partnerName} (${roles})`;
}

/**
 * The room-size rule. A service manager sets a group's capacity as the most people who may come; a
 * room that holds fewer would mean turning people away at the door or breaking the venue's safe
 * occupancy, so a smaller room is refused for an in-person group, with a message naming both numbers.
 * A hybrid group's capacity counts people joining online too, so its room may be smaller.
 *
 * @param group - the group.
 * @param room - the room.
 * @param room.name - its name.
 * @param room.capacity - how many it holds.
 * @returns the message, or undefined when the room fits.
 */
export function roomTooSmall(
  group: Pick<Group, 'mode' | 'capacity'>,
  room: { name: string; capacity: number },
): string | undefined {
  if (group.mode !== 'in_person' || room.capacity >= group.capacity) {
    return undefined;
  }
  return `${room.name} holds ${room.capacity} ${room.capacity === 1 ? 'person' : 'people'}, fewer than the ${group.capacity} the group can take: choose a bigger room, or change the group's capacity`;
}

/**
 * Checks where and who, leaving the times to the caller (see clashesIn).
 *
 * @param db - a transaction holding the scheduling lock.
 * @param group - the group.
 * @param plan - the room, link and facilitators.
 * @param options - the day, and what may be left for later.
 * @param options.today - the day, 'YYYY-MM-DD' in UK time (which partners may facilitate depends on it).
 * @param options.linkLater - an online link may be set up later (a task until it is).
 * @returns the problems, field by field, and what was chosen.
 */
export async function checkPlan(
  db: Db,
  group: Group,
  plan: SessionPlan,
  options: { today: string; linkLater?: boolean },
): Promise<CheckedPlan> {
  const problems: Record<string, string> = {};
  const needsRoom = group.mode !== 'online';
  const needsLink = group.mode !== 'in_person';
  const roomId = needsRoom ? plan.roomId : null;
  const onlineLink = needsLink ? plan.onlineLink : null;
  if (needsRoom) {
    const room = roomId === null ? undefined : await groupsRepo.findRoom(db, roomId);
    if (roomId === null) {
      problems.roomId = 'Select the room for the session';
    } else if (!room || room.organisationId !== group.organisationId || room.retiredAt !== null) {
      problems.roomId = 'Select a room from the list';
    } else {
      const tooSmall = roomTooSmall(group, room);
      if (tooSmall) {
        problems.roomId = tooSmall;
      }
    }
  }
  if (needsLink && onlineLink === null && !options.linkLater) {
    problems.onlineLink = 'Enter the online link for the session';
  }
  const staff = new Map((await facilitatorChoices(db, group, options.today)).map((s) => [s.id, s]));
  const chosen = plan.facilitators.flatMap((f) => {
    const person = staff.get(f.staffId);
    if (!person) {
      problems[`facilitator${f.slot}`] = 'Select a facilitator from the list';
      return [];
    }
    return [{ ...f, name: person.fullName, roles: person.roles }];
  });
  const facilitation = facilitationProblems(group.type, chosen);
  if (facilitation[0] !== undefined && chosen.length === plan.facilitators.length) {
    problems.facilitators = facilitation[0];
  }
  return { problems, roomId, onlineLink, chosen };
}

/**
 * What is already booked at the times, for the people and room chosen.
 *
 * @param db - a transaction holding the scheduling lock.
 * @param checked - the checked plan.
 * @param slots - the times.
 * @param exceptSessionIds - sessions to leave out (the one being changed).
 * @returns the clashes.
 */
export async function clashesIn(
  db: Db,
  checked: CheckedPlan,
  slots: readonly Slot[],
  exceptSessionIds: readonly string[] = [],
): Promise<Clash[]> {
  // A partner's staff can be scheduled by either organisation, each under its own scheduling lock, so
  // each person chosen is locked too (in one order, so two schedulers never wait on each other).
  await groupsRepo.lockFacilitators(
    db,
    checked.chosen.map((f) => f.staffId),
  );
  return findClashes(db, slots, {
    staffIds: checked.chosen.map((f) => f.staffId),
    roomId: checked.problems.roomId ? null : checked.roomId,
    exceptSessionIds,
  });
}

/**
 * Puts one session's clashes on its fields, as the one-off and change forms show them.
 *
 * @param checked - the checked plan (its problems are added to).
 * @param clashes - the clashes of its one slot.
 */
export function clashesOnFields(checked: CheckedPlan, clashes: readonly Clash[]): void {
  for (const clash of clashes) {
    if (clash.kind === 'facilitator') {
      const slot = checked.chosen.find((f) => f.staffId === clash.staffId)?.slot;
      checked.problems[`facilitator${slot}`] =
        `${clash.staffName} is already facilitating another session at that time`;
    } else {
      checked.problems.roomId = 'The room is already booked for another session at that time';
    }
  }
}

/**
 * A clash of one session of a schedule in words: which date, who or what, and with what.
 *
 * @param clash - the clash.
 * @param slot - the schedule's session it is about.
 * @returns e.g. "Tuesday 17 March 2026: Dana Price is already facilitating Peer support (10:30 to 12:00)".
 */
export function clashInWords(clash: Clash, slot: Slot): string {
  const day = whenInWords(slot).split(',')[0];
  const other = `${clash.otherGroupName} (${timeInLondon(clash.otherStartsAt)} to ${timeInLondon(clash.otherEndsAt)})`;
  return clash.kind === 'facilitator'
    ? `${day}: ${clash.staffName} is already facilitating ${other}`
    : `${day}: the room is already booked for ${other}`;
}

/** The session forms' fields, top to bottom, so the error summary lists problems in page order. */
const SESSION_FIELDS = [
  'date',
  'startsOn',
  'weekdays',
  'everyWeeks',
  'endsAfter',
  'sessions',
  'until',
  'startTime',
  'endTime',
  'roomId',
  'onlineLink',
  'facilitators',
  'facilitator1',
  'role1',
  'facilitator2',
  'role2',
  'facilitator3',
  'role3',
  'facilitator4',
  'role4',
];

/**
 * Orders a form's problems as its fields appear on the page (anything else, such as clashes by date,
 * after them in the order found).
 *
 * @param problems - the problems, field by field.
 * @returns the same problems in page order.
 */
export function inPageOrder(problems: Record<string, string>): Record<string, string> {
  const rank = (field: string) => {
    const at = SESSION_FIELDS.indexOf(field);
    return at === -1 ? SESSION_FIELDS.length : at;
  };
  return Object.fromEntries(Object.entries(problems).sort(([a], [b]) => rank(a) - rank(b)));
}
