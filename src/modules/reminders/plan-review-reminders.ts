import type { Db } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { can, type PlanSubject, type StaffActor } from '../../policy/index.ts';
import * as repo from './plan-review-reminders.repo.ts';
import { REMINDER_TEMPLATES } from './reminder-templates.ts';
import { chooseChannel } from './reminder-channel.ts';
import { withinUkHours, type UkHours } from './sending-hours.ts';

/**
 * Reminders that a plan the member owns is due to be looked at again (a plan is "reviewed on a
 * schedule": shared/DESIGN.md section 2.3). Each plan version may carry a review date; the plan page
 * shows "Review due" once it comes, but that only helps someone who opens the page. This round tells
 * both sides a week ahead, so the member and their worker have time to find a time together.
 *
 * Who:
 * - the member, by the channel they chose (as for session reminders: a text, else an email; never by a
 *   channel whose consent they refused or withdrew), while they have an active episode of support (the
 *   message asks them to talk to their worker; someone discharged is not contacted out of the blue);
 * - each key worker on the member's active episodes, by email at their staff address, when the member
 *   shares the plan with their team and the policy lets that worker read it (the email says a plan
 *   exists, which is itself something only the team may know). A worker of an ended episode is not
 *   told: they are no longer on the team.
 *
 * When: from a week before the review date until the day after it (a date set only a few days ahead
 * is reminded of at once; a plan whose date passed more than a day ago is not: the page's "Review
 * due" tag covers it, and a reminder about a date long gone would be noise). Only in the daytime, UK
 * time: a text about one's plan should not wake anyone, and it can wait for the morning.
 * Not for a plan looked at since the reminder's day (see plan-review-reminders.repo.ts).
 *
 * Once: each message's outbox dedupe key is `plan-review:<plan>:<review date>:member` or
 * `...:staff:<staff id>`, so however many rounds run at once, each recipient gets one reminder per
 * review date; a new date (set at the review) is a new reminder.
 *
 * What it says: see reminder-templates.ts. The member's message names no health detail; the worker's
 * email names the kind of plan and the person's initials only, because email is forwarded.
 */

/** How many days before the review date the reminders go. */
const REVIEW_REMINDER_LEAD_DAYS = 7;

/** The UK daytime in which reminders are queued, as "HH:MM" from and before. */
const DAYTIME: UkHours = { from: '09:00', before: '20:00' };

const ROUND_LIMIT = 500;
const SYSTEM = { type: 'system' as const };

/**
 * A calendar day some days from another.
 *
 * @param day - 'YYYY-MM-DD'.
 * @param days - how many days on (negative: back).
 * @returns the day, 'YYYY-MM-DD'.
 */
