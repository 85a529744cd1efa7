import type { Migration } from 'kysely';
import * as platform from './0001_platform.ts';
import * as organisations from './0002_organisations.ts';
import * as accounts from './0003_accounts.ts';
import * as odsCodeLength from './0004_ods_code_length.ts';
import * as referrals from './0005_referrals.ts';
import * as peopleAndTriage from './0006_people_and_triage.ts';
import * as groups from './0007_groups.ts';
import * as group_schedules from './0008_group_schedules.ts';
import * as bookingsAndRegisters from './0009_bookings_and_registers.ts';
import * as oneToOneContacts from './0010_one_to_one_contacts.ts';
import * as calendarsAndReminders from './0011_calendars_and_reminders.ts';
import * as plans from './0012_plans.ts';
import * as memberPortal from './0013_member_portal.ts';
import * as engagementFromAttendanceAndContacts from './0014_engagement_from_attendance_and_contacts.ts';
import * as roomRetirement from './0015_room_retirement.ts';
import * as planReviewIndex from './0016_plan_review_index.ts';
import * as breakGlassKept from './0017_break_glass_kept.ts';
import * as bankHolidaysOutOfHours from './0018_bank_holidays_out_of_hours.ts';
import * as outboxDetailsRemoved from './0019_outbox_details_removed.ts';

/**
 * Every migration in the order it runs. One list for the whole product, because tables refer to each
 * other across modules; a new migration is added at the end and never edited once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_platform': platform,
  '0002_organisations': organisations,
  '0003_accounts': accounts,
  '0004_ods_code_length': odsCodeLength,
  '0005_referrals': referrals,
  '0006_people_and_triage': peopleAndTriage,
  '0007_groups': groups,
  '0008_group_schedules': group_schedules,
  '0009_bookings_and_registers': bookingsAndRegisters,
  '0010_one_to_one_contacts': oneToOneContacts,
  '0011_calendars_and_reminders': calendarsAndReminders,
  '0012_plans': plans,
  '0013_member_portal': memberPortal,
  '0014_engagement_from_attendance_and_contacts': engagementFromAttendanceAndContacts,
  '0015_room_retirement': roomRetirement,
  '0016_plan_review_index': planReviewIndex,
  '0017_break_glass_kept': breakGlassKept,
  '0018_bank_holidays_out_of_hours': bankHolidaysOutOfHours,
  '0019_outbox_details_removed': outboxDetailsRemoved,
};
