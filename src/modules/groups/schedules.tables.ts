import type { ColumnType, Generated } from 'kysely';
import type { SessionRole } from './groups.tables.ts';

/** Whether a schedule still makes sessions, or was ended (its sessions not yet held are cancelled). */
export type ScheduleStatus = 'active' | 'ended';

export interface GroupSchedulesTable {
  id: string;
  group_id: string;
  /** RFC 5545 text: a DTSTART line with the UK start and an RRULE line. */
  rrule: string;
  /** The first day, 'YYYY-MM-DD'. */
  starts_on: ColumnType<string, string, string>;
  /** UK clock time, 'HH:MM:SS'. */
  start_time: string;
  end_time: string;
  time_zone: Generated<string>;
  room_id: string | null;
  online_link: string | null;
  status: Generated<ScheduleStatus>;
  end_reason: string | null;
  ended_at: Date | null;
  /** The last day sessions were made for. */
  materialised_until: ColumnType<string, string, string>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface GroupScheduleFacilitatorsTable {
  schedule_id: string;
  staff_id: string;
  session_role: SessionRole;
}

export interface ServiceOutOfHoursTable {
  service_id: string;
  /** UK clock time from which a weekday session counts as an evening one; null when none do. */
  evenings_from: string | null;
  saturdays: boolean;
  sundays: boolean;
  /** Whether bank holidays in England and Wales count, all day. */
  bank_holidays: boolean;
  updated_at: Date;
  version: Generated<number>;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface SchedulesTables {
  group_schedules: GroupSchedulesTable;
  group_schedule_facilitators: GroupScheduleFacilitatorsTable;
  service_out_of_hours: ServiceOutOfHoursTable;
}
