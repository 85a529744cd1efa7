import { audit, type Ctx } from '../../context.ts';
import { can } from '../../policy/index.ts';
import * as repo from './referrals.repo.ts';

/**
 * What a referrer said the team should know to keep people safe, for the referral page: only for the
 * holding organisation's welcoming staff, or a partner whose agreement grants it safeguarding
 * concerns. A worker allowed to read the referral but not this sees the rest of the page without it,
 * so not being allowed is not an error. Each read is recorded in the audit trail with the read itself.
 *
 * @param ctx - the request context.
 * @param referral - the referral, as already loaded (and authorised) for the page.
 * @param referral.id - its id.
 * @param referral.organisation_id - the organisation that holds it.
 * @returns the text, or undefined when the actor may not see it or there is none.
 */
export async function readSafetyInformation(
  ctx: Ctx,
  referral: { id: string; organisation_id: string },
): Promise<string | undefined> {
  if (!can(ctx.actor, 'referral.read_safety_information', { organisationId: referral.organisation_id })) {
    return undefined;
  }
  return ctx.db.transaction().execute(async (tx) => {
    const text = await repo.findSafetyInformation(tx, referral.id);
    if (text !== undefined) {
      await audit(tx, ctx, {
        action: 'referral.safety_information_read',
        subject: { type: 'Referral', id: referral.id },
        details: { organisationId: referral.organisation_id },
      });
    }
    return text;
  });
}
