import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { AnyDb } from '../db/database.ts';
import type { OutboxParams, OutboxTables } from './outbox.tables.ts';

/**
 * The transactional outbox: a message is written in the same transaction as the change that causes it,
 * so a rolled-back change sends nothing, and a background worker delivers it afterwards.
 *
 * Only templates registered by a module can be sent (reliability plan G6): a message is a template
 * name plus a few parameters, never free text, and it always has exactly one recipient.
 */
export type RenderedEmail = { subject: string; text: string };
export type EmailTemplate = (params: OutboxParams) => RenderedEmail;
export type EmailTemplates = Readonly<Record<string, EmailTemplate>>;

export type OutgoingEmail = RenderedEmail & { to: string; messageId: string };

/** Sends one email; throws when the mail server did not accept it. */
export type EmailTransport = { send(email: OutgoingEmail): Promise<void>; close(): void };

const LEASE_MINUTES = 2;
const MAX_ATTEMPTS = 10;

function outbox(db: AnyDb): Kysely<OutboxTables> {
  return db as Kysely<OutboxTables>;
}

/**
 * Queues an email inside the caller's transaction. Queuing the same dedupe key twice queues it once.
 *
 * @param tx - the transaction making the change that causes the message.
 * @param email - one recipient, a registered template and its parameters.
 * @param email.dedupeKey - stable for this message (e.g. `invitation:<id>`); also the Message-ID seed.
 * @param email.to - the one recipient.
 * @param email.template - a template name registered with the worker.
 * @param email.params - the template's parameters.
 * @param email.at - when it was queued.
 */
export async function enqueueEmail(
  tx: AnyDb,
  email: { dedupeKey: string; to: string; template: string; params: OutboxParams; at: Date },
): Promise<void> {
  await outbox(tx)
    .insertInto('outbox_messages')
    .values({
      id: randomUUID(),
      dedupe_key: email.dedupeKey,
      channel: 'email',
      recipient: email.to,
      template: email.template,
      params: JSON.stringify(email.params),
      next_attempt_at: email.at,
      locked_until: null,
      last_error: null,
      created_at: email.at,
      sent_at: null,
    })
    .onConflict((c) => c.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Sends email through an SMTP server with nodemailer.
 *
 * @param smtpUrl - e.g. smtp://user:pass@mail.example.org:587.
 * @param from - the From header.
 * @returns the transport.
 */
export function smtpTransport(smtpUrl: string, from: string): EmailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(email) {
      await transporter.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        // The same Message-ID on a retry lets the receiving side drop a duplicate delivery.
        messageId: email.messageId,
      });
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * Claims due messages (skipping any another worker holds), sends them, and records the outcome.
 *
 * @param db - the database.
 * @param transport - where to send.
 * @param templates - the registered templates.
 * @param now - the current time.
 * @param batchSize - the most messages to claim at once.
 * @returns how many were sent and how many failed this time.
 */
export async function deliverDueMessages(
  db: AnyDb,
  transport: EmailTransport,
  templates: EmailTemplates,
  now: Date,
  batchSize = 20,
): Promise<{ sent: number; failed: number }> {
  const leaseUntil = new Date(now.getTime() + LEASE_MINUTES * 60_000);
  const claimed = await outbox(db)
    .transaction()
    .execute(async (tx) => {
      const due = await tx
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('created_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) {
        return [];
      }
      return tx
        .updateTable('outbox_messages')
        .set({ locked_until: leaseUntil, attempts: sql`attempts + 1` })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .returning(['id', 'dedupe_key', 'recipient', 'template', 'params', 'attempts'])
        .execute();
    });
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    const template = templates[message.template];
    try {
      if (!template) {
        throw new Error(`no template named ${message.template}`);
      }
      await transport.send({
        ...template(message.params),
        to: message.recipient,
        messageId: `<${message.dedupe_key.replace(/[^A-Za-z0-9.-]/g, '.')}@alongside>`,
      });
      // The parameters may hold one-time links: once delivered they are not kept.
      await outbox(db)
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: new Date(), locked_until: null, params: '{}', last_error: null })
        .where('id', '=', message.id)
        .execute();
      sent += 1;
    } catch (error) {
      failed += 1;
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      const backoffMinutes = Math.min(2 ** message.attempts, 60);
      await outbox(db)
        .updateTable('outbox_messages')
        .set({
          status: giveUp ? 'failed' : 'pending',
          locked_until: null,
          next_attempt_at: new Date(now.getTime() + backoffMinutes * 60_000),
          last_error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        })
        .where('id', '=', message.id)
        .execute();
    }
  }
  return { sent, failed };
}

export type OutboxWorker = { stop(): Promise<void>; poke(): void };

/**
 * Runs delivery in the background every few seconds, and straight away when poked.
 *
 * @param options - database, transport, templates, clock, error reporter and polling interval.
 * @param options.db - the database.
 * @param options.transport - where to send.
 * @param options.templates - the registered templates.
 * @param options.now - the clock.
 * @param options.onError - told about a failed round (the next round tries again).
 * @param options.intervalMs - time between rounds.
 * @returns a handle to poke or stop the worker; stop waits for the round in progress.
 */
export function startOutboxWorker(options: {
  db: AnyDb;
  transport: EmailTransport;
  templates: EmailTemplates;
  now: () => Date;
  onError: (error: unknown) => void;
  intervalMs?: number;
}): OutboxWorker {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const round = () => {
    running = running
      .then(async () => {
        if (!stopped) {
          await deliverDueMessages(options.db, options.transport, options.templates, options.now());
        }
      })
      .catch(options.onError);
    return running;
  };
  const schedule = () => {
    if (!stopped) {
      timer = setTimeout(() => void round().then(schedule), options.intervalMs ?? 5_000);
    }
  };
  schedule();
  return {
    poke() {
      void round();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      options.transport.close();
    },
  };
}
