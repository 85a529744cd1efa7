import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A text message the loopback Notify server accepted. */
export type AcceptedSms = {
  id: string;
  phoneNumber: string;
  templateId: string;
  personalisation: Record<string, string>;
  reference: string | undefined;
};

/**
 * For tests only: a real HTTP server on loopback speaking the two parts of GOV.UK Notify's API the SMS
 * adapter uses (https://docs.notifications.service.gov.uk/rest-api.html): `POST /v2/notifications/sms`
 * and `GET /v2/notifications?template_type=sms&reference=...`. Like Notify, it checks the bearer token
 * is a JWT signed with HS256 by the API key's secret, with the service id as `iss` and an `iat` (the
 * docs' "Authorisation header" section), and answers 403 otherwise.
 *
 * @param credentials - the service id and secret the API key carries.
 * @param credentials.serviceId - the first UUID in the key.
 * @param credentials.secret - the second UUID in the key.
 * @returns its base URL, what it accepted, a switch to refuse the next sends, and close.
 */
export async function startNotifyTestServer(credentials: { serviceId: string; secret: string }) {
  const accepted: AcceptedSms[] = [];
  const refusedTokens: string[] = [];
  let refuseWith: number | undefined;
  let holdNext: ((sms: AcceptedSms) => Promise<void>) | undefined;

  const authorised = (req: IncomingMessage): boolean => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) {
      return false;
    }
    const expected = createHmac('sha256', credentials.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      refusedTokens.push(token);
      return false;
    }
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; iat?: number };
    return head.alg === 'HS256' && claims.iss === credentials.serviceId && typeof claims.iat === 'number';
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, kind: string, message: string) =>
    answer(res, status, { status_code: status, errors: [{ error: kind, message }] });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!authorised(req)) {
        error(res, 403, 'AuthError', 'Invalid token: signature, api token not found');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://notify.test');
      if (req.method === 'POST' && url.pathname === '/v2/notifications/sms') {
        if (refuseWith !== undefined) {
          error(res, refuseWith, 'RateLimitError', 'Exceeded rate limit');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
          phone_number?: string;
          template_id?: string;
          personalisation?: Record<string, string>;
          reference?: string;
        };
        if (!body.phone_number || !body.template_id) {
          error(res, 400, 'ValidationError', 'phone_number and template_id are required');
          return;
        }
        const sms: AcceptedSms = {
          id: randomUUID(),
          phoneNumber: body.phone_number,
          templateId: body.template_id,
          personalisation: body.personalisation ?? {},
          reference: body.reference,
        };
        accepted.push(sms);
        const hold = holdNext;
        holdNext = undefined;
        void (hold ? hold(sms) : Promise.resolve()).then(() =>
          answer(res, 201, {
            id: sms.id,
            reference: sms.reference ?? null,
            content: { body: sms.personalisation.message ?? '', from_number: 'ALONGSIDE' },
            uri: `http://notify.test/v2/notifications/${sms.id}`,
            template: {
              id: sms.templateId,
              version: 1,
              uri: `http://notify.test/v2/template/${sms.templateId}`,
            },
          }),
        );
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v2/notifications') {
        const reference = url.searchParams.get('reference');
        const notifications = accepted
          .filter((sms) => reference === null || sms.reference === reference)
          .map((sms) => ({ id: sms.id, reference: sms.reference ?? null, type: 'sms', status: 'sending' }));
        answer(res, 200, { notifications, links: { current: `http://notify.test${req.url ?? ''}` } });
        return;
      }
      error(res, 404, 'NotFound', 'Not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    refusedTokens,
    /** Answer the next sends with this status (e.g. 429), or accept them again with undefined. */
    refuseSends(status: number | undefined) {
      refuseWith = status;
    },
    /**
     * Accepts the next text message (it counts as sent from then on, as at Notify), then waits for the
     * returned promise before answering: the sender is left not knowing it went.
     *
     * @param whileHolding - what to do while the answer is held back.
     */
    holdNextAnswer(whileHolding: (sms: AcceptedSms) => Promise<void>) {
      holdNext = whileHolding;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type NotifyTestServer = Awaited<ReturnType<typeof startNotifyTestServer>>;

/** A well-formed Notify API key for tests, with the service id and secret it carries. */
export const TEST_NOTIFY_KEY = {
  apiKey: 'alongside_test-5b0d6f0a-3e43-4c5e-9b5a-2f1e7c6d8a90-8c3e2b1a-7d6f-4e5a-9b8c-1d2e3f4a5b6c',
  serviceId: '5b0d6f0a-3e43-4c5e-9b5a-2f1e7c6d8a90',
  secret: '8c3e2b1a-7d6f-4e5a-9b8c-1d2e3f4a5b6c',
};
