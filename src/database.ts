import type { Kysely } from 'kysely';
import type { GroupsTables } from './modules/groups/groups.tables.ts';
import type { AccountsTables } from './modules/accounts/accounts.tables.ts';
import type { MembersTables } from './modules/members/members.tables.ts';
import type { OrganisationsTables } from './modules/organisations/organisations.tables.ts';
import type { ReferralsTables } from './modules/referrals/referrals.tables.ts';
import type { SchedulesTables } from './modules/groups/schedules.tables.ts';
import type { AttendanceTables } from './modules/groups/attendance.tables.ts';
import type { ContactsTables } from './modules/contacts/contacts.tables.ts';
import type { CalendarsTables } from './modules/calendars/calendars.tables.ts';
import type { RemindersTables } from './modules/reminders/reminders.tables.ts';
import type { PlansTables } from './modules/plans/plans.tables.ts';
import type { PortalTables } from './modules/portal/portal.tables.ts';
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
    GroupsTables,
    SchedulesTables,
    AttendanceTables,
    ContactsTables,
    CalendarsTables,
    RemindersTables,
    PlansTables,
    PortalTables {}

export type Db = Kysely<Database>;
