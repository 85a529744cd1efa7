import type { Db } from './database.ts';
import { recordAudit, type AuditActor, type AuditEvent, type AuditOrigin } from './platform/audit/audit.ts';
import type { AnyDb } from './platform/db/database.ts';
import type { Actor } from './policy/index.ts';

/** Where a session is in signing in: password done, setting up the authenticator, or fully signed in. */
export type SessionStage = 'second_factor' | 'enrolment' | 'signed_in';

/** The clock every use case reads, so tests can move time (session limits, link expiry). */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * What a use case needs to act: the database, who is acting, where the request came from (for the
 * audit trail) and the time.
 */
export type Ctx = {
  db: Db;
  actor: Actor;
  origin: AuditOrigin;
  clock: Clock;
};

/**
 * A member of staff as the audit trail records them: ids and roles only, never their name.
 *
 * @param staff - the member of staff (an acting one, or the record of one).
 * @param staff.id - their id.
 * @param staff.roles - their roles.
 * @param staff.organisationId - their organisation.
 * @returns the audit actor.
 */
export function staffAuditActor(staff: {
  id: string;
  roles: readonly string[];
  organisationId: string;
}): AuditActor {
  return { type: 'staff', id: staff.id, role: staff.roles.join(','), organisationId: staff.organisationId };
}

/**
 * Whoever is acting, as the audit trail records them.
 *
 * @param actor - who is acting.
 * @returns the audit actor: staff with ids and roles, a member with their record's id, or anonymous.
 */
export function auditActorOf(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'staff':
      return staffAuditActor(actor);
    case 'member':
      return { type: 'member', id: actor.memberId, organisationId: actor.organisationId };
    case 'anonymous':
      return { type: 'anonymous' };
  }
}

/** What a use case writes to the audit trail; who acted, from where and (unless given) when come from its context. */
export type AuditEntry = Omit<AuditEvent, 'actor' | 'origin' | 'at'> & { at?: Date };

/**
 * Records what the acting person did in the audit trail, inside the caller's transaction, with the
 * request's origin.
 *
 * @param tx - the transaction that makes the change (or reads the record).
 * @param ctx - the use case's context: who is acting, where the request came from, the clock.
 * @param entry - what happened, to what, with any details; at the time given, or now.
 */
export async function audit(tx: AnyDb, ctx: Ctx, entry: AuditEntry): Promise<void> {
  await recordAudit(tx, {
    ...entry,
    actor: auditActorOf(ctx.actor),
    origin: ctx.origin,
    at: entry.at ?? ctx.clock.now(),
  });
}

/** A session as the HTTP layer sees it once loaded from its cookie. */
export type LoadedSession = {
  idHash: string;
  stage: SessionStage;
  staffId: string;
  staffName: string;
  staffEmail: string;
  data: { pendingTotpSecret?: string; recoveryCodes?: string[] };
  /** The acting member of staff, only once both factors are done; anonymous until then. */
  actor: Actor | undefined;
};
