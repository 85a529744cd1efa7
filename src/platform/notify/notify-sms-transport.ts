import { NotifyClient } from 'notifications-node-client';
import type { SmsTransport } from './sms-transport.ts';

/** What Notify's client rejects with when the API answers an error (an axios error). */
type NotifyFailure = { response?: { status?: number; data?: { errors?: { error?: string }[] } } };

/**
 * Describes a failed call without the request (which carries the phone number and the bearer token)
 * and without Notify's message text (which can quote the number back): status and error kinds only.
 *
 * @param error - what the client rejected with.
 * @returns e.g. "GOV.UK Notify answered 400 (BadRequestError)".
 */
function describeFailure(error: unknown): string {
  const response = (error as NotifyFailure).response;
  if (response?.status === undefined) {
    return 'GOV.UK Notify could not be reached';
  }
  const kinds = (response.data?.errors ?? []).map((e) => e.error).filter(Boolean);
  return `GOV.UK Notify answered ${response.status}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
}

/**
 * Sends text messages through GOV.UK Notify (https://docs.notifications.service.gov.uk/node.html).
 *
 * Our allowlist of wordings lives in this codebase, so the Notify template is a pass-through: its whole
 * text is the placeholder `((message))`, and every message fills it with a body rendered from one of
 * our templates. The outbox's dedupe key goes as Notify's `reference`, which lets a worker taking over
 * an interrupted send ask Notify whether the message was already accepted (`GET /v2/notifications?
 * reference=...`) before sending it again.
 *
 * @param options - how to reach Notify.
 * @param options.apiKey - the API key (secret; never logged).
 * @param options.templateId - the id of the pass-through text message template.
 * @param options.baseUrl - Notify's API address; its public address unless given.
 * @returns the transport.
 */
export function notifySmsTransport(options: {
  apiKey: string;
  templateId: string;
  baseUrl?: string;
}): Required<SmsTransport> {
  const client = options.baseUrl
    ? new NotifyClient(options.baseUrl, options.apiKey)
    : new NotifyClient(options.apiKey);
  return {
    async send(sms) {
      try {
        const response = await client.sendSms(options.templateId, sms.to, {
          personalisation: { message: sms.body },
          reference: sms.reference,
        });
        return { providerId: response.data.id };
      } catch (error) {
        throw new Error(describeFailure(error));
      }
    },
    async findSent(reference) {
      try {
        const response = await client.getNotifications('sms', undefined, reference);
        const found = response.data.notifications.find(
          (n) => n.reference === reference && n.status !== 'permanent-failure',
        );
        return found?.id;
      } catch (error) {
        throw new Error(describeFailure(error));
      }
    },
    close() {
      // Notify's client keeps no connection open between calls.
    },
  };
}
