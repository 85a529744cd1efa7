import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import * as engagement from './engagement.service.ts';
import * as forms from './episodes.forms.ts';
import { FOLLOW_UP_OUTCOME_LABELS, FOLLOW_UP_STEP_LABELS, FOLLOW_UP_STEPS } from './follow-up-ladder.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';

type EpisodeParams = Params<'memberId' | 'episodeId'>;

/**
 * Registers the non-engagement worklist and the page for logging a follow-up attempt.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerEngagementPages(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/engagement',
    { config: { can: 'engagement.list' } },
    async (req: FastifyRequest<{ Querystring: { mine?: string } }>, reply) => {
      const mine = req.query.mine === 'yes';
      const people = await engagement.listNotEngaging(ctxOf(req, deps), { mine });
      return renderPage(reply, 'engagement-list.njk', {
        title: 'Not engaging',
        columns: 'full',
        people,
        mine,
        stepLabels: FOLLOW_UP_STEP_LABELS,
      });
    },
  );

  const followUpPage = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof engagement.episodeForFollowUp>>,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'engagement-follow-up.njk',
      {
        title: 'Log a follow-up',
        ...loaded,
        values,
        path: `/members/${loaded.member.id}/episodes/${loaded.episode.id}`,
        stepItems: FOLLOW_UP_STEPS.map((step) => ({
          value: step,
          text: FOLLOW_UP_STEP_LABELS[step],
          checked: values.step === step,
        })),
        outcomeItems: Object.entries(FOLLOW_UP_OUTCOME_LABELS).map(([value, text]) => ({
          value,
          text,
          checked: values.outcome === value,
        })),
      },
      errors && forms.linkDateInputs(errors, ['at']),
    );

  app.get(
    '/members/:memberId/episodes/:episodeId/follow-ups/new',
    { config: { can: 'engagement.follow_up' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const loaded = await engagement.episodeForFollowUp(ctx, req.params.memberId, req.params.episodeId);
      if (loaded.episode.status !== 'active') {
        return reply.redirect(`/members/${loaded.member.id}/episodes/${loaded.episode.id}`, 303);
      }
      const now = ctx.clock.now();
      return followUpPage(reply, loaded, {
        step: loaded.nextStep,
        ...forms.dateValuesOf('at', dayInLondon(now)),
        atTime: timeInLondon(now),
      });
    },
  );

  app.post(
    '/members/:memberId/episodes/:episodeId/follow-ups/new',
    { config: { can: 'engagement.follow_up' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, episodeId } = req.params;
      const submitted = await submitForm(forms.followUpForm, req.body, (data) =>
        engagement.logFollowUp(ctx, memberId, episodeId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/members/${memberId}/episodes/${episodeId}`, 303);
      }
      const loaded = await engagement.episodeForFollowUp(ctx, memberId, episodeId);
      return followUpPage(reply, loaded, submitted.values, submitted.errors);
    },
  );
}
