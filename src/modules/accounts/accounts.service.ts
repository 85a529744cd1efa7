import { randomUUID } from 'node:crypto';
import {
  audit,
  staffAuditActor,
  type AuditEntry,
  type Clock,
  type Ctx,
  type LoadedSession,
} from '../../context.ts';
import type { Db } from '../../database.ts';
import {
  recordAudit,
  listAuditForSubject,
  type AuditEvent,
  type AuditOrigin,
  type AuditRow,
} from '../../platform/audit/audit.ts';
import { Conflict, InvalidInput, NotFound, TooManyAttempts } from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, type StaffActor, type StaffRole } from '../../policy/index.ts';
import {
  findOrganisationById,
  insertOrganisation,
  sharingGrantsFor,
  type OrganisationKind,
} from '../organisations/index.ts';
import * as repo from './accounts.repo.ts';
import type { SessionData, SessionStage } from './accounts.tables.ts';
import { checkPassword, hashPassword, passwordProblem } from './passwords.ts';
import { sessionExpired, shouldTouch, type SessionLimits } from './session.ts';
import { hashToken, newRecoveryCodes, newToken, normaliseRecoveryCode } from './tokens.ts';
import { checkTotp, newTotpSecret } from './totp.ts';

export type { Staff } from './accounts.repo.ts';
export type { LoadedSession };

/** How long each kind of link works. */
export const LINK_LIFETIME = {
  setup: 60 * 60_000,
  invitation: 7 * 24 * 60 * 60_000,
  password_reset: 60 * 60_000,
} as const;

/**
 * Throttling of every sign-in path (reliability plan S4, Cyber Essentials): after 10 failures within
 * 5 minutes for one account, or 30 from one address, further attempts are refused until the oldest
 * failure in the window is 5 minutes old.
 */
export const THROTTLE = { perAccount: 10, perAddress: 30, windowMs: 5 * 60_000 } as const;

type Services = { db: Db; clock: Clock };

/**
 * Records a step someone takes on their own account on the way to a session (a password or code
 * accepted, an invitation accepted, an authenticator set up, a password reset): they are both the
 * actor and the subject, and not yet the request's actor.
 */
async function auditOwnStep(
  tx: Db,
  ctx: Ctx,
  staff: repo.Staff,
  entry: Omit<AuditEntry, 'subject'> & { at: Date },
): Promise<void> {
  await recordAudit(tx, {
    ...entry,
    subject: { type: 'Staff', id: staff.id },
    actor: staffAuditActor(staff),
    origin: ctx.origin,
  });
}

/**
 * Hashes a new password, once it is strong enough.
 *
 * @param password - the password chosen.
 * @param email - the account's email address, which the password must not resemble.
 * @returns the hash to store.
 * @throws InvalidInput when it is too weak.
 */
async function hashNewPassword(password: string, email: string): Promise<string> {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new InvalidInput('account.weak_password', { password: problem });
  }
  return hashPassword(password);
}

// Throttling.

/**
 * Refuses an attempt while any of its keys has been counted too often in the window (5 minutes unless
 * given). Used by every sign-in step, by other guessable codes (a self-referral's resume code), and to
 * limit how many referrals one address sends in an hour.
 *
 * @param db - the database.
 * @param limits - each throttle key (e.g. `resume:<address>`) with the most failures allowed.
 * @param now - the time.
 * @param windowMs - how far back attempts count, in milliseconds.
 * @throws TooManyAttempts with the seconds until the oldest failure leaves the window.
 */
