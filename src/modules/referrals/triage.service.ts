import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, can } from '../../policy/index.ts';
import {
  createMember,
  findPossibleDuplicates,
  findVisibleMember,
  latestDischarge,
  startEpisode,
  type CommunicationNeed,
  type ContactMethod,
  type PossibleDuplicate,
} from '../members/index.ts';
import { isClosedStatus, nextStatuses, transition, type ReferralStatus } from './referral-status.ts';
import type { InboxFilterInput, Outcome } from './triage.forms.ts';
import * as repo from './triage.repo.ts';
import { isOverdue } from './working-days.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Referrals on one page of the inbox: enough to scan, few enough to read on a phone. */
export const INBOX_PAGE_SIZE = 50;

export type InboxReferral = repo.InboxRow & { overdue: boolean };

/**
 * The organisations whose referrals the actor sees: their own, and partners' under an agreement.
 *
 * @param ctx - the request context.
 * @returns the organisations' ids.
 */
function visibleOrganisations(ctx: Ctx): string[] {
  if (ctx.actor.kind !== 'staff') {
    return [];
  }
  const shared = ctx.actor.sharing.filter((g) => g.category === 'referrals').map((g) => g.fromOrganisationId);
  return [...new Set([ctx.actor.organisationId, ...shared])];
}

/**
 * Turns the page's filters into the query's.
 *
 * @param filter - the filters as chosen on the page.
 * @param now - the time.
 * @returns the query's filter.
 */
function inboxFilter(filter: InboxFilterInput, now: Date): repo.InboxFilter {
  const statuses: Record<InboxFilterInput['status'], readonly ReferralStatus[] | undefined> = {
    open: ['new', 'contact_attempted', 'welcome_booked'],
    closed: ['accepted', 'signposted', 'declined', 'withdrawn'],
    all: undefined,
    new: ['new'],
    contact_attempted: ['contact_attempted'],
    welcome_booked: ['welcome_booked'],
  };
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    statuses: statuses[filter.status],
    source: filter.source,
    serviceId: filter.service,
    overdueBefore: filter.overdue === 'yes' ? dayInLondon(now) : undefined,
    receivedAfter: filter.age === 'week' ? daysAgo(7) : filter.age === 'month' ? daysAgo(28) : undefined,
    receivedBefore: filter.age === 'older' ? daysAgo(28) : undefined,
  };
}

/**
 * The referral inbox: the referrals the actor's organisation holds (and any a partner shares with it),
 * narrowed by the filters, oldest first, each marked overdue when first contact is late. Reading it is
 * audited, since it shows people's names.
 *
 * @param ctx - the request context.
 * @param filter - the filters chosen on the page, and the page number.
 * @returns one page of referrals, how many match in all, and the services to filter by.
 */
export async function listReferrals(ctx: Ctx, filter: InboxFilterInput) {
  authorize(ctx.actor, 'referral.list');
  const now = ctx.clock.now();
  const organisations = visibleOrganisations(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await repo.listInbox(tx, organisations, inboxFilter(filter, now), {
      number: filter.page,
      size: INBOX_PAGE_SIZE,
    });
    const services = await repo.listServicesFor(tx, organisations);
    // Last: writing to the audit trail takes its chain's lock until the transaction commits.
    await audit(tx, ctx, {
      action: 'referral.list_read',
      subject: { type: 'Referral' },
      details: { count: rows.length },
    });
    const referrals: InboxReferral[] = rows.map((r) => ({
      ...r,
      overdue: !isClosedStatus(r.status) && isOverdue(r.firstContactDue, now),
    }));
    return {
      referrals,
      total: rows[0]?.total ?? 0,
      pageSize: INBOX_PAGE_SIZE,
      services,
    };
  });
}

/**
 * Loads a referral the actor may see, or throws NotFound (a malformed id is simply not found).
 *
 * @param tx - the transaction.
 * @param referralId - the id from the address.
 * @param forUpdate - lock the row until the transaction ends.
 * @returns the referral's row.
 */
async function loadReferral(tx: Db, referralId: string, forUpdate = false): Promise<repo.ReferralRow> {
  const referral = isUuid(referralId) ? await repo.findReferral(tx, referralId, forUpdate) : undefined;
  if (!referral) {
    throw new NotFound('referral.not_found');
  }
  return referral;
}

/**
 * Loads a referral for a triage change: locked, authorised for the holding organisation, still open
 * and at the version the worker saw.
 *
 * @param tx - the transaction.
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @param version - the version the worker's page showed.
 * @returns the referral's row.
 * @throws NotFound, or Conflict when it changed since the worker's page was loaded.
 */
