import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { authorize } from '../../policy/index.ts';
import { listActiveStaffOf } from '../accounts/index.ts';
import * as engagementRepo from './engagement.repo.ts';
import {
  dischargeReasonCode,
  dischargeReasonText,
  storedDischargeReason,
  type DischargeInput,
  type EpisodePlanInput,
} from './episodes.forms.ts';
import * as repo from './episodes.repo.ts';
import { nextFollowUpStep, reviewHeld } from './follow-up-ladder.ts';
import * as membersRepo from './members.repo.ts';
import type { FollowUpStep } from './members.tables.ts';

export type { Episode } from './episodes.repo.ts';

/** Weeks a discharged person's history is picked up again, for an episode with no service. */
export const DEFAULT_DOOR_OPEN_WEEKS = 26;

/** An episode of support with the person it is for, as loaded for one of its pages. */
export type LoadedEpisode = {
  member: { id: string; name: string };
  episode: repo.Episode;
};

/**
 * Loads an episode of support for one of its pages, checking the actor may take the action on it.
 * An episode of another member, or one the actor's organisation may not see, is not found: it must
 * look exactly like one that does not exist.
 *
 * @param tx - a connection or transaction.
 * @param ctx - the request context.
 * @param memberId - the member from the page's address.
 * @param episodeId - the episode from the page's address.
 * @param action - what the actor wants to do with it.
 * @returns the member's name and the episode.
 * @throws NotFound when there is no such episode of that member the actor may see.
 * @throws Forbidden when the actor's role never allows the action.
 */
export async function loadEpisodeFor(
  tx: Db,
  ctx: Ctx,
  memberId: string,
  episodeId: string,
  action: 'member.read' | 'episode.manage' | 'engagement.follow_up',
): Promise<LoadedEpisode> {
  authorize(ctx.actor, action);
  const episode = await repo.findEpisode(tx, episodeId);
  if (!episode || episode.memberId !== memberId) {
    throw new NotFound('episode.not_found');
  }
  authorize(ctx.actor, action, { organisationId: episode.organisationId });
  const member = await membersRepo.findMember(tx, episode.memberId);
  if (!member) {
    throw new NotFound('episode.not_found');
  }
  return { member: { id: member.id, name: member.preferred_name ?? member.legal_name }, episode };
}

/** What the episode page shows. */
export type EpisodeView = LoadedEpisode & {
  today: string;
  reviewOverdue: boolean;
  dischargeReason: string;
  doorOpenWeeks: number;
  lastEngagedAt: Date | undefined;
  followUps: engagementRepo.FollowUp[];
  /** The next rung of the follow-up ladder, for an active episode. */
  nextStep: FollowUpStep;
  /** A review has been held since they were last in touch: discharge is for people to decide. */
  reviewHeld: boolean;
};

/**
 * Opens an episode of support (and records that it was read): its service, status, dates, key
 * workers, discharge and the follow-up attempts logged.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @returns what the page shows.
 * @throws NotFound when there is no such episode of that member the actor may see.
 */
export async function viewEpisode(ctx: Ctx, memberId: string, episodeId: string): Promise<EpisodeView> {
  const today = dayInLondon(ctx.clock.now());
  return ctx.db.transaction().execute(async (tx) => {
    const loaded = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'member.read');
    const { episode } = loaded;
    const followUps = await engagementRepo.listFollowUps(tx, episode.id);
    const lastEngagedAt = await engagementRepo.findLastEngagedAt(tx, episode.id);
    const since = followUps
      .filter((f) => lastEngagedAt !== undefined && f.at > lastEngagedAt)
      .map((f) => f.step)
      .reverse();
    await audit(tx, ctx, {
      action: 'episode.read',
      subject: { type: 'Episode', id: episode.id },
      details: { memberId: episode.memberId },
    });
    return {
      ...loaded,
      today,
      reviewOverdue: episode.status === 'active' && episode.reviewOn !== null && episode.reviewOn < today,
      dischargeReason: dischargeReasonText(episode.dischargeReason),
      doorOpenWeeks: episode.doorOpenWeeks ?? DEFAULT_DOOR_OPEN_WEEKS,
      lastEngagedAt,
      followUps,
      nextStep: nextFollowUpStep(since),
      reviewHeld: episode.status === 'active' && reviewHeld(since),
    };
  });
}

/**
 * Loads an episode for a page that changes it (its plan, or discharge), with the staff who may be
 * its key workers, and records that it was read.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @param page - which page, for the audit trail.
 * @returns the episode, the door-open period and the active staff of its organisation.
 * @throws NotFound when there is no such episode of that member the actor may manage.
 */