export async function assertNotThrottled(
  db: Db,
  limits: [key: string, max: number][],
  now: Date,
  windowMs: number = THROTTLE.windowMs,
): Promise<void> {
  const since = new Date(now.getTime() - windowMs);
  for (const [key, max] of limits) {
    const { count, oldest } = await repo.countFailuresSince(db, hashToken(key), since);
    if (count >= max && oldest) {
      const retryAfterMs = oldest.getTime() + windowMs - now.getTime();
      throw new TooManyAttempts(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    }
  }
}

/**
 * Counts a failed attempt against each key (stored hashed: a key may hold an email address).
 *
 * @param db - the database or transaction.
 * @param keys - the throttle keys.
 * @param now - the time.
 */
export async function recordFailures(db: Db, keys: string[], now: Date): Promise<void> {
  for (const key of keys) {
    await repo.insertFailure(db, hashToken(key), now);
  }
}

/** Counts a failed sign-in step towards the limits and records it in the audit trail, together. */
async function recordSignInFailure(
  ctx: Ctx,
  keys: string[],
  staffId: string | null,
  details: AuditEvent['details'],
  now: Date,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await recordFailures(tx, keys, now);
    await recordAudit(tx, {
      action: 'sign_in.failed',
      subject: { type: 'Staff', id: staffId },
      actor: { type: 'anonymous' },
      origin: ctx.origin,
      details,
      at: now,
    });
  });
}

// Sessions.

async function issueSession(db: Db, staffId: string, stage: SessionStage, now: Date, data?: SessionData) {
  const token = newToken();
  await repo.insertSession(db, { idHash: hashToken(token), staffId, stage, data }, now);
  return token;
}

/**
 * Finds the session behind a cookie and who it belongs to, ending it if it has run out of time or the
 * account is no longer active.
 *
 * @param deps - database, clock and session limits.
 * @param deps.db - the database.
 * @param deps.clock - the clock.
 * @param deps.limits - the idle and absolute limits.
 * @param token - the cookie's value, if any.
 * @returns the session, or undefined.
 */
export async function loadSessionFromToken(
  deps: Services & { limits: SessionLimits },
  token: string | undefined,
): Promise<LoadedSession | undefined> {
  if (!token || token.length > 100) {
    return undefined;
  }
  const now = deps.clock.now();
  const idHash = hashToken(token);
  const session = await repo.findSession(deps.db, idHash);
  if (!session?.staffId) {
    return undefined;
  }
  const staff = await repo.findStaffById(deps.db, session.staffId);
  if (!staff || staff.status === 'deactivated' || sessionExpired(session, deps.limits, now)) {
    await repo.deleteSession(deps.db, idHash);
    return undefined;
  }
  if (shouldTouch(session.lastSeenAt, now)) {
    await repo.touchSession(deps.db, idHash, now);
  }
  let actor: StaffActor | undefined;
  if (session.stage === 'signed_in' && staff.status === 'active') {
    const sharing = await sharingGrantsFor(deps.db, staff.organisationId, dayInLondon(now));
    actor = {
      kind: 'staff',
      id: staff.id,
      organisationId: staff.organisationId,
      hostOrganisation: staff.hostOrganisation,
      roles: staff.roles,
      sharing,
    };
  }
  return {
    idHash,
    stage: session.stage,
    staffId: staff.id,
    staffName: staff.fullName,
    staffEmail: staff.email,
    data: session.data,
    actor,
  };
}

/**
 * Ends a session (sign out).
 *
 * @param ctx - the request context.
 * @param session - the session to end.
 */
export async function signOut(ctx: Ctx, session: LoadedSession): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await repo.deleteSession(tx, session.idHash);
    await recordAudit(tx, {
      action: 'session.signed_out',
      subject: { type: 'Staff', id: session.staffId },
      actor: { type: 'staff', id: session.staffId },
      origin: ctx.origin,
      at: ctx.clock.now(),
    });
  });
}

// First run.

/**
 * Whether the service still needs its first administrator.
 *
 * @param db - the database.
 * @returns true when no active administrator exists.
 */
export async function setupNeeded(db: Db): Promise<boolean> {
  return (await repo.countActiveAdministrators(db)) === 0;
}

/**
 * Makes a new one-time setup link, ending any earlier one.
 *
 * @param services - database and clock.
 * @returns the token for the link, and when it stops working.
 */