async function loadForTriage(tx: Db, ctx: Ctx, referralId: string, version: number) {
  const referral = await loadReferral(tx, referralId, true);
  authorize(ctx.actor, 'referral.triage', { organisationId: referral.organisation_id });
  if (referral.version !== version) {
    throw new Conflict('referral.version_mismatch');
  }
  return referral;
}

/**
 * Saves a triage change with the version check, and records the change of status (if any) with who
 * made it and why, plus the audit row, all in the caller's transaction.
 *
 * @param tx - the transaction.
 * @param ctx - the request context.
 * @param referral - the referral as loaded.
 * @param change - the columns that change.
 * @param auditAction - what the audit trail calls this change.
 * @param reason - why, for the status history.
 */
async function saveTriageChange(
  tx: Db,
  ctx: Ctx,
  referral: repo.ReferralRow,
  change: Parameters<typeof repo.updateReferral>[2],
  auditAction: string,
  reason: string | null = null,
): Promise<void> {
  const now = ctx.clock.now();
  if (!(await repo.updateReferral(tx, referral.id, change, referral.version, now))) {
    throw new Conflict('referral.version_mismatch');
  }
  if (change.status !== undefined && ctx.actor.kind === 'staff') {
    await repo.insertStatusChange(tx, {
      referralId: referral.id,
      fromStatus: referral.status,
      toStatus: change.status,
      reason,
      at: now,
      staffId: ctx.actor.id,
    });
  }
  await audit(tx, ctx, {
    action: auditAction,
    subject: { type: 'Referral', id: referral.id },
    details: change.status === undefined ? {} : { from: referral.status, to: change.status },
  });
}

/**
 * Refuses a move the referral status rules do not allow, with the rule's message on the given field.
 *
 * @param referral - the referral.
 * @param to - the status asked for.
 * @param field - the form field the message belongs to.
 * @param details - the reason and destination given.
 * @returns the next state.
 * @throws InvalidInput when the move is refused.
 */
function allowedTransition(
  referral: repo.ReferralRow,
  to: ReferralStatus,
  field: string,
  details: { reason?: string; where?: string } = {},
) {
  const result = transition(referral, to, details);
  if (!result.ok) {
    const onField =
      result.refusal.code === 'referral.reason_required'
        ? 'reason'
        : result.refusal.code === 'referral.where_required'
          ? 'where'
          : field;
    throw new InvalidInput(result.refusal.code, { [onField]: result.refusal.message });
  }
  return result.state;
}

/**
 * Opens one referral with its contact attempts, status history and the person it is linked to, and
 * records that it was read.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @returns the referral, whether first contact is overdue, what the actor may do next, its history.
 * @throws NotFound when there is no such referral the actor may see.
 */
export async function viewReferral(ctx: Ctx, referralId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const referral = await loadReferral(tx, referralId);
    const owner = { organisationId: referral.organisation_id };
    authorize(ctx.actor, 'referral.read', owner);
    await audit(tx, ctx, { action: 'referral.read', subject: { type: 'Referral', id: referral.id } });
    const member = referral.member_id ? await findVisibleMember(tx, ctx, referral.member_id) : undefined;
    return {
      ...referral,
      overdue: !isClosedStatus(referral.status) && isOverdue(referral.first_contact_due, ctx.clock.now()),
      canTriage: can(ctx.actor, 'referral.triage', owner),
      nextStatuses: nextStatuses(referral.status),
      attempts: await repo.listContactAttempts(tx, referral.id),
      history: await repo.listStatusChanges(tx, referral.id),
      member: member && {
        id: member.id,
        legalName: member.legal_name,
        preferredName: member.preferred_name,
      },
    };
  });
}

/**
 * Loads a referral for one of the triage pages (the forms), checking the actor may triage it.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @returns the referral's row.
 * @throws NotFound when there is no such referral the actor may triage.
 */
export async function referralForTriage(ctx: Ctx, referralId: string): Promise<repo.ReferralRow> {
  const referral = await loadReferral(ctx.db, referralId);
  authorize(ctx.actor, 'referral.triage', { organisationId: referral.organisation_id });
  return referral;
}

/**
 * Logs an attempt to reach the person. The first attempt moves a new referral to "contact attempted";
 * a referral with a welcome booked keeps its booking unless the person could not be reached for it.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @param input - how, what happened, any note, and the version the worker saw.
 * @param input.channel - how the team tried.
 * @param input.outcome - what happened.
 * @param input.note - anything to add.
 * @param input.version - the version the worker saw.
 * @throws NotFound, Conflict, or InvalidInput when the referral is closed.
 */
