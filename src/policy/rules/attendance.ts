import { hasRole, type Actor, type StaffRole } from '../actors.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';
import { ownOrganisation, WELCOMING_ROLES } from './referrals.ts';

/**
 * Everyone who runs or helps at groups sees who is booked and who came: front-line workers, peer
 * bank workers and volunteers (who welcome people at the door), and administrators (who answer the
 * phone when someone rings to say they can't come). Commissioners see totals only, never names.
 */
const ATTENDANCE_READERS: readonly StaffRole[] = [
  ...WELCOMING_ROLES,
  'peer_bank_worker',
  'volunteer',
  'administrator',
];

/** Front-line workers book members onto groups and keep the waiting list. */
const BOOKERS: readonly StaffRole[] = WELCOMING_ROLES;

/** The roles that organise group work (as in groups.ts): they may take any session's register. */
const GROUP_ORGANISERS: readonly StaffRole[] = [
  'service_manager',
  'senior_peer_support_worker',
  'advanced_lived_experience_practitioner',
];

/** Anyone who may facilitate a session (peer bank workers co-facilitate), or organise one. */
const FACILITATING_ROLES: readonly StaffRole[] = [...WELCOMING_ROLES, 'peer_bank_worker'];

/**
 * A volunteer named as a session's facilitator (a social activity may be run by anyone on the staff,
 * see facilitation.ts) takes its register too; the note stays with those who read notes.
 */
const REGISTER_TAKERS: readonly StaffRole[] = [...FACILITATING_ROLES, 'volunteer'];

/**
 * A group session's note is written about the group, but it can say how named people were: only
 * the people who support members (and bank workers who co-facilitate) read it; volunteers and
 * administrators do not.
 */
const NOTE_READERS: readonly StaffRole[] = [...WELCOMING_ROLES, 'peer_bank_worker'];

/** Incidents feed safeguarding: the service's managers and its safeguarding lead review them. */
const INCIDENT_REVIEWERS: readonly StaffRole[] = ['service_manager', 'safeguarding_lead'];

/** A session as the rules see it: whose it is and who facilitates it. */
export type FacilitatedSession = OrganisationOwned & { facilitatorIds: readonly string[] };

/**
 * A session's facilitators may come from a partner organisation (the SUN model's NHS trust clinician
 * co-facilitating with the charity's lived experience facilitator as one team, named on the session
 * under the partnership's agreement): they see and take the register of the sessions they facilitate,
 * and read and sign their notes, but nothing else of the other organisation's.
 */
const facilitates = (actor: Actor, session: FacilitatedSession) =>
  actor.kind === 'staff' && session.facilitatorIds.includes(actor.id);

/** The organisation's own staff, and the session's facilitators. */
const seesSession = (actor: Actor, session: FacilitatedSession) =>
  ownOrganisation(actor, session) || facilitates(actor, session);

/** The session's own facilitators, and the organisation's group organisers. */
const runsSession = (actor: Actor, session: FacilitatedSession) =>
  facilitates(actor, session) || (ownOrganisation(actor, session) && hasRole(actor, GROUP_ORGANISERS));

const roles = (list: readonly StaffRole[]) => (actor: Actor) => hasRole(actor, list);

/**
 * Bookings, waiting lists, registers, session notes, incident flags and the code of conduct. All of
 * them belong to the organisation that runs the group: another organisation's staff see nothing
 * (a record of theirs answers 404 like a missing one), except a partner's facilitator of the session.
 */
export const attendanceRules = {
  /** See who is booked onto a session and who is waiting (names: audited). */
  'booking.read': { who: roles(ATTENDANCE_READERS), which: seesSession } satisfies Rule<FacilitatedSession>,
  /** A group's recent sessions with their register, note and incident state (no names). */
  'register.list': {
    who: roles(ATTENDANCE_READERS),
    which: ownOrganisation,
  } satisfies Rule<OrganisationOwned>,
  /** Book, cancel a booking, keep the waiting list, offer a place, record the code of conduct. */
  'booking.manage': { who: roles(BOOKERS), which: ownOrganisation } satisfies Rule<OrganisationOwned>,
  /** See a session's register (names: audited). */
  'register.read': { who: roles(ATTENDANCE_READERS), which: seesSession } satisfies Rule<FacilitatedSession>,
  /** Take the register: the session's own facilitators and the group organisers. */
  'register.take': { who: roles(REGISTER_TAKERS), which: runsSession } satisfies Rule<FacilitatedSession>,
  /** Read a session's note (sensitive: every read audited). */
  'session_note.read': { who: roles(NOTE_READERS), which: seesSession } satisfies Rule<FacilitatedSession>,
  /** Draft, change and sign the note, as oneself; flag an incident at the session. */
  'session_note.write': {
    who: roles(FACILITATING_ROLES),
    which: runsSession,
  } satisfies Rule<FacilitatedSession>,
  /** The list of sessions flagged with an incident, for safeguarding. */
  'incident.list': { who: roles(INCIDENT_REVIEWERS) } satisfies Rule<never>,
};
