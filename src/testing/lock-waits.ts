import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Whether a request sent while a test holds an advisory lock waits on it, or is answered without
 * waiting: the way a test shows a lock serialises two saves (without the lock, the request is simply
 * answered). Polls pg_locks for an advisory lock not yet granted until one appears or the request
 * settles, so it always ends.
 *
 * @param db - a connection other than the one holding the lock.
 * @param request - the request sent while the lock is held.
 * @returns true when the request waited on an advisory lock before it was answered.
 */
export async function waitsOnAdvisoryLock(db: Db, request: Promise<unknown>): Promise<boolean> {
  let answered = false;
  void request.then(
    () => (answered = true),
    () => (answered = true),
  );
  while (!answered) {
    const row = await db
      .selectNoFrom(
        sql<number>`(SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)`.as('n'),
      )
      .executeTakeFirstOrThrow();
    if (row.n > 0) {
      return true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}
