/**
 * The people (and the system) that act in Alongside, as the policy module sees them.
 */

/**
 * Staff roles, from volunteer to manager. Labels are the words used in the services themselves
 * (shared/DESIGN.md section 1, "The peer workforce and its career pathway").
 */
export const STAFF_ROLES = {
  peer_support_worker: 'Peer support worker',
  senior_peer_support_worker: 'Senior peer support worker',
  lived_experience_practitioner: 'Lived experience practitioner',
  advanced_lived_experience_practitioner: 'Advanced lived experience practitioner',
  peer_bank_worker: 'Peer bank worker',
  volunteer: 'Volunteer',
  clinical_facilitator: 'Clinical facilitator',
  psychological_wellbeing_practitioner: 'Psychological wellbeing practitioner',
  community_connector: 'Community connector',
  care_coordinator: 'Care coordinator',
  social_prescribing_link_worker: 'Social prescribing link worker',
  service_manager: 'Service manager',
  safeguarding_lead: 'Safeguarding lead',
  administrator: 'Administrator',
  commissioner: 'Commissioner (sees totals only)',
} as const;

export type StaffRole = keyof typeof STAFF_ROLES;

export const isStaffRole = (value: string): value is StaffRole => Object.hasOwn(STAFF_ROLES, value);

/** What one organisation may see of another's records, from an information-sharing agreement in force. */
export type SharingGrant = { fromOrganisationId: string; category: string; agreementId: string };

export type StaffActor = {
  kind: 'staff';
  id: string;
  organisationId: string;
  /** The organisation that set the service up and administers partnerships. */
  hostOrganisation: boolean;
  roles: readonly StaffRole[];
  sharing: readonly SharingGrant[];
};

export type AnonymousActor = { kind: 'anonymous' };

/** A member signed in to the portal: they act on their own record only. */
export type MemberActor = {
  kind: 'member';
  /** The member record they are. */
  memberId: string;
  /** The organisation that holds that record. */
  organisationId: string;
};

export type Actor = StaffActor | AnonymousActor | MemberActor;

export const ANONYMOUS: AnonymousActor = { kind: 'anonymous' };

export const isStaff = (actor: Actor): actor is StaffActor => actor.kind === 'staff';

export const isMember = (actor: Actor): actor is MemberActor => actor.kind === 'member';

/**
 * Whether a staff actor holds any of the roles.
 *
 * @param actor - who is acting.
 * @param roles - the roles that qualify.
 * @returns true when the actor is staff with at least one of them.
 */
export function hasRole(actor: Actor, roles: readonly StaffRole[]): actor is StaffActor {
  return isStaff(actor) && actor.roles.some((role) => roles.includes(role));
}
