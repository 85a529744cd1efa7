import type { Db } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { enqueueMessage, withdrawWaitingMessage } from '../../platform/outbox/outbox.ts';
import { queuePlanReviewReminders } from './plan-review-reminders.ts';
import { chooseChannel } from './reminder-channel.ts';
import { withinUkHours, type UkHours } from './sending-hours.ts';
import { REMINDER_TEMPLATES, whenInWords } from './reminder-templates.ts';
import * as repo from './reminders.repo.ts';

/**
 * Reminders to members before their group sessions, queued in the outbox by a round that runs in the
 * background (every minute, and in every app process: the rounds share the work through the
 * database and never queue a reminder twice).
 *
 * When: a reminder is queued once a session is 24 hours away, so it arrives about a day ahead, at
 * about the time of day the session starts (a morning group's reminder comes in the morning, not in
 * the night). A day's notice leaves time to rearrange travel or childcare or to tell the service they
 * cannot come, and is close enough to be remembered. A member booked on later than that is reminded
 * at the next round. Reminders are queued only between 08:00 and 21:00 UK time (REMINDER_HOURS): a
 * member booked at 23:00 onto tomorrow morning's group is reminded at 08:00, not at night, and an
 * early group's reminder waits for the morning. Cancellation notices go at any hour: someone may
 * set off before 08:00.
 *
 * Who: each member the bookings say is expected (the `session_expected_members` view), by the channel
 * they chose: a text if their contact methods include text and they have a phone number, otherwise
 * an email if they include email and have an address, otherwise none. A channel whose consent they
 * have not given or have withdrawn is passed over. Once per member per session (the
 * `session_reminders` key and the outbox's dedupe key `session-reminder:<session>:<member>`); never
 * for a cancelled session.
 *
 * Cancelled after the reminder was queued: a reminder not yet sent is taken back; one already sent
 * (or being sent) is followed by a cancellation notice by the same channel.
 */

/** How long before a session its reminder is queued. */
export const REMINDER_LEAD_HOURS = 24;

/**
 * The UK hours in which session reminders are queued: nothing before 08:00 or from 21:00. A text from
 * a mental health service late at night can worry someone, and a reminder can wait for the morning.
 */
const REMINDER_HOURS: UkHours = { from: '08:00', before: '21:00' };

const ROUND_LIMIT = 500;

export { chooseChannel, type ReminderChannel } from './reminder-channel.ts';

/** Only a member who said yes gets the venue named; not asked counts as no. */
const safeToName = (member: repo.ReminderRecipient) => member.safeToLeaveMessage === true;

const paramsFor = (reminder: repo.DueReminder) => ({
  when: whenInWords(reminder.startsAt),
  venue: reminder.venueName ?? 'online',
});

/** The dedupe key of a member's reminder for a session. */
export const reminderKey = (sessionId: string, memberId: string) =>
  `session-reminder:${sessionId}:${memberId}`;

const SYSTEM = { type: 'system' as const };

/**
 * Queues the reminders now due: one per expected member of each scheduled session in the next day,
 * in REMINDER_HOURS only.
 *
 * @param db - the database.
 * @param now - the current time.
 * @returns how many reminders were queued.
 */
export async function queueSessionReminders(db: Db, now: Date): Promise<number> {
  if (!withinUkHours(now, REMINDER_HOURS)) {
    return 0;
  }
  const until = new Date(now.getTime() + REMINDER_LEAD_HOURS * 3_600_000);
  const due = await repo.listDueReminders(db, now, until, ROUND_LIMIT);
  let queued = 0;
  for (const reminder of due) {
    const route = chooseChannel(reminder);
    if (!route) {
      continue;
    }
    const done = await db.transaction().execute(async (tx) => {
      if (!(await repo.recordReminderQueued(tx, { ...reminder, channel: route.channel, at: now }))) {
        return false;
      }
      await enqueueMessage(tx, route.channel, {
        dedupeKey: reminderKey(reminder.sessionId, reminder.memberId),
        to: route.to,
        template: safeToName(reminder) ? REMINDER_TEMPLATES.reminder : REMINDER_TEMPLATES.neutralReminder,
        params: safeToName(reminder) ? paramsFor(reminder) : { when: paramsFor(reminder).when },
        at: now,
      });
      // The round read the member's contact details to send this: audited like any other read.
      await recordAudit(tx, {
        action: 'member.reminder_queued',
        subject: { type: 'Member', id: reminder.memberId },
        actor: SYSTEM,
        details: { sessionId: reminder.sessionId, channel: route.channel },
        at: now,
      });
      return true;
    });
    queued += done ? 1 : 0;
  }
  return queued;
}

