import type { ColumnType, Generated } from 'kysely';

export type OutboxParams = Record<string, string>;

export interface OutboxMessagesTable {
  id: string;
  dedupe_key: string;
  channel: 'email';
  recipient: string;
  template: string;
  params: ColumnType<OutboxParams, string, string>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date, Date>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date, never>;
  sent_at: Date | null;
}

export interface OutboxTables {
  outbox_messages: OutboxMessagesTable;
}
