import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { notifySmsTransport } from './notify-sms-transport.ts';
import { startNotifyTestServer, TEST_NOTIFY_KEY, type NotifyTestServer } from './notify-test-server.ts';

const templateId = '6a1f7a52-4b8e-4d0c-9f3a-2e5b7c9d1f30';

describe('text messages through GOV.UK Notify', () => {
  let notify: NotifyTestServer;
  before(async () => {
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
  });
  after(() => notify.close());
  beforeEach(() => {
    notify.accepted.length = 0;
    notify.refuseSends(undefined);
  });

  it('sends one message to one number through the pass-through template, signed with the key', async () => {
    const transport = notifySmsTransport({ apiKey: TEST_NOTIFY_KEY.apiKey, templateId, baseUrl: notify.url });
    const { providerId } = await transport.send({
      to: '07700 900982',
      body: 'You have an appointment on Tuesday 5 January at 10:00.',
      reference: 'session-reminder:1:2',
    });
    assert.equal(notify.accepted.length, 1);
    assert.deepEqual(notify.accepted[0], {
      id: providerId,
      phoneNumber: '07700 900982',
      templateId,
      personalisation: { message: 'You have an appointment on Tuesday 5 January at 10:00.' },
      reference: 'session-reminder:1:2',
    });
    assert.equal(await transport.findSent('session-reminder:1:2'), providerId);
    assert.equal(await transport.findSent('session-reminder:1:3'), undefined);
  });

  it('is refused with a wrong key, and says so without the number or the key', async () => {
    const wrongSecret = TEST_NOTIFY_KEY.apiKey.replace(/.{12}$/, '000000000000');
    const transport = notifySmsTransport({ apiKey: wrongSecret, templateId, baseUrl: notify.url });
    await assert.rejects(
      transport.send({ to: '07700 900982', body: 'Hello', reference: 'r:1' }),
      (error: Error) =>
        error.message === 'GOV.UK Notify answered 403 (AuthError)' &&
        !error.message.includes('07700') &&
        !error.message.includes(TEST_NOTIFY_KEY.secret),
    );
    assert.equal(notify.accepted.length, 0);
  });

  it('reports a refusal such as the rate limit as a failure to retry', async () => {
    const transport = notifySmsTransport({ apiKey: TEST_NOTIFY_KEY.apiKey, templateId, baseUrl: notify.url });
    notify.refuseSends(429);
    await assert.rejects(
      transport.send({ to: '07700 900982', body: 'Hello', reference: 'r:2' }),
      /GOV.UK Notify answered 429 \(RateLimitError\)/,
    );
  });
});
