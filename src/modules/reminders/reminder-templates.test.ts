import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerTemplates } from '../../platform/outbox/outbox.ts';
import { dayInWords, reminderTemplates, whenInWords } from './reminder-templates.ts';

const templates = registerTemplates(reminderTemplates());
const params = { when: 'Tuesday 5 January at 10:00', venue: 'Chatham Library' };
const sessionTemplates = <T>(byName: Readonly<Record<string, T>>) =>
  Object.entries(byName).filter(([name]) => name.startsWith('session-'));

describe('the reminder wordings', () => {
  it('say only the day, the time and (when safe) the venue: every text message word for word', () => {
    assert.deepEqual(
      Object.fromEntries(sessionTemplates(templates.sms).map(([name, template]) => [name, template(params)])),
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
    for (const [name, template] of sessionTemplates(templates.email)) {
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
    assert.throws(
      () =>
        templates.sms['session-reminder']!({
          when: 'Tuesday 5 January at 10:00',
        }),
      /venue/,
    );
  });

  it('remind a member of a plan review naming only a kind of plan that says nothing about health, and only in the standard wording', () => {
    const day = '2027-01-12';
    const sms = (name: string, kind: string) => templates.sms[name]!({ day, kind });
    const words = (what: string) =>
      `It is nearly time to look at your ${what} together, by Tuesday 12 January. Sign in to see it, or talk to your worker.`;
    assert.equal(sms('plan-review', 'resource_and_support'), words('support plan'));
    assert.equal(sms('plan-review', 'goal'), words('goal'));
    assert.equal(sms('plan-review', 'network_map'), words('network map'));
    assert.equal(sms('plan-review', 'safety'), words('plan'));
    assert.equal(sms('plan-review', 'advance_statement'), words('plan'));
    assert.equal(sms('plan-review-neutral', 'resource_and_support'), words('plan'));
    for (const name of ['plan-review', 'plan-review-neutral']) {
      const email = templates.email[name]!({
        day,
        kind: 'resource_and_support',
      });
      assert.equal(email.subject, 'Time to look at your plan together');
      assert.ok(email.text.startsWith(sms(name, 'resource_and_support')));
    }
    assert.throws(() => templates.sms['plan-review']!({ kind: 'goal' }), /day of the plan review/);
    assert.throws(() => templates.sms['plan-review']!({ day: '12 January', kind: 'goal' }), /day/);
  });

  it('tell a key worker by email only which plan of whose initials is due, with a link when given', () => {
    assert.equal(templates.sms['plan-review-staff'], undefined, 'never by text');
    const link =
      'https://alongside.example.org/members/5b0c3a52-1d2e-4f3a-9b8c-7d6e5f4a3b2c/plans/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
    const email = templates.email['plan-review-staff']!({
      day: '2027-01-12',
      kind: 'safety',
      initials: 'R.T.',
      link,
    });
    assert.equal(email.subject, 'A plan is due for review on Tuesday 12 January');
    assert.equal(
      email.text,
      `The safety plan of a person you support (R.T.) is due for review on Tuesday 12 January. It may help to arrange a time to look at it together.\n\nSee the plan (you will be asked to sign in): ${link}\n\nThis is an automatic message. Please do not reply to this email.`,
    );
    const render = (p: Record<string, string>) =>
      templates.email['plan-review-staff']!({
        day: '2027-01-12',
        kind: 'goal',
        initials: 'R.T.',
        ...p,
      });
    assert.match(render({}).text, /recovery and wellbeing goal .* Sign in to see it\./);
    assert.throws(() => render({ initials: 'Rowan T.' }), /initials/, 'never a name');
    assert.throws(() => render({ kind: 'something_else' }), /kind/);
    assert.throws(() => render({ link: 'https://elsewhere.example.org/win-a-prize' }), /link/);
  });

  it('put a review date into words the same whatever the server time zone', () => {
    assert.equal(dayInWords('2027-01-12'), 'Tuesday 12 January');
    assert.equal(dayInWords('2027-03-28'), 'Sunday 28 March');
  });

  it('put the day and time in UK time, with British Summer Time', () => {
    assert.equal(whenInWords(new Date('2027-01-05T10:00:00Z')), 'Tuesday 5 January at 10:00');
    assert.equal(whenInWords(new Date('2026-07-07T09:00:00Z')), 'Tuesday 7 July at 10:00');
  });
});
