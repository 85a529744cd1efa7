import type { Db } from './database.ts';
import type { AuditOrigin } from './platform/audit/audit.ts';
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
