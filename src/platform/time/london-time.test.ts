import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { londonMoment, timeInLondon } from './london-time.ts';

describe('UK clock times', () => {
  it('reads a winter time as UTC', () => {
    assert.equal(
      londonMoment('2026-03-02', { hours: 9, minutes: 15 }).toISOString(),
      '2026-03-02T09:15:00.000Z',
    );
    assert.equal(timeInLondon(new Date('2026-03-02T09:15:00Z')), '09:15');
  });

  it('reads a summer time an hour behind in UTC', () => {
    assert.equal(
      londonMoment('2026-07-01', { hours: 14, minutes: 30 }).toISOString(),
      '2026-07-01T13:30:00.000Z',
    );
    assert.equal(timeInLondon(new Date('2026-07-01T13:30:00Z')), '14:30');
  });

  it('takes the later moment (GMT) in the hour the clocks go back, which the clock shows twice', () => {
    assert.equal(
      londonMoment('2026-10-25', { hours: 1, minutes: 30 }).toISOString(),
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('reads a time in the hour the clocks skip as the time after the change', () => {
    assert.equal(
      londonMoment('2026-03-29', { hours: 1, minutes: 30 }).toISOString(),
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('shows midnight as 00:00', () => {
    assert.equal(timeInLondon(new Date('2026-01-10T00:00:00Z')), '00:00');
  });
});

describe('londonMoment across the year', () => {
  it('is UTC in winter and one hour behind UK time in British Summer Time', () => {
    assert.equal(
      londonMoment('2026-01-15', { hours: 9, minutes: 0 }).toISOString(),
      '2026-01-15T09:00:00.000Z',
    );
    assert.equal(
      londonMoment('2026-07-15', { hours: 9, minutes: 0 }).toISOString(),
      '2026-07-15T08:00:00.000Z',
    );
  });

  it('changes over on the last Sunday of March and of October', () => {
    // 29 March 2026: clocks go forward at 1am GMT; 25 October 2026: back at 2am BST.
    assert.equal(
      londonMoment('2026-03-28', { hours: 12, minutes: 0 }).toISOString(),
      '2026-03-28T12:00:00.000Z',
    );
    assert.equal(
      londonMoment('2026-03-29', { hours: 12, minutes: 0 }).toISOString(),
      '2026-03-29T11:00:00.000Z',
    );
    assert.equal(
      londonMoment('2026-10-24', { hours: 12, minutes: 0 }).toISOString(),
      '2026-10-24T11:00:00.000Z',
    );
    assert.equal(
      londonMoment('2026-10-25', { hours: 12, minutes: 0 }).toISOString(),
      '2026-10-25T12:00:00.000Z',
    );
  });
});
