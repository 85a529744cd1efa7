import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTimeOfDay } from './time-of-day.ts';

describe('readTimeOfDay', () => {
  it('reads the 24-hour clock with minutes, and the 12-hour clock with am or pm', () => {
    assert.deepEqual(readTimeOfDay('14:30'), { hours: 14, minutes: 30 });
    assert.deepEqual(readTimeOfDay('09.05'), { hours: 9, minutes: 5 });
    assert.deepEqual(readTimeOfDay('2:30pm'), { hours: 14, minutes: 30 });
    assert.deepEqual(readTimeOfDay(' 2 PM '), { hours: 14, minutes: 0 });
    assert.deepEqual(readTimeOfDay('12am'), { hours: 0, minutes: 0 });
    assert.deepEqual(readTimeOfDay('12pm'), { hours: 12, minutes: 0 });
  });

  it('refuses what is not clearly a time', () => {
    for (const typed of ['', '2', '24:00', '13pm', '0am', '10:60', 'soon', '10:3', '1430']) {
      assert.equal(readTimeOfDay(typed), undefined, typed);
    }
  });
});
