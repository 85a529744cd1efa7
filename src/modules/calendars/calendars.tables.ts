import type { ColumnType } from 'kysely';

/** A secret calendar feed address: a member of staff's own calendar, or one group's public timetable. */
export interface CalendarFeedsTable {
  id: string;
  organisation_id: string;
  staff_id: string | null;
  group_id: string | null;
  /** SHA-256 of the token, in hex; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: ColumnType<Date, Date, never>;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface CalendarsTables {
  calendar_feeds: CalendarFeedsTable;
}
