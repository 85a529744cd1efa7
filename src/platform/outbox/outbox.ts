import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { AnyDb } from '../db/database.ts';
import type { SmsTransport } from '../notify/sms-transport.ts';
import type { OutboxChannel, OutboxParams, OutboxTables } from './outbox.tables.ts';

/**
 * The transactional outbox: a message is written in the same transaction as the change that causes it,
 * so a rolled-back change sends nothing, and a background worker delivers it afterwards.
 *
 * Only templates registered by a module can be sent (reliability plan G6): a message is a template
 * name plus a few parameters, never free text, and it always has exactly one recipient.
 *
 * What "exactly once" means here. No sender can know for certain whether a message it handed over
 * was taken when the connection dies before the answer (the two generals problem; RFC 1047 describes
 * it for SMTP). So delivery is at least once, and each message carries a stable id the receiving side
 * can recognise a repeat by:
 * - A worker claims a message with a lease (`locked_until`) before sending. If it dies mid-send, the
 *   message stays pending; once the lease has passed, another worker claims it and sends it again.
 * - An email's Message-ID is made from its dedupe key, so the repeat carries the same Message-ID as
 *   the first try and the receiving mailbox keeps one (RFC 5322 section 3.6.4: a Message-ID names one
 *   message). A text message's provider reference is its dedupe key; before sending again after an
 *   interrupted try, the worker asks the provider whether that reference was already accepted, and if
 *   so marks it sent instead (a two-phase check: provider first, our row second).
 * A repeat is possible only for a message whose worker died between handing it over and marking it
 * sent, and only once per such crash.
 */
export type RenderedEmail = { subject: string; text: string };
export type EmailTemplate = (params: OutboxParams) => RenderedEmail;
export type EmailTemplates = Readonly<Record<string, EmailTemplate>>;
/** A text message template: the whole body, from the message's parameters. */
export type SmsTemplate = (params: OutboxParams) => string;
export type SmsTemplates = Readonly<Record<string, SmsTemplate>>;

/** Every template the worker may send, by channel. */
export type MessageTemplates = { email: EmailTemplates; sms: SmsTemplates };

export type OutgoingEmail = RenderedEmail & { to: string; messageId: string };

/** Sends one email; throws when the mail server did not accept it. */
export type EmailTransport = { send(email: OutgoingEmail): Promise<void>; close(): void };

/** Where each channel is sent; a channel with no transport waits in the outbox. */
export type OutboxTransports = { email?: EmailTransport; sms?: SmsTransport };

const LEASE_MINUTES = 2;
const MAX_ATTEMPTS = 10;

/**
 * How long a message that has gone keeps its recipient. GOV.UK Notify, which sends the text messages,
 * keeps a message's recipient and content for 7 days by default before deleting them
 * (https://www.notifications.service.gov.uk/using-notify/data-retention-period), long enough to answer "did
 * my reminder go?"; the outbox keeps them no longer (UK GDPR Article 5(1)(e), storage limitation).
 */
export const KEEP_FINISHED_DETAILS_DAYS = 7;

function outbox(db: AnyDb): Kysely<OutboxTables> {
  return db as Kysely<OutboxTables>;
}

/**
 * Puts together the templates several modules contribute (each module exports its own set, and
 * main.ts passes them all here), refusing two templates of one name on one channel so no module can
 * replace another's wording by accident.
 *
 * @param contributions - each module's templates, by channel.
 * @returns the one registry the worker sends from.
 * @throws Error when two contributions name the same template on the same channel.
 */
export function registerTemplates(...contributions: Partial<MessageTemplates>[]): MessageTemplates {
  const registry: { email: Record<string, EmailTemplate>; sms: Record<string, SmsTemplate> } = {
    email: {},
    sms: {},
  };
  for (const contribution of contributions) {
    for (const channel of ['email', 'sms'] as const) {
      for (const [name, template] of Object.entries(contribution[channel] ?? {})) {
        if (Object.hasOwn(registry[channel], name)) {
          throw new Error(`Two ${channel} templates are named ${name}`);
        }
        (registry[channel] as Record<string, unknown>)[name] = template;
      }
    }
  }
  return registry;
}

