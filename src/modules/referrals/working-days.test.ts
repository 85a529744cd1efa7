import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Holidays from 'date-holidays';
import {
  addWorkingDays,
  bankHolidaysInEnglandAndWales,
  firstContactDueDate,
  isOverdue,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';

describe('bankHolidaysInEnglandAndWales', () => {
  it('gives the 8 bank holidays GOV.UK lists for England and Wales in 2026', () => {
    assert.deepEqual(bankHolidaysInEnglandAndWales(2026), [
      '2026-01-01', // New Year's Day
      '2026-04-03', // Good Friday
      '2026-04-06', // Easter Monday
      '2026-05-04', // Early May bank holiday
      '2026-05-25', // Spring bank holiday
      '2026-08-31', // Summer bank holiday
      '2026-12-25', // Christmas Day
      '2026-12-28', // Boxing Day (substitute day)
    ]);
  });

  it('leaves out the Saturday that date-holidays also lists for Boxing Day 2026', () => {
    // date-holidays gives both the Saturday and the Monday substitute; GOV.UK lists only the Monday.
    // If a later version of the package stops listing the Saturday, this test says so.
    const raw = new Holidays('GB', 'ENG', { types: ['public', 'bank'] })
      .getHolidays(2026)
      .map((holiday) => holiday.date.slice(0, 10));
    assert.equal(raw.length, 9);
    assert.ok(raw.includes('2026-12-26'));
    assert.ok(!bankHolidaysInEnglandAndWales(2026).includes('2026-12-26'));
  });

  it("includes one-off bank holidays, such as the Platinum Jubilee and the Queen's funeral in 2022", () => {
    const days = bankHolidaysInEnglandAndWales(2022);
    assert.ok(days.includes('2022-06-02'), 'spring bank holiday moved to Thursday 2 June');
    assert.ok(days.includes('2022-06-03'), 'Platinum Jubilee');
    assert.ok(days.includes('2022-09-19'), 'state funeral');
    assert.ok(!days.includes('2022-05-30'), 'the usual last Monday of May was moved');
  });
});

describe('isWorkingDay', () => {
  it('is false at weekends and on bank holidays, true on other weekdays', () => {
    assert.equal(isWorkingDay('2026-12-24'), true, 'Thursday before Christmas');
    assert.equal(isWorkingDay('2026-12-25'), false, 'Christmas Day, a Friday');
    assert.equal(isWorkingDay('2026-12-26'), false, 'Boxing Day, a Saturday');
    assert.equal(isWorkingDay('2026-12-28'), false, 'substitute Boxing Day, a Monday');
    assert.equal(isWorkingDay('2026-12-29'), true);
    assert.equal(isWorkingDay('2027-01-01'), false, "New Year's Day");
  });

  it('refuses a day that is not on the calendar', () => {
    assert.throws(() => isWorkingDay('2026-02-30'), RangeError);
    assert.throws(() => isWorkingDay('26/12/2026'), RangeError);
  });
});

describe('addWorkingDays', () => {
  it('skips Christmas, the substitute Boxing Day and New Year 2026/27', () => {
    assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29');
    // 29, 30, 31 December, then 4 and 5 January.
    assert.equal(addWorkingDays('2026-12-24', 5), '2027-01-05');
  });

  it('skips Good Friday and Easter Monday 2027', () => {
    assert.equal(isWorkingDay('2027-03-26'), false);
    assert.equal(isWorkingDay('2027-03-29'), false);
    assert.equal(addWorkingDays('2027-03-25', 1), '2027-03-30');
    // 30, 31 March, 1, 2 and 5 April.
    assert.equal(addWorkingDays('2027-03-25', 5), '2027-04-05');
  });

  it('skips the early May bank holiday', () => {
    assert.equal(addWorkingDays('2026-05-01', 1), '2026-05-05');
    assert.equal(addWorkingDays('2027-04-30', 1), '2027-05-04');
  });

  it('never counts the start day, even from a weekend', () => {
    assert.equal(addWorkingDays('2026-06-06', 1), '2026-06-08', 'Saturday to Monday');
    assert.equal(addWorkingDays('2026-06-08', 0), '2026-06-08');
  });

  it('refuses a negative or fractional number of days', () => {
    assert.throws(() => addWorkingDays('2026-06-08', -1), RangeError);
    assert.throws(() => addWorkingDays('2026-06-08', 1.5), RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first day up to the second', () => {
    assert.equal(workingDaysBetween('2026-12-24', '2027-01-05'), 5);
    assert.equal(workingDaysBetween('2027-03-25', '2027-04-05'), 5);
    assert.equal(workingDaysBetween('2026-12-24', '2026-12-28'), 0);
    assert.equal(workingDaysBetween('2026-06-08', '2026-06-08'), 0);
  });

  it('is negative when the second day comes first', () => {
    assert.equal(workingDaysBetween('2027-01-05', '2026-12-24'), -5);
  });

  it('undoes addWorkingDays from each day around Christmas and New Year', () => {
    for (let start = '2026-12-19'; start <= '2027-01-03'; start = addDays(start, 1)) {
      for (let n = 0; n <= 40; n += 1) {
        assert.equal(workingDaysBetween(start, addWorkingDays(start, n)), n, `${start} + ${n}`);
      }
    }
  });
});

describe('firstContactDueDate', () => {
  it('counts from the day a referral arrives on a working day, however late', () => {
    // Monday 8 June 2026 at 18:30 BST: after office hours, still that day.
    assert.equal(firstContactDueDate(new Date('2026-06-08T17:30:00Z'), 5), '2026-06-15');
    assert.equal(firstContactDueDate(new Date('2026-06-08T08:00:00Z'), 5), '2026-06-15');
  });

  it('counts from the next working day when a referral arrives at the weekend', () => {
    // Saturday 6 June 2026: the day of receipt is Monday 8 June.
    assert.equal(firstContactDueDate(new Date('2026-06-06T10:00:00Z'), 5), '2026-06-15');
  });

  it('counts from the next working day when a referral arrives on a bank holiday', () => {
    // Christmas Day 2026: the day of receipt is Tuesday 29 December.
    assert.equal(firstContactDueDate(new Date('2026-12-25T10:00:00Z'), 5), '2027-01-06');
    // Sunday evening before the early May bank holiday: the day of receipt is Tuesday 5 May.
    assert.equal(firstContactDueDate(new Date('2026-05-03T22:30:00Z'), 5), '2026-05-12');
  });

  it('reads a late Sunday evening in UK time, not UTC', () => {
    // In summer 23:30 UTC on Sunday is 00:30 on Monday in the UK (BST); in winter it is still Sunday.
    assert.equal(dayInLondon(new Date('2026-06-07T22:30:00Z')), '2026-06-07');
    assert.equal(dayInLondon(new Date('2026-06-07T23:30:00Z')), '2026-06-08');
    assert.equal(dayInLondon(new Date('2026-01-11T23:30:00Z')), '2026-01-11');
    // Sunday night and the first minutes of Monday both count from Monday.
    assert.equal(firstContactDueDate(new Date('2026-06-07T22:30:00Z'), 5), '2026-06-15');
    assert.equal(firstContactDueDate(new Date('2026-06-07T23:30:00Z'), 5), '2026-06-15');
    assert.equal(firstContactDueDate(new Date('2026-01-11T23:30:00Z'), 5), '2026-01-19');
  });

  it('moves a referral sent just after midnight on a summer Friday night to the weekend', () => {
    // 23:30 UTC on Friday 5 June 2026 is 00:30 on Saturday in the UK: counted from Monday 8 June.
    assert.equal(firstContactDueDate(new Date('2026-06-05T22:30:00Z'), 5), '2026-06-12');
    assert.equal(firstContactDueDate(new Date('2026-06-05T23:30:00Z'), 5), '2026-06-15');
  });
});

describe('isOverdue', () => {
  it('is on time all of the due day in UK time and overdue from midnight', () => {
    assert.equal(isOverdue('2026-06-15', new Date('2026-06-15T22:59:59Z')), false, '23:59 BST');
    assert.equal(isOverdue('2026-06-15', new Date('2026-06-15T23:00:00Z')), true, '00:00 BST');
    assert.equal(isOverdue('2026-06-15', new Date('2026-06-10T12:00:00Z')), false);
  });

  it('uses GMT in winter', () => {
    assert.equal(isOverdue('2027-01-05', new Date('2027-01-05T23:59:59Z')), false);
    assert.equal(isOverdue('2027-01-05', new Date('2027-01-06T00:00:00Z')), true);
  });
});

/**
 * The calendar day after a number of days, for walking through a range in a test.
 *
 * @param day - 'YYYY-MM-DD'.
 * @param by - days to add.
 * @returns the day.
 */
function addDays(day: string, by: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + by);
  return date.toISOString().slice(0, 10);
}
