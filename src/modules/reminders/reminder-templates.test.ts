import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerTemplates } from '../../platform/outbox/outbox.ts';
import { reminderTemplates, whenInWords } from './reminder-templates.ts';

const templates = registerTemplates(reminderTemplates());
const params = { when: 'Tuesday 5 January at 10:00', venue: 'Chatham Library' };

describe('the reminder wordings', () => {
  it('say only the day, the time and (when safe) the venue: every text message word for word', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(templates.sms).map(([name, template]) => [name, template(params)])),
      {
        'session-reminder':
          'Reminder: you are booked for a group on Tuesday 5 January at 10:00 at Chatham Library. Please let us know if you cannot come.',
        'session-reminder-neutral':
          'You have an appointment on Tuesday 5 January at 10:00. Please let us know if you cannot come.',
        'session-cancelled':
          'The group you are booked for on Tuesday 5 January at 10:00 at Chatham Library is cancelled. We are sorry for the change.',
        'session-cancelled-neutral':
          'Your appointment on Tuesday 5 January at 10:00 is cancelled. We are sorry for the change.',
      },
    );
  });

  it('give each email the same words and a subject with no place in it', () => {
    for (const [name, template] of Object.entries(templates.email)) {
      const email = template(params);
      assert.ok(email.text.startsWith(templates.sms[name]!(params)), name);
      assert.doesNotMatch(email.subject, /Chatham/, name);
    }
  });

  it('refuse to render without the day, rather than send a message that misleads', () => {
    assert.throws(
      () => templates.sms['session-reminder']!({ venue: 'Chatham Library' }),
      /when of the session/,
    );
    assert.throws(() => templates.sms['session-reminder']!({ when: 'Tuesday 5 January at 10:00' }), /venue/);
  });

  it('put the day and time in UK time, with British Summer Time', () => {
    assert.equal(whenInWords(new Date('2027-01-05T10:00:00Z')), 'Tuesday 5 January at 10:00');
    assert.equal(whenInWords(new Date('2026-07-07T09:00:00Z')), 'Tuesday 7 July at 10:00');
  });
});
