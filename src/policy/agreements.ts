import type { Actor } from './actors.ts';

/**
 * The kinds of record an information-sharing agreement can open to a partner. Everything not granted
 * stays invisible to the partner: the default is to share nothing.
 */
export const SHARING_CATEGORIES = {
  referrals: 'Referrals',
  member_details: 'Personal and contact details',
  support_plans: 'Resource and support plans and goals',
  crisis_plans: 'Crisis and safety plans',
  contacts_and_sessions: 'Contacts, sessions and attendance',
  outcomes: 'Wellbeing measures and outcomes',
  safeguarding: 'Safeguarding concerns',
} as const;

export type SharingCategory = keyof typeof SHARING_CATEGORIES;

export const isSharingCategory = (value: string): value is SharingCategory =>
  Object.hasOwn(SHARING_CATEGORIES, value);

/**
 * Whether the actor may see a category of a record held by another organisation, under an agreement
 * in force today. Staff of the owning organisation do not need an agreement; this answers for partners.
 *
 * @param actor - who is acting.
 * @param ownerOrganisationId - the organisation that holds the record.
 * @param category - the kind of record.
 * @returns true when an agreement grants it.
 */
export function sharedUnder(actor: Actor, ownerOrganisationId: string, category: SharingCategory): boolean {
  return (
    actor.kind === 'staff' &&
    actor.sharing.some(
      (grant) => grant.fromOrganisationId === ownerOrganisationId && grant.category === category,
    )
  );
}
