import { randomUUID } from 'node:crypto';
import { generateSecret } from 'otplib';
import { hash } from '@node-rs/argon2';
import type { Db } from '../../database.ts';
import type { StaffRole } from '../../policy/index.ts';
import { buildOrganisation, hostOrganisation } from './organisations.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');

export type BuiltStaff = {
  id: string;
  organisationId: string;
  email: string;
  fullName: string;
  password: string;
  totpSecret: string;
  roles: StaffRole[];
};

/**
 * Builds an active member of staff with a password and an authenticator set up, creating their
 * organisation when none is given (`host: true` puts them in the one host organisation).
 *
 * @param db - the test database.
 * @param overrides - anything to set.
 * @returns the member of staff, with the credentials a test needs to sign in as them.
 */
export async function buildStaff(
  db: Db,
  overrides: Partial<{
    organisationId: string;
    roles: StaffRole[];
    email: string;
    fullName: string;
    host: boolean;
  }> = {},
): Promise<BuiltStaff> {
  const organisationId =
    overrides.organisationId ??
    (overrides.host ? await hostOrganisation(db) : await buildOrganisation(db)).id;
  const id = randomUUID();
  const password = `correct horse ${id.slice(0, 8)}`;
  const totpSecret = generateSecret();
  const staff = {
    id,
    organisationId,
    email: overrides.email ?? `staff-${id.slice(0, 8)}@example.org`,
    fullName: overrides.fullName ?? `Test Worker ${id.slice(0, 4)}`,
    password,
    totpSecret,
    roles: overrides.roles ?? ['peer_support_worker'],
  };
  await db
    .insertInto('staff')
    .values({
      id,
      organisation_id: organisationId,
      email: staff.email,
      full_name: staff.fullName,
      roles: staff.roles,
      status: 'active',
      password_hash: await hash(password),
      totp_secret: totpSecret,
      totp_enrolled_at: BUILT_AT,
      last_totp_step: null,
      deactivated_at: null,
      created_at: BUILT_AT,
      updated_at: BUILT_AT,
    })
    .execute();
  return staff;
}

export const buildAdministrator = (db: Db, overrides: Parameters<typeof buildStaff>[1] = {}) =>
  buildStaff(db, { ...overrides, roles: ['administrator'] });

export const buildPeerWorker = (db: Db, overrides: Parameters<typeof buildStaff>[1] = {}) =>
  buildStaff(db, { ...overrides, roles: ['peer_support_worker'] });
