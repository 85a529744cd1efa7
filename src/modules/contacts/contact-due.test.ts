import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactDue, contactIntervalDays } from './contact-due.ts';

describe('when someone is due a contact', () => {
  it('is half the service non-engagement period, rounded up, and 14 days without a service', () => {
    assert.equal(contactIntervalDays(4), 14);
    assert.equal(contactIntervalDays(3), 11);
    assert.equal(contactIntervalDays(1), 4);
    assert.equal(contactIntervalDays(null), 14);
  });

  it('counts from the last contact in UK days: due on the 14th day after, and overdue by a day on the 15th', () => {
    // 23:30 UTC on 15 June is 00:30 on 16 June in British Summer Time: the contact was on the 16th.
    const last = new Date('2026-06-15T23:30:00Z');
    assert.deepEqual(contactDue(last, '2026-01-01', 14, new Date('2026-06-29T12:00:00Z')), {
      dueOn: '2026-06-30',
      due: false,
      daysOverdue: 0,
    });
    assert.deepEqual(contactDue(last, '2026-01-01', 14, new Date('2026-06-30T08:00:00Z')), {
      dueOn: '2026-06-30',
      due: true,
      daysOverdue: 0,
    });
    assert.deepEqual(contactDue(last, '2026-01-01', 14, new Date('2026-07-01T08:00:00Z')), {
      dueOn: '2026-06-30',
      due: true,
      daysOverdue: 1,
    });
  });

  it('counts from the start of support when there has been no contact yet', () => {
    assert.deepEqual(contactDue(undefined, '2026-02-01', 14, new Date('2026-03-02T10:00:00Z')), {
      dueOn: '2026-02-15',
      due: true,
      daysOverdue: 15,
    });
  });
});
