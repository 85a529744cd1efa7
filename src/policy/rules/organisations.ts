import { hasRole, isStaff, type Actor } from '../actors.ts';
import type { Rule } from '../rule.ts';

const administrator = (actor: Actor) => hasRole(actor, ['administrator']);
const hostAdministrator = (actor: Actor) => administrator(actor) && isStaff(actor) && actor.hostOrganisation;

/** An organisation, a service or an agreement, with the organisations it involves. */
export type PartnershipRecord = { organisationIds: readonly string[] };

const involvesOwnOrganisation = (actor: Actor, record: PartnershipRecord) =>
  isStaff(actor) && (actor.hostOrganisation || record.organisationIds.includes(actor.organisationId));

/**
 * Organisations, services, localities, bases and sharing agreements.
 *
 * Administrators of the host organisation run the partnership: they add partner organisations,
 * services and agreements. A partner's administrators see and keep their own organisation's details
 * (localities, bases) and read the services and agreements their organisation is part of.
 */
export const organisationRules = {
  'organisation.list': { who: administrator },
  'organisation.create': { who: hostAdministrator },
  'organisation.read': { who: administrator, which: involvesOwnOrganisation },
  'organisation.edit': { who: administrator, which: involvesOwnOrganisation },
  'service.list': { who: administrator },
  'service.read': { who: administrator, which: involvesOwnOrganisation },
  'service.manage': { who: hostAdministrator, which: involvesOwnOrganisation },
  'agreement.list': { who: administrator },
  'agreement.read': { who: administrator, which: involvesOwnOrganisation },
  'agreement.manage': { who: hostAdministrator, which: involvesOwnOrganisation },
} satisfies Record<string, Rule<PartnershipRecord>>;
