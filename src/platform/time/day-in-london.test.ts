import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayInLondon } from './day-in-london.ts';

describe('dayInLondon', () => {
  it('uses UK time, so 11:30pm UTC in British Summer Time is already the next day', () => {
    assert.equal(dayInLondon(new Date('2026-06-30T23:30:00Z')), '2026-07-01');
    assert.equal(dayInLondon(new Date('2026-01-31T23:30:00Z')), '2026-01-31');
  });

  it('is still the same day at 11:59pm in British Summer Time (10:59pm UTC)', () => {
    assert.equal(dayInLondon(new Date('2026-07-15T22:59:00Z')), '2026-07-15');
  });

  it('writes the day as YYYY-MM-DD with leading zeros', () => {
    assert.equal(dayInLondon(new Date('2026-03-05T12:00:00Z')), '2026-03-05');
  });
});
