import { randomUUID } from 'node:crypto';
import type { Clock, Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { InvalidInput } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import type { MemberActor } from '../../policy/index.ts';
import { assertNotThrottled, recordFailures } from '../accounts/index.ts';
import * as repo from './portal.repo.ts';
import { PORTAL_TEMPLATES } from './portal.templates.ts';
import { hashCode, hashToken, newCode, newToken } from './sign-in-secrets.ts';

/** How long a code and its link work: NCSC advises one-time codes that expire quickly; 10 minutes here. */
export const CODE_LIFETIME_MS = 10 * 60_000;

/** Wrong codes allowed on one attempt before it is locked and a new code must be asked for. */
export const MAX_WRONG_CODES = 5;

/**
 * Throttles, counted in PostgreSQL so every app process shares them: codes asked for one address, codes
 * asked from one network address, and wrong codes from one network address, each in a 15-minute window.
 */
export const SIGN_IN_THROTTLE = {
  windowMs: 15 * 60_000,
  requestsPerContact: 5,
  requestsPerNetworkAddress: 20,
  wrongCodesPerNetworkAddress: 30,
} as const;

/**
 * Member sessions are short (reliability plan S3): a portal on a phone is more often shared or lost
 * than a worker's computer.
 */
export const MEMBER_SESSION_LIMITS = { idleMinutes: 30, absoluteHours: 8 } as const;

/** What a member types to sign in, read by the form. */
export type SignInContact =
  { kind: 'email'; email: string } | { kind: 'phone'; phone: string; digits: string };

export type SignInSettings = {
  /** The service's session secret, which keys the code hashes. */
  secret: string;
  /** Where links in messages point. */
  publicUrl: string;
  /**
   * Whether text messages are sent (GOV.UK Notify configured). Without it a text would wait in the
   * outbox past the code's 10 minutes, so a code asked for by phone goes to the email on record.
   */
  textMessagesEnabled: boolean;
};

const contactKey = (contact: SignInContact) =>
  `member-code:${contact.kind === 'email' ? contact.email : contact.digits}`;
const networkKey = (ctx: Ctx, what: string) => `member-${what}:${ctx.origin.ip ?? 'unknown'}`;

/**
 * Sends a one-time code and link to the member known by an email address or phone number. Whether or
 * not anyone is known by it, an attempt is written and the same happens next, so the service never
 * says whether someone has a record.
 *
 * @param ctx - the request context (anonymous).
 * @param settings - the secret, the public address and the channels.
 * @param contact - what the member typed, already read.
 * @returns the attempt's token, for the browser to keep while the member enters the code.
 * @throws TooManyAttempts when that address, or this network address, has asked too often.
 */
export async function requestSignInCode(
  ctx: Ctx,
  settings: SignInSettings,
  contact: SignInContact,
): Promise<string> {
  const now = ctx.clock.now();
  const keys = [contactKey(contact), networkKey(ctx, 'code-request')];
  await assertNotThrottled(
    ctx.db,
    [
      [keys[0]!, SIGN_IN_THROTTLE.requestsPerContact],
      [keys[1]!, SIGN_IN_THROTTLE.requestsPerNetworkAddress],
    ],
    now,
    SIGN_IN_THROTTLE.windowMs,
  );
  // A person with records in two organisations signs in to the newest; each record is theirs alone.
  const [member] = await repo.findMembersByContact(
    ctx.db,
    contact.kind === 'email' ? { email: contact.email } : { phoneDigits: contact.digits },
  );
  const delivery = member && deliveryFor(contact, member, settings);
  const attemptToken = newToken();
  const linkToken = newToken();
  const code = newCode();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    // Every request counts towards the limits, known or not, so the limits also cap messages sent.
    await recordFailures(tx, keys, now);
    await repo.insertSignInAttempt(
      tx,
      {
        id,
        attemptTokenHash: hashToken(attemptToken),
        memberId: delivery ? member.id : null,
        channel: delivery?.channel ?? (contact.kind === 'email' ? 'email' : 'sms'),
        codeHash: hashCode(settings.secret, id, code),
        linkTokenHash: hashToken(linkToken),
        expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
      },
      now,
    );
    if (delivery) {
      await enqueueMessage(tx, delivery.channel, {
        dedupeKey: `member-sign-in:${id}`,
        to: delivery.to,
        template:
          delivery.channel === 'email' ? PORTAL_TEMPLATES.signInCodeEmail : PORTAL_TEMPLATES.signInCodeText,
        params:
          delivery.channel === 'email'
            ? { code, link: `${settings.publicUrl}/my-account/sign-in/link/${linkToken}` }
            : { code },
        at: now,
      });
    }
    await recordAudit(tx, {
      action: delivery ? 'member.sign_in_code_sent' : 'member.sign_in_code_not_sent',
      subject: { type: 'Member', id: delivery ? member.id : null },
      actor: { type: 'anonymous' },
      origin: ctx.origin,
      details: { channel: delivery?.channel ?? null },
      at: now,
    });
  });
  return attemptToken;
}