/** One message to queue: one recipient, a registered template and its parameters. */
export type QueuedMessage = {
  /** Stable for this message (e.g. `invitation:<id>`); also the Message-ID seed and the SMS reference. */
  dedupeKey: string;
  /** The one recipient: an email address, or a phone number for a text message. */
  to: string;
  /** A template name registered with the worker for this channel. */
  template: string;
  params: OutboxParams;
  /** When it was queued; also when it is first due. */
  at: Date;
};

/**
 * Queues a message on a channel inside the caller's transaction. Queuing the same dedupe key twice
 * queues it once.
 *
 * @param tx - the transaction making the change that causes the message.
 * @param channel - 'email' or 'sms'.
 * @param message - the recipient, template, parameters and time.
 * @returns true when it was queued now, false when a message with that key already existed.
 */
export async function enqueueMessage(
  tx: AnyDb,
  channel: OutboxChannel,
  message: QueuedMessage,
): Promise<boolean> {
  const inserted = await outbox(tx)
    .insertInto('outbox_messages')
    .values({
      id: randomUUID(),
      dedupe_key: message.dedupeKey,
      channel,
      recipient: message.to,
      template: message.template,
      params: JSON.stringify(message.params),
      next_attempt_at: message.at,
      locked_until: null,
      last_error: null,
      created_at: message.at,
      sent_at: null,
      provider_id: null,
    })
    .onConflict((c) => c.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
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
export async function enqueueEmail(tx: AnyDb, email: QueuedMessage): Promise<void> {
  await enqueueMessage(tx, 'email', email);
}

/**
 * Takes back a message that is still waiting and that no worker is sending right now.
 *
 * @param tx - the transaction making the change that makes the message wrong (e.g. a cancellation).
 * @param dedupeKey - the message's key.
 * @param now - the current time (a claim whose lease has passed no longer counts as sending).
 * @returns true when it was withdrawn and will never be sent; false when it went, is going, or never was.
 */
export async function withdrawWaitingMessage(tx: AnyDb, dedupeKey: string, now: Date): Promise<boolean> {
  const withdrawn = await outbox(tx)
    .updateTable('outbox_messages')
    .set({ status: 'withdrawn', params: '{}', locked_until: null })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returning('id')
    .executeTakeFirst();
  return withdrawn !== undefined;
}

/**
 * The Message-ID an email gets from its dedupe key: the same on every try.
 *
 * @param dedupeKey - the message's key.
 * @returns e.g. `<session-reminder.1.2@alongside>`.
 */
export function messageIdFor(dedupeKey: string): string {
  return `<${dedupeKey.replace(/[^A-Za-z0-9.-]/g, '.')}@alongside>`;
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

type ClaimedMessage = {
  id: string;
  dedupe_key: string;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  params: OutboxParams;
  attempts: number;
};

/**
 * Hands one claimed message to its channel's transport.
 *
 * @param message - the claimed message.
 * @param transports - where each channel goes.
 * @param templates - the registered templates.
 * @returns the provider's id for it, when the provider gives one.
 */
async function send(
  message: ClaimedMessage,
  transports: OutboxTransports,
  templates: MessageTemplates,
): Promise<string | null> {
  if (message.channel === 'email') {
    const template = Object.hasOwn(templates.email, message.template)
      ? templates.email[message.template]
      : undefined;
    if (!template || !transports.email) {
      throw new Error(`no email template named ${message.template}`);
    }
    const messageId = messageIdFor(message.dedupe_key);
    await transports.email.send({ ...template(message.params), to: message.recipient, messageId });
    return null;
  }
  const template = Object.hasOwn(templates.sms, message.template)
    ? templates.sms[message.template]
    : undefined;
  if (!template || !transports.sms) {
    throw new Error(`no text message template named ${message.template}`);
  }
  if (message.attempts > 1 && transports.sms.findSent) {
    // An earlier try may have been accepted just before its worker stopped: ask before sending again.
    const alreadySent = await transports.sms.findSent(message.dedupe_key);
    if (alreadySent) {
      return alreadySent;
    }
  }
  const { providerId } = await transports.sms.send({
    to: message.recipient,
    body: template(message.params),
    reference: message.dedupe_key,
  });
  return providerId;
}

/**
 * Claims due messages on the channels it has a transport for (skipping any another worker holds),
 * sends them, and records the outcome.
 *
 * @param db - the database.
 * @param transports - where each channel is sent; channels without one are left waiting.
 * @param templates - the registered templates.
 * @param now - the current time.
 * @param batchSize - the most messages to claim at once.
 * @returns how many were sent and how many failed this time.
 */
export async function deliverDue(
  db: AnyDb,
  transports: OutboxTransports,
  templates: MessageTemplates,
  now: Date,
  batchSize = 20,
): Promise<{ sent: number; failed: number }> {
  const channels = (['email', 'sms'] as const).filter((channel) => transports[channel] !== undefined);
  if (channels.length === 0) {
    return { sent: 0, failed: 0 };
  }
  const leaseUntil = new Date(now.getTime() + LEASE_MINUTES * 60_000);
  const claimed = await outbox(db)
    .transaction()
    .execute(async (tx) => {
      const due = await tx
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('channel', 'in', channels)
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
        .returning(['id', 'dedupe_key', 'channel', 'recipient', 'template', 'params', 'attempts'])
        .execute();
    });
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    try {
      const providerId = await send(message, transports, templates);
      // The parameters may hold one-time links: once delivered they are not kept.
      await outbox(db)
        .updateTable('outbox_messages')
        .set({
          status: 'sent',
          sent_at: now,
          locked_until: null,
          params: '{}',
          last_error: null,
          provider_id: providerId,
        })
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

/**
 * Removes who a message went to, and any parameters or error text still held, from messages that
 * finished (sent, failed for good, or withdrawn) more than KEEP_FINISHED_DETAILS_DAYS ago. The row
 * stays, with its dedupe key, template, status and times, so a repeat is still recognised and the
 * outbox can still be counted. An error text may quote the address (a mail server's "user unknown"),
 * so it goes too.
 *
 * @param db - the database.
 * @param now - the current time.
 * @returns how many messages were cleared.
 */
export async function removeFinishedMessageDetails(db: AnyDb, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEEP_FINISHED_DETAILS_DAYS * 86_400_000);
  const result = await outbox(db)
    .updateTable('outbox_messages')
    .set({ recipient: '', params: '{}', last_error: null, details_removed_at: now })
    .where('status', '<>', 'pending')
    .where('details_removed_at', 'is', null)
    .where('created_at', '<', before)
    .where(sql<boolean>`coalesce(sent_at, next_attempt_at, created_at) < ${before}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type OutboxWorker = { stop(): Promise<void>; poke(): void };

/**
 * Runs delivery in the background every few seconds, and straight away when poked; each round also
 * clears the details of messages that finished over a week ago.
 *
 * @param options - database, transports, templates, clock, error reporter and polling interval.
 * @param options.db - the database.
 * @param options.transports - where each channel is sent.
 * @param options.templates - the registered templates.
 * @param options.now - the clock.
 * @param options.onError - told about a failed round (the next round tries again).
 * @param options.intervalMs - time between rounds.
 * @returns a handle to poke or stop the worker; stop waits for the round in progress.
 */
export function startOutboxWorker(options: {
  db: AnyDb;
  transports: OutboxTransports;
  templates: MessageTemplates;
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
          await deliverDue(options.db, options.transports, options.templates, options.now());
          await removeFinishedMessageDetails(options.db, options.now());
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
      options.transports.email?.close();
      options.transports.sms?.close();
    },
  };
}
