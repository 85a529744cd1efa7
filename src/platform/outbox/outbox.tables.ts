import type { ColumnType, Generated } from 'kysely';

export type OutboxParams = Record<string, string>;

/** How a message goes: an email over SMTP, or a text message through the SMS provider. */
export type OutboxChannel = 'email' | 'sms';

export interface OutboxMessagesTable {
  id: string;
  dedupe_key: string;
  channel: OutboxChannel;
  /** The one recipient: an email address or a phone number. */
  recipient: string;
  template: string;
  params: ColumnType<OutboxParams, string, string>;
  /** 'withdrawn': taken back before it went (e.g. a reminder for a session since cancelled). */
  status: Generated<'pending' | 'sent' | 'failed' | 'withdrawn'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date, Date>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date, never>;
  sent_at: Date | null;
  /** The provider's id for a text message it accepted. */
  provider_id: string | null;
  /** When the recipient and what was left of the message were removed, a week after it went. */
  details_removed_at: Date | null;
}

export interface OutboxTables {
  outbox_messages: OutboxMessagesTable;
}
