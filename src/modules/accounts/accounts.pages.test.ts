import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildAdministrator } from '../../testing/builders/accounts.ts';
import { signIn, startTestApp, type TestApp } from '../../testing/test-app.ts';

describe('signing in', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('shows the sign-in page to someone not signed in', async () => {
    const response = await t.agent().get('/sign-in');
    assert.equal(response.status, 200);
    assert.match(response.body, /<h1[^>]*>Sign in<\/h1>/);
  });

  it('signs an administrator in with a password and an authenticator code', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    const home = await agent.get('/');
    assert.equal(home.status, 200);
    assert.match(home.body, new RegExp(`Hello ${admin.fullName}`));
  });
});
