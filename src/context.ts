import type { Db } from './database.ts';
import type { AuditOrigin } from './platform/audit/audit.ts';
import type { Actor } from './policy/index.ts';

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