export async function logContactAttempt(
  ctx: Ctx,
  referralId: string,
  input: {
    channel: repo.ContactAttempt['channel'];
    outcome: repo.ContactAttempt['outcome'];
    note?: string;
    version: number;
  },
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const referral = await loadForTriage(tx, ctx, referralId, input.version);
    const staffId = ctx.actor.kind === 'staff' ? ctx.actor.id : '';
    // A booked welcome stays booked when they were reached; otherwise the team is back to trying.
    const keepsBooking = referral.status === 'welcome_booked' && input.outcome === 'spoke';
    const to: ReferralStatus = keepsBooking ? 'welcome_booked' : 'contact_attempted';
    allowedTransition(referral, to, 'channel');
    await repo.insertContactAttempt(tx, {
      referralId: referral.id,
      at: ctx.clock.now(),
      channel: input.channel,
      outcome: input.outcome,
      note: input.note ?? null,
      staffId,
    });
    await saveTriageChange(
      tx,
      ctx,
      referral,
      to === referral.status ? {} : { status: to, ...(keepsBooking ? {} : { welcome_at: null }) },
      'referral.contact_attempt_logged',
    );
  });
}

/**
 * Books the welcome conversation.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @param input - when, and the version the worker saw.
 * @param input.at - when the conversation is booked for.
 * @param input.version - the version the worker saw.
 * @throws NotFound, Conflict, or InvalidInput when the time has passed or the referral is closed.
 */
export async function bookWelcome(
  ctx: Ctx,
  referralId: string,
  input: { at: Date; version: number },
): Promise<void> {
  if (input.at.getTime() < ctx.clock.now().getTime()) {
    throw new InvalidInput('referral.welcome_in_past', {
      date: 'The welcome conversation must be booked for a time that has not passed yet',
    });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const referral = await loadForTriage(tx, ctx, referralId, input.version);
    allowedTransition(referral, 'welcome_booked', 'date');
    await saveTriageChange(
      tx,
      ctx,
      referral,
      { status: 'welcome_booked', welcome_at: input.at },
      'referral.welcome_booked',
    );
  });
}

/**
 * People already known who may be the person referred, for the duplicate check at triage, side by
 * side with what the referral says. Reading them is audited (their ids), as is the referral.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @returns the referral and the possible duplicates, strongest first.
 */
export async function possiblePeople(
  ctx: Ctx,
  referralId: string,
): Promise<{ referral: repo.ReferralRow; candidates: PossibleDuplicate[] }> {
  return ctx.db.transaction().execute(async (tx) => {
    const referral = await loadReferral(tx, referralId);
    authorize(ctx.actor, 'referral.triage', { organisationId: referral.organisation_id });
    const candidates = await findPossibleDuplicates(
      tx,
      ctx,
      {
        name: referral.name,
        preferredName: referral.preferred_name,
        dateOfBirth: referral.date_of_birth,
        nhsNumber: referral.nhs_number,
        postcode: referral.postcode,
        email: referral.email,
        phone: referral.phone,
      },
      { type: 'Referral', id: referral.id },
    );
    return { referral, candidates };
  });
}

/**
 * Links the referral to the person it is about: someone already known, or a new record made from the
 * referral's details. Nothing is merged: a known person's record is not changed by the referral.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @param input - the person ('new' for a new record) and the version the worker saw.
 * @param input.person - a member's id, or 'new'.
 * @param input.version - the version the worker saw.
 * @returns the member's id.
 * @throws NotFound, Conflict, or InvalidInput when the referral is closed or the person is not found.
 */
