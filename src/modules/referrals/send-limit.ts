import type { Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { assertNotThrottled, recordFailures } from '../accounts/index.ts';
import { lockUntilCommit } from './referrals.repo.ts';

/**
 * How many referrals one address may send: 20 an hour, self-referrals and professional referrals
 * together. Enough for a GP surgery or a team sharing one connection on a busy day, few enough that a
 * script cannot bury the inbox. The counts are kept in PostgreSQL (the sign-in throttle's table, keyed
 * by a hash of the address), so every app process shares them (STACK-NOTES trap 11).
 */
export const REFERRAL_SEND_LIMIT = { perAddress: 20, windowMs: 60 * 60_000 } as const;

/**
 * Counts one referral sent from the request's address, inside the transaction that saves it, or
 * refuses it when the address has sent its 20 in the last hour. The count is locked per address until
 * the transaction ends, and is only kept if the referral is.
 *
 * @param tx - the transaction that saves the referral.
 * @param ctx - the request context, for the address and the time.
 * @throws TooManyAttempts with the seconds until the oldest send in the hour stops counting.
 */
export async function countReferralSend(tx: Db, ctx: Ctx): Promise<void> {
  const key = `referral-send:${ctx.origin.ip ?? 'unknown'}`;
  const now = ctx.clock.now();
  await lockUntilCommit(tx, key);
  await assertNotThrottled(tx, [[key, REFERRAL_SEND_LIMIT.perAddress]], now, REFERRAL_SEND_LIMIT.windowMs);
  await recordFailures(tx, [key], now);
}
