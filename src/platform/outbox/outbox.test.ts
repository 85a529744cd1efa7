import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import {
  deliverDueMessages,
  enqueueEmail,
  smtpTransport,
  startOutboxWorker,
  type EmailTemplates,
} from './outbox.ts';

const templates: EmailTemplates = {
  greeting: (params) => ({ subject: 'A message from the service', text: `Your link: ${params.link ?? ''}` }),
};
const now = new Date('2026-03-02T10:00:00Z');

describe('the email outbox', () => {
  let t: TestDatabase;
  let mail: MailServer;
  before(async () => {
    t = await createTestDatabase();
    mail = await startMailServer();
  });
  after(async () => {
    await mail.close();
    await t.drop();
  });
  beforeEach(async () => {
    mail.received.length = 0;
    mail.refuseNext(false);
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
    assert.deepEqual(await deliverDueMessages(t.db, transport, templates, now), { sent: 1, failed: 0 });
    assert.deepEqual(await deliverDueMessages(t.db, transport, templates, now), { sent: 0, failed: 0 });
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
    assert.deepEqual(await deliverDueMessages(t.db, transport, templates, now), { sent: 0, failed: 0 });
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
    assert.deepEqual(await deliverDueMessages(t.db, transport, templates, now), { sent: 0, failed: 1 });
    const waiting = await t.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(waiting.status, 'pending');
    assert.ok(waiting.next_attempt_at > now, 'the next attempt is later');
    assert.match(waiting.last_error ?? '', /mailbox busy/);
    mail.refuseNext(false);
    assert.deepEqual(
      await deliverDueMessages(t.db, transport, templates, now),
      { sent: 0, failed: 0 },
      'not before its time',
    );
    assert.deepEqual(await deliverDueMessages(t.db, transport, templates, waiting.next_attempt_at), {
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
      deliverDueMessages(t.db, transport, templates, now, 10),
      deliverDueMessages(t.db, transport, templates, now, 10),
      deliverDueMessages(t.db, transport, templates, now, 10),
      deliverDueMessages(t.db, transport, templates, now, 10),
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
      transport: smtpTransport(mail.url, 'Service <no-reply@example.org>'),
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
});
