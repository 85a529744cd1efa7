import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../../database.ts';
import type { StaffRole } from '../../policy/index.ts';
import { partnerMayFacilitate } from '../organisations/index.ts';
import type { SessionData, SessionStage, StaffStatus, TokenPurpose } from './accounts.tables.ts';

/** A member of staff as the rest of the module sees them (never with secrets). */
export type Staff = {
  id: string;
  organisationId: string;
  organisationName: string;
  hostOrganisation: boolean;
  email: string;
  fullName: string;
  roles: StaffRole[];
  status: StaffStatus;
  secondFactorEnrolled: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
  version: number;
};

function staffQuery(db: Db) {
  return db
    .selectFrom('staff as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.organisation_id as organisationId',
      'o.name as organisationName',
      'o.is_host as hostOrganisation',
      's.email',
      's.full_name as fullName',
      's.roles',
      's.status',
      sql<boolean>`s.totp_enrolled_at IS NOT NULL`.as('secondFactorEnrolled'),
      's.deactivated_at as deactivatedAt',
      's.created_at as createdAt',
      's.version',
    ]);
}

export async function findStaffById(db: Db, id: string): Promise<Staff | undefined> {
  return staffQuery(db).where('s.id', '=', id).executeTakeFirst();
}

export async function findStaffByEmail(db: Db, email: string): Promise<Staff | undefined> {
  return staffQuery(db).where('s.email', '=', email).executeTakeFirst();
}

/**
 * Lists one organisation's staff. The organisation is a required argument, so a list can never
 * reach beyond the organisation the caller is scoped to.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns its staff, by name.
 */
export async function listStaffOfOrganisation(db: Db, organisationId: string): Promise<Staff[]> {
  return staffQuery(db).where('s.organisation_id', '=', organisationId).orderBy('s.full_name').execute();
}

/**
 * The active staff of the organisations that may co-facilitate an organisation's groups of a service
 * on a day: partners under an agreement in force covering the service both deliver (see
 * partnerMayFacilitate in the organisations module for exactly when, and why).
 *
 * @param db - any connection.
 * @param scope - whose groups and which service.
 * @param scope.organisationId - the organisation running the group.
 * @param scope.serviceId - the group's service.
 * @param scope.today - the day, 'YYYY-MM-DD' in UK time.
 * @returns the partners' active staff, by organisation then name, with their organisation's name.
 */
export async function listActivePartnerStaffFor(
  db: Db,
  scope: { organisationId: string; serviceId: string; today: string },
): Promise<Staff[]> {
  return staffQuery(db)
    .where('s.status', '=', 'active')
    .where('s.organisation_id', '<>', scope.organisationId)
    .where(
      partnerMayFacilitate({
        partner: sql.ref('s.organisation_id'),
        group: sql`${scope.organisationId}::uuid`,
        service: sql`${scope.serviceId}::uuid`,
        day: sql`${scope.today}`,
      }),
    )
    .orderBy(sql`lower(o.name)`)
    .orderBy('s.full_name')
    .execute();
}

export async function findCredentials(
  db: Db,
  staffId: string,
): Promise<
  { passwordHash: string | null; totpSecret: string | null; lastTotpStep: number | null } | undefined
