import type { StaffRole } from '../../policy/index.ts';
import { signedInAgent, type TestApp } from '../test-app.ts';
import { buildStaff } from './accounts.ts';
import { buildOrganisation, buildService, hostOrganisation } from './organisations.ts';

/**
 * The people the groups page tests act as: the host organisation's service manager, a clinical
 * facilitator, a lived experience facilitator, a peer support worker, a senior peer support worker and
 * a commissioner, with one service; and another organisation's service manager (the stranger, who
 * must see nothing). Agents are signed in through the real sign-in pages.
 *
 * @param t - the running test app.
 * @returns the organisations, the service, the staff and their signed-in agents.
 */
export async function buildGroupsCast(t: TestApp) {
  const own = await hostOrganisation(t.db);
  const other = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  const staffOf = (overrides: { roles: StaffRole[]; fullName?: string }) =>
    buildStaff(t.db, { organisationId: own.id, ...overrides });
  const managerStaff = await staffOf({ roles: ['service_manager'], fullName: 'Morgan Manager' });
  const clinician = await staffOf({ roles: ['clinical_facilitator'], fullName: 'Dana Clinician' });
  const livedExperience = await staffOf({ roles: ['lived_experience_practitioner'], fullName: 'Lee Lived' });
  const peerStaff = await staffOf({ roles: ['peer_support_worker'], fullName: 'Sam Peer' });
  const service = await buildService(t.db, [own.id], { name: 'SUN Medway' });
  return {
    own,
    other,
    service,
    managerStaff,
    clinician,
    livedExperience,
    peerStaff,
    manager: await signedInAgent(t, managerStaff),
    peer: await signedInAgent(t, peerStaff),
    senior: await signedInAgent(t, await staffOf({ roles: ['senior_peer_support_worker'] })),
    commissioner: await signedInAgent(t, await staffOf({ roles: ['commissioner'] })),
    stranger: await signedInAgent(
      t,
      await buildStaff(t.db, {
        organisationId: other.id,
        roles: ['service_manager'],
        fullName: 'Other Manager',
      }),
    ),
  };
}