export async function linkPerson(
  ctx: Ctx,
  referralId: string,
  input: { person: string; version: number },
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const referral = await loadForTriage(tx, ctx, referralId, input.version);
    if (isClosedStatus(referral.status)) {
      throw new InvalidInput('referral.closed', {
        person: 'This referral is closed, so who it is about cannot change',
      });
    }
    let memberId: string;
    if (input.person === 'new') {
      memberId = await createMember(tx, ctx, {
        organisationId: referral.organisation_id,
        legalName: referral.name,
        preferredName: referral.preferred_name,
        pronouns: null,
        dateOfBirth: referral.date_of_birth,
        email: referral.email,
        phone: referral.phone,
        postalAddress: referral.postal_address,
        postcode: referral.postcode,
        nhsNumber: referral.nhs_number,
        gpPractice: referral.gp_practice,
        contactMethods: referral.contact_methods as ContactMethod[],
        safeToLeaveMessage: referral.safe_to_leave_message,
        bestTimes: referral.best_times,
        communicationNeeds: referral.communication_needs as CommunicationNeed[],
        preferredLanguage: referral.preferred_language,
        communicationNeedsOther: referral.communication_needs_other,
      });
    } else {
      const member = await findVisibleMember(tx, ctx, input.person);
      // Only the holding organisation's own people can be linked: a partner's record stays theirs.
      if (!member || member.organisation_id !== referral.organisation_id) {
        throw new InvalidInput('referral.person_not_found', {
          person: 'Select the person this referral is about, or that this is someone new',
        });
      }
      memberId = member.id;
    }
    await saveTriageChange(
      tx,
      ctx,
      referral,
      {
        member_id: memberId,
        previous_referral_id: (await repo.findEarlierReferral(tx, memberId, referral.id)) ?? null,
      },
      input.person === 'new' ? 'referral.person_created' : 'referral.person_linked',
    );
    return memberId;
  });
}

/** What came of closing a referral. */
export type ClosedReferral = {
  status: ReferralStatus;
  memberId: string | null;
  episodeId: string | null;
  /** True when accepting carried on a recent episode rather than starting over. */
  continued: boolean;
};

/**
 * Closes a referral with its outcome and reason. Accepting needs the person linked first, and starts
 * an episode of support with the worker as key worker; if the person was discharged within the
 * service's door-open period, the new episode carries on from that one (same key workers, history
 * linked) rather than starting over.
 *
 * @param ctx - the request context.
 * @param referralId - the referral.
 * @param input - the outcome, reason, where (signposting), expected end of support, and version.
 * @param input.outcome - the outcome.
 * @param input.reason - why.
 * @param input.where - where the person was signposted.
 * @param input.anticipatedEnd - when support is expected to end ('YYYY-MM-DD'), for acceptance.
 * @param input.version - the version the worker saw.
 * @returns the outcome, and the episode started when accepted.
 * @throws NotFound, Conflict, or InvalidInput when a rule refuses it.
 */
export async function closeReferral(
  ctx: Ctx,
  referralId: string,
  input: {
    outcome: Outcome;
    reason?: string;
    where?: string;
    anticipatedEnd: string | null;
    version: number;
  },
): Promise<ClosedReferral> {
  return ctx.db.transaction().execute(async (tx) => {
    const referral = await loadForTriage(tx, ctx, referralId, input.version);
    const state = allowedTransition(referral, input.outcome, 'outcome', input);
    const now = ctx.clock.now();
    const today = dayInLondon(now);
    let episodeId: string | null = null;
    let continued = false;
    if (state.status === 'accepted') {
      if (!referral.member_id) {
        throw new InvalidInput('referral.person_not_linked', {
          outcome: 'Check whether this person is already known before accepting the referral',
        });
      }
      if (input.anticipatedEnd !== null && input.anticipatedEnd < today) {
        throw new InvalidInput('referral.anticipated_end_past', {
          anticipatedEnd: 'Expected end of support must be today or in the future',
        });
      }
      const discharge = await latestDischarge(tx, referral.member_id);
      const openWeeks = await repo.doorOpenWeeks(tx, referral.service_id);
      continued =
        discharge !== undefined &&
        discharge.dischargedOn !== null &&
        discharge.serviceId === referral.service_id &&
        now.getTime() - new Date(`${discharge.dischargedOn}T00:00:00Z`).getTime() <= openWeeks * 7 * DAY_MS;
      const episode = await startEpisode(tx, ctx, {
        memberId: referral.member_id,
        organisationId: referral.organisation_id,
        serviceId: referral.service_id,
        startedOn: today,
        anticipatedEndOn: input.anticipatedEnd,
        reviewOn: null,
        keyWorkerIds: ctx.actor.kind === 'staff' ? [ctx.actor.id] : [],
        continuesEpisodeId: continued ? discharge?.id : null,
      });
      episodeId = episode.id;
    }
    await saveTriageChange(
      tx,
      ctx,
      referral,
      {
        status: state.status,
        outcome_reason: 'reason' in state ? state.reason : undefined,
        outcome_where: state.status === 'signposted' ? state.where : null,
        closed_at: now,
        episode_id: episodeId,
      },
      `referral.${state.status}`,
      'reason' in state ? state.reason : null,
    );
    return { status: state.status, memberId: referral.member_id, episodeId, continued };
  });
}
