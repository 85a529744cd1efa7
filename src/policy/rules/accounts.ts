import { hasRole, type Actor } from '../actors.ts';
import type { OrganisationOwned, Rule } from '../rule.ts';

const administrator = (actor: Actor) => hasRole(actor, ['administrator']);
const administratorOrManager = (actor: Actor) => hasRole(actor, ['administrator', 'service_manager']);
const sameOrganisation = (actor: Actor, staff: OrganisationOwned) =>
  actor.kind === 'staff' && actor.organisationId === staff.organisationId;

/** Staff accounts: an organisation's administrators manage its own people, and no one else's. */
export const accountRules = {
  'staff.list': { who: administratorOrManager },
  'staff.read': { who: administratorOrManager, which: sameOrganisation },
  'staff.invite': { who: administrator, which: sameOrganisation },
  'staff.change': { who: administrator, which: sameOrganisation },
  /**
   * The audit trail of a record. Administrators see it for records their organisation holds.
   */
  'audit.read': { who: administrator, which: sameOrganisation },
} satisfies Record<string, Rule<OrganisationOwned>>;
