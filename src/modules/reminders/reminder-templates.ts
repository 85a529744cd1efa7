import type { MessageTemplates, RenderedEmail } from '../../platform/outbox/outbox.ts';
import type { OutboxParams } from '../../platform/outbox/outbox.tables.ts';

/**
 * The wordings of session reminders and cancellation notices: the only words these messages can
 * carry (reliability plan G6). A text or an email can be read by someone else (on a shared phone, a
 * family computer, a lock screen), so none of them names the member, the group, the kind of support or
 * anything about health; the service's own name appears only where the sender shows it (the email
 * From line, the Notify sender id).
 *
 * - Standard wording, for a member who said it is safe to leave them a message: the day, the time and
 *   the venue's name ("Chatham Library", or "online"), which they need to get there.
 * - Neutral wording, when they said it is not safe, or were never asked: "an appointment" at a day and
 *   time, no venue and no group. We still send it, because a missed group is the more common harm and
 *   the wording tells an onlooker nothing beyond "an appointment"; a member who wants no reminders at all
 *   can withdraw their consent to reminders (reminders.service.ts honours that).
 *
 * Parameters: `when` ("Tuesday 5 January at 10:00", UK time, set when queued) and, for the standard
 * wordings, `venue` ("Chatham Library" or "online").
 *
 * Plan review reminders (plan-review-reminders.ts) follow the same rules:
 * - To the member, by text or email: that it is nearly time to look at their plan together, by a day,
 *   and to sign in or talk to their worker. No link: a link in a text looks like the scam texts people
 *   are told not to tap (the NCSC's phishing guidance), and the address would name the service. The
 *   kind of plan is named only for a member who said it is safe to leave a message, and only when its
 *   name says nothing about health: "support plan", "goal", "network map". A safety plan is about
 *   staying safe from suicide or self-harm and an advance statement about care in a mental health
 *   crisis, so either name tells an onlooker exactly what consent to messages did not cover: both are
 *   "your plan" to everyone.
 * - To a key worker, by email to their staff address: the kind of plan (they need to know which, and
 *   the email goes to their work mailbox), the person's initials and the day, never the person's name,
 *   because an email can be forwarded; a link to the plan's page, which asks them to sign in.
 * Parameters: `day` (the review date, 'YYYY-MM-DD', put into words here), `kind` (the kind of plan's
 * code) and, for the worker's email, `initials` and optionally `link`.
 */

/** The template names, by what they say. */
export const REMINDER_TEMPLATES = {
  reminder: 'session-reminder',
  neutralReminder: 'session-reminder-neutral',
  cancelled: 'session-cancelled',
  neutralCancelled: 'session-cancelled-neutral',
  planReview: 'plan-review',
  neutralPlanReview: 'plan-review-neutral',
  staffPlanReview: 'plan-review-staff',
} as const;

/** The templates sent to members, by text or email. */
const MEMBER_TEMPLATES = [
  REMINDER_TEMPLATES.reminder,
  REMINDER_TEMPLATES.neutralReminder,
  REMINDER_TEMPLATES.cancelled,
  REMINDER_TEMPLATES.neutralCancelled,
  REMINDER_TEMPLATES.planReview,
  REMINDER_TEMPLATES.neutralPlanReview,
] as const;

function param(params: OutboxParams, name: 'when' | 'venue'): string {
  const value = params[name];
  if (!value) {
    // A message missing its day or place would mislead: the outbox records the failure instead.
    throw new Error(`the ${name} of the session is missing`);
  }
  return value;
}

const where = (params: OutboxParams) => {
  const venue = param(params, 'venue');
  return venue === 'online' ? ', online' : ` at ${venue}`;
};

/** Kinds of plan a member's message may name: those whose names say nothing about health. */
const NAMEABLE_TO_MEMBER: Readonly<Record<string, string>> = {
  resource_and_support: 'support plan',
  goal: 'goal',
  network_map: 'network map',
};

/** Each kind of plan as the worker's email names it. */
const NAMED_TO_WORKER: Readonly<Record<string, string>> = {
  resource_and_support: 'Resource and Support Plan',
  safety: 'safety plan',
  goal: 'recovery and wellbeing goal',
  advance_statement: 'advance statement',
  network_map: 'personal network map',
};

function planParam(params: OutboxParams, name: 'day' | 'kind' | 'initials', pattern: RegExp): string {
  const value = params[name];
  if (!value || !pattern.test(value)) {
    // Refuse rather than send a message with a wrong day, or words that are not ours.
    throw new Error(`the ${name} of the plan review is missing or not as expected`);
  }
  return value;
}

