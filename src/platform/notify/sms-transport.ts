/**
 * Text messages as the outbox sends them: one recipient, a body rendered from an allowlisted
 * template, and the outbox's dedupe key as the provider's reference.
 */
export type OutgoingSms = {
  /** The one recipient's phone number, as the member's record holds it (e.g. "07700 900982"). */
  to: string;
  body: string;
  /** Stable for the message across retries: the outbox's dedupe key. */
  reference: string;
};

/**
 * Sends text messages through a provider. `send` throws when the provider did not accept the message.
 * `findSent`, when the provider can answer it, says whether a message with this reference was already
 * accepted (and its id), so a worker that takes over an interrupted send can mark it sent instead of
 * sending it again.
 */
export type SmsTransport = {
  send(sms: OutgoingSms): Promise<{ providerId: string }>;
  findSent?(reference: string): Promise<string | undefined>;
  close(): void;
};
