import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { occurrencesOf, patternInWords, ruleText } from './schedules-occurrences.ts';
import { isOutOfHours, outOfHoursFrom, USUAL_OUT_OF_HOURS } from './schedules-out-of-hours.ts';

const ten = { hours: 10, minutes: 0 };
const noon = { hours: 12, minutes: 0 };

describe('recurring schedules', () => {
  it('keeps a 10:00 group at 10:00 UK time across the last Sunday of March (the clocks go forward)', () => {
    const rule = ruleText({
      startsOn: '2026-03-17',
      weekdays: ['TU'],
      everyWeeks: 1,
      end: { sessions: 3 },
      startTime: ten,
    });
    assert.equal(
      rule,
      'DTSTART;TZID=Europe/London:20260317T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=3',
    );
    const sessions = occurrencesOf(rule, { start: ten, end: noon }, '2026-12-31');
    assert.deepEqual(
      sessions.map((s) => [s.day, s.startsAt.toISOString(), s.endsAt.toISOString()]),
      [
        ['2026-03-17', '2026-03-17T10:00:00.000Z', '2026-03-17T12:00:00.000Z'],
        ['2026-03-24', '2026-03-24T10:00:00.000Z', '2026-03-24T12:00:00.000Z'],
        // British Summer Time from 29 March: 10:00 in London is 09:00 UTC.
        ['2026-03-31', '2026-03-31T09:00:00.000Z', '2026-03-31T11:00:00.000Z'],
      ],
    );
  });

  it('keeps it at 10:00 across the last Sunday of October (the clocks go back)', () => {
    const rule = ruleText({
      startsOn: '2026-10-20',
      weekdays: ['TU'],
      everyWeeks: 1,
      end: { until: '2026-10-27' },
      startTime: ten,
    });
    const sessions = occurrencesOf(rule, { start: ten, end: noon }, '2026-12-31');
    assert.deepEqual(
      sessions.map((s) => s.startsAt.toISOString()),
      ['2026-10-20T09:00:00.000Z', '2026-10-27T10:00:00.000Z'],
    );
  });

  it('meets on several days, every other week, until a last day, and stops at the horizon', () => {
    const rule = ruleText({
      startsOn: '2026-03-03',
      weekdays: ['TU', 'TH'],
      everyWeeks: 2,
      end: { until: '2026-03-31' },
      startTime: ten,
    });
    const days = occurrencesOf(rule, { start: ten, end: noon }, '2026-12-31').map((s) => s.day);
    assert.deepEqual(days, ['2026-03-03', '2026-03-05', '2026-03-17', '2026-03-19', '2026-03-31']);
    assert.deepEqual(
      occurrencesOf(rule, { start: ten, end: noon }, '2026-03-17').map((s) => s.day),
      ['2026-03-03', '2026-03-05', '2026-03-17'],
    );
    assert.equal(patternInWords(rule), 'Every other Tuesday and Thursday');
  });

  it('starts on the first chosen day on or after the first day given', () => {
    // 2 March 2026 is a Monday: the first Wednesday is the 4th.
    const rule = ruleText({
      startsOn: '2026-03-02',
      weekdays: ['WE'],
      everyWeeks: 1,
      end: { sessions: 2 },
      startTime: ten,
    });
    assert.deepEqual(
      occurrencesOf(rule, { start: ten, end: noon }, '2026-12-31').map((s) => s.day),
      ['2026-03-04', '2026-03-11'],
    );
    assert.equal(patternInWords(rule), 'Every Wednesday, 2 sessions');
  });
});

describe('out of hours', () => {
  it('marks weekday sessions from 17:00 UK time and weekends by default, in summer time too', () => {
    assert.equal(isOutOfHours(new Date('2026-03-03T16:59:00Z'), USUAL_OUT_OF_HOURS), false);
    assert.equal(isOutOfHours(new Date('2026-03-03T17:00:00Z'), USUAL_OUT_OF_HOURS), true);
    // 16:30 UTC in July is 17:30 in London.
    assert.equal(isOutOfHours(new Date('2026-07-07T16:30:00Z'), USUAL_OUT_OF_HOURS), true);
    assert.equal(isOutOfHours(new Date('2026-03-07T10:00:00Z'), USUAL_OUT_OF_HOURS), true);
  });

  it('marks a morning session on a bank holiday in England (UK time), unless the service does not count them', () => {
    // Easter Monday, 6 April 2026, 10:00 in London (BST); and the Tuesday after, an ordinary day.
    assert.equal(isOutOfHours(new Date('2026-04-06T09:00:00Z'), USUAL_OUT_OF_HOURS), true);
    assert.equal(isOutOfHours(new Date('2026-04-07T09:00:00Z'), USUAL_OUT_OF_HOURS), false);
    // 23:30 UTC on Sunday 24 May is 00:30 on the spring bank holiday in London.
    const weekdaysOnly = { ...USUAL_OUT_OF_HOURS, sundays: false, eveningsFrom: null };
    assert.equal(isOutOfHours(new Date('2026-05-24T23:30:00Z'), weekdaysOnly), true);
    assert.equal(
      isOutOfHours(new Date('2026-04-06T09:00:00Z'), { ...USUAL_OUT_OF_HOURS, bankHolidays: false }),
      false,
    );
  });

  it('follows a service that counts evenings from 18:00 and Saturdays only', () => {
    const settings = outOfHoursFrom({
      evenings_from: '18:00:00',
      saturdays: true,
      sundays: false,
      bank_holidays: false,
    });
    assert.equal(isOutOfHours(new Date('2026-03-03T17:30:00Z'), settings), false);
    assert.equal(isOutOfHours(new Date('2026-03-03T18:00:00Z'), settings), true);
    assert.equal(isOutOfHours(new Date('2026-03-08T10:00:00Z'), settings), false);
    const none = outOfHoursFrom({
      evenings_from: null,
      saturdays: false,
      sundays: false,
      bank_holidays: false,
    });
    assert.equal(isOutOfHours(new Date('2026-03-03T20:00:00Z'), none), false);
  });
});
