import { isStaffRole, STAFF_ROLES } from '../../policy/index.ts';

/**
 * How a look at the member's record is described to them, in plain words. The audit trail names what
 * was read (`member.read`, `plan.read`...); anything not listed is "Looked at your record", so a new
 * kind of read still shows, just less precisely.
 */
const WHAT_WAS_READ: Record<string, string> = {
  'member.read': 'Opened your record',
  'episode.read': 'Looked at your support with the service',
  'plan.read': 'Read one of your plans',
  'plan.list_read': 'Looked at the list of your plans',
  'plan.crisis_view_read': 'Opened your crisis plan',
  'plan.crisis_page_read': 'Opened the page for your crisis plan, without seeing the plan',
  'contact.notes_read': 'Read notes from a conversation with you',
  'conduct.read': 'Looked at notes about groups you attend',
  'member.possible_duplicates_read': 'Checked whether a new referral was you',
  'register.read': 'Looked at the register of a group session you were expected at',
  'session_bookings.read': 'Looked at who is booked on a group session, with you on it',
  'caseload.read': 'Looked at a list of people they support, with you on it',
};

/**
 * What someone read, in the member's words.
 *
 * @param action - the audit row's action.
 * @returns the words to show.
 */
export function describeLook(action: string): string {
  return WHAT_WAS_READ[action] ?? 'Looked at your record';
}

/**
 * The reader's roles as the service names them, e.g. "Peer support worker and Service manager".
 * Names of staff are never shown: a role and an organisation are enough to ask the service about a
 * look, and naming workers (often peer workers with lived experience, working alone) to everyone they
 * support is a risk to them that the member does not need to take on.
 *
 * @param roles - the audit row's comma-separated role keys.
 * @returns the role names, or "Someone at the service" when none is recorded.
 */
export function describeRoles(roles: string | null): string {
  const names = (roles ?? '')
    .split(',')
    .filter(isStaffRole)
    .map((role) => STAFF_ROLES[role].replace(/ \(.*\)$/, ''));
  if (names.length === 0) {
    return 'Someone at the service';
  }
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}
