import type { Kysely } from 'kysely';
import type { GroupsTables } from './modules/groups/groups.tables.ts';
import type { AccountsTables } from './modules/accounts/accounts.tables.ts';
import type { MembersTables } from './modules/members/members.tables.ts';
import type { OrganisationsTables } from './modules/organisations/organisations.tables.ts';
import type { ReferralsTables } from './modules/referrals/referrals.tables.ts';
import type { AuditTables } from './platform/audit/audit.tables.ts';
import type { OutboxTables } from './platform/outbox/outbox.tables.ts';

/** Every table, as Kysely sees it: each module owns its own part. */
export interface Database
  extends
    AuditTables,
    OutboxTables,
    OrganisationsTables,
    AccountsTables,
    ReferralsTables,
    MembersTables,
    GroupsTables {}

export type Db = Kysely<Database>;
