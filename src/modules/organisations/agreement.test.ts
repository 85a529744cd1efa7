import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agreementStatus } from './agreement.ts';

describe('agreementStatus', () => {
  const agreement = { startsOn: '2026-04-01', endsOn: '2027-03-31' };

  it('is in force from its first day to its last day, both included', () => {
    assert.equal(agreementStatus(agreement, '2026-04-01'), 'in_force');
    assert.equal(agreementStatus(agreement, '2027-03-31'), 'in_force');
  });

  it('has not started the day before and has ended the day after', () => {
    assert.equal(agreementStatus(agreement, '2026-03-31'), 'not_started');
    assert.equal(agreementStatus(agreement, '2027-04-01'), 'ended');
  });

  it('never ends without an end date', () => {
    assert.equal(agreementStatus({ startsOn: '2026-04-01', endsOn: null }, '2099-12-31'), 'in_force');
  });
});
