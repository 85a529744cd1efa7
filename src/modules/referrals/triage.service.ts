import { audit, type Ctx } from '../../context.ts';
import { NotFound } from '../../platform/errors.ts';
import { authorize } from '../../policy/index.ts';
import { isClosedStatus } from './referral-status.ts';
import * as repo from './referrals.repo.ts';
import { isOverdue } from './working-days.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboxReferral = repo.ReferralSummary & { overdue: boolean };

/** The organisations whose referrals the actor sees: their own, and partners' under an agreement. */
function visibleOrganisations(ctx: Ctx): string[] {
  if (ctx.actor.kind !== 'staff') {
    return [];
  }
  const shared = ctx.actor.sharing.filter((g) => g.category === 'referrals').map((g) => g.fromOrganisationId);
  return [...new Set([ctx.actor.organisationId, ...shared])];
}

/**
 * The referral inbox: every referral the actor's organisation holds (and any a partner shares with
 * it), oldest first, each marked overdue when first contact is late. Reading it is audited, since it
 * shows people's names.
 *
 * @param ctx - the request context.
 * @returns the referrals.
 */
export async function listReferrals(ctx: Ctx): Promise<InboxReferral[]> {
  authorize(ctx.actor, 'referral.list');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const referrals = await repo.listHeldBy(tx, visibleOrganisations(ctx));
    await audit(tx, ctx, {
      action: 'referral.list_read',
      subject: { type: 'Referral' },
      details: { count: referrals.length },
    });
    return referrals.map((r) => ({
      ...r,
      overdue: !isClosedStatus(r.status) && isOverdue(r.firstContactDue, now),
    }));
  });
}

/**
 * Opens one referral, and records that it was read.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @returns the referral, with whether first contact is overdue.
 * @throws NotFound when there is no such referral the actor may see.
 */
export async function viewReferral(ctx: Ctx, referralId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const referral = UUID.test(referralId) ? await repo.findReferral(tx, referralId) : undefined;
    if (!referral) {
      throw new NotFound('referral.not_found');
    }
    authorize(ctx.actor, 'referral.read', { organisationId: referral.organisation_id });
    await audit(tx, ctx, { action: 'referral.read', subject: { type: 'Referral', id: referral.id } });
    const overdue =
      !isClosedStatus(referral.status) && isOverdue(referral.first_contact_due, ctx.clock.now());
    return { ...referral, overdue };
  });
}