/**
 * A calendar day as the messages say it: "Tuesday 12 January".
 *
 * @param day - 'YYYY-MM-DD'.
 * @returns the words.
 */
export function dayInWords(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  })
    .format(new Date(Date.UTC(y, m - 1, d)))
    .replace(',', '');
}

const reviewDay = (p: OutboxParams) => dayInWords(planParam(p, 'day', /^\d{4}-\d{2}-\d{2}$/));
const planKind = (p: OutboxParams) => planParam(p, 'kind', /^[a-z_]+$/);

const memberReview = (what: string, p: OutboxParams) =>
  `It is nearly time to look at your ${what} together, by ${reviewDay(p)}. Sign in to see it, or talk to your worker.`;

function workerPlanTitle(p: OutboxParams): string {
  const title = NAMED_TO_WORKER[planKind(p)];
  if (!title) {
    throw new Error('the kind of the plan review is not one we have words for');
  }
  return title;
}

/** A link to a plan's page: the app's address and ids only. */
const PLAN_LINK = /^https?:\/\/[^\s/]+(\/[^\s]*)?\/members\/[0-9a-f-]{36}\/plans\/[0-9a-f-]{36}$/;

function workerReview(p: OutboxParams): RenderedEmail {
  // At most two letters, each followed by a full stop: never more of a name.
  const initials = planParam(p, 'initials', /^(?:[^\s.]\.){1,2}$/u);
  const link = p.link;
  if (link !== undefined && !PLAN_LINK.test(link)) {
    throw new Error('the link of the plan review is not a plan page');
  }
  const day = reviewDay(p);
  const see = link ? `\n\nSee the plan (you will be asked to sign in): ${link}` : ' Sign in to see it.';
  return {
    subject: `A plan is due for review on ${day}`,
    text: `The ${workerPlanTitle(p)} of a person you support (${initials}) is due for review on ${day}. It may help to arrange a time to look at it together.${see}\n\nThis is an automatic message. Please do not reply to this email.`,
  };
}

const wordings = {
  [REMINDER_TEMPLATES.reminder]: (p: OutboxParams) =>
    `Reminder: you are booked for a group on ${param(p, 'when')}${where(p)}. Please let us know if you cannot come.`,
  [REMINDER_TEMPLATES.neutralReminder]: (p: OutboxParams) =>
    `You have an appointment on ${param(p, 'when')}. Please let us know if you cannot come.`,
  [REMINDER_TEMPLATES.cancelled]: (p: OutboxParams) =>
    `The group you are booked for on ${param(p, 'when')}${where(p)} is cancelled. We are sorry for the change.`,
  [REMINDER_TEMPLATES.neutralCancelled]: (p: OutboxParams) =>
    `Your appointment on ${param(p, 'when')} is cancelled. We are sorry for the change.`,
  [REMINDER_TEMPLATES.planReview]: (p: OutboxParams) =>
    memberReview(NAMEABLE_TO_MEMBER[planKind(p)] ?? 'plan', p),
  [REMINDER_TEMPLATES.neutralPlanReview]: (p: OutboxParams) => memberReview('plan', p),
};

const subjects = {
  [REMINDER_TEMPLATES.reminder]: (p: OutboxParams) => `Reminder: ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.neutralReminder]: (p: OutboxParams) => `Your appointment on ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.cancelled]: (p: OutboxParams) => `Cancelled: ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.neutralCancelled]: (p: OutboxParams) =>
    `Cancelled: your appointment on ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.planReview]: () => 'Time to look at your plan together',
  [REMINDER_TEMPLATES.neutralPlanReview]: () => 'Time to look at your plan together',
};

/**
 * The reminder templates, to register with the outbox worker: members' by text and email, the
 * worker's plan review by email only.
 *
 * @returns the email and text message templates by name.
 */
export function reminderTemplates(): Partial<MessageTemplates> {
  const names = MEMBER_TEMPLATES;
  return {
    sms: Object.fromEntries(names.map((name) => [name, wordings[name]])),
    email: {
      ...Object.fromEntries(
        names.map((name) => [
          name,
          (p: OutboxParams) => ({
            subject: subjects[name](p),
            text: `${wordings[name](p)}\n\nThis is an automatic message. Please do not reply to this email.`,
          }),
        ]),
      ),
      [REMINDER_TEMPLATES.staffPlanReview]: workerReview,
    },
  };
}

/**
 * A session's start as the messages say it, in UK time: "Tuesday 5 January at 10:00".
 *
 * @param at - the session's start.
 * @returns the words.
 */
export function whenInWords(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} at ${part('hour')}:${part('minute')}`;
}
