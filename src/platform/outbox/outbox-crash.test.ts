import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import {
  startNotifyTestServer,
  TEST_NOTIFY_KEY,
  type NotifyTestServer,
} from '../notify/notify-test-server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { enqueueMessage } from './outbox.ts';

/**
 * A worker killed in the middle of sending, and another taking over: the receiving side ends with
 * exactly one message per message queued (outbox.ts explains what "exactly once" means here).
 */

const CHILD_NAME = 'outbox-crash-child';
const now = new Date('2026-03-02T10:00:00Z');
/** Past the first worker's two-minute lease, so the next worker may take its messages over. */
const afterTheLease = new Date(now.getTime() + 3 * 60_000);

type Delivery = { messageId: string; to: string };

/**
 * A real SMTP server on loopback that records every delivery it is handed, and can be told what to
 * do with the next one before answering the sender (hold the answer, or accept and then pause).
 */
async function startHoldingMailServer() {
  const deliveries: Delivery[] = [];
  let beforeAnswer: ((delivery: Delivery) => Promise<void>) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void PostalMime.parse(Buffer.concat(chunks)).then(async (email) => {
          const delivery = {
            messageId: email.messageId ?? '',
            to: (email.to ?? []).map((a) => ('address' in a ? (a.address ?? '') : '')).join(','),
          };
          const hook = beforeAnswer;
          beforeAnswer = undefined;
          await hook?.(delivery);
          deliveries.push(delivery);
          callback();
        });
      });
    },
  });
  // A sender that vanishes mid-conversation is an ordinary event for a mail server, not a failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    deliveries,
    /** What a mailbox shows: one message per Message-ID, as a receiving mail store keeps them. */
    mailbox: () => new Map(deliveries.map((d) => [d.messageId, d])),
    beforeAnsweringNext(hook: (delivery: Delivery) => Promise<void>) {
      beforeAnswer = hook;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the outbox when a worker is killed mid-send', () => {
  let t: TestDatabase;
  let mail: Awaited<ReturnType<typeof startHoldingMailServer>>;
  let notify: NotifyTestServer;
  let superuser: pg.Client;

  /** Starts one delivery round in a separate process, and says when it has ended (however). */
  function startWorker(at: Date, channels: { email?: boolean; sms?: boolean }) {
    const url = new URL(t.url);
    url.searchParams.set('application_name', CHILD_NAME);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/platform/outbox/outbox-worker.child.ts',
        JSON.stringify({
          databaseUrl: url.toString(),
          now: at.toISOString(),
          smtpUrl: channels.email ? mail.url : undefined,
          notifyUrl: channels.sms ? notify.url : undefined,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ended = new Promise<{ signal: NodeJS.Signals | null; output: string }>((resolve) =>
      child.on('exit', (_code, signal) => resolve({ signal, output })),
    );
    return { child, ended };
  }

  /**
   * Kills the worker outright, then ends its database sessions. PostgreSQL notices a vanished client
   * only when it next reads from it; a session left waiting on a row lock could otherwise still finish
   * its last statement, which is not what a crash before that statement looks like.
   */
  async function kill(worker: ReturnType<typeof startWorker>) {
    worker.child.kill('SIGKILL');
    assert.equal((await worker.ended).signal, 'SIGKILL');
    await superuser.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [CHILD_NAME],
    );
    for (let i = 0; i < 200; i += 1) {
      const left = await superuser.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [
        CHILD_NAME,
      ]);
      if (left.rowCount === 0) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail('the killed worker’s database sessions did not end');
  }

  async function queue(channel: 'email' | 'sms', keys: string[]) {
    await t.db.transaction().execute(async (tx) => {
      for (const key of keys) {
        await enqueueMessage(tx, channel, {
          dedupeKey: key,
          to: channel === 'email' ? `${key.replace(/\W/g, '')}@example.org` : '07700 900982',
          template: channel === 'email' ? 'greeting' : 'nudge',
          params: {},
          at: now,
        });
      }
    });
  }

  const statuses = async () =>
    (await t.db.selectFrom('outbox_messages').select('status').execute()).map((r) => r.status);

  before(async () => {
    t = await createTestDatabase();
    mail = await startHoldingMailServer();
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
    superuser = new pg.Client({ connectionString: t.superuserUrl });
    await superuser.connect();
  });
  after(async () => {
    await superuser.end();
    await notify.close();
    await mail.close();
    await t.drop();
  });
  beforeEach(async () => {
    mail.deliveries.length = 0;
    notify.accepted.length = 0;
    await t.db.deleteFrom('outbox_messages').execute();
  });

  it('delivers each email once to the mailbox when the worker dies while the mail server holds its answer', async () => {
    await queue('email', ['crash:held:1', 'crash:held:2', 'crash:held:3']);
    const first = startWorker(now, { email: true });
    // The server has the whole message and is about to take it: the worker dies before hearing back,
    // and the server keeps the message anyway (RFC 1047's duplicate-message window).
    const killedWhileHeld = new Promise<void>((resolve) =>
      mail.beforeAnsweringNext(async () => {
        await kill(first);
        resolve();
      }),
    );
    await killedWhileHeld;
    assert.deepEqual(await statuses(), ['pending', 'pending', 'pending'], 'nothing was marked sent');

    const second = startWorker(afterTheLease, { email: true });
    assert.equal((await second.ended).output.trim(), JSON.stringify({ sent: 3, failed: 0 }));

    assert.equal(mail.deliveries.length, 4, 'the held message was handed over twice');
    const mailbox = mail.mailbox();
    assert.equal(mailbox.size, 3, 'one message in the mailbox per message queued');
    assert.deepEqual([...mailbox.values()].map((d) => d.to).sort(), [
      'crashheld1@example.org',
      'crashheld2@example.org',
      'crashheld3@example.org',
    ]);
    assert.deepEqual(await statuses(), ['sent', 'sent', 'sent']);
  });

  it('delivers each email once to the mailbox when the worker dies just after the mail server took it', async () => {
    await queue('email', ['crash:taken:1', 'crash:taken:2']);
    const first = startWorker(now, { email: true });
    // Hold the message's row so the worker cannot mark it sent, let the server take the message, then
    // kill the worker in the gap between "taken" and "marked sent".
    const lock = new pg.Client({ connectionString: t.superuserUrl });
    await lock.connect();
    const tookIt = new Promise<void>((resolve) =>
      mail.beforeAnsweringNext(async () => {
        await lock.query('BEGIN');
        await lock.query("SELECT 1 FROM outbox_messages WHERE dedupe_key = 'crash:taken:1' FOR UPDATE");
        resolve();
      }),
    );
    await tookIt;
    await kill(first);
    await lock.query('ROLLBACK');
    await lock.end();
    assert.equal(mail.deliveries.length, 1);
    assert.deepEqual(await statuses(), ['pending', 'pending']);

    const second = startWorker(afterTheLease, { email: true });
    assert.equal((await second.ended).output.trim(), JSON.stringify({ sent: 2, failed: 0 }));
    assert.equal(mail.deliveries.length, 3, 'the taken message was handed over again');
    assert.equal(mail.mailbox().size, 2, 'one message in the mailbox per message queued');
  });

  it('sends a text message once when the worker dies before Notify answers', async () => {
    await queue('sms', ['crash:text:1', 'crash:text:2']);
    const first = startWorker(now, { sms: true });
    const killed = new Promise<void>((resolve) =>
      notify.holdNextAnswer(async () => {
        await kill(first);
        resolve();
      }),
    );
    await killed;
    assert.equal(notify.accepted.length, 1, 'Notify took the first message');
    assert.deepEqual(await statuses(), ['pending', 'pending']);

    const second = startWorker(afterTheLease, { sms: true });
    assert.equal((await second.ended).output.trim(), JSON.stringify({ sent: 2, failed: 0 }));
    assert.deepEqual(
      notify.accepted.map((sms) => sms.reference).sort(),
      ['crash:text:1', 'crash:text:2'],
      'each text sent once: the second worker found the first in Notify and did not send it again',
    );
    const rows = await t.db.selectFrom('outbox_messages').select(['dedupe_key', 'provider_id']).execute();
    for (const row of rows) {
      assert.equal(row.provider_id, notify.accepted.find((sms) => sms.reference === row.dedupe_key)?.id);
    }
  });
});