export async function episodeForChange(
  ctx: Ctx,
  memberId: string,
  episodeId: string,
  page: 'plan' | 'discharge',
): Promise<LoadedEpisode & { doorOpenWeeks: number; staff: { id: string; fullName: string }[] }> {
  return ctx.db.transaction().execute(async (tx) => {
    const loaded = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'episode.manage');
    await audit(tx, ctx, {
      action: 'episode.read',
      subject: { type: 'Episode', id: loaded.episode.id },
      details: { memberId: loaded.episode.memberId, page },
    });
    return {
      ...loaded,
      doorOpenWeeks: loaded.episode.doorOpenWeeks ?? DEFAULT_DOOR_OPEN_WEEKS,
      staff: await listActiveStaffOf(tx, loaded.episode.organisationId),
    };
  });
}

const onOrAfterStart = (label: string, startedOn: string) =>
  `${label} must be on or after the day support started, ${formatDate(startedOn)}`;

/**
 * Changes an episode's plan: its anticipated end, review date and key workers (active staff of the
 * organisation that holds it). The audit row names the fields that changed, never their values.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @param input - the new plan, and the version the worker saw.
 * @throws NotFound when there is no such episode of that member the actor may manage.
 * @throws Conflict when someone else changed or discharged it since.
 * @throws InvalidInput when a date is before the start, or a key worker is not one offered.
 */
export async function changeEpisodePlan(
  ctx: Ctx,
  memberId: string,
  episodeId: string,
  input: EpisodePlanInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const { episode } = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'episode.manage');
    if (episode.version !== input.version || episode.status !== 'active') {
      throw new Conflict('episode.version_mismatch');
    }
    const problems: Record<string, string> = {};
    if (input.anticipatedEndOn !== null && input.anticipatedEndOn < episode.startedOn) {
      problems.anticipatedEndOn = onOrAfterStart('Anticipated end date', episode.startedOn);
    }
    if (input.reviewOn !== null && input.reviewOn < episode.startedOn) {
      problems.reviewOn = onOrAfterStart('Review date', episode.startedOn);
    }
    const staff = new Set((await listActiveStaffOf(tx, episode.organisationId)).map((s) => s.id));
    if (!input.keyWorkerIds.every((id) => staff.has(id))) {
      problems.keyWorkerIds = 'Select key workers from the list';
    }
    if (Object.keys(problems).length > 0) {
      throw new InvalidInput('episode.invalid', problems);
    }
    const plan = {
      anticipatedEndOn: input.anticipatedEndOn,
      reviewOn: input.reviewOn,
      keyWorkerIds: input.keyWorkerIds,
    };
    if (!(await repo.updatePlanIfVersion(tx, episode.id, plan, input.version, now))) {
      throw new Conflict('episode.version_mismatch');
    }
    const before = episode.keyWorkers.map((k) => k.id).sort();
    const after = [...input.keyWorkerIds].sort();
    const fields = [
      episode.anticipatedEndOn !== input.anticipatedEndOn && 'anticipated_end_on',
      episode.reviewOn !== input.reviewOn && 'review_on',
      before.join() !== after.join() && 'key_workers',
    ].filter((field): field is string => typeof field === 'string');
    await audit(tx, ctx, {
      action: 'episode.plan_changed',
      subject: { type: 'Episode', id: episode.id },
      details: { memberId: episode.memberId, fields },
      at: now,
    });
  });
}

/**
 * Discharges an episode of support. Only ever done by a person on the discharge page: nothing in
 * Alongside discharges anyone by itself, however long they have been out of touch.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param episodeId - the episode.
 * @param input - the discharge date, the reason and the version the worker saw.
 * @throws NotFound when there is no such episode of that member the actor may manage.
 * @throws Conflict when someone else changed or discharged it since.
 * @throws InvalidInput when the date is before the start or in the future.
 */
export async function dischargeEpisode(
  ctx: Ctx,
  memberId: string,
  episodeId: string,
  input: DischargeInput,
): Promise<void> {
  const now = ctx.clock.now();
  const today = dayInLondon(now);
  await ctx.db.transaction().execute(async (tx) => {
    const { episode } = await loadEpisodeFor(tx, ctx, memberId, episodeId, 'episode.manage');
    if (episode.version !== input.version || episode.status !== 'active') {
      throw new Conflict('episode.version_mismatch');
    }
    if (input.dischargedOn < episode.startedOn) {
      throw new InvalidInput('episode.invalid', {
        dischargedOn: onOrAfterStart('Discharge date', episode.startedOn),
      });
    }
    if (input.dischargedOn > today) {
      throw new InvalidInput('episode.invalid', {
        dischargedOn: 'Discharge date must be today or in the past',
      });
    }
    const reason = storedDischargeReason(input.reason, input.reasonDetail);
    const discharge = { dischargedOn: input.dischargedOn, reason };
    if (!(await repo.dischargeIfVersion(tx, episode.id, discharge, input.version, now))) {
      throw new Conflict('episode.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'episode.discharged',
      subject: { type: 'Episode', id: episode.id },
      details: { memberId: episode.memberId, reason: dischargeReasonCode(reason) },
      at: now,
    });
  });
}
