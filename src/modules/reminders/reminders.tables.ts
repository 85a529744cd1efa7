import type { ColumnType } from 'kysely';

/** A member's reminder for a group session, queued once, and the cancellation notice that may follow. */
export interface SessionRemindersTable {
  session_id: string;
  member_id: string;
  channel: 'email' | 'sms';
  queued_at: ColumnType<Date, Date, never>;
  cancellation_queued_at: Date | null;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface RemindersTables {
  session_reminders: SessionRemindersTable;
}