export async function createSetupToken(services: Services): Promise<{ token: string; expiresAt: Date }> {
  const now = services.clock.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME.setup);
  await services.db.transaction().execute(async (tx) => {
    await repo.expireTokens(tx, 'setup', null, now);
    await repo.insertToken(
      tx,
      {
        id: randomUUID(),
        purpose: 'setup',
        tokenHash: hashToken(token),
        staffId: null,
        createdBy: null,
        expiresAt,
      },
      now,
    );
    await recordAudit(tx, {
      action: 'setup.link_created',
      subject: { type: 'Service' },
      actor: { type: 'system' },
      at: now,
    });
  });
  return { token, expiresAt };
}

export async function setupTokenUsable(services: Services, token: string): Promise<boolean> {
  return (
    (await repo.findUsableToken(services.db, 'setup', hashToken(token), services.clock.now())) !==
      undefined && (await setupNeeded(services.db))
  );
}

export type SetupInput = {
  organisationName: string;
  organisationKind: OrganisationKind;
  odsCode?: string;
  fullName: string;
  email: string;
  password: string;
};

/**
 * Creates the host organisation and its first administrator from the one-time setup link, and starts
 * a session in which they must set up their second factor before anything else.
 *
 * @param ctx - the request context.
 * @param token - the setup link's token.
 * @param input - the organisation and the administrator.
 * @returns the new session's token.
 * @throws NotFound when the link is used, expired or unknown, or setup is already done.
 * @throws InvalidInput when the password is too weak.
 */
export async function completeSetup(ctx: Ctx, token: string, input: SetupInput): Promise<string> {
  const passwordHash = await hashNewPassword(input.password, input.email);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const used = await repo.useToken(tx, 'setup', hashToken(token), now);
    if (!used || !(await setupNeeded(tx))) {
      throw new NotFound('setup.link_not_usable');
    }
    const organisation = await insertOrganisation(
      tx,
      {
        id: randomUUID(),
        name: input.organisationName,
        kind: input.organisationKind,
        odsCode: input.odsCode ?? null,
        isHost: true,
      },
      now,
    );
    const staffId = randomUUID();
    await repo.insertStaff(
      tx,
      {
        id: staffId,
        organisationId: organisation.id,
        email: input.email,
        fullName: input.fullName,
        roles: ['administrator'],
        status: 'active',
        passwordHash,
      },
      now,
    );
    const actor = staffAuditActor({ id: staffId, roles: ['administrator'], organisationId: organisation.id });
    await recordAudit(tx, {
      action: 'organisation.created',
      subject: { type: 'Organisation', id: organisation.id },
      actor,
      origin: ctx.origin,
      details: { host: true, via: 'setup' },
      at: now,
    });
    await recordAudit(tx, {
      action: 'staff.created',
      subject: { type: 'Staff', id: staffId },
      actor,
      origin: ctx.origin,
      details: { via: 'setup', roles: ['administrator'] },
      at: now,
    });
    return issueSession(tx, staffId, 'enrolment', now);
  });
}

// Signing in.

/**
 * Checks an email address and password. On success the person still has to give their second factor
 * (or set one up): the session returned is only part-way signed in.
 *
 * @param ctx - the request context (anonymous).
 * @param input - what was typed.
 * @param input.email - the email address.
 * @param input.password - the password.
 * @returns the new session's token and the stage it is at.
 * @throws TooManyAttempts when this account or address has failed too often.
 * @throws InvalidInput with one message for a wrong email or password, never saying which.
 */