> {
  const row = await db
    .selectFrom('staff')
    .select(['password_hash', 'totp_secret', 'last_totp_step'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  return row
    ? {
        passwordHash: row.password_hash,
        totpSecret: row.totp_secret,
        lastTotpStep: row.last_totp_step === null ? null : Number(row.last_totp_step),
      }
    : undefined;
}

export async function insertStaff(
  db: Db,
  staff: {
    id: string;
    organisationId: string;
    email: string;
    fullName: string;
    roles: StaffRole[];
    status: StaffStatus;
    passwordHash: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('staff')
    .values({
      id: staff.id,
      organisation_id: staff.organisationId,
      email: staff.email,
      full_name: staff.fullName,
      roles: staff.roles,
      status: staff.status,
      password_hash: staff.passwordHash,
      totp_secret: null,
      totp_enrolled_at: null,
      last_totp_step: null,
      deactivated_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

type StaffChange = Partial<{
  status: StaffStatus;
  roles: StaffRole[];
  passwordHash: string;
  totpSecret: string;
  totpEnrolledAt: Date;
  lastTotpStep: number;
  deactivatedAt: Date | null;
}>;

/**
 * Changes a staff record if it is still at the version the caller saw.
 *
 * @param db - the transaction.
 * @param id - the staff id.
 * @param change - the new values.
 * @param now - the time.
 * @param expectedVersion - the version the change was based on; omitted for changes a person makes
 *   to their own credentials, which cannot clash with an edit they are looking at.
 * @returns true when a row changed; false when the version was stale.
 */
export async function updateStaff(
  db: Db,
  id: string,
  change: StaffChange,
  now: Date,
  expectedVersion?: number,
): Promise<boolean> {
  let query = db
    .updateTable('staff')
    .set({
      ...(change.status !== undefined && { status: change.status }),
      ...(change.roles !== undefined && { roles: change.roles }),
      ...(change.passwordHash !== undefined && { password_hash: change.passwordHash }),
      ...(change.totpSecret !== undefined && { totp_secret: change.totpSecret }),
      ...(change.totpEnrolledAt !== undefined && { totp_enrolled_at: change.totpEnrolledAt }),
      ...(change.lastTotpStep !== undefined && { last_totp_step: change.lastTotpStep }),
      ...(change.deactivatedAt !== undefined && { deactivated_at: change.deactivatedAt }),
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', id);
  if (expectedVersion !== undefined) {
    query = query.where('version', '=', expectedVersion);
  }
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records the step of an accepted one-time code, only if it is later than the last one, so two
 * requests racing with the same code cannot both succeed.
 *
 * @param db - the transaction.
 * @param staffId - the staff id.
 * @param step - the accepted code's time step.
 * @returns true when this request won.
 */
export async function claimTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('staff')
    .set({ last_totp_step: step })
    .where('id', '=', staffId)
    .where((eb) => eb.or([eb('last_totp_step', 'is', null), eb('last_totp_step', '<', String(step))]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countActiveAdministrators(db: Db, organisationId?: string): Promise<number> {
  let query = db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'active')
    .where(sql<boolean>`'administrator' = ANY(roles)`);
  if (organisationId) {
    query = query.where('organisation_id', '=', organisationId);
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

// Tokens (setup, invitation and password reset links).

export async function insertToken(
  db: Db,
  token: {
    id: string;
    purpose: TokenPurpose;
    tokenHash: string;
    staffId: string | null;
    createdBy: string | null;
    expiresAt: Date;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({
      id: token.id,
      purpose: token.purpose,
      token_hash: token.tokenHash,
      staff_id: token.staffId,
      created_by: token.createdBy,
      expires_at: token.expiresAt,
      used_at: null,
      created_at: now,
    })
    .execute();
}

// A token works once, for its own purpose, until it expires.
const usable =
  (purpose: TokenPurpose, tokenHash: string, now: Date) =>
  (eb: ExpressionBuilder<Database, 'account_tokens'>) =>
    eb.and([
      eb('purpose', '=', purpose),
      eb('token_hash', '=', tokenHash),
      eb('used_at', 'is', null),
      eb('expires_at', '>', now),
    ]);

/**
 * Uses a token once: marks it used if it exists, has the purpose, is unused and unexpired.
 * The conditional UPDATE makes a double submission use it once.
 *
 * @param db - the transaction.
 * @param purpose - what the token is for.
 * @param tokenHash - the hash of the token presented.
 * @param now - the time.
 * @returns the staff id it belongs to (null for setup), or undefined when it cannot be used.
 */
export async function useToken(
  db: Db,
  purpose: TokenPurpose,
  tokenHash: string,
  now: Date,
): Promise<{ staffId: string | null } | undefined> {
  return db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where(usable(purpose, tokenHash, now))
    .returning('staff_id as staffId')
    .executeTakeFirst();
}

/**
 * Checks a token without using it (to decide whether to show its page).
 *
 * @param db - any connection.
 * @param purpose - what the token is for.
 * @param tokenHash - the hash of the token presented.
 * @param now - the time.
 * @returns the staff id it belongs to (null for setup), or undefined when it cannot be used.
 */
export async function findUsableToken(
  db: Db,
  purpose: TokenPurpose,
  tokenHash: string,
  now: Date,
): Promise<{ staffId: string | null } | undefined> {
  return db
    .selectFrom('account_tokens')
    .select('staff_id as staffId')
    .where(usable(purpose, tokenHash, now))
    .executeTakeFirst();
}

/**
 * Ends every unused token for a purpose (and person), so only the newest link works.
 *
 * @param db - the transaction.
 * @param purpose - what the tokens are for.
 * @param staffId - the person, or null for setup links.
 * @param now - the time.
 */
export async function expireTokens(
  db: Db,
  purpose: TokenPurpose,
  staffId: string | null,
  now: Date,
): Promise<void> {
  let query = db
    .updateTable('account_tokens')
    .set({ expires_at: now })
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now);
  query = staffId === null ? query.where('staff_id', 'is', null) : query.where('staff_id', '=', staffId);
  await query.execute();
}

// Recovery codes.

export async function replaceRecoveryCodes(
  db: Db,
  staffId: string,
  codeHashes: { id: string; hash: string }[],
) {
  await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
  await db
    .insertInto('staff_recovery_codes')
    .values(codeHashes.map((c) => ({ id: c.id, staff_id: staffId, code_hash: c.hash, used_at: null })))
    .execute();
}

export async function useRecoveryCode(
  db: Db,
  staffId: string,
  codeHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('staff_recovery_codes')
    .set({ used_at: now })
    .where('staff_id', '=', staffId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(db: Db, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Sessions.

export type SessionRow = {
  idHash: string;
  staffId: string | null;
  stage: SessionStage;
  createdAt: Date;
  lastSeenAt: Date;
  data: SessionData;
};

export async function insertSession(
  db: Db,
  session: { idHash: string; staffId: string; stage: SessionStage; data?: SessionData },
  now: Date,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      staff_id: session.staffId,
      stage: session.stage,
      created_at: now,
      last_seen_at: now,
      data: JSON.stringify(session.data ?? {}),
    })
    .execute();
}

export async function findSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .select([
      'id_hash as idHash',
      'staff_id as staffId',
      'stage',
      'created_at as createdAt',
      'last_seen_at as lastSeenAt',
      'data',
    ])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function setSessionData(db: Db, idHash: string, data: SessionData): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ data: JSON.stringify(data) })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfStaff(db: Db, staffId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Failed attempts, for throttling.

export async function countFailuresSince(
  db: Db,
  throttleKey: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('occurred_at').as('oldest')])
    .where('throttle_key', '=', throttleKey)
    .where('occurred_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest };
}

export async function insertFailure(db: Db, throttleKey: string, now: Date): Promise<void> {
  await db.insertInto('sign_in_failures').values({ throttle_key: throttleKey, occurred_at: now }).execute();
}

export async function clearFailures(db: Db, throttleKey: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('throttle_key', '=', throttleKey).execute();
}
