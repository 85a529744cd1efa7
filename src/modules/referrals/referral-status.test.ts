import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCEPTED_REASON,
  REFERRAL_STATUSES,
  SIGNPOSTED_REASON,
  isClosedStatus,
  nextStatuses,
  transition,
  type ReferralStatus,
  type TransitionDetails,
} from './referral-status.ts';

/** Every move the path allows, written out by hand rather than read from the code under test. */
const ALLOWED: ReadonlyArray<readonly [ReferralStatus, ReferralStatus]> = [
  ['new', 'contact_attempted'],
  ['new', 'welcome_booked'],
  ['new', 'accepted'],
  ['new', 'signposted'],
  ['new', 'declined'],
  ['new', 'withdrawn'],
  ['contact_attempted', 'contact_attempted'],
  ['contact_attempted', 'welcome_booked'],
  ['contact_attempted', 'accepted'],
  ['contact_attempted', 'signposted'],
  ['contact_attempted', 'declined'],
  ['contact_attempted', 'withdrawn'],
  ['welcome_booked', 'contact_attempted'],
  ['welcome_booked', 'welcome_booked'],
  ['welcome_booked', 'accepted'],
  ['welcome_booked', 'signposted'],
  ['welcome_booked', 'declined'],
  ['welcome_booked', 'withdrawn'],
];

const CLOSED: readonly ReferralStatus[] = ['accepted', 'signposted', 'declined', 'withdrawn'];

/** Details that satisfy every outcome's rules, so only the path itself is being tested. */
const COMPLETE: TransitionDetails = { reason: 'Chose another service', where: 'Local Talking Therapies' };

const isAllowed = (from: ReferralStatus, to: ReferralStatus): boolean =>
  ALLOWED.some(([a, b]) => a === from && b === to);

describe('transition: the path', () => {
  for (const from of REFERRAL_STATUSES) {
    for (const to of REFERRAL_STATUSES) {
      if (isAllowed(from, to)) {
        it(`allows ${from} → ${to}`, () => {
          const result = transition({ status: from }, to, COMPLETE);
          assert.equal(result.ok, true);
          assert.equal(result.ok && result.state.status, to);
        });
      } else {
        const code = CLOSED.includes(from) ? 'referral.closed' : 'referral.transition_not_allowed';
        it(`refuses ${from} → ${to} with ${code}`, () => {
          const result = transition({ status: from }, to, COMPLETE);
          assert.equal(result.ok, false);
          assert.equal(!result.ok && result.refusal.code, code);
        });
      }
    }
  }

  it('covers all 49 pairs of statuses', () => {
    assert.equal(REFERRAL_STATUSES.length ** 2, 49);
    assert.equal(ALLOWED.length, 18);
  });

  it('offers exactly the allowed moves as next statuses', () => {
    for (const from of REFERRAL_STATUSES) {
      const expected = REFERRAL_STATUSES.filter((to) => isAllowed(from, to));
      assert.deepEqual([...nextStatuses(from)].sort(), [...expected].sort(), from);
    }
  });

  it('treats only the four outcomes as closed', () => {
    assert.deepEqual(REFERRAL_STATUSES.filter(isClosedStatus), CLOSED);
  });

  it('tells the worker that a closed referral needs a new, linked referral', () => {
    const result = transition({ status: 'declined' }, 'contact_attempted');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.refusal.message : '', /make a new referral linked to this one/);
  });
});

describe('transition: reasons', () => {
  it('refuses to decline or withdraw without a reason', () => {
    for (const to of ['declined', 'withdrawn'] as const) {
      for (const reason of [undefined, '', '   ']) {
        const result = transition({ status: 'contact_attempted' }, to, { reason });
        assert.equal(result.ok, false, `${to} with ${JSON.stringify(reason)}`);
        assert.equal(!result.ok && result.refusal.code, 'referral.reason_required');
      }
    }
  });

  it('says in plain words what is missing', () => {
    const declined = transition({ status: 'new' }, 'declined');
    const withdrawn = transition({ status: 'new' }, 'withdrawn');
    const signposted = transition({ status: 'new' }, 'signposted');
    assert.equal(!declined.ok && declined.refusal.message, 'Enter why the referral is being declined');
    assert.equal(!withdrawn.ok && withdrawn.refusal.message, 'Enter why the referral is being withdrawn');
    assert.equal(
      !signposted.ok && signposted.refusal.message,
      'Enter where the person has been signposted to',
    );
  });

  it('keeps the reason given, trimmed', () => {
    const result = transition({ status: 'welcome_booked' }, 'withdrawn', { reason: '  Feeling better  ' });
    assert.deepEqual(result, { ok: true, state: { status: 'withdrawn', reason: 'Feeling better' } });
  });

  it('refuses to signpost without saying where, even with a reason', () => {
    for (const where of [undefined, '', '  ']) {
      const result = transition({ status: 'new' }, 'signposted', { reason: 'Needs debt advice', where });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.refusal.code, 'referral.where_required');
    }
  });

  it('records where the person was signposted, with a standard reason when none is given', () => {
    assert.deepEqual(transition({ status: 'new' }, 'signposted', { where: ' Citizens Advice ' }), {
      ok: true,
      state: { status: 'signposted', reason: SIGNPOSTED_REASON, where: 'Citizens Advice' },
    });
  });

  it('gives an accepted referral the start of support as its reason', () => {
    assert.deepEqual(transition({ status: 'welcome_booked' }, 'accepted'), {
      ok: true,
      state: { status: 'accepted', reason: ACCEPTED_REASON },
    });
  });

  it('closes no referral without a reason', () => {
    for (const from of ['new', 'contact_attempted', 'welcome_booked'] as const) {
      for (const to of CLOSED) {
        const result = transition({ status: from }, to, { where: 'Local Talking Therapies' });
        if (result.ok) {
          assert.ok('reason' in result.state && result.state.reason.length > 0, `${from} → ${to}`);
        } else {
          assert.equal(result.refusal.code, 'referral.reason_required', `${from} → ${to}`);
        }
      }
    }
  });

  it('needs no reason to record a contact attempt or book a welcome', () => {
    assert.deepEqual(transition({ status: 'new' }, 'contact_attempted'), {
      ok: true,
      state: { status: 'contact_attempted' },
    });
    assert.deepEqual(transition({ status: 'contact_attempted' }, 'welcome_booked'), {
      ok: true,
      state: { status: 'welcome_booked' },
    });
  });
});