export async function signInWithPassword(
  ctx: Ctx,
  input: { email: string; password: string },
): Promise<{ token: string; stage: SessionStage }> {
  const now = ctx.clock.now();
  const accountKey = `password:${input.email.toLowerCase()}`;
  const addressKey = `address:${ctx.origin.ip ?? 'unknown'}`;
  await assertNotThrottled(
    ctx.db,
    [
      [accountKey, THROTTLE.perAccount],
      [addressKey, THROTTLE.perAddress],
    ],
    now,
  );
  const staff = await repo.findStaffByEmail(ctx.db, input.email);
  const credentials = staff ? await repo.findCredentials(ctx.db, staff.id) : undefined;
  const matches = await checkPassword(credentials?.passwordHash ?? null, input.password);
  if (!staff || !matches || staff.status !== 'active') {
    await recordSignInFailure(
      ctx,
      [accountKey, addressKey],
      staff?.id ?? null,
      {
        step: 'password',
        reason: !staff ? 'unknown_account' : matches ? 'account_not_active' : 'wrong_password',
      },
      now,
    );
    throw new InvalidInput('account.sign_in_failed', {
      email: 'Enter a correct email address and password',
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    await repo.clearFailures(tx, hashToken(accountKey));
    const stage: SessionStage = staff.secondFactorEnrolled ? 'second_factor' : 'enrolment';
    await auditOwnStep(tx, ctx, staff, { action: 'sign_in.password_accepted', at: now });
    return { token: await issueSession(tx, staff.id, stage, now), stage };
  });
}

/**
 * Completes sign-in with a code from the authenticator app or a recovery code. The part-way session
 * is replaced by a new one (a new id), so an id seen before sign-in is useless after it (S2).
 *
 * @param ctx - the request context.
 * @param session - the part-way session.
 * @param input - the code, and which kind it is.
 * @param input.code - what was typed.
 * @param input.kind - 'authenticator' or 'recovery'.
 * @returns the new session's token.
 * @throws TooManyAttempts when too many wrong codes were given.
 * @throws InvalidInput when the code is wrong.
 */
export async function completeSecondFactor(
  ctx: Ctx,
  session: LoadedSession,
  input: { code: string; kind: 'authenticator' | 'recovery' },
): Promise<string> {
  const now = ctx.clock.now();
  const key = `second_factor:${session.staffId}`;
  await assertNotThrottled(ctx.db, [[key, THROTTLE.perAccount]], now);
  const staff = await repo.findStaffById(ctx.db, session.staffId);
  const credentials = await repo.findCredentials(ctx.db, session.staffId);
  if (!staff || !credentials?.totpSecret || session.stage !== 'second_factor') {
    throw new NotFound('session.not_at_second_factor');
  }
  const totpSecret = credentials.totpSecret;
  const accepted = await ctx.db.transaction().execute(async (tx) => {
    if (input.kind === 'recovery') {
      return repo.useRecoveryCode(tx, staff.id, hashToken(normaliseRecoveryCode(input.code)), now);
    }
    const step = await checkTotp(totpSecret, input.code, now, credentials.lastTotpStep);
    return step !== undefined && (await repo.claimTotpStep(tx, staff.id, step));
  });
  if (!accepted) {
    await recordSignInFailure(
      ctx,
      [key],
      staff.id,
      { step: input.kind === 'recovery' ? 'recovery_code' : 'authenticator_code' },
      now,
    );
    throw new InvalidInput('account.wrong_code', {
      code:
        input.kind === 'recovery'
          ? 'Enter a recovery code you have not used before'
          : 'Enter the 6-digit code shown in your authenticator app now',
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    await repo.clearFailures(tx, hashToken(key));
    await repo.deleteSession(tx, session.idHash);
    await auditOwnStep(tx, ctx, staff, {
      action: 'sign_in.succeeded',
      details: { second_factor: input.kind },
      at: now,
    });
    return issueSession(tx, staff.id, 'signed_in', now);
  });
}

// Setting up the second factor.

/**
 * The secret for the authenticator app being set up in this session, made on first use.
 *
 * @param db - the database.
 * @param session - a session at the enrolment stage.
 * @returns the Base32 secret.
 */
export async function pendingTotpSecret(db: Db, session: LoadedSession): Promise<string> {
  if (session.stage !== 'enrolment') {
    throw new NotFound('session.not_enrolling');
  }
  if (session.data.pendingTotpSecret) {
    return session.data.pendingTotpSecret;
  }
  const secret = newTotpSecret();
  await repo.setSessionData(db, session.idHash, { ...session.data, pendingTotpSecret: secret });
  return secret;
}

/**
 * Finishes setting up the authenticator app once the person types a code it shows, and gives them
 * ten recovery codes (shown once). The session becomes fully signed in, under a new id.
 *
 * @param ctx - the request context.
 * @param session - a session at the enrolment stage.
 * @param code - the code from the app.
 * @returns the new session's token and the recovery codes to show.
 * @throws InvalidInput when the code does not match.
 */
export async function confirmSecondFactor(
  ctx: Ctx,
  session: LoadedSession,
  code: string,
): Promise<{ token: string; recoveryCodes: string[] }> {
  const now = ctx.clock.now();
  const key = `second_factor:${session.staffId}`;
  await assertNotThrottled(ctx.db, [[key, THROTTLE.perAccount]], now);
  const secret = session.data.pendingTotpSecret;
  if (session.stage !== 'enrolment' || !secret) {
    throw new NotFound('session.not_enrolling');
  }
  const step = await checkTotp(secret, code, now, null);
  if (step === undefined) {
    await recordFailures(ctx.db, [key], now);
    throw new InvalidInput('account.wrong_code', {
      code: 'Enter the 6-digit code shown in your authenticator app now',
    });
  }
  const recoveryCodes = newRecoveryCodes();
  const token = await ctx.db.transaction().execute(async (tx) => {
    const staff = await repo.findStaffById(tx, session.staffId);
    if (!staff || staff.status !== 'active') {
      throw new NotFound('staff.not_active');
    }
    await repo.updateStaff(
      tx,
      staff.id,
      { totpSecret: secret, totpEnrolledAt: now, lastTotpStep: step },
      now,
    );
    await repo.replaceRecoveryCodes(
      tx,
      staff.id,
      recoveryCodes.map((c) => ({ id: randomUUID(), hash: hashToken(normaliseRecoveryCode(c)) })),
    );
    await repo.clearFailures(tx, hashToken(key));
    await repo.deleteSession(tx, session.idHash);
    await auditOwnStep(tx, ctx, staff, { action: 'staff.second_factor_set_up', at: now });
    return issueSession(tx, staff.id, 'signed_in', now, { recoveryCodes });
  });
  return { token, recoveryCodes };
}

/**
 * Forgets the recovery codes kept in the session for showing once.
 *
 * @param db - the database.
 * @param session - the session.
 */
export async function forgetShownRecoveryCodes(db: Db, session: LoadedSession): Promise<void> {
  const { recoveryCodes: _shown, ...rest } = session.data;
  await repo.setSessionData(db, session.idHash, rest);
}

// Invitations.

export type InviteInput = { fullName: string; email: string; roles: StaffRole[] };

/**
 * Invites a colleague into the actor's organisation: creates their account (not yet usable) and
 * emails them a link to choose a password and set up their second factor.
 *
 * @param ctx - the request context.
 * @param input - who and in which roles.
 * @param publicUrl - the service's address, for the link.
 * @returns the new staff id and the link (shown to the administrator only when email is not set up).
 * @throws InvalidInput when the email address already has an account.
 */
export async function inviteStaff(
  ctx: Ctx,
  input: InviteInput,
  publicUrl: string,
): Promise<{ staffId: string; link: string }> {
  const actor = ctx.actor;
  if (actor.kind !== 'staff') {
    throw new NotFound('actor.not_staff');
  }
  authorize(actor, 'staff.invite', { organisationId: actor.organisationId });
  const now = ctx.clock.now();
  const token = newToken();
  const link = `${publicUrl}/invitations/${token}`;
  const staffId = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    if (await repo.findStaffByEmail(tx, input.email)) {
      throw new InvalidInput('staff.email_taken', {
        email: 'Someone already has an account with this email address',
      });
    }
    const organisation = await findOrganisationById(tx, actor.organisationId);
    await repo.insertStaff(
      tx,
      {
        id: staffId,
        organisationId: actor.organisationId,
        email: input.email,
        fullName: input.fullName,
        roles: input.roles,
        status: 'invited',
        passwordHash: null,
      },
      now,
    );
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME.invitation);
    const tokenId = randomUUID();
    await repo.insertToken(
      tx,
      {
        id: tokenId,
        purpose: 'invitation',
        tokenHash: hashToken(token),
        staffId,
        createdBy: actor.id,
        expiresAt,
      },
      now,
    );
    await enqueueEmail(tx, {
      dedupeKey: `invitation:${tokenId}`,
      to: input.email,
      template: 'staff-invitation',
      params: { link, organisationName: organisation?.name ?? '', expires: expiresAt.toISOString() },
      at: now,
    });
    await audit(tx, ctx, {
      action: 'staff.invited',
      subject: { type: 'Staff', id: staffId },
      details: { roles: input.roles },
      at: now,
    });
  });
  return { staffId, link };
}

