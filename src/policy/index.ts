import { Forbidden, NotFound } from '../platform/errors.ts';
import type { Actor } from './actors.ts';
import type { Rule } from './rule.ts';
import { accountRules } from './rules/accounts.ts';
import { attendanceRules } from './rules/attendance.ts';
import { calendarRules } from './rules/calendars.ts';
import { contactRules } from './rules/contacts.ts';
import { groupRules } from './rules/groups.ts';
import { memberRules } from './rules/members.ts';
import { organisationRules } from './rules/organisations.ts';
import { planRules } from './rules/plans.ts';
import { portalRules } from './rules/portal.ts';
import { publicRules } from './rules/public.ts';
import { referralRules } from './rules/referrals.ts';

export * from './actors.ts';
export * from './agreements.ts';
export type { OrganisationOwned } from './rule.ts';
export type { PartnershipRecord } from './rules/organisations.ts';
export type { MemberPlansSubject, PlanSubject } from './rules/plans.ts';

/**
 * THE authorisation module: the one place to read who may do what.
 *
 * Every route names one of these actions in its route table (checked at start-up and by a test), and
 * every use case calls `authorize` once it has loaded the record it acts on.
 */
const rules = {
  ...publicRules,
  ...accountRules,
  ...organisationRules,
  ...referralRules,
  ...memberRules,
  ...groupRules,
  ...attendanceRules,
  ...contactRules,
  ...calendarRules,
  ...planRules,
  ...portalRules,
};

export type Action = keyof typeof rules;

type SubjectOf<A extends Action> = (typeof rules)[A] extends {
  which: (actor: Actor, subject: infer S) => boolean;
}
  ? S
  : never;

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && Object.hasOwn(rules, value);

/**
 * Whether the actor may take the action: on some record when no subject is given, else on that one.
 *
 * @param actor - who is acting.
 * @param action - what they want to do.
 * @param subject - the record, when there is one.
 * @returns true when allowed.
 */
export function can<A extends Action>(actor: Actor, action: A, subject?: SubjectOf<A>): boolean {
  const rule = rules[action] as Rule<SubjectOf<A>>;
  if (!rule.who(actor)) {
    return false;
  }
  return subject === undefined || rule.which === undefined || rule.which(actor, subject);
}

/**
 * Throws unless the actor may take the action on the record.
 *
 * @param actor - who is acting.
 * @param action - what they want to do.
 * @param subject - the record, already loaded.
 * @throws Forbidden when the actor's role never allows the action.
 * @throws NotFound when the record is outside what the actor may see, so it looks like a missing one.
 */
export function authorize<A extends Action>(actor: Actor, action: A, subject?: SubjectOf<A>): void {
  const rule = rules[action] as Rule<SubjectOf<A>>;
  if (!rule.who(actor)) {
    throw new Forbidden('policy.forbidden', `${action} is not allowed for this role`);
  }
  if (subject !== undefined && rule.which !== undefined && !rule.which(actor, subject)) {
    throw new NotFound('policy.not_visible');
  }
}
