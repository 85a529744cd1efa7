import type { MessageTemplates } from '../../platform/outbox/outbox.ts';
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
 */

/** The template names, by what they say. */
export const REMINDER_TEMPLATES = {
  reminder: 'session-reminder',
  neutralReminder: 'session-reminder-neutral',
  cancelled: 'session-cancelled',
  neutralCancelled: 'session-cancelled-neutral',
} as const;

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

const wordings = {
  [REMINDER_TEMPLATES.reminder]: (p: OutboxParams) =>
    `Reminder: you are booked for a group on ${param(p, 'when')}${where(p)}. Please let us know if you cannot come.`,
  [REMINDER_TEMPLATES.neutralReminder]: (p: OutboxParams) =>
    `You have an appointment on ${param(p, 'when')}. Please let us know if you cannot come.`,
  [REMINDER_TEMPLATES.cancelled]: (p: OutboxParams) =>
    `The group you are booked for on ${param(p, 'when')}${where(p)} is cancelled. We are sorry for the change.`,
  [REMINDER_TEMPLATES.neutralCancelled]: (p: OutboxParams) =>
    `Your appointment on ${param(p, 'when')} is cancelled. We are sorry for the change.`,
};

const subjects = {
  [REMINDER_TEMPLATES.reminder]: (p: OutboxParams) => `Reminder: ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.neutralReminder]: (p: OutboxParams) => `Your appointment on ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.cancelled]: (p: OutboxParams) => `Cancelled: ${param(p, 'when')}`,
  [REMINDER_TEMPLATES.neutralCancelled]: (p: OutboxParams) =>
    `Cancelled: your appointment on ${param(p, 'when')}`,
};

/**
 * The reminder templates for both channels, to register with the outbox worker.
 *
 * @returns the email and text message templates by name.
 */
export function reminderTemplates(): Partial<MessageTemplates> {
  const names = Object.values(REMINDER_TEMPLATES);
  return {
    sms: Object.fromEntries(names.map((name) => [name, wordings[name]])),
    email: Object.fromEntries(
      names.map((name) => [
        name,
        (p: OutboxParams) => ({
          subject: subjects[name](p),
          text: `${wordings[name](p)}\n\nThis is an automatic message. Please do not reply to this email.`,
        }),
      ]),
    ),
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
