import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { NotFound } from '../../platform/errors.ts';
import { authorize, isMember, type Action } from '../../policy/index.ts';
import * as repo from './portal.repo.ts';

export type { UpcomingSession } from './portal.repo.ts';

/**
 * The member's own pages. Every use case starts from the signed-in member (never an id from the
 * address), checks the policy against the record it loaded, and audits the read in the same
 * transaction, so a member reading their own record shows in the audit trail like anyone else.
 */

function memberIdOf(ctx: Ctx): string {
  // A staff or anonymous actor is refused by the policy before this; this is the second lock.
  authorize(ctx.actor, 'portal.own_record');
  if (!isMember(ctx.actor)) {
    throw new NotFound('portal.not_a_member');
  }
  return ctx.actor.memberId;
}

async function loadOwnRecord(tx: Db, ctx: Ctx, action: Action & `portal.${string}`) {
  const memberId = memberIdOf(ctx);
  const record = await repo.findOwnRecord(tx, memberId);
  if (!record) {
    throw new NotFound('portal.member_not_found');
  }
  authorize(ctx.actor, action as 'portal.own_record', { memberId: record.id });
  return record;
}

/**
 * The portal's home page: who they are and their next sessions.
 *
 * @param ctx - the request context (a member).
 * @returns the name to greet them by and their next three sessions.
 */
export async function viewHome(ctx: Ctx) {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await loadOwnRecord(tx, ctx, 'portal.own_record');
    const sessions = await repo.listUpcomingSessions(tx, record.id, ctx.clock.now(), 3);
    await audit(tx, ctx, {
      action: 'member.read',
      subject: { type: 'Member', id: record.id },
      details: { via: 'portal', page: 'home' },
    });
    return { name: record.preferred_name ?? record.legal_name, sessions };
  });
}
