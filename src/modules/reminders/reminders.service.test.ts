import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { notifySmsTransport } from '../../platform/notify/notify-sms-transport.ts';
import {
  startNotifyTestServer,
  TEST_NOTIFY_KEY,
  type NotifyTestServer,
} from '../../platform/notify/notify-test-server.ts';
import {
  deliverDue,
  registerTemplates,
  smtpTransport,
  type OutboxTransports,
} from '../../platform/outbox/outbox.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { reminderTemplates } from './reminder-templates.ts';
import { chooseChannel, runReminderRound, startReminderRounds } from './reminders.service.ts';

// Tuesday 5 January 2027, 10:00 in the UK (GMT, so also 10:00 UTC).
const sessionStart = new Date('2027-01-05T10:00:00Z');
// The afternoon before: every session of these tests (10:00 to 16:00 on the 5th) is less than a day away.
const dayBefore = new Date('2027-01-04T17:00:00Z');
const templates = registerTemplates(reminderTemplates());

describe('session reminders', () => {
  let t: TestDatabase;
  let mail: MailServer;
  let notify: NotifyTestServer;
  let organisationId: string;
  let staffId: string;
  let venue: Awaited<ReturnType<typeof buildVenue>>;
  let groupId: string;

  const transports = (): OutboxTransports => ({
    email: smtpTransport(mail.url, 'Service <no-reply@example.org>'),
    sms: notifySmsTransport({
      apiKey: TEST_NOTIFY_KEY.apiKey,
      templateId: '6a1f7a52-4b8e-4d0c-9f3a-2e5b7c9d1f30',
      baseUrl: notify.url,
    }),
  });
  const deliver = async (at: Date) => {
    const using = transports();
    const result = await deliverDue(t.db, using, templates, at);
    using.email?.close();
    return result;
  };

  const member = (overrides: Partial<Parameters<typeof buildMember>[1]>) =>
    buildMember(t.db, { organisationId, legalName: 'Rowan Testperson', ...overrides });

  async function book(
    sessionId: string,
    memberId: string,
    status: 'booked' | 'cancelled_by_member' = 'booked',
  ) {
    await t.db
      .insertInto('session_bookings')
      .values({
        id: randomUUID(),
        session_id: sessionId,
        member_id: memberId,
        status,
        cancel_reason: status === 'booked' ? null : 'Cannot make it',
        booked_by: staffId,
        booked_at: new Date('2027-01-01T09:00:00Z'),
        cancelled_by: null,
        cancelled_at: null,
      })
      .execute();
  }

  const session = (startsAt = sessionStart, where: { roomId?: string } = { roomId: venue.roomId }) =>
    buildSession(t.db, {
      groupId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      ...where,
    });

  async function cancel(sessionId: string) {
    await t.db
      .updateTable('group_sessions')
      .set({ status: 'cancelled', cancel_reason: 'Facilitator unwell', cancelled_at: dayBefore })
      .where('id', '=', sessionId)
      .execute();
  }

  const outbox = () =>
    t.db
      .selectFrom('outbox_messages')
      .select(['dedupe_key', 'channel', 'recipient', 'status'])
      .orderBy('dedupe_key')
      .execute();

  before(async () => {
    t = await createTestDatabase();
    mail = await startMailServer();
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
    venue = await buildVenue(t.db, { name: 'Chatham Library' });
    organisationId = venue.organisationId;
    staffId = (await buildStaff(t.db, { organisationId })).id;
    groupId = (await buildGroup(t.db, organisationId, { name: 'Hearing Voices Group' })).id;
  });
  after(async () => {
    await notify.close();
    await mail.close();
    await t.drop();
  });
  beforeEach(async () => {
    mail.received.length = 0;
    notify.accepted.length = 0;
    await t.db.deleteFrom('outbox_messages').execute();
  });

  it('reminds each expected member once, a day ahead, by the channel they chose, with no names and no group', async () => {
    const sessionId = await session();
    const texter = await member({ contactMethods: ['text'], phone: '07700 900101' });
    const emailer = await member({ contactMethods: ['email'], email: 'emailer@example.org' });
    const both = await member({
      contactMethods: ['email', 'text'],
      phone: '07700 900102',
      email: 'both@example.org',
    });
    const caller = await member({ contactMethods: ['phone'], phone: '07700 900103' });
    const textWithoutPhone = await member({ contactMethods: ['text'], phone: null });
    const notComing = await member({ contactMethods: ['text'], phone: '07700 900104' });
    for (const m of [texter, emailer, both, caller, textWithoutPhone]) {
      await book(sessionId, m.id);
    }
    await book(sessionId, notComing.id, 'cancelled_by_member');

    const tooEarly = new Date(sessionStart.getTime() - 25 * 3_600_000);
    assert.deepEqual(
      await runReminderRound(t.db, tooEarly),
      { reminders: 0, notices: 0 },
      'more than a day ahead',
    );
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 3, notices: 0 });
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 0, notices: 0 }, 'once only');

    assert.deepEqual(
      (await outbox()).map((m) => [m.dedupe_key, m.channel, m.recipient]),
      [
        [`session-reminder:${sessionId}:${both.id}`, 'sms', '07700 900102'],
        [`session-reminder:${sessionId}:${emailer.id}`, 'email', 'emailer@example.org'],
        [`session-reminder:${sessionId}:${texter.id}`, 'sms', '07700 900101'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );

    assert.deepEqual(await deliver(dayBefore), { sent: 3, failed: 0 });
    const expected =
      'Reminder: you are booked for a group on Tuesday 5 January at 10:00 at Chatham Library. Please let us know if you cannot come.';
    assert.deepEqual(notify.accepted.map((sms) => [sms.phoneNumber, sms.personalisation.message]).sort(), [
      ['07700 900101', expected],
      ['07700 900102', expected],
    ]);
    assert.equal(mail.received.length, 1);
    assert.deepEqual(mail.received[0]?.to, ['emailer@example.org']);
    assert.equal(mail.received[0]?.subject, 'Reminder: Tuesday 5 January at 10:00');
    assert.match(mail.received[0]?.text ?? '', new RegExp(expected.replace(/[.]/g, '\\.')));
    for (const text of [
      ...notify.accepted.map((s) => s.personalisation.message ?? ''),
      mail.received[0]?.text ?? '',
    ]) {
      assert.doesNotMatch(text, /Rowan|Testperson|Hearing|Voices|mental|Alongside/i);
    }
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['action', 'subject_id', 'actor_type'])
      .where('action', '=', 'member.reminder_queued')
      .execute();
    assert.deepEqual(audits.map((a) => a.subject_id).sort(), [texter.id, emailer.id, both.id].sort());
    assert.ok(audits.every((a) => a.actor_type === 'system'));
  });

  it('uses the neutral wording, with no place, when it is not safe to leave a message or nobody asked', async () => {
    const sessionId = await session(new Date('2027-01-05T14:00:00Z'));
    const notSafe = await member({
      contactMethods: ['text'],
      phone: '07700 900201',
      safeToLeaveMessage: false,
    });
    const notAsked = await member({
      contactMethods: ['email'],
      email: 'notasked@example.org',
      safeToLeaveMessage: null,
    });
    await book(sessionId, notSafe.id);
    await book(sessionId, notAsked.id);
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 2, notices: 0 });
    await deliver(dayBefore);
    assert.equal(
      notify.accepted[0]?.personalisation.message,
      'You have an appointment on Tuesday 5 January at 14:00. Please let us know if you cannot come.',
    );
    assert.equal(mail.received[0]?.subject, 'Your appointment on Tuesday 5 January at 14:00');
    assert.doesNotMatch(mail.received[0]?.text ?? '', /Chatham|group/i);
  });

  it('says "online" for a session with no room', async () => {
    const sessionId = await session(new Date('2027-01-05T16:00:00Z'), {});
    const texter = await member({ contactMethods: ['text'], phone: '07700 900301' });
    await book(sessionId, texter.id);
    await runReminderRound(t.db, dayBefore);
    await deliver(dayBefore);
    assert.equal(
      notify.accepted[0]?.personalisation.message,
      'Reminder: you are booked for a group on Tuesday 5 January at 16:00, online. Please let us know if you cannot come.',
    );
    assert.doesNotMatch(notify.accepted[0]?.personalisation.message ?? '', /meet\.example\.org/);
  });

  it('sends nothing for a cancelled session', async () => {
    const sessionId = await session(new Date('2027-01-05T11:00:00Z'));
    const texter = await member({ contactMethods: ['text'], phone: '07700 900401' });
    await book(sessionId, texter.id);
    await cancel(sessionId);
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 0, notices: 0 });
    assert.deepEqual(await outbox(), []);
  });

  it('follows a sent reminder with one cancellation notice, and takes back one not yet sent', async () => {
    const sent = await session(new Date('2027-01-05T12:00:00Z'));
    const waiting = await session(new Date('2027-01-05T12:30:00Z'), {});
    const texter = await member({ contactMethods: ['text'], phone: '07700 900501' });
    const neutral = await member({
      contactMethods: ['email'],
      email: 'neutral@example.org',
      safeToLeaveMessage: false,
    });
    await book(sent, texter.id);
    await book(sent, neutral.id);
    await book(waiting, texter.id);
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 3, notices: 0 });
    // Only the first session's reminders go before both sessions are cancelled.
    await t.db
      .updateTable('outbox_messages')
      .set({ next_attempt_at: sessionStart })
      .where('dedupe_key', 'like', `session-reminder:${waiting}:%`)
      .execute();
    assert.deepEqual(await deliver(dayBefore), { sent: 2, failed: 0 });
    await cancel(sent);
    await cancel(waiting);

    const later = new Date(dayBefore.getTime() + 60_000);
    assert.deepEqual(await runReminderRound(t.db, later), { reminders: 0, notices: 2 });
    assert.deepEqual(await runReminderRound(t.db, later), { reminders: 0, notices: 0 }, 'once only');
    assert.equal(
      (await outbox()).find((m) => m.dedupe_key === `session-reminder:${waiting}:${texter.id}`)?.status,
      'withdrawn',
    );
    notify.accepted.length = 0;
    mail.received.length = 0;
    assert.deepEqual(
      await deliver(sessionStart),
      { sent: 2, failed: 0 },
      'the withdrawn reminder never goes',
    );
    assert.deepEqual(
      notify.accepted.map((s) => [s.phoneNumber, s.personalisation.message]),
      [
        [
          '07700 900501',
          'The group you are booked for on Tuesday 5 January at 12:00 at Chatham Library is cancelled. We are sorry for the change.',
        ],
      ],
    );
    assert.deepEqual(
      mail.received.map((m) => [m.to[0], m.subject]),
      [['neutral@example.org', 'Cancelled: your appointment on Tuesday 5 January at 12:00']],
    );
    assert.match(
      mail.received[0]?.text ?? '',
      /^Your appointment on Tuesday 5 January at 12:00 is cancelled\./,
    );
  });

  it('sends no reminder by a channel whose consent was withdrawn, using the other one they chose', async () => {
    const sessionId = await session(new Date('2027-01-05T13:00:00Z'));
    const withdrawn = await member({ contactMethods: ['text'], phone: '07700 900601' });
    const fallsBack = await member({
      contactMethods: ['text', 'email'],
      phone: '07700 900602',
      email: 'fallback@example.org',
    });
    const refusedAll = await member({
      contactMethods: ['text', 'email'],
      phone: '07700 900603',
      email: 'none@example.org',
    });
    const consent = async (memberId: string, about: string, given: boolean, withdrawnAt: Date | null) =>
      t.db
        .insertInto('member_consents')
        .values({
          id: randomUUID(),
          member_id: memberId,
          about,
          with_whom: 'The service',
          given,
          recorded_at: new Date('2026-12-01T09:00:00Z'),
          recorded_by: staffId,
          withdrawn_at: withdrawnAt,
          withdrawn_by: withdrawnAt ? staffId : null,
        })
        .execute();
    await consent(withdrawn.id, 'Contact by text message', true, new Date('2026-12-10T09:00:00Z'));
    await consent(fallsBack.id, 'Texts from the service', false, null);
    await consent(refusedAll.id, 'Session reminders', true, new Date('2026-12-10T09:00:00Z'));
    for (const m of [withdrawn, fallsBack, refusedAll]) {
      await book(sessionId, m.id);
    }
    assert.deepEqual(await runReminderRound(t.db, dayBefore), { reminders: 1, notices: 0 });
    assert.deepEqual(
      (await outbox()).map((m) => [m.channel, m.recipient]),
      [['email', 'fallback@example.org']],
    );
  });

  it('queues no reminder at night: someone booked late in the evening is reminded from 08:00, UK time', async () => {
    // A 09:30 group on Wednesday 7 July 2027 (British Summer Time), booked at 22:30 the evening before.
    const morning = await session(new Date('2027-07-07T08:30:00Z'));
    const lateBooker = await member({ contactMethods: ['text'], phone: '07700 900105' });
    await book(morning, lateBooker.id);
    const at = (utc: string) => runReminderRound(t.db, new Date(utc));
    assert.deepEqual(await at('2027-07-06T21:30:00Z'), { reminders: 0, notices: 0 }, '22:30 in London');
    assert.deepEqual(await at('2027-07-07T01:00:00Z'), { reminders: 0, notices: 0 }, '02:00 in London');
    assert.deepEqual(await at('2027-07-07T06:59:00Z'), { reminders: 0, notices: 0 }, '07:59 in London');
    assert.deepEqual(await at('2027-07-07T07:00:00Z'), { reminders: 1, notices: 0 }, '08:00 in London');
    assert.deepEqual(
      (await outbox()).map((m) => m.dedupe_key),
      [`session-reminder:${morning}:${lateBooker.id}`],
    );
  });

  it('queues each reminder once when two rounds run at the same moment', async () => {
    const sessionId = await session(new Date('2027-01-05T15:00:00Z'));
    for (let i = 0; i < 10; i += 1) {
      await book(
        sessionId,
        (await member({ contactMethods: ['text'], phone: `07700 9007${String(i).padStart(2, '0')}` })).id,
      );
    }
    const rounds = await Promise.all([runReminderRound(t.db, dayBefore), runReminderRound(t.db, dayBefore)]);
    assert.equal(rounds[0].reminders + rounds[1].reminders, 10);
    assert.equal((await outbox()).length, 10);
    const reminders = await t.db
      .selectFrom('session_reminders')
      .select('member_id')
      .where('session_id', '=', sessionId)
      .execute();
    assert.equal(reminders.length, 10);
  });

  it('chooses text before email, and neither without the detail it needs', () => {
    const base = {
      memberId: 'm',
      phone: '07700 900000',
      email: 'a@example.org',
      safeToLeaveMessage: true,
      textRefused: false,
      emailRefused: false,
    };
    assert.deepEqual(chooseChannel({ ...base, contactMethods: ['email', 'text'] }), {
      channel: 'sms',
      to: '07700 900000',
    });
    assert.deepEqual(chooseChannel({ ...base, contactMethods: ['email', 'text'], textRefused: true }), {
      channel: 'email',
      to: 'a@example.org',
    });
    assert.equal(chooseChannel({ ...base, contactMethods: ['letter', 'phone'] }), undefined);
    assert.equal(chooseChannel({ ...base, contactMethods: ['email'], email: null }), undefined);
    assert.equal(chooseChannel({ ...base, contactMethods: ['email', 'text'] }, 'email')?.channel, 'email');
  });

  it('runs rounds in the background and wakes the outbox when one queued something', async () => {
    const sessionId = await session(new Date('2027-01-05T16:30:00Z'));
    await book(sessionId, (await member({ contactMethods: ['text'], phone: '07700 900801' })).id);
    let woken!: () => void;
    const wakes = new Promise<void>((resolve) => (woken = resolve));
    const rounds = startReminderRounds({
      db: t.db,
      now: () => dayBefore,
      afterQueueing: () => woken(),
      onError: (error) => assert.fail(String(error)),
      intervalMs: 10,
    });
    await wakes;
    await rounds.stop();
    assert.deepEqual(
      (await outbox()).map((m) => m.recipient),
      ['07700 900801'],
    );
  });
});