/**
 * Finds the invited person behind an invitation link, if it still works.
 *
 * @param services - database and clock.
 * @param token - the link's token.
 * @returns the invited person, or undefined.
 */
export async function findInvitation(services: Services, token: string): Promise<repo.Staff | undefined> {
  const found = await repo.findUsableToken(services.db, 'invitation', hashToken(token), services.clock.now());
  const staff = found?.staffId ? await repo.findStaffById(services.db, found.staffId) : undefined;
  return staff?.status === 'invited' ? staff : undefined;
}

/**
 * Accepts an invitation: sets the password, activates the account and starts a session in which the
 * person must set up their second factor.
 *
 * @param ctx - the request context.
 * @param token - the invitation link's token.
 * @param password - the chosen password.
 * @returns the new session's token.
 * @throws NotFound when the link no longer works.
 * @throws InvalidInput when the password is too weak.
 */
export async function acceptInvitation(ctx: Ctx, token: string, password: string): Promise<string> {
  const invited = await findInvitation(ctx, token);
  if (!invited) {
    throw new NotFound('invitation.not_usable');
  }
  const passwordHash = await hashNewPassword(password, invited.email);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const used = await repo.useToken(tx, 'invitation', hashToken(token), now);
    if (!used?.staffId || used.staffId !== invited.id) {
      throw new NotFound('invitation.not_usable');
    }
    await repo.updateStaff(tx, invited.id, { passwordHash, status: 'active' }, now);
    await auditOwnStep(tx, ctx, invited, { action: 'staff.invitation_accepted', at: now });
    return issueSession(tx, invited.id, 'enrolment', now);
  });
}

