import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildAdministrator } from '../../testing/builders/accounts.ts';
import { signIn, startTestApp, type TestApp } from '../../testing/test-app.ts';
import { createLogger } from './logger.ts';

/** Values that must never reach a log line (reliability plan L4). */
const CANARY_NAME = 'Zebedee Canarywharf';
const CANARY_EMAIL = 'canary.zebedee@example.org';
const CANARY_PASSWORD = 'canary password never logged';

describe('what the service logs', () => {
  const lines: string[] = [];
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ logLines: lines });
  });
  after(() => t.close());

  it('writes one line per request with the route pattern, never names, emails, passwords or tokens', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    const invited = await agent.post('/staff/invite', {
      fullName: CANARY_NAME,
      email: CANARY_EMAIL,
      roles: 'volunteer',
    });
    const link = /id="invitation-link">([^<]+)</.exec(invited.body)?.[1] ?? '';
    const token = link.split('/invitations/')[1] ?? 'missing';
    await t.agent().get(new URL(link).pathname);
    await t.agent().post('/sign-in', { email: CANARY_EMAIL, password: CANARY_PASSWORD });
    await t.agent().post('/forgotten-password', { email: CANARY_EMAIL });
    await t.agent().get('/no-such-page?email=canary.zebedee@example.org');

    const all = lines.join('');
    for (const canary of [
      CANARY_NAME,
      CANARY_EMAIL,
      CANARY_PASSWORD,
      token,
      admin.email,
      admin.fullName,
      admin.password,
    ]) {
      assert.equal(all.includes(canary), false, `a log line contains ${canary}`);
    }
    const served = lines
      .map((l) => JSON.parse(l) as { msg: string; route?: string })
      .filter((l) => l.msg === 'request served');
    assert.ok(
      served.some((l) => l.route === '/invitations/:token'),
      'routes are logged by pattern',
    );
    assert.ok(served.every((l) => !l.route?.includes('?')));
  });
});

describe('logging a database error', () => {
  it('keeps its code and constraint but drops the detail, which repeats the failing row', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const error = Object.assign(new Error('new row for relation "referrals" violates check constraint'), {
      code: '23514',
      constraint: 'referrals_reference_check',
      detail: 'Failing row contains (Jordan Example, 07700 900123).',
      where: 'SQL function with Jordan Example',
    });
    logger.error({ err: error }, 'unexpected error');
    const line = lines.join('');
    assert.match(line, /23514/);
    assert.match(line, /referrals_reference_check/);
    assert.doesNotMatch(line, /Jordan|07700/);
  });
});
