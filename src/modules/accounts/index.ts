import path from 'node:path';
import type { Db } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import type { StaffRole } from '../../policy/index.ts';
import { listActivePartnerStaffFor, listStaffOfOrganisation } from './accounts.repo.ts';
import { loadSessionFromToken, type LoadedSession } from './accounts.service.ts';

export { registerAccountPages, SESSION_COOKIE_NAME } from './accounts.pages.ts';
export { accountEmailTemplates } from './email-templates.ts';
export {
  setupNeeded,
  createSetupToken,
  LINK_LIFETIME,
  THROTTLE,
  assertNotThrottled,
  recordFailures,
} from './accounts.service.ts';
export type { LoadedSession, Staff } from './accounts.service.ts';

/** Where this module's page templates live. */
export const accountsViews = [path.join(import.meta.dirname, 'views')];

/**
 * Loads the session behind a cookie, with the session limits from configuration.
 *
 * @param deps - the application's dependencies.
 * @param token - the cookie's value.
 * @returns the session, or undefined.
 */
export function loadSession(deps: Deps, token: string | undefined): Promise<LoadedSession | undefined> {
  return loadSessionFromToken({ db: deps.db, clock: deps.clock, limits: deps.config.session }, token);
}

/**
 * The active staff of one organisation, by name: who can be chosen as a key worker, for example.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns each person's id and full name; never anyone invited but not yet active, or deactivated.
 */
export async function listActiveStaffOf(
  db: Db,
  organisationId: string,
): Promise<{ id: string; fullName: string }[]> {
  const staff = await listStaffOfOrganisation(db, organisationId);
  return staff.filter((s) => s.status === 'active').map((s) => ({ id: s.id, fullName: s.fullName }));
}

/**
 * The active staff of one organisation with their roles, by name: who can facilitate a group, and
 * in which role.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns each person's id, full name and roles; never anyone invited but not yet active, or deactivated.
 */
export async function listActiveStaffWithRolesOf(
  db: Db,
  organisationId: string,
): Promise<{ id: string; fullName: string; roles: StaffRole[] }[]> {
  const staff = await listStaffOfOrganisation(db, organisationId);
  return staff
    .filter((s) => s.status === 'active')
    .map((s) => ({ id: s.id, fullName: s.fullName, roles: [...s.roles] }));
}

/**
 * The active staff of partner organisations who may co-facilitate an organisation's groups of a
 * service (under an agreement in force granting contacts and sessions, both delivering the service:
 * see listActivePartnerStaffFor for why), by organisation then name.
 *
 * @param db - any connection.
 * @param scope - whose groups and which service.
 * @param scope.organisationId - the organisation running the group.
 * @param scope.serviceId - the group's service.
 * @param scope.today - the day, 'YYYY-MM-DD' in UK time.
 * @returns each person's id, full name, roles, and organisation's id and name.
 */
export async function listActivePartnerFacilitators(
  db: Db,
  scope: { organisationId: string; serviceId: string; today: string },
): Promise<
  { id: string; fullName: string; roles: StaffRole[]; organisationId: string; organisationName: string }[]
> {
  const staff = await listActivePartnerStaffFor(db, scope);
  return staff.map((s) => ({
    id: s.id,
    fullName: s.fullName,
    roles: [...s.roles],
    organisationId: s.organisationId,
    organisationName: s.organisationName,
  }));
}
