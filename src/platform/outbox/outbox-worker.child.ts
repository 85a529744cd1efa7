import { openDatabase } from '../db/database.ts';
import { notifySmsTransport } from '../notify/notify-sms-transport.ts';
import { TEST_NOTIFY_KEY } from '../notify/notify-test-server.ts';
import { deliverDue, registerTemplates, smtpTransport, type OutboxTransports } from './outbox.ts';

/**
 * For the outbox's crash tests only: one delivery round in a process of its own, so a test can kill it
 * (SIGKILL) in the middle of a send. Run as:
 *   node --import tsx src/platform/outbox/outbox-worker.child.ts '<json options>'
 * where the options are { databaseUrl, now, smtpUrl?, notifyUrl? }.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  now: string;
  smtpUrl?: string;
  notifyUrl?: string;
};
const { db } = openDatabase<unknown>(options.databaseUrl, 2, () => undefined);
const transports: OutboxTransports = {
  ...(options.smtpUrl && { email: smtpTransport(options.smtpUrl, 'Service <no-reply@example.org>') }),
  ...(options.notifyUrl && {
    sms: notifySmsTransport({
      apiKey: TEST_NOTIFY_KEY.apiKey,
      templateId: '6a1f7a52-4b8e-4d0c-9f3a-2e5b7c9d1f30',
      baseUrl: options.notifyUrl,
    }),
  }),
};
const templates = registerTemplates({
  email: { greeting: () => ({ subject: 'A message from the service', text: 'Hello.' }) },
  sms: { nudge: () => 'You have an appointment.' },
});
const result = await deliverDue(db, transports, templates, new Date(options.now));
transports.email?.close();
await db.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
