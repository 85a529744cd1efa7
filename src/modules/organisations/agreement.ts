/**
 * Whether an information-sharing agreement is in force on a day. Its dates are calendar days in UK
 * time, and both ends count: an agreement ending on 31 March still shares on 31 March.
 */
export type AgreementStatus = 'not_started' | 'in_force' | 'ended';

/**
 * Where an agreement stands on a day.
 *
 * @param agreement - its dates.
 * @param agreement.startsOn - the first day it is in force, 'YYYY-MM-DD'.
 * @param agreement.endsOn - the last day, or null when it runs until it is changed.
 * @param today - the day, 'YYYY-MM-DD'.
 * @returns not started, in force or ended.
 */
export function agreementStatus(
  agreement: { startsOn: string; endsOn: string | null },
  today: string,
): AgreementStatus {
  if (today < agreement.startsOn) {
    return 'not_started';
  }
  if (agreement.endsOn !== null && today > agreement.endsOn) {
    return 'ended';
  }
  return 'in_force';
}