/**
 * Where a member's code goes: to the email address they typed (the one on their record), or by text
 * to the number they typed; while text messages cannot be sent, to the email address on their record.
 */
function deliveryFor(
  contact: SignInContact,
  member: { email: string | null; phone: string | null },
  settings: SignInSettings,
): { channel: 'email' | 'sms'; to: string } | undefined {
  if (contact.kind === 'email' && member.email) {
    return { channel: 'email', to: member.email };
  }
  if (contact.kind === 'phone' && settings.textMessagesEnabled && member.phone) {
    return { channel: 'sms', to: member.phone };
  }
  return member.email ? { channel: 'email', to: member.email } : undefined;
}

const WRONG_CODE =
  'The code is not right, or it has stopped working. Check the code in your message, or ask for a new one';
const LOCKED = 'You have entered a wrong code too many times. Ask for a new code';

/**
 * Checks the code the member typed and, when it is right, signs them in.
 *
 * @param ctx - the request context (anonymous).
 * @param secret - the service's session secret.
 * @param attemptToken - the attempt's token from the browser's cookie.
 * @param code - the 6 digits typed.
 * @returns the new member session's token.
 * @throws InvalidInput when the code is wrong, or the attempt is used, expired, locked or unknown.
 * @throws TooManyAttempts when this network address has given too many wrong codes.
 */
export async function signInWithCode(
  ctx: Ctx,
  secret: string,
  attemptToken: string | undefined,
  code: string,
): Promise<string> {
  const now = ctx.clock.now();
  const ipKey = networkKey(ctx, 'wrong-code');
  await assertNotThrottled(
    ctx.db,
    [[ipKey, SIGN_IN_THROTTLE.wrongCodesPerNetworkAddress]],
    now,
    SIGN_IN_THROTTLE.windowMs,
  );
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    const attempt = attemptToken
      ? await repo.findOpenAttemptForUpdate(tx, hashToken(attemptToken), now)
      : undefined;
    if (!attempt) {
      await recordFailures(tx, [ipKey], now);
      return { ok: false as const, message: WRONG_CODE };
    }
    if (attempt.member_id === null || hashCode(secret, attempt.id, code) !== attempt.code_hash) {
      const lock = attempt.wrong_codes + 1 >= MAX_WRONG_CODES;
      await repo.countWrongCode(tx, attempt.id, lock, now);
      await recordFailures(tx, [ipKey], now);
      await recordAudit(tx, {
        action: 'member.sign_in_failed',
        subject: { type: 'Member', id: attempt.member_id },
        actor: { type: 'anonymous' },
        origin: ctx.origin,
        details: { step: 'code', locked: lock },
        at: now,
      });
      return { ok: false as const, message: lock ? LOCKED : WRONG_CODE };
    }
    await repo.markAttemptUsed(tx, attempt.id, now);
    return { ok: true as const, token: await startSession(tx, ctx, attempt.member_id, 'code', now) };
  });
  if (!outcome.ok) {
    throw new InvalidInput('portal.wrong_code', { code: outcome.message });
  }
  return outcome.token;
}

