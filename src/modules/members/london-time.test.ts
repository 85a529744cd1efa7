import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { londonMoment, timeInLondon } from './london-time.ts';

describe('UK clock times', () => {
  it('reads a winter time as UTC', () => {
    assert.equal(londonMoment('2026-03-02', '09:15').toISOString(), '2026-03-02T09:15:00.000Z');
    assert.equal(timeInLondon(new Date('2026-03-02T09:15:00Z')), '09:15');
  });

  it('reads a summer time an hour behind in UTC', () => {
    assert.equal(londonMoment('2026-07-01', '14:30').toISOString(), '2026-07-01T13:30:00.000Z');
    assert.equal(timeInLondon(new Date('2026-07-01T13:30:00Z')), '14:30');
  });

  it('takes the earlier moment in the hour the clocks go back', () => {
    assert.equal(londonMoment('2026-10-25', '01:30').toISOString(), '2026-10-25T00:30:00.000Z');
  });

  it('reads a time in the hour the clocks skip as the time after the change', () => {
    assert.equal(londonMoment('2026-03-29', '01:30').toISOString(), '2026-03-29T01:30:00.000Z');
  });

  it('shows midnight as 00:00', () => {
    assert.equal(timeInLondon(new Date('2026-01-10T00:00:00Z')), '00:00');
  });
});
