import type { ColumnType, Generated } from 'kysely';

export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

export interface AuditEventsTable {
  seq: Generated<string>;
  id: string;
  occurred_at: ColumnType<Date, Date, never>;
  actor_type: 'staff' | 'member' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_role: string | null;
  actor_organisation_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  request_id: string | null;
  ip: string | null;
  details: ColumnType<AuditDetails, string, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
