import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can } from '../../policy/index.ts';
import * as forms from './episodes.forms.ts';
import * as episodes from './episodes.service.ts';
import { FOLLOW_UP_OUTCOME_LABELS, FOLLOW_UP_STEP_LABELS } from './follow-up-ladder.ts';

type EpisodeParams = Params<'memberId' | 'episodeId'>;

const episodePath = (params: { memberId: string; episodeId: string }) =>
  `/members/${params.memberId}/episodes/${params.episodeId}`;

const planValues = (episode: episodes.Episode) => ({
  ...forms.dateValuesOf('anticipatedEndOn', episode.anticipatedEndOn),
  ...forms.dateValuesOf('reviewOn', episode.reviewOn),
  keyWorkerIds: episode.keyWorkers.map((k) => k.id),
  version: episode.version,
});

const reasonItems = (values: Record<string, unknown>) =>
  Object.entries(forms.DISCHARGE_REASONS).map(([value, text]) => ({
    value,
    text,
    checked: values.reason === value,
  }));

/**
 * Registers the pages of an episode of support: the episode itself, its plan (anticipated end,
 * review date, key workers) and discharge. Discharge is only ever done here, by a person.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerEpisodePages(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/members/:memberId/episodes/:episodeId',
    { config: { can: 'member.read' } },
    async (req: EpisodeParams, reply) => {
      const view = await episodes.viewEpisode(ctxOf(req, deps), req.params.memberId, req.params.episodeId);
      const record = { organisationId: view.episode.organisationId };
      return renderPage(reply, 'episode-show.njk', {
        title: view.episode.serviceName ? `Support from ${view.episode.serviceName}` : 'Episode of support',
        columns: 'full',
        ...view,
        path: episodePath(req.params),
        canManage: view.episode.status === 'active' && can(req.actor, 'episode.manage', record),
        canFollowUp: view.episode.status === 'active' && can(req.actor, 'engagement.follow_up', record),
        stepLabels: FOLLOW_UP_STEP_LABELS,
        outcomeLabels: FOLLOW_UP_OUTCOME_LABELS,
        back: { href: `/members/${view.member.id}`, text: 'Back to their record' },
      });
    },
  );

  const planPage = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof episodes.episodeForChange>>,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) => {
    const ticked = [values.keyWorkerIds ?? []].flat();
    return renderFormPage(
      reply,
      'episode-plan.njk',
      {
        title: 'Change the plan for this support',
        ...loaded,
        values,
        path: episodePath({ memberId: loaded.member.id, episodeId: loaded.episode.id }),
        keyWorkerItems: loaded.staff.map((s) => ({
          value: s.id,
          text: s.fullName,
          checked: ticked.includes(s.id),
        })),
      },
      errors && forms.linkDateInputs(errors, forms.PLAN_DATES),
    );
  };

  app.get(
    '/members/:memberId/episodes/:episodeId/plan',
    { config: { can: 'episode.manage' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const loaded = await episodes.episodeForChange(ctx, req.params.memberId, req.params.episodeId, 'plan');
      if (loaded.episode.status !== 'active') {
        return reply.redirect(episodePath(req.params), 303);
      }
      return planPage(reply, loaded, planValues(loaded.episode));
    },
  );

  app.post(
    '/members/:memberId/episodes/:episodeId/plan',
    { config: { can: 'episode.manage' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, episodeId } = req.params;
      const submitted = await submitForm(forms.episodePlanForm, req.body, (data) =>
        episodes.changeEpisodePlan(ctx, memberId, episodeId, data),
      );
      if (submitted.ok) {
        return reply.redirect(episodePath(req.params), 303);
      }
      const loaded = await episodes.episodeForChange(ctx, memberId, episodeId, 'plan');
      return planPage(reply, loaded, submitted.values, submitted.errors);
    },
  );

  const dischargePage = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof episodes.episodeForChange>>,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'episode-discharge.njk',
      {
        title: 'Discharge from this support',
        ...loaded,
        values,
        path: episodePath({ memberId: loaded.member.id, episodeId: loaded.episode.id }),
        reasonItems: reasonItems(values),
      },
      errors && forms.linkDateInputs(errors, ['dischargedOn']),
    );

  app.get(
    '/members/:memberId/episodes/:episodeId/discharge',
    { config: { can: 'episode.manage' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const loaded = await episodes.episodeForChange(
        ctx,
        req.params.memberId,
        req.params.episodeId,
        'discharge',
      );
      if (loaded.episode.status !== 'active') {
        return reply.redirect(episodePath(req.params), 303);
      }
      return dischargePage(reply, loaded, { version: loaded.episode.version });
    },
  );

  app.post(
    '/members/:memberId/episodes/:episodeId/discharge',
    { config: { can: 'episode.manage' } },
    async (req: EpisodeParams, reply) => {
      const ctx = ctxOf(req, deps);
      const { memberId, episodeId } = req.params;
      const submitted = await submitForm(forms.dischargeForm, req.body, (data) =>
        episodes.dischargeEpisode(ctx, memberId, episodeId, data),
      );
      if (submitted.ok) {
        return reply.redirect(episodePath(req.params), 303);
      }
      const loaded = await episodes.episodeForChange(ctx, memberId, episodeId, 'discharge');
      return dischargePage(reply, loaded, submitted.values, submitted.errors);
    },
  );
}
