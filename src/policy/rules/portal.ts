import { isMember, type Actor } from '../actors.ts';
import type { Rule } from '../rule.ts';

/** A record about one member: their details, sessions, or who has looked at their record. */
export type MemberOwned = { memberId: string };

const notStaff = (actor: Actor) => actor.kind !== 'staff';
const themselves = (actor: Actor, subject: MemberOwned) =>
  isMember(actor) && actor.memberId === subject.memberId;

/**
 * The member portal: what a signed-in member may do with their own record. A member acts only on
 * themselves; anything about another member answers 404, exactly like a record that does not exist.
 * Staff have their own pages for members' records and are refused (403) here, so a worker never
 * sees the portal as if they were the member.
 */
export const portalRules = {
  /** Asking for a sign-in code and giving it: for someone not signed in (or a member signing in again). */
  'portal.sign_in': { who: notStaff },
  /** Ending a member session; also answers someone whose session has already run out. */
  'portal.sign_out': { who: notStaff },
  /** Reading their own record in the portal: home, sessions, details, who has looked at their record. */
  'portal.own_record': { who: isMember, which: themselves },
  /** Changing the few details a member owns: names, pronouns, contact choices, communication needs. */
  'portal.own_details.edit': { who: isMember, which: themselves },
} satisfies Record<string, Rule<MemberOwned>>;
