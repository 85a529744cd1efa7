/**
 * Session lifetime rules (reliability plan S3; ASVS 7.3): a session ends after a period without use,
 * and after a fixed time whatever happens, so a shared or lost device does not stay signed in.
 */
export type SessionTimes = { createdAt: Date; lastSeenAt: Date };
export type SessionLimits = { idleMinutes: number; absoluteHours: number };

/**
 * Whether a session has ended by time.
 *
 * @param session - when it started and was last used.
 * @param limits - the idle and absolute limits.
 * @param now - the current time.
 * @returns true when either limit has passed.
 */
export function sessionExpired(session: SessionTimes, limits: SessionLimits, now: Date): boolean {
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  const ageOf = now.getTime() - session.createdAt.getTime();
  return idleFor > limits.idleMinutes * 60_000 || ageOf > limits.absoluteHours * 3_600_000;
}

/**
 * Whether to write the last-used time again. Writing on every request would turn every page view
 * into a database write; a minute's precision is plenty for a 30-minute idle limit.
 *
 * @param lastSeenAt - the stored last-used time.
 * @param now - the current time.
 * @returns true when the stored time is more than a minute old.
 */
export function shouldTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > 60_000;
}
