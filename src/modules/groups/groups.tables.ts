import type { ColumnType, Generated } from 'kysely';

/** The kinds of group a service runs, each with its own facilitation rule (facilitation.ts). */
export type GroupType =
  | 'sun_group'
  | 'peer_support_group'
  | 'drop_in'
  | 'social_activity'
  | 'living_well_workshop'
  | 'recovery_college_course'
  | 'peer_support_training'
  | 'carers_group';

/** Where a group meets. */
export type GroupMode = 'in_person' | 'online' | 'hybrid';

/** What a facilitator does in one session. */
export type SessionRole =
  'clinical' | 'lived_experience' | 'peer_worker' | 'peer_bank_worker' | 'facilitator';

export type SessionStatus = 'scheduled' | 'cancelled';

export interface VenuesTable {
  id: string;
  organisation_id: string;
  name: string;
  address: string;
  /** In Royal Mail's printed form, e.g. 'ME4 4AA'. */
  postcode: string;
  accessibility: Generated<string>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface VenueRoomsTable {
  id: string;
  venue_id: string;
  name: string;
  capacity: number;
  created_at: ColumnType<Date, Date, never>;
  /** Null until the room is first changed. */
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  version: Generated<number>;
  /** When the room stopped being offered for new sessions; null while it is in use. */
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface GroupProgrammesTable {
  id: string;
  organisation_id: string;
  service_id: string | null;
  name: string;
  group_type: GroupType;
  audience: string | null;
  capacity: number;
  mode: GroupMode;
  default_room_id: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface GroupSessionsTable {
  id: string;
  group_id: string;
  starts_at: Date;
  ends_at: Date;
  room_id: string | null;
  online_link: string | null;
  status: Generated<SessionStatus>;
  cancel_reason: string | null;
  cancelled_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
  /** The recurring schedule that made the session; null for a one-off. */
  schedule_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface GroupSessionFacilitatorsTable {
  session_id: string;
  staff_id: string;
  session_role: SessionRole;
}

/** The groups module's tables. */
export interface GroupsTables {
  venues: VenuesTable;
  venue_rooms: VenueRoomsTable;
  group_programmes: GroupProgrammesTable;
  group_sessions: GroupSessionsTable;
  group_session_facilitators: GroupSessionFacilitatorsTable;
}