// Password reset.

/**
 * Emails a password reset link if the address belongs to an active account. The answer on screen is
 * the same either way, so the page cannot be used to find out who has an account.
 *
 * @param ctx - the request context.
 * @param email - the address typed.
 * @param publicUrl - the service's address, for the link.
 * @throws TooManyAttempts when this address has asked too often.
 */
export async function requestPasswordReset(ctx: Ctx, email: string, publicUrl: string): Promise<void> {
  const now = ctx.clock.now();
  const addressKey = `reset:${ctx.origin.ip ?? 'unknown'}`;
  await assertNotThrottled(ctx.db, [[addressKey, THROTTLE.perAccount]], now);
  const staff = await repo.findStaffByEmail(ctx.db, email);
  await ctx.db.transaction().execute(async (tx) => {
    // Each request counts towards the limit, found or not, so the limit also caps emails sent.
    await recordFailures(tx, [addressKey], now);
    if (!staff || staff.status !== 'active') {
      return;
    }
    const token = newToken();
    const tokenId = randomUUID();
    await repo.expireTokens(tx, 'password_reset', staff.id, now);
    await repo.insertToken(
      tx,
      {
        id: tokenId,
        purpose: 'password_reset',
        tokenHash: hashToken(token),
        staffId: staff.id,
        createdBy: null,
        expiresAt: new Date(now.getTime() + LINK_LIFETIME.password_reset),
      },
      now,
    );
    await enqueueEmail(tx, {
      dedupeKey: `password-reset:${tokenId}`,
      to: staff.email,
      template: 'password-reset',
      params: { link: `${publicUrl}/reset-password/${token}` },
      at: now,
    });
    await recordAudit(tx, {
      action: 'staff.password_reset_requested',
      subject: { type: 'Staff', id: staff.id },
      actor: { type: 'anonymous' },
      origin: ctx.origin,
      at: now,
    });
  });
}

export async function passwordResetUsable(services: Services, token: string): Promise<boolean> {
  return (
    (await repo.findUsableToken(services.db, 'password_reset', hashToken(token), services.clock.now())) !==
    undefined
  );
}