/**
 * Whether a sign-in link still works, to show its page (opening the link signs nobody in: mail
 * scanners open links, so the member presses a button).
 *
 * @param services - database and clock.
 * @param services.db - the database.
 * @param services.clock - the clock.
 * @param linkToken - the token in the link.
 * @returns true when it works.
 */
export async function signInLinkUsable(
  services: { db: Db; clock: Clock },
  linkToken: string,
): Promise<boolean> {
  return linkToken.length <= 100 && repo.linkUsable(services.db, hashToken(linkToken), services.clock.now());
}

/**
 * Signs a member in with the link from their email, once.
 *
 * @param ctx - the request context (anonymous).
 * @param linkToken - the token in the link.
 * @returns the new session's token, or undefined when the link does not work.
 */
export async function signInWithLink(ctx: Ctx, linkToken: string): Promise<string | undefined> {
  if (linkToken.length > 100) {
    return undefined;
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const used = await repo.useLink(tx, hashToken(linkToken), now);
    if (!used?.member_id) {
      return undefined;
    }
    return startSession(tx, ctx, used.member_id, 'link', now);
  });
}

async function startSession(tx: Db, ctx: Ctx, memberId: string, via: 'code' | 'link', now: Date) {
  await repo.closeOpenAttempts(tx, memberId, now);
  const token = newToken();
  await repo.insertMemberSession(tx, hashToken(token), memberId, now);
  const member = await repo.findMemberSession(tx, hashToken(token));
  await recordAudit(tx, {
    action: 'member.signed_in',
    subject: { type: 'Member', id: memberId },
    actor: { type: 'member', id: memberId, organisationId: member?.organisationId ?? null },
    origin: ctx.origin,
    details: { via },
    at: now,
  });
  return token;
}

/** A member session as the HTTP layer sees it. */
export type LoadedMemberSession = { idHash: string; name: string; actor: MemberActor };

/**
 * Finds the member session behind a cookie, ending it when it has run out of time.
 *
 * @param services - database and clock.
 * @param services.db - the database.
 * @param services.clock - the clock.
 * @param token - the cookie's value, if any.
 * @returns the session, or undefined.
 */
export async function loadMemberSessionFromToken(
  services: { db: Db; clock: Clock },
  token: string | undefined,
): Promise<LoadedMemberSession | undefined> {
  if (!token || token.length > 100) {
    return undefined;
  }
  const now = services.clock.now();
  const idHash = hashToken(token);
  const session = await repo.findMemberSession(services.db, idHash);
  if (!session) {
    return undefined;
  }
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  const age = now.getTime() - session.createdAt.getTime();
  if (
    idleFor > MEMBER_SESSION_LIMITS.idleMinutes * 60_000 ||
    age > MEMBER_SESSION_LIMITS.absoluteHours * 3_600_000
  ) {
    await repo.deleteMemberSession(services.db, idHash);
    return undefined;
  }
  // A minute's precision is plenty for a 30-minute idle limit, and spares a write on every page.
  if (idleFor > 60_000) {
    await repo.touchMemberSession(services.db, idHash, now);
  }
  return {
    idHash,
    name: session.name,
    actor: { kind: 'member', memberId: session.memberId, organisationId: session.organisationId },
  };
}

/**
 * Ends a member session (sign out), audited.
 *
 * @param ctx - the request context.
 * @param session - the session to end.
 */
export async function signOutMember(ctx: Ctx, session: LoadedMemberSession): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await repo.deleteMemberSession(tx, session.idHash);
    await recordAudit(tx, {
      action: 'member.signed_out',
      subject: { type: 'Member', id: session.actor.memberId },
      actor: { type: 'member', id: session.actor.memberId, organisationId: session.actor.organisationId },
      origin: ctx.origin,
      at: ctx.clock.now(),
    });
  });
}
