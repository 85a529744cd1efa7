import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderPage, type Params } from '../../http-context.ts';
import { REFERRAL_STATUS_LABELS } from './referral-status.ts';
import { COMMUNICATION_NEEDS, CONTACT_METHODS } from './referrals.forms.ts';
import { listReferrals, viewReferral } from './triage.service.ts';

/**
 * The referral inbox for the workers who welcome people: every referral waiting, oldest first, with
 * the first-contact date and overdue ones marked plainly; and one referral's answers.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerTriagePages(app: FastifyInstance, deps: Deps): void {
  app.get('/referrals', { config: { can: 'referral.list' } }, async (req, reply) => {
    const referrals = await listReferrals(ctxOf(req, deps));
    return renderPage(reply, 'referral-inbox.njk', {
      title: 'Referrals',
      columns: 'full',
      referrals,
      statusLabels: REFERRAL_STATUS_LABELS,
    });
  });

  app.get(
    '/referrals/:referralId',
    { config: { can: 'referral.read' } },
    async (req: Params<'referralId'>, reply) => {
      const referral = await viewReferral(ctxOf(req, deps), req.params.referralId);
      return renderPage(reply, 'referral-show.njk', {
        title: `Referral ${referral.reference}`,
        referral,
        statusLabels: REFERRAL_STATUS_LABELS,
        contactMethodLabels: CONTACT_METHODS,
        communicationNeedLabels: COMMUNICATION_NEEDS,
        back: { href: '/referrals', text: 'Back to referrals' },
      });
    },
  );
}