/**
 * Sets a new password from a reset link and ends every session of the account. The person then signs
 * in as usual, second factor included: a reset never skips it (S5).
 *
 * @param ctx - the request context.
 * @param token - the reset link's token.
 * @param password - the new password.
 * @throws NotFound when the link no longer works.
 * @throws InvalidInput when the password is too weak.
 */
export async function resetPassword(ctx: Ctx, token: string, password: string): Promise<void> {
  const now = ctx.clock.now();
  const found = await repo.findUsableToken(ctx.db, 'password_reset', hashToken(token), now);
  const staff = found?.staffId ? await repo.findStaffById(ctx.db, found.staffId) : undefined;
  if (!staff) {
    throw new NotFound('password_reset.not_usable');
  }
  const passwordHash = await hashNewPassword(password, staff.email);
  await ctx.db.transaction().execute(async (tx) => {
    const used = await repo.useToken(tx, 'password_reset', hashToken(token), now);
    if (used?.staffId !== staff.id) {
      throw new NotFound('password_reset.not_usable');
    }
    await repo.updateStaff(tx, staff.id, { passwordHash }, now);
    await repo.deleteSessionsOfStaff(tx, staff.id);
    await auditOwnStep(tx, ctx, staff, { action: 'staff.password_reset', at: now });
  });
}

// Administration of staff.

/**
 * Lists the staff of the actor's own organisation.
 *
 * @param ctx - the request context.
 * @returns the staff.
 */
export async function listStaff(ctx: Ctx): Promise<repo.Staff[]> {
  authorize(ctx.actor, 'staff.list');
  if (ctx.actor.kind !== 'staff') {
    return [];
  }
  return repo.listStaffOfOrganisation(ctx.db, ctx.actor.organisationId);
}

async function loadStaffFor(
  ctx: Ctx,
  db: Db,
  staffId: string,
  action: 'staff.read' | 'staff.change' | 'audit.read',
) {
  const staff = await repo.findStaffById(db, staffId);
  if (!staff) {
    throw new NotFound('staff.not_found');
  }
  authorize(ctx.actor, action, { organisationId: staff.organisationId });
  return staff;
}

/**
 * Opens a member of staff's record (and records that it was read).
 *
 * @param ctx - the request context.
 * @param staffId - who.
 * @returns their record.
 * @throws NotFound when there is no such person in the actor's organisation.
 */
export async function viewStaff(
  ctx: Ctx,
  staffId: string,
): Promise<repo.Staff & { unusedRecoveryCodes: number }> {
  return ctx.db.transaction().execute(async (tx) => {
    const staff = await loadStaffFor(ctx, tx, staffId, 'staff.read');
    await audit(tx, ctx, { action: 'staff.read', subject: { type: 'Staff', id: staff.id } });
    return { ...staff, unusedRecoveryCodes: await repo.countUnusedRecoveryCodes(tx, staff.id) };
  });
}

async function assertAnotherAdministratorRemains(db: Db, staff: repo.Staff): Promise<void> {
  if (staff.roles.includes('administrator') && staff.status === 'active') {
    const administrators = await repo.countActiveAdministrators(db, staff.organisationId);
    if (administrators <= 1) {
      throw new InvalidInput('staff.last_administrator', {
        roles:
          'Your organisation needs at least one administrator. Give someone else the administrator role first',
      });
    }
  }
}

/**
 * Deactivates an account: every session of theirs ends at once and they cannot sign in (A7).
 *
 * @param ctx - the request context.
 * @param staffId - who.
 * @param version - the version the administrator saw.
 * @throws Conflict when the record changed since.
 * @throws InvalidInput when it would leave the organisation without an administrator.
 */
