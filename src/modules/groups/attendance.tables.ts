import type { ColumnType, Generated } from 'kysely';

/** How a booking for one session stands. */
export type BookingStatus = 'booked' | 'cancelled_by_member' | 'cancelled_by_service';

/** What the register records for each person at a session (NHS Talking Therapies' AttendOrDNACode idea). */
export type AttendanceStatus =
  'attended' | 'late' | 'left_early' | 'did_not_attend' | 'cancelled_by_member' | 'cancelled_by_service';

export type WaitingStatus = 'waiting' | 'offered' | 'booked' | 'removed';

/** How a member came to agree to the group code of conduct. */
export type ConductMethod =
  | 'read_together_in_person'
  | 'agreed_by_phone'
  | 'agreed_by_video'
  | 'agreed_in_writing'
  | 'easy_read_version_in_person';

export interface GroupMembershipsTable {
  id: string;
  group_id: string;
  member_id: string;
  /** A calendar day in UK time, 'YYYY-MM-DD': the first session day the place covers. */
  from_date: ColumnType<string, string, string>;
  /** The first day no longer covered. */
  ended_on: string | null;
  ended_by_whom: 'member' | 'service' | null;
  end_reason: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
}

export interface SessionBookingsTable {
  id: string;
  session_id: string;
  member_id: string;
  status: BookingStatus;
  cancel_reason: string | null;
  booked_by: string;
  booked_at: Date;
  cancelled_by: string | null;
  cancelled_at: Date | null;
}

export interface WaitingListEntriesTable {
  id: string;
  group_id: string;
  /** The session waited for, or null for a regular place in the group. */
  session_id: string | null;
  member_id: string;
  status: Generated<WaitingStatus>;
  added_by: string;
  added_at: Date;
  offered_by: string | null;
  offered_at: Date | null;
  closed_at: Date | null;
}

export interface SessionRegistersTable {
  session_id: string;
  version: number;
  saved_by: string;
  saved_at: Date;
}

export interface RegisterSubmissionsTable {
  submission_key: string;
  session_id: string;
  saved_at: Date;
}

export interface SessionAttendanceTable {
  session_id: string;
  member_id: string;
  status: AttendanceStatus;
  walk_in: Generated<boolean>;
  recorded_by: string;
  recorded_at: Date;
}

export interface SessionNotesTable {
  session_id: string;
  body: string;
  version: Generated<number>;
  drafted_by: string;
  drafted_at: Date;
  updated_by: string;
  updated_at: Date;
}

export interface SessionNoteSignaturesTable {
  session_id: string;
  staff_id: string;
  note_version: number;
  signed_at: Date;
}

export interface SessionIncidentsTable {
  id: string;
  session_id: string;
  description: string;
  flagged_by: string;
  flagged_at: Date;
}

export interface ConductAcknowledgementsTable {
  member_id: string;
  method: ConductMethod;
  acknowledged_at: Date;
  recorded_by: string;
  recorded_at: Date;
}

/** A view: the members expected at each scheduled session (see migration 0009). */
export interface SessionExpectedMembersView {
  session_id: ColumnType<string, never, never>;
  member_id: ColumnType<string, never, never>;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface AttendanceTables {
  group_memberships: GroupMembershipsTable;
  session_bookings: SessionBookingsTable;
  waiting_list_entries: WaitingListEntriesTable;
  session_registers: SessionRegistersTable;
  register_submissions: RegisterSubmissionsTable;
  session_attendance: SessionAttendanceTable;
  session_notes: SessionNotesTable;
  session_note_signatures: SessionNoteSignaturesTable;
  session_incidents: SessionIncidentsTable;
  conduct_acknowledgements: ConductAcknowledgementsTable;
  session_expected_members: SessionExpectedMembersView;
}
