import { sql, type Expression } from 'kysely';
import type { Database, Db } from '../../database.ts';
import type { AnyDb } from '../../platform/db/database.ts';

type ContactMethod = Database['members']['contact_methods'][number];

/**
 * Consent choices are recorded in the member's words ("Reminders by text", "Contact by email"), so a
 * choice counts for a channel when what it is about names that channel or reminders as a whole. The
 * latest such choice decides: one not given, or withdrawn, means no reminders by that channel.
 */
const TEXT_CONSENT = String.raw`\m(text|texts|texting|sms|reminders?)\M`;
const EMAIL_CONSENT = String.raw`\m(e-?mails?|reminders?)\M`;

function refused(memberId: Expression<string>, pattern: string) {
  return sql<boolean>`coalesce((
    SELECT NOT (c.given AND c.withdrawn_at IS NULL)
      FROM member_consents c
     WHERE c.member_id = ${memberId} AND c.about ~* ${pattern}
     ORDER BY c.recorded_at DESC
     LIMIT 1), false)`;
}

/**
 * Whether the member's latest choice about texts (or reminders as a whole) is a no.
 *
 * @param memberId - the member's id column.
 * @returns an SQL boolean.
 */
export const textRefused = (memberId: Expression<string>) => refused(memberId, TEXT_CONSENT);

/**
 * Whether the member's latest choice about emails (or reminders as a whole) is a no.
 *
 * @param memberId - the member's id column.
 * @returns an SQL boolean.
 */
export const emailRefused = (memberId: Expression<string>) => refused(memberId, EMAIL_CONSENT);

/** A member as a reminder needs them: how to reach them, and what they agreed to. */
export type ReminderRecipient = {
  memberId: string;
  phone: string | null;
  email: string | null;
  contactMethods: ContactMethod[];
  safeToLeaveMessage: boolean | null;
  textRefused: boolean;
  emailRefused: boolean;
};

/** One member expected at one session, with where and when it is. */
export type DueReminder = ReminderRecipient & {
  sessionId: string;
  startsAt: Date;
  /** The venue's name, or null for a session held only online. */
  venueName: string | null;
};

type Row = {
  session_id: string;
  starts_at: Date;
  venue_name: string | null;
  member_id: string;
  phone: string | null;
  email: string | null;
  contact_methods: ContactMethod[];
  safe_to_leave_message: boolean | null;
  text_refused: boolean;
  email_refused: boolean;
};

const toDue = (row: Row): DueReminder => ({
  sessionId: row.session_id,
  startsAt: row.starts_at,
  venueName: row.venue_name,
  memberId: row.member_id,
  phone: row.phone,
  email: row.email,
  contactMethods: row.contact_methods,
  safeToLeaveMessage: row.safe_to_leave_message,
  textRefused: row.text_refused,
  emailRefused: row.email_refused,
});

/**
 * Members expected at scheduled sessions starting in a period who have had no reminder for them yet.
 *
 * @param db - the database.
 * @param from - the period's start (exclusive).
 * @param until - its end (inclusive).
 * @param limit - the most to return at once.
 * @returns who to remind of what, soonest session first.
 */
export async function listDueReminders(
  db: Db,
  from: Date,
  until: Date,
  limit: number,
): Promise<DueReminder[]> {
  const rows = await db
    .selectFrom('group_sessions as s')
    .innerJoin('session_expected_members as e', 'e.session_id', 's.id')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .leftJoin('venue_rooms as r', 'r.id', 's.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select((eb) => [
      's.id as session_id',
      's.starts_at',
      'v.name as venue_name',
      'm.id as member_id',
      'm.phone',
      'm.email',
      'm.contact_methods',
      'm.safe_to_leave_message',
      textRefused(eb.ref('m.id')).as('text_refused'),
      emailRefused(eb.ref('m.id')).as('email_refused'),
    ])
    .where('s.status', '=', 'scheduled')
    .where(
      sql<boolean>`(('text' = ANY (m.contact_methods) AND m.phone IS NOT NULL)
        OR ('email' = ANY (m.contact_methods) AND m.email IS NOT NULL))`,
    )
    .where('s.starts_at', '>', from)
    .where('s.starts_at', '<=', until)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('session_reminders as sr')
            .select('sr.session_id')
            .whereRef('sr.session_id', '=', 's.id')
            .whereRef('sr.member_id', '=', 'm.id'),
        ),
      ),
    )
    .orderBy('s.starts_at')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map(toDue);
}

/**
 * Records that a member's reminder for a session was queued, unless it already was.
 *
 * @param tx - the transaction that queues the message.
 * @param reminder - the session, the member, the channel and when.
 * @param reminder.sessionId - the session.
 * @param reminder.memberId - the member.
 * @param reminder.channel - how it goes.
 * @param reminder.at - when it was queued.
 * @returns true when this call recorded it; false when another round got there first.
 */
export async function recordReminderQueued(
  tx: AnyDb,
  reminder: { sessionId: string; memberId: string; channel: 'email' | 'sms'; at: Date },
): Promise<boolean> {
  const inserted = await (tx as Db)
    .insertInto('session_reminders')
    .values({
      session_id: reminder.sessionId,
      member_id: reminder.memberId,
      channel: reminder.channel,
      queued_at: reminder.at,
      cancellation_queued_at: null,
    })
    .onConflict((c) => c.columns(['session_id', 'member_id']).doNothing())
    .returning('session_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A reminder whose session has since been cancelled, with how it went. */
export type CancelledReminder = DueReminder & { channel: 'email' | 'sms' };

/**
 * Reminders queued for sessions cancelled since, that have not been dealt with yet: still to come.
 *
 * @param db - the database.
 * @param now - the current time (a session already started or past needs no notice).
 * @param limit - the most to return at once.
 * @returns the reminders, soonest session first.
 */
export async function listCancelledReminders(db: Db, now: Date, limit: number): Promise<CancelledReminder[]> {
  const rows = await db
    .selectFrom('session_reminders as sr')
    .innerJoin('group_sessions as s', 's.id', 'sr.session_id')
    .innerJoin('members as m', 'm.id', 'sr.member_id')
    .leftJoin('venue_rooms as r', 'r.id', 's.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select((eb) => [
      's.id as session_id',
      's.starts_at',
      'v.name as venue_name',
      'm.id as member_id',
      'm.phone',
      'm.email',
      'm.contact_methods',
      'm.safe_to_leave_message',
      textRefused(eb.ref('m.id')).as('text_refused'),
      emailRefused(eb.ref('m.id')).as('email_refused'),
      'sr.channel',
    ])
    .where('s.status', '=', 'cancelled')
    .where('sr.cancellation_queued_at', 'is', null)
    .where('s.starts_at', '>', now)
    .orderBy('s.starts_at')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...toDue(row), channel: row.channel }));
}

/**
 * Marks a cancelled session's reminder as dealt with, unless another round already did.
 *
 * @param tx - the transaction that withdraws the reminder or queues the notice.
 * @param sessionId - the session.
 * @param memberId - the member.
 * @param at - when.
 * @returns true when this call marked it.
 */
export async function markCancellationHandled(
  tx: AnyDb,
  sessionId: string,
  memberId: string,
  at: Date,
): Promise<boolean> {
  const updated = await (tx as Db)
    .updateTable('session_reminders')
    .set({ cancellation_queued_at: at })
    .where('session_id', '=', sessionId)
    .where('member_id', '=', memberId)
    .where('cancellation_queued_at', 'is', null)
    .returning('session_id')
    .executeTakeFirst();
  return updated !== undefined;
}
