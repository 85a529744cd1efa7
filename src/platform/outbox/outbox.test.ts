import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { notifySmsTransport } from '../notify/notify-sms-transport.ts';
import {
  startNotifyTestServer,
  TEST_NOTIFY_KEY,
  type NotifyTestServer,
} from '../notify/notify-test-server.ts';
import {
  deliverDue,
  enqueueEmail,
  enqueueMessage,
  registerTemplates,
  removeFinishedMessageDetails,
  smtpTransport,
  startOutboxWorker,
  withdrawWaitingMessage,
} from './outbox.ts';

const templates = registerTemplates(
  {
    email: {
      greeting: (params) => ({
        subject: 'A message from the service',
        text: `Your link: ${params.link ?? ''}`,
      }),
    },
  },
  { sms: { nudge: (params) => `You have an appointment at ${params.time ?? ''}.` } },
);
const smsTemplateId = '6a1f7a52-4b8e-4d0c-9f3a-2e5b7c9d1f30';
const now = new Date('2026-03-02T10:00:00Z');

describe('the outbox, by email and by text message', () => {
  let t: TestDatabase;
  let mail: MailServer;
  let notify: NotifyTestServer;
  const sms = () =>
    notifySmsTransport({ apiKey: TEST_NOTIFY_KEY.apiKey, templateId: smsTemplateId, baseUrl: notify.url });
  before(async () => {
    t = await createTestDatabase();
    mail = await startMailServer();
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
  });
  after(async () => {
    await notify.close();
    await mail.close();
    await t.drop();
  });
  beforeEach(async () => {
    mail.received.length = 0;
    mail.refuseNext(false);
    notify.accepted.length = 0;
    await t.db.deleteFrom('outbox_messages').execute();
  });

  it('delivers a committed message once, to its one recipient, then forgets its link', async () => {
    await t.db.transaction().execute((tx) =>
      enqueueEmail(tx, {
        dedupeKey: 'greeting:1',
        to: 'someone@example.org',
        template: 'greeting',
        params: { link: 'https://x/1' },
        at: now,
      }),
    );
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, now), { sent: 1, failed: 0 });
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, now), { sent: 0, failed: 0 });
    transport.close();
    assert.equal(mail.received.length, 1);
    assert.deepEqual(mail.received[0]?.to, ['someone@example.org']);
    assert.match(mail.received[0]?.text ?? '', /Your link: https:\/\/x\/1/);
    assert.equal(mail.received[0]?.messageId, '<greeting.1@alongside>');
    const row = await t.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.deepEqual(row.params, {});
  });

  it('sends nothing for a change that was rolled back', async () => {
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await enqueueEmail(tx, {
          dedupeKey: 'greeting:2',
          to: 'someone@example.org',
          template: 'greeting',
          params: {},
          at: now,
        });
        throw new Error('the change failed');
      }),
    );
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, now), { sent: 0, failed: 0 });
    transport.close();
    assert.equal(mail.received.length, 0);
  });

  it('queues the same message once however often it is queued', async () => {
    for (let i = 0; i < 3; i += 1) {
      await enqueueEmail(t.db, {
        dedupeKey: 'greeting:3',
        to: 'someone@example.org',
        template: 'greeting',
        params: {},
        at: now,
      });
    }
    const rows = await t.db.selectFrom('outbox_messages').select('id').execute();
    assert.equal(rows.length, 1);
  });

  it('retries later when the mail server refuses, and then delivers', async () => {
    await enqueueEmail(t.db, {
      dedupeKey: 'greeting:4',
      to: 'someone@example.org',
      template: 'greeting',
      params: {},
      at: now,
    });
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    mail.refuseNext(true);
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, now), { sent: 0, failed: 1 });
    const waiting = await t.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(waiting.status, 'pending');
    assert.ok(waiting.next_attempt_at > now, 'the next attempt is later');
    assert.match(waiting.last_error ?? '', /mailbox busy/);
    mail.refuseNext(false);
    assert.deepEqual(
      await deliverDue(t.db, { email: transport }, templates, now),
      { sent: 0, failed: 0 },
      'not before its time',
    );
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, waiting.next_attempt_at), {
      sent: 1,
      failed: 0,
    });
    transport.close();
    assert.equal(mail.received.length, 1);
  });

  it('lets two workers share the queue without sending any message twice', async () => {
    for (let i = 0; i < 30; i += 1) {
      await enqueueEmail(t.db, {
        dedupeKey: `greeting:many:${i}`,
        to: `person${i}@example.org`,
        template: 'greeting',
        params: {},
        at: now,
      });
    }
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    const results = await Promise.all([
      deliverDue(t.db, { email: transport }, templates, now, 10),
      deliverDue(t.db, { email: transport }, templates, now, 10),
      deliverDue(t.db, { email: transport }, templates, now, 10),
      deliverDue(t.db, { email: transport }, templates, now, 10),
    ]);
    transport.close();
    assert.equal(
      results.reduce((sum, r) => sum + r.sent, 0),
      30,
    );
    assert.equal(mail.received.length, 30);
    assert.equal(new Set(mail.received.map((m) => m.to[0])).size, 30);
  });

  it('runs in the background and delivers when poked', async () => {
    await enqueueEmail(t.db, {
      dedupeKey: 'greeting:5',
      to: 'someone@example.org',
      template: 'greeting',
      params: {},
      at: now,
    });
    const worker = startOutboxWorker({
      db: t.db,
      transports: { email: smtpTransport(mail.url, 'Service <no-reply@example.org>') },
      templates,
      now: () => now,
      onError: (error) => assert.fail(String(error)),
      intervalMs: 60_000,
    });
    worker.poke();
    for (let i = 0; i < 100 && mail.received.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await worker.stop();
    assert.equal(mail.received.length, 1);
  });

  it('sends no text message for a change that was rolled back', async () => {
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await enqueueMessage(tx, 'sms', {
          dedupeKey: 'nudge:1',
          to: '07700 900982',
          template: 'nudge',
          params: { time: '10:00' },
          at: now,
        });
        throw new Error('the change failed');
      }),
    );
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 0, failed: 0 });
    assert.equal(notify.accepted.length, 0);
    assert.equal((await t.db.selectFrom('outbox_messages').select('id').execute()).length, 0);
  });

  it('sends a committed text message once, to its one number, keeping the provider id and not the wording', async () => {
    await t.db.transaction().execute((tx) =>
      enqueueMessage(tx, 'sms', {
        dedupeKey: 'nudge:2',
        to: '07700 900982',
        template: 'nudge',
        params: { time: '10:00' },
        at: now,
      }),
    );
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 1, failed: 0 });
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 0, failed: 0 });
    assert.equal(notify.accepted.length, 1);
    assert.equal(notify.accepted[0]?.phoneNumber, '07700 900982');
    assert.equal(notify.accepted[0]?.personalisation.message, 'You have an appointment at 10:00.');
    assert.equal(notify.accepted[0]?.reference, 'nudge:2');
    const row = await t.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.provider_id, notify.accepted[0]?.id);
    assert.deepEqual(row.params, {});
  });

  it('leaves text messages waiting while only email can be sent, and emails while only texts can', async () => {
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'nudge:3',
      to: '07700 900982',
      template: 'nudge',
      params: {},
      at: now,
    });
    await enqueueEmail(t.db, {
      dedupeKey: 'greeting:6',
      to: 'someone@example.org',
      template: 'greeting',
      params: {},
      at: now,
    });
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, now), { sent: 1, failed: 0 });
    transport.close();
    assert.equal(notify.accepted.length, 0);
    const waiting = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.attempts, 0, 'never claimed, so never counted as a failed try');
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 1, failed: 0 });
    assert.equal(mail.received.length, 1);
  });

  it('refuses a template that no module registered, on either channel', async () => {
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'free:1',
      to: '07700 900982',
      template: 'free-text',
      params: { text: 'Anything' },
      at: now,
    });
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'free:2',
      to: '07700 900982',
      template: 'greeting',
      params: {},
      at: now,
    });
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 0, failed: 2 });
    assert.equal(notify.accepted.length, 0);
    const rows = await t.db.selectFrom('outbox_messages').select('last_error').execute();
    assert.ok(rows.every((r) => /no text message template named/.test(r.last_error ?? '')));
  });

  it('takes back a waiting message, but not one a worker is sending', async () => {
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'nudge:4',
      to: '07700 900982',
      template: 'nudge',
      params: {},
      at: now,
    });
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'nudge:5',
      to: '07700 900982',
      template: 'nudge',
      params: {},
      at: now,
    });
    await t.db
      .updateTable('outbox_messages')
      .set({ locked_until: new Date(now.getTime() + 60_000) })
      .where('dedupe_key', '=', 'nudge:5')
      .execute();
    assert.equal(await withdrawWaitingMessage(t.db, 'nudge:4', now), true);
    assert.equal(await withdrawWaitingMessage(t.db, 'nudge:5', now), false, 'claimed: it may be on its way');
    assert.equal(await withdrawWaitingMessage(t.db, 'nudge:none', now), false);
    await t.db
      .updateTable('outbox_messages')
      .set({ locked_until: null })
      .where('dedupe_key', '=', 'nudge:5')
      .execute();
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, now), { sent: 1, failed: 0 });
    assert.deepEqual(
      notify.accepted.map((m) => m.reference),
      ['nudge:5'],
    );
  });

  it('marks a text sent, without sending it again, when the provider already has it from an interrupted try', async () => {
    await enqueueMessage(t.db, 'sms', {
      dedupeKey: 'nudge:6',
      to: '07700 900982',
      template: 'nudge',
      params: {},
      at: now,
    });
    // The first try: claimed and handed to Notify, then the worker stopped before marking it sent.
    await t.db.updateTable('outbox_messages').set({ attempts: 1, locked_until: now }).execute();
    await sms().send({ to: '07700 900982', body: 'You have an appointment at .', reference: 'nudge:6' });
    const later = new Date(now.getTime() + 3 * 60_000);
    assert.deepEqual(await deliverDue(t.db, { sms: sms() }, templates, later), { sent: 1, failed: 0 });
    assert.equal(notify.accepted.length, 1, 'not sent a second time');
    const row = await t.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.provider_id, notify.accepted[0]?.id);
  });

  it('forgets who a finished message went to a week after it went, keeping the row so a repeat is still refused', async () => {
    const queue = (dedupeKey: string, at: Date) =>
      enqueueEmail(t.db, {
        dedupeKey,
        to: 'someone@example.org',
        template: 'greeting',
        params: { link: 'https://x/9' },
        at,
      });
    const eightDaysAgo = new Date(now.getTime() - 8 * 86_400_000);
    const sixDaysAgo = new Date(now.getTime() - 6 * 86_400_000);
    // Two were sent when they were queued; one was taken back; one still waits for a mail server.
    const transport = smtpTransport(mail.url, 'Service <no-reply@example.org>');
    await queue('greeting:old', eightDaysAgo);
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, eightDaysAgo), {
      sent: 1,
      failed: 0,
    });
    await queue('greeting:recent', sixDaysAgo);
    assert.deepEqual(await deliverDue(t.db, { email: transport }, templates, sixDaysAgo), {
      sent: 1,
      failed: 0,
    });
    transport.close();
    await queue('greeting:waiting', eightDaysAgo);
    await queue('greeting:withdrawn', eightDaysAgo);
    assert.equal(await withdrawWaitingMessage(t.db, 'greeting:withdrawn', eightDaysAgo), true);
    await t.db
      .updateTable('outbox_messages')
      .set({ next_attempt_at: new Date(now.getTime() + 60_000) })
      .where('dedupe_key', '=', 'greeting:waiting')
      .execute();

    assert.equal(await removeFinishedMessageDetails(t.db, now), 2);
    assert.equal(await removeFinishedMessageDetails(t.db, now), 0, 'each only once');
    const rows = await t.db
      .selectFrom('outbox_messages')
      .select(['dedupe_key', 'status', 'recipient', 'params', 'details_removed_at'])
      .orderBy('dedupe_key')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.dedupe_key, r.status, r.recipient, r.details_removed_at !== null]),
      [
        ['greeting:old', 'sent', '', true],
        ['greeting:recent', 'sent', 'someone@example.org', false],
        ['greeting:waiting', 'pending', 'someone@example.org', false],
        ['greeting:withdrawn', 'withdrawn', '', true],
      ],
    );
    assert.deepEqual(rows.find((r) => r.dedupe_key === 'greeting:withdrawn')?.params, {});
    // The old message is still known by its key: queueing it again sends nothing.
    await queue('greeting:old', now);
    assert.equal(
      (await t.db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').execute())
        .length,
      1,
      'only the one still waiting',
    );
  });

  it('lets every module add its own templates, but never two of one name on one channel', () => {
    const both = registerTemplates(
      { email: { a: () => ({ subject: 's', text: 't' }) } },
      { sms: { a: () => 't' } },
    );
    assert.deepEqual(Object.keys(both.email), ['a']);
    assert.deepEqual(Object.keys(both.sms), ['a']);
    assert.throws(
      () => registerTemplates({ sms: { a: () => 'one' } }, { sms: { a: () => 'two' } }),
      /Two sms templates are named a/,
    );
  });
});
