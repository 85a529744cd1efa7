/**
 * Where a referral is on its way from arriving to an outcome. The path a triage worker follows:
 * new → contact attempted (as often as needed) → welcome conversation booked → one of four outcomes.
 * An outcome closes the referral for good: helping the person again later is a new referral linked to
 * this one, so the first one's history stays as it was.
 *
 * These are the statuses still open, waiting on the team or the person.
 */
export const OPEN_STATUSES = ['new', 'contact_attempted', 'welcome_booked'] as const;
/** The outcomes: each closes the referral, and each records why. */
export const CLOSED_STATUSES = ['accepted', 'signposted', 'declined', 'withdrawn'] as const;

/** A status a referral can still move on from. */
export type OpenStatus = (typeof OPEN_STATUSES)[number];
/** An outcome: the referral cannot change again. */
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];
/** Any status on the path. */
export type ReferralStatus = OpenStatus | ClosedStatus;

/** Every status, open ones first, in the order of the path. */
export const REFERRAL_STATUSES: readonly ReferralStatus[] = [...OPEN_STATUSES, ...CLOSED_STATUSES];

/** The words a worker sees for each status. */
export const REFERRAL_STATUS_LABELS: Readonly<Record<ReferralStatus, string>> = {
  new: 'New',
  contact_attempted: 'Contact attempted',
  welcome_booked: 'Welcome conversation booked',
  accepted: 'Accepted',
  signposted: 'Signposted elsewhere',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

/**
 * The reason recorded when a referral is accepted and none is given: acceptance means support starts
 * (an episode of support opens), and that is its reason.
 */
export const ACCEPTED_REASON = 'Support started';

/**
 * The reason recorded when a referral is signposted and none is given: where the person was pointed is
 * what the worker must write down, and the reason is that that service fits better.
 */
export const SIGNPOSTED_REASON = 'Another service can help better';

/**
 * Which open statuses may follow each open status. Every open status may also close (see CLOSED_STATUSES).
 * Nothing goes back to new. Two moves go beyond the plain path, on purpose: a booked welcome can go back
 * to contact attempts (the person did not come, and the team keeps trying rather than closing), and a
 * booked welcome can be booked again (moved to another time).
 */
const NEXT_OPEN: Readonly<Record<OpenStatus, readonly OpenStatus[]>> = {
  new: ['contact_attempted', 'welcome_booked'],
  contact_attempted: ['contact_attempted', 'welcome_booked'],
  welcome_booked: ['contact_attempted', 'welcome_booked'],
};

/** A referral's state as far as its status goes: closed ones always carry their reason. */
export type ReferralState =
  | { status: OpenStatus }
  | { status: 'accepted'; reason: string }
  | { status: 'signposted'; reason: string; where: string }
  | { status: 'declined'; reason: string }
  | { status: 'withdrawn'; reason: string };

/** What the worker gave when changing the status. Only closing reads them. */
export interface TransitionDetails {
  /** Why the referral is closing; required to decline or withdraw. */
  reason?: string;
  /** Where the person was signposted to; required to signpost. */
  where?: string;
}

/** Why a change was refused, with a stable code for the service and a message for the worker. */
export type TransitionRefusal =
  | { code: 'referral.closed'; message: string }
  | { code: 'referral.transition_not_allowed'; message: string }
  | { code: 'referral.reason_required'; message: string }
  | { code: 'referral.where_required'; message: string };

/** The next state, or the refusal. */
export type TransitionResult = { ok: true; state: ReferralState } | { ok: false; refusal: TransitionRefusal };

/**
 * Whether a status is an outcome that closes the referral.
 *
 * @param status - the status.
 * @returns true for accepted, signposted, declined and withdrawn.
 */
export function isClosedStatus(status: ReferralStatus): status is ClosedStatus {
  return (CLOSED_STATUSES as readonly ReferralStatus[]).includes(status);
}

/**
 * The statuses a referral may move to next, for the buttons a worker is offered.
 *
 * @param status - where the referral is now.
 * @returns the allowed next statuses; none once it is closed.
 */
export function nextStatuses(status: ReferralStatus): readonly ReferralStatus[] {
  if (isClosedStatus(status)) {
    return [];
  }
  return [...NEXT_OPEN[status], ...CLOSED_STATUSES];
}

/**
 * Trims a typed detail, treating one that is only spaces as not given.
 *
 * @param text - what was typed, if anything.
 * @returns the trimmed text, or undefined.
 */
function given(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * Moves a referral to a new status, or says why it cannot move.
 *
 * @param referral - the referral as it is now.
 * @param referral.status - its status.
 * @param to - the status asked for.
 * @param details - the reason and, for signposting, where to.
 * @returns the next state, or a refusal: the referral is closed, the move is not on the path, or a
 *   required reason or destination is missing.
 */
export function transition(
  referral: { status: ReferralStatus },
  to: ReferralStatus,
  details: TransitionDetails = {},
): TransitionResult {
  const from = referral.status;
  if (isClosedStatus(from)) {
    return refuse(
      'referral.closed',
      'This referral is closed. To support this person again, make a new referral linked to this one',
    );
  }
  if (!nextStatuses(from).includes(to)) {
    return refuse(
      'referral.transition_not_allowed',
      `A referral cannot go from ${REFERRAL_STATUS_LABELS[from].toLowerCase()} to ${REFERRAL_STATUS_LABELS[to].toLowerCase()}`,
    );
  }
  const reason = given(details.reason);
  switch (to) {
    case 'new':
    case 'contact_attempted':
    case 'welcome_booked':
      return { ok: true, state: { status: to } };
    case 'accepted':
      return { ok: true, state: { status: to, reason: reason ?? ACCEPTED_REASON } };
    case 'signposted': {
      const where = given(details.where);
      if (where === undefined) {
        return refuse('referral.where_required', 'Enter where the person has been signposted to');
      }
      return { ok: true, state: { status: to, reason: reason ?? SIGNPOSTED_REASON, where } };
    }
    case 'declined':
    case 'withdrawn':
      if (reason === undefined) {
        return refuse(
          'referral.reason_required',
          `Enter why the referral is being ${to === 'declined' ? 'declined' : 'withdrawn'}`,
        );
      }
      return { ok: true, state: { status: to, reason } };
  }
}

/**
 * Builds a refusal.
 *
 * @param code - the stable code.
 * @param message - what the worker is told.
 * @returns the refused result.
 */
function refuse(code: TransitionRefusal['code'], message: string): TransitionResult {
  return { ok: false, refusal: { code, message } };
}