function addDays(day: string, days: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Initials, for a worker to tell which person is meant without a name in an email that may be
 * forwarded: the first letter of the name the person goes by, then of their family name.
 *
 * @param legalName - their legal name.
 * @param preferredName - the name they go by, if given.
 * @returns e.g. "R.T.".
 */
export function initialsOf(legalName: string, preferredName: string | null): string {
  const words = legalName.trim().split(/\s+/);
  const first = (preferredName?.trim() || words[0] || '').charAt(0);
  const last = words.length > 1 ? (words[words.length - 1] ?? '').charAt(0) : '';
  return [first, last]
    .filter(Boolean)
    .map((letter) => `${letter.toLocaleUpperCase('en-GB')}.`)
    .join('');
}

/** The plan as the policy sees it, for one key worker. */
function subjectFor(due: repo.DueStaffReminder): PlanSubject {
  return {
    organisationId: due.organisationId,
    memberId: due.memberId,
    teamStaffIds: [due.staffId],
    // A key worker of the holding organisation reads under the member's team choice; the category
    // matters only to partners, who get no reminder.
    sharingCategory: due.kind === 'safety' ? 'crisis_plans' : 'support_plans',
    shareWithTeam: due.shareWithTeam,
    shareWithPartner: false,
  };
}

const staffActor = (due: repo.DueStaffReminder): StaffActor => ({
  kind: 'staff',
  id: due.staffId,
  organisationId: due.organisationId,
  hostOrganisation: false,
  roles: due.staffRoles,
  sharing: [],
});

/** What the round needs beyond the database and the time. */
export type PlanReviewOptions = {
  /** The app's public address, for the link to the plan in the worker's email; no link without it. */
  publicUrl?: string;
};

/**
 * Queues the plan review reminders now due, to members and to their key workers.
 *
 * @param db - the database.
 * @param now - the current time.
 * @param options - the public address for links.
 * @returns how many messages were queued.
 */
export async function queuePlanReviewReminders(
  db: Db,
  now: Date,
  options: PlanReviewOptions = {},
): Promise<number> {
  if (!withinUkHours(now, DAYTIME)) {
    return 0;
  }
  const today = dayInLondon(now);
  const window = { from: addDays(today, -1), until: addDays(today, REVIEW_REMINDER_LEAD_DAYS) };
  return (
    (await queueToMembers(db, now, window)) + (await queueToKeyWorkers(db, now, window, options.publicUrl))
  );
}

async function queueToMembers(db: Db, now: Date, window: repo.ReviewWindow): Promise<number> {
  let queued = 0;
  for (const due of await repo.listDueMemberReminders(db, window, ROUND_LIMIT)) {
    const route = chooseChannel(due);
    if (!route) {
      continue;
    }
    // Only a member who said yes to messages being left gets the kind of plan named (and then only a
    // kind whose name says nothing about health: the template decides).
    const safe = due.safeToLeaveMessage === true;
    const done = await db.transaction().execute(async (tx) => {
      const fresh = await enqueueMessage(tx, route.channel, {
        dedupeKey: repo.planReviewMemberKey(due.planId, due.reviewOn),
        to: route.to,
        template: safe ? REMINDER_TEMPLATES.planReview : REMINDER_TEMPLATES.neutralPlanReview,
        params: safe ? { day: due.reviewOn, kind: due.kind } : { day: due.reviewOn },
        at: now,
      });
      if (!fresh) {
        // Another round queued it first, and audited it.
        return false;
      }
      // The round read the member's contact details to send this: audited like any other read.
      await recordAudit(tx, {
        action: 'member.plan_review_reminder_queued',
        subject: { type: 'Member', id: due.memberId },
        actor: SYSTEM,
        details: { planId: due.planId, reviewOn: due.reviewOn, to: 'member', channel: route.channel },
        at: now,
      });
      return true;
    });
    queued += done ? 1 : 0;
  }
  return queued;
}

async function queueToKeyWorkers(
  db: Db,
  now: Date,
  window: repo.ReviewWindow,
  publicUrl: string | undefined,
): Promise<number> {
  let queued = 0;
  for (const due of await repo.listDueStaffReminders(db, window, ROUND_LIMIT)) {
    if (!can(staffActor(due), 'plan.read', subjectFor(due))) {
      continue;
    }
    const params: Record<string, string> = {
      day: due.reviewOn,
      kind: due.kind,
      initials: initialsOf(due.memberLegalName, due.memberPreferredName),
    };
    if (publicUrl) {
      // The page asks the worker to sign in; the address holds ids only, no one's details.
      params.link = `${publicUrl}/members/${due.memberId}/plans/${due.planId}`;
    }
    const done = await db.transaction().execute(async (tx) => {
      const fresh = await enqueueMessage(tx, 'email', {
        dedupeKey: repo.planReviewStaffKey(due.planId, due.reviewOn, due.staffId),
        to: due.staffEmail,
        template: REMINDER_TEMPLATES.staffPlanReview,
        params,
        at: now,
      });
      if (!fresh) {
        return false;
      }
      // The round read the member's name (for the initials): audited.
      await recordAudit(tx, {
        action: 'member.plan_review_reminder_queued',
        subject: { type: 'Member', id: due.memberId },
        actor: SYSTEM,
        details: { planId: due.planId, reviewOn: due.reviewOn, to: 'staff', staffId: due.staffId },
        at: now,
      });
      return true;
    });
    queued += done ? 1 : 0;
  }
  return queued;
}
