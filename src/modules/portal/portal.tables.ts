import type { ColumnType, Generated } from 'kysely';

/** How a sign-in code reaches a member. */
export type SignInChannel = 'email' | 'sms';

/** One request for a sign-in code: a code and a link, both single use, both stored hashed. */
export interface MemberSignInAttemptsTable {
  id: string;
  attempt_token_hash: string;
  /** Null when nobody is known by the address typed: the attempt is kept so it behaves the same. */
  member_id: string | null;
  channel: SignInChannel;
  code_hash: string;
  link_token_hash: string;
  wrong_codes: Generated<number>;
  created_at: ColumnType<Date, Date, never>;
  expires_at: Date;
  used_at: Date | null;
  locked_at: Date | null;
}

/** A member signed in to the portal: separate from staff sessions, with shorter limits. */
export interface MemberSessionsTable {
  id_hash: string;
  member_id: string;
  created_at: ColumnType<Date, Date, never>;
  last_seen_at: Date;
}

/** The tables this part of the product owns, as Kysely sees them. */
export interface PortalTables {
  member_sign_in_attempts: MemberSignInAttemptsTable;
  member_sessions: MemberSessionsTable;
}
