import type { ColumnType, Generated } from 'kysely';
import type { StaffRole } from '../../policy/index.ts';

export type StaffStatus = 'invited' | 'active' | 'deactivated';

export interface StaffTable {
  id: string;
  organisation_id: string;
  email: string;
  full_name: string;
  roles: StaffRole[];
  status: StaffStatus;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enrolled_at: Date | null;
  last_totp_step: ColumnType<string | null, number | null, number | null>;
  deactivated_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface StaffRecoveryCodesTable {
  id: string;
  staff_id: string;
  code_hash: string;
  used_at: Date | null;
}

export type TokenPurpose = 'setup' | 'invitation' | 'password_reset';

export interface AccountTokensTable {
  id: string;
  purpose: TokenPurpose;
  token_hash: string;
  staff_id: string | null;
  created_by: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export type { SessionStage } from '../../context.ts';
import type { SessionStage } from '../../context.ts';

export type SessionData = { pendingTotpSecret?: string; recoveryCodes?: string[] };

export interface SessionsTable {
  id_hash: string;
  staff_id: string | null;
  stage: SessionStage;
  created_at: Date;
  last_seen_at: Date;
  data: ColumnType<SessionData, string, string>;
}

export interface SignInFailuresTable {
  id: Generated<string>;
  throttle_key: string;
  occurred_at: Date;
}

export interface AccountsTables {
  staff: StaffTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  account_tokens: AccountTokensTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
}
