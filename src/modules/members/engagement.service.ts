import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { Conflict, Forbidden, InvalidInput } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { authorize, isStaff } from '../../policy/index.ts';
import * as repo from './engagement.repo.ts';
import type { FollowUpInput } from './episodes.forms.ts';
import { loadEpisodeFor, type LoadedEpisode } from './episodes.service.ts';
import { nextFollowUpStep, reviewHeld } from './follow-up-ladder.ts';
import type { FollowUpOutcome, FollowUpStep } from './members.tables.ts';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** One person on the non-engagement worklist. */
export type NotEngaging = repo.NotEngagingRow & {
  /** Whole weeks since they were last in touch. */
  weeksQuiet: number;
  nextStep: FollowUpStep;
  reviewHeld: boolean;
};

/**
 * The non-engagement worklist: the people in the actor's organisation whose last time in touch is
 * longer ago than their service allows, the longest quiet first, each with the next step on the
 * follow-up ladder. Reading it is audited, since it shows people's names.
 *
 * @param ctx - the request context.
 * @param filter - which episodes.
 * @param filter.mine - only those the actor is key worker for.
 * @returns the worklist.
 */
export async function listNotEngaging(ctx: Ctx, filter: { mine: boolean }): Promise<NotEngaging[]> {
  authorize(ctx.actor, 'engagement.list');
  const actor = ctx.actor;
  if (!isStaff(actor)) {
    throw new Forbidden('policy.forbidden', 'engagement.list is for staff');
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await repo.listNotEngaging(tx, {
      organisationId: actor.organisationId,
      now,
      keyWorkerId: filter.mine ? actor.id : undefined,
    });
    await audit(tx, ctx, {
      action: 'engagement.list_read',
      subject: { type: 'Episode' },
      details: { count: rows.length, mine: filter.mine },
      at: now,
    });
    return rows.map((row) => ({
      ...row,
      weeksQuiet: Math.floor((now.getTime() - row.lastEngagedAt.getTime()) / WEEK_MS),
      nextStep: nextFollowUpStep(row.stepsSinceEngagement),
      reviewHeld: reviewHeld(row.stepsSinceEngagement),
    }));
  });
}

/**
 * Loads an active episode for logging a follow-up attempt, with the next step on the ladder, and
 * records that it was read.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @returns the episode, when they were last in touch, and the step to suggest.
 * @throws NotFound when there is no such episode of that member the actor may follow up.
 */
export async function episodeForFollowUp(
  ctx: Ctx,
  memberId: string,
  episodeId: string,
): Promise<LoadedEpisode & { lastEngagedAt: Date | undefined; nextStep: FollowUpStep }> {
  return ctx.db.transaction().execute(async (tx) => {
    const loaded = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'engagement.follow_up');
    const lastEngagedAt = await repo.findLastEngagedAt(tx, loaded.episode.id);
    const since = (await repo.listFollowUps(tx, loaded.episode.id))
      .filter((f) => lastEngagedAt !== undefined && f.at > lastEngagedAt)
      .map((f) => f.step);
    await audit(tx, ctx, {
      action: 'episode.read',
      subject: { type: 'Episode', id: loaded.episode.id },
      details: { memberId: loaded.episode.memberId, page: 'follow_up' },
    });
    return { ...loaded, lastEngagedAt, nextStep: nextFollowUpStep(since) };
  });
}

/**
 * Logs one attempt on the follow-up ladder for an active episode. A conversation ("spoke") counts as
 * being in touch, so the person leaves the worklist. No attempt, however many, discharges anyone.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @param input - the step, its outcome, an optional note and when it happened.
 * @returns the step and outcome logged.
 * @throws NotFound when there is no such episode of that member the actor may follow up.
 * @throws Conflict when the episode has been discharged.
 * @throws InvalidInput when the time is in the future or before support started.
 */
export async function logFollowUp(
  ctx: Ctx,
  memberId: string,
  episodeId: string,
  input: FollowUpInput,
): Promise<{ step: FollowUpStep; outcome: FollowUpOutcome }> {
  const actor = ctx.actor;
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const { episode } = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'engagement.follow_up');
    if (!isStaff(actor)) {
      throw new Forbidden('policy.forbidden', 'engagement.follow_up is for staff');
    }
    if (episode.status !== 'active') {
      throw new Conflict('episode.discharged');
    }
    if (input.at > now) {
      throw new InvalidInput('follow_up.invalid', { at: 'The date and time must be now or in the past' });
    }
    if (dayInLondon(input.at) < episode.startedOn) {
      throw new InvalidInput('follow_up.invalid', {
        at: `The date must be on or after the day support started, ${formatDate(episode.startedOn)}`,
      });
    }
    const id = randomUUID();
    await repo.insertFollowUp(tx, {
      id,
      episodeId: episode.id,
      step: input.step,
      outcome: input.outcome,
      note: input.note ?? null,
      at: input.at,
      staffId: actor.id,
    });
    await audit(tx, ctx, {
      action: 'engagement.follow_up_logged',
      subject: { type: 'Episode', id: episode.id },
      details: { memberId: episode.memberId, followUpId: id, step: input.step, outcome: input.outcome },
      at: now,
    });
    return { step: input.step, outcome: input.outcome };
  });
}
