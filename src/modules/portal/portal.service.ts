import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import { authorize, isMember, type Action } from '../../policy/index.ts';
import type { CommunicationNeed, ContactMethod } from '../members/index.ts';
import * as repo from './portal.repo.ts';

export type { MemberNotice, OwnRecord, RecordLook, UpcomingSession } from './portal.repo.ts';

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

/**
 * The member's details page.
 *
 * @param ctx - the request context (a member).
 * @param page - which page reads them, for the audit row.
 * @returns their record's portal columns.
 */
export async function viewDetails(
  ctx: Ctx,
  page: 'details' | 'details_change' = 'details',
): Promise<repo.OwnRecord> {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await loadOwnRecord(tx, ctx, 'portal.own_record');
    await audit(tx, ctx, {
      action: 'member.read',
      subject: { type: 'Member', id: record.id },
      details: { via: 'portal', page },
    });
    return record;
  });
}

/** The details a member changes, as the form gives them. */
export type OwnDetailsInput = {
  preferredName: string | null;
  pronouns: string | null;
  contactMethods: ContactMethod[];
  safeToLeaveMessage: boolean | null;
  communicationNeeds: CommunicationNeed[];
  preferredLanguage: string | null;
  communicationNeedsOther: string | null;
  version: number;
};

/**
 * Changes the details a member owns, if their record is still at the version they saw. A way of
 * contacting them needs the number, email or address on their record: those the service keeps, so
 * the member is told to ask rather than left with a choice that cannot work.
 *
 * @param ctx - the request context (a member).
 * @param input - the form's values and the version the form was based on.
 * @returns whether anything changed.
 * @throws InvalidInput when a way of contacting them has nothing on record to use.
 * @throws Conflict when the record changed since the form was loaded (nothing is changed).
 */
export async function changeOwnDetails(ctx: Ctx, input: OwnDetailsInput): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const record = await loadOwnRecord(tx, ctx, 'portal.own_details.edit');
    if (record.version !== input.version) {
      throw new Conflict('portal.version_mismatch');
    }
    const chosen = new Set(input.contactMethods);
    const problems: Record<string, string> = {};
    if ((chosen.has('phone') || chosen.has('text')) && !record.phone) {
      problems.contactMethods =
        'We do not have a phone number for you. Untick phone call and text message, or ask the service to add your number';
    } else if (chosen.has('email') && !record.email) {
      problems.contactMethods =
        'We do not have an email address for you. Untick email, or ask the service to add it';
    } else if (chosen.has('letter') && !record.postal_address) {
      problems.contactMethods = 'We do not have your address. Untick letter, or ask the service to add it';
    }
    if (Object.keys(problems).length > 0) {
      throw new InvalidInput('portal.contact_method_unusable', problems);
    }
    const change: repo.OwnDetailsChange = {
      preferred_name: input.preferredName,
      pronouns: input.pronouns,
      contact_methods: input.contactMethods,
      safe_to_leave_message: input.safeToLeaveMessage,
      communication_needs: input.communicationNeeds,
      preferred_language: input.preferredLanguage,
      communication_needs_other: input.communicationNeedsOther,
    };
    const fields = (Object.keys(change) as (keyof repo.OwnDetailsChange)[]).filter(
      (field) => JSON.stringify(record[field]) !== JSON.stringify(change[field]),
    );
    if (fields.length === 0) {
      return false;
    }
    if (!(await repo.updateOwnDetailsIfVersion(tx, record.id, change, input.version, now))) {
      throw new Conflict('portal.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'member.updated',
      subject: { type: 'Member', id: record.id },
      details: { fields, via: 'portal' },
      at: now,
    });
    return true;
  });
}

/**
 * The member's upcoming sessions.
 *
 * @param ctx - the request context (a member).
 * @returns up to 50 sessions, soonest first.
 */
export async function viewSessions(ctx: Ctx): Promise<repo.UpcomingSession[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await loadOwnRecord(tx, ctx, 'portal.own_record');
    const sessions = await repo.listUpcomingSessions(tx, record.id, ctx.clock.now(), 50);
    await audit(tx, ctx, {
      action: 'member.read',
      subject: { type: 'Member', id: record.id },
      details: { via: 'portal', page: 'sessions' },
    });
    return sessions;
  });
}

/**
 * "Who has looked at my record": each time staff read it, with their role, organisation and the
 * time, and the notices of emergency openings of their crisis plan.
 *
 * @param ctx - the request context (a member).
 * @returns the looks, newest first, and the notices.
 */
export async function viewLooksAtRecord(ctx: Ctx) {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await loadOwnRecord(tx, ctx, 'portal.own_record');
    const looks = await repo.listLooksAtRecord(tx, record.id);
    const notices = await repo.listNotices(tx, record.id);
    await audit(tx, ctx, {
      action: 'member.read',
      subject: { type: 'Member', id: record.id },
      details: { via: 'portal', page: 'who_has_looked' },
    });
    return { looks, notices };
  });
}

/**
 * The pages kept on the member's phone for reading offline: their safety plan and their Resource and
 * Support Plan, at the plans module's addresses (/my-plans/<plan id>). Only ids are returned, nothing
 * of the plans' content, so this is not audited as a read of the record (the worker asks on every
 * plan page it fetches; the page itself is audited by the plans module when it is read).
 *
 * @param ctx - the request context (a member).
 * @returns the paths the offline worker may keep.
 */
export async function offlinePages(ctx: Ctx): Promise<string[]> {
  const record = await loadOwnRecord(ctx.db, ctx, 'portal.own_record');
  const ids = await repo.listPlanIdsOfKinds(ctx.db, record.id, OFFLINE_PLAN_KINDS);
  return ids.map(OFFLINE_PLAN_PATH);
}

/** The kinds of plan kept for reading offline, and where the plans module serves a member's plan. */
export const OFFLINE_PLAN_KINDS: readonly repo.OfflinePlanKind[] = ['safety', 'resource_and_support'];
export const OFFLINE_PLAN_PATH = (planId: string): string => `/my-plans/${planId}`;