export async function deactivateStaff(ctx: Ctx, staffId: string, version: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const staff = await loadStaffFor(ctx, tx, staffId, 'staff.change');
    if (ctx.actor.kind === 'staff' && ctx.actor.id === staff.id) {
      throw new InvalidInput('staff.deactivate_self', { confirm: 'You cannot deactivate your own account' });
    }
    await assertAnotherAdministratorRemains(tx, staff);
    if (
      !(await repo.updateStaff(tx, staff.id, { status: 'deactivated', deactivatedAt: now }, now, version))
    ) {
      throw new Conflict('staff.version_mismatch');
    }
    const sessionsEnded = await repo.deleteSessionsOfStaff(tx, staff.id);
    await repo.expireTokens(tx, 'invitation', staff.id, now);
    await repo.expireTokens(tx, 'password_reset', staff.id, now);
    await audit(tx, ctx, {
      action: 'staff.deactivated',
      subject: { type: 'Staff', id: staff.id },
      details: { sessions_ended: sessionsEnded },
      at: now,
    });
  });
}

/**
 * Lets a deactivated person sign in again with their existing password and second factor.
 *
 * @param ctx - the request context.
 * @param staffId - who.
 * @param version - the version the administrator saw.
 * @throws Conflict when the record changed since.
 */
export async function reactivateStaff(ctx: Ctx, staffId: string, version: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const staff = await loadStaffFor(ctx, tx, staffId, 'staff.change');
    const credentials = await repo.findCredentials(tx, staff.id);
    const status = credentials?.passwordHash ? 'active' : 'invited';
    if (!(await repo.updateStaff(tx, staff.id, { status, deactivatedAt: null }, now, version))) {
      throw new Conflict('staff.version_mismatch');
    }
    await audit(tx, ctx, { action: 'staff.reactivated', subject: { type: 'Staff', id: staff.id }, at: now });
  });
}

/**
 * Changes someone's roles. Their sessions see the new roles on their next request.
 *
 * @param ctx - the request context.
 * @param staffId - who.
 * @param roles - the new roles.
 * @param version - the version the administrator saw.
 * @throws Conflict when the record changed since.
 * @throws InvalidInput when it would leave the organisation without an administrator.
 */
export async function changeStaffRoles(
  ctx: Ctx,
  staffId: string,
  roles: StaffRole[],
  version: number,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const staff = await loadStaffFor(ctx, tx, staffId, 'staff.change');
    if (!roles.includes('administrator')) {
      await assertAnotherAdministratorRemains(tx, staff);
    }
    if (!(await repo.updateStaff(tx, staff.id, { roles }, now, version))) {
      throw new Conflict('staff.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'staff.roles_changed',
      subject: { type: 'Staff', id: staff.id },
      details: { from: staff.roles, to: roles },
      at: now,
    });
  });
}

/**
 * The audit trail of a member of staff's record, with the names of the people who acted.
 *
 * @param ctx - the request context.
 * @param staffId - whose record.
 * @returns the person and the rows, newest first.
 */
export async function staffAuditTrail(
  ctx: Ctx,
  staffId: string,
): Promise<{ staff: repo.Staff; events: (AuditRow & { actorName: string | null })[] }> {
  return ctx.db.transaction().execute(async (tx) => {
    const staff = await loadStaffFor(ctx, tx, staffId, 'audit.read');
    const events = await listAuditForSubject(tx, { type: 'Staff', id: staff.id });
    const names = new Map<string, string>();
    for (const id of new Set(events.map((e) => e.actor_id).filter((id): id is string => id !== null))) {
      const actor = await repo.findStaffById(tx, id);
      names.set(id, actor ? actor.fullName : 'Someone outside your organisation');
    }
    await audit(tx, ctx, { action: 'audit_trail.read', subject: { type: 'Staff', id: staff.id } });
    return {
      staff,
      events: events.map((e) => ({ ...e, actorName: e.actor_id ? (names.get(e.actor_id) ?? null) : null })),
    };
  });
}

/**
 * The signed-in person's own account.
 *
 * @param ctx - the request context.
 * @returns their record.
 */
export async function myAccount(ctx: Ctx): Promise<repo.Staff> {
  if (ctx.actor.kind !== 'staff') {
    throw new NotFound('actor.not_staff');
  }
  const staff = await repo.findStaffById(ctx.db, ctx.actor.id);
  if (!staff) {
    throw new NotFound('staff.not_found');
  }
  return staff;
}

export type { AuditOrigin };
