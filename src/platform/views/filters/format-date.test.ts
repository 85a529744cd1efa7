import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate, formatDateTime } from './format-date.ts';

describe('formatDate', () => {
  it('writes the day, month in words and year', () => {
    assert.equal(formatDate(new Date('2025-01-01T09:00:00Z')), '1 January 2025');
  });

  it('keeps a calendar date on its day whatever the time zone', () => {
    assert.equal(formatDate('2025-03-30'), '30 March 2025');
  });

  it('uses UK time, so late evening in British Summer Time is still the same day', () => {
    assert.equal(formatDate(new Date('2025-06-30T23:30:00Z')), '1 July 2025');
  });

  it('returns nothing for a missing date', () => {
    assert.equal(formatDate(null), '');
  });
});

describe('formatDateTime', () => {
  it('writes the time in the NHS style with am or pm and no space', () => {
    assert.equal(formatDateTime(new Date('2025-01-15T15:04:00Z')), '15 January 2025 at 3:04pm');
  });

  it('drops the minutes on the hour', () => {
    assert.equal(formatDateTime(new Date('2025-01-15T09:00:00Z')), '15 January 2025 at 9am');
  });

  it('shows midday as 12pm and shifts to British Summer Time', () => {
    assert.equal(formatDateTime(new Date('2025-07-15T11:00:00Z')), '15 July 2025 at 12pm');
  });
});
