import path from 'node:path';

export {
  addWorkingDays,
  bankHolidaysInEnglandAndWales,
  firstContactDueDate,
  isOverdue,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.ts';
export {
  ACCEPTED_REASON,
  CLOSED_STATUSES,
  OPEN_STATUSES,
  REFERRAL_STATUSES,
  REFERRAL_STATUS_LABELS,
  SIGNPOSTED_REASON,
  isClosedStatus,
  nextStatuses,
  transition,
} from './referral-status.ts';
export type {
  ClosedStatus,
  OpenStatus,
  ReferralState,
  ReferralStatus,
  TransitionDetails,
  TransitionRefusal,
  TransitionResult,
} from './referral-status.ts';
export { CRISIS_CONTACTS, CRISIS_HELP_HEADING } from './crisis-help.ts';
export type { CrisisContact } from './crisis-help.ts';
export { registerReferralPages } from './referrals.pages.ts';
export { registerProfessionalReferralPages } from './professional-referral.pages.ts';
export { registerTriagePages } from './triage.pages.ts';

/** Where this module's page templates live. */
export const referralsViews = [path.join(import.meta.dirname, 'views')];