/**
 * Deals with reminders for sessions cancelled since: takes back those not yet sent, and queues a
 * cancellation notice after those that went.
 *
 * @param db - the database.
 * @param now - the current time.
 * @returns how many notices were queued.
 */
export async function queueCancellationNotices(db: Db, now: Date): Promise<number> {
  const cancelled = await repo.listCancelledReminders(db, now, ROUND_LIMIT);
  let queued = 0;
  for (const reminder of cancelled) {
    const done = await db.transaction().execute(async (tx) => {
      if (!(await repo.markCancellationHandled(tx, reminder.sessionId, reminder.memberId, now))) {
        return false;
      }
      if (await withdrawWaitingMessage(tx, reminderKey(reminder.sessionId, reminder.memberId), now)) {
        await recordAudit(tx, {
          action: 'member.reminder_withdrawn',
          subject: { type: 'Member', id: reminder.memberId },
          actor: SYSTEM,
          details: { sessionId: reminder.sessionId },
          at: now,
        });
        return false;
      }
      const route = chooseChannel(reminder, reminder.channel);
      if (!route) {
        return false;
      }
      await enqueueMessage(tx, route.channel, {
        dedupeKey: `session-cancelled:${reminder.sessionId}:${reminder.memberId}`,
        to: route.to,
        template: safeToName(reminder) ? REMINDER_TEMPLATES.cancelled : REMINDER_TEMPLATES.neutralCancelled,
        params: safeToName(reminder) ? paramsFor(reminder) : { when: paramsFor(reminder).when },
        at: now,
      });
      await recordAudit(tx, {
        action: 'member.cancellation_notice_queued',
        subject: { type: 'Member', id: reminder.memberId },
        actor: SYSTEM,
        details: { sessionId: reminder.sessionId, channel: route.channel },
        at: now,
      });
      return true;
    });
    queued += done ? 1 : 0;
  }
  return queued;
}

/**
 * One round: cancellation notices first (so a reminder about to be taken back is not sent), then the
 * reminders now due.
 *
 * @param db - the database.
 * @param now - the current time.
 * @returns how many reminders and notices were queued.
 */
export async function runReminderRound(db: Db, now: Date): Promise<{ reminders: number; notices: number }> {
  const notices = await queueCancellationNotices(db, now);
  const reminders = await queueSessionReminders(db, now);
  return { reminders, notices };
}

/**
 * Runs reminder rounds in the background: session reminders and cancellation notices, then plan
 * review reminders (plan-review-reminders.ts).
 *
 * @param options - database, clock, what to do after a round queued something, error reporter, interval.
 * @param options.db - the database.
 * @param options.now - the clock.
 * @param options.afterQueueing - called when a round queued messages (e.g. to wake the outbox worker).
 * @param options.onError - told about a failed round (the next round tries again).
 * @param options.intervalMs - time between rounds; a minute unless given.
 * @param options.publicUrl - the app's public address, for links in workers' emails.
 * @returns a handle to stop the rounds; stop waits for the round in progress.
 */
export function startReminderRounds(options: {
  db: Db;
  now: () => Date;
  afterQueueing: () => void;
  onError: (error: unknown) => void;
  intervalMs?: number;
  publicUrl?: string;
}): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) {
      return;
    }
    timer = setTimeout(() => {
      const now = options.now();
      running = runReminderRound(options.db, now)
        .then(async (queued) => {
          const planReviews = await queuePlanReviewReminders(options.db, now, {
            publicUrl: options.publicUrl,
          });
          if (queued.reminders + queued.notices + planReviews > 0) {
            options.afterQueueing();
          }
        })
        .catch(options.onError)
        .finally(schedule);
    }, options.intervalMs ?? 60_000);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
