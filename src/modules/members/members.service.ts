import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { authorize } from '../../policy/index.ts';
import * as episodesRepo from './episodes.repo.ts';
import * as repo from './members.repo.ts';

/**
 * The organisations whose members the actor may see: their own, and partners' under an agreement that
 * grants personal and contact details.
 *
 * @param ctx - the request context.
 * @returns the organisations' ids; none for anyone but staff.
 */
export function memberOrganisationsVisibleTo(ctx: Ctx): string[] {
  if (ctx.actor.kind !== 'staff') {
    return [];
  }
  const shared = ctx.actor.sharing
    .filter((grant) => grant.category === 'member_details')
    .map((grant) => grant.fromOrganisationId);
  return [...new Set([ctx.actor.organisationId, ...shared])];
}

/**
 * Looks for people already known who may be the person arriving, within what the actor may see, and
 * records in the audit trail whose details were shown.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param probe - what is known of the person arriving.
 * @param about - what the search was for, for the audit row (e.g. the referral).
 * @param about.type - the subject's type.
 * @param about.id - the subject's id.
 * @returns the possible duplicates, strongest first.
 */
export async function findPossibleDuplicates(
  tx: Db,
  ctx: Ctx,
  probe: repo.DuplicateProbe,
  about: { type: string; id: string },
): Promise<repo.PossibleDuplicate[]> {
  authorize(ctx.actor, 'member.list');
  const candidates = await repo.findPossibleDuplicates(tx, memberOrganisationsVisibleTo(ctx), probe);
  await audit(tx, ctx, {
    action: 'member.possible_duplicates_read',
    subject: about,
    details: { memberIds: candidates.map((c) => c.id) },
  });
  return candidates;
}

/**
 * Creates a member's record in the caller's transaction, held by the actor's organisation.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param member - the details, without an id or organisation.
 * @returns the new member's id.
 */
export async function createMember(
  tx: Db,
  ctx: Ctx,
  member: Omit<repo.NewMember, 'id' | 'organisationId'> & { organisationId: string },
): Promise<string> {
  authorize(ctx.actor, 'member.edit', { organisationId: member.organisationId });
  const id = randomUUID();
  await repo.insertMember(tx, { ...member, id }, ctx.clock.now());
  await audit(tx, ctx, { action: 'member.created', subject: { type: 'Member', id } });
  return id;
}

/**
 * Loads a member for another module's use case, checking the actor may see them.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member's row, or undefined when there is none the actor may see.
 */
export async function findVisibleMember(tx: Db, ctx: Ctx, memberId: string) {
  const member = await repo.findMember(tx, memberId);
  if (!member || !memberOrganisationsVisibleTo(ctx).includes(member.organisation_id)) {
    return undefined;
  }
  return member;
}

/**
 * Starts an episode of support in the caller's transaction, unless the member already has one active
 * in that service (then that one is returned: accepting twice starts nothing new).
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param episode - the member, organisation, service, start day, anticipated end, review day and key workers.
 * @returns the episode's id, and whether it was started now.
 */
export async function startEpisode(
  tx: Db,
  ctx: Ctx,
  episode: Omit<episodesRepo.NewEpisode, 'id'>,
): Promise<{ id: string; started: boolean }> {
  authorize(ctx.actor, 'episode.manage', { organisationId: episode.organisationId });
  const active = await episodesRepo.findActiveEpisode(tx, episode.memberId, episode.serviceId);
  if (active) {
    return { id: active.id, started: false };
  }
  const id = randomUUID();
  await episodesRepo.insertEpisode(tx, { ...episode, id }, ctx.clock.now());
  await audit(tx, ctx, {
    action: 'episode.started',
    subject: { type: 'Episode', id },
    details: { memberId: episode.memberId, serviceId: episode.serviceId },
  });
  return { id, started: true };
}

/**
 * The member's most recent discharge, for "the door stays open".
 *
 * @param tx - the caller's transaction.
 * @param memberId - the member.
 * @returns the discharged episode, or undefined.
 */
export function latestDischarge(tx: Db, memberId: string) {
  return episodesRepo.findLatestDischarge(tx, memberId);
}
