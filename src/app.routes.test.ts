import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAction } from './policy/index.ts';
import { buildAdministrator } from './testing/builders/accounts.ts';
import { signIn, startTestApp, type TestApp } from './testing/test-app.ts';

/** Pages anyone may open: everything else must send a signed-out visitor to sign in. */
const PUBLIC_PAGES = new Set([
  '/',
  '/sign-in',
  '/sign-in/second-factor',
  '/sign-in/recovery-code',
  '/set-up-authenticator',
  '/sign-out',
  '/forgotten-password',
  '/reset-password/:token',
  '/invitations/:token',
  '/setup/:token',
  '/accessibility',
  '/privacy',
  '/health',
  '/assets/*',
  '/app/*',
  // The self-referral journey: anyone may refer themselves, with no account ("no wrong door").
  '/refer',
  '/refer/help-now',
  '/refer/what-is-happening',
  '/refer/what-you-would-like',
  '/refer/your-name',
  '/refer/date-of-birth',
  '/refer/how-to-contact-you',
  '/refer/communication-needs',
  '/refer/nhs-number',
  '/refer/gp-practice',
  '/refer/consent',
  '/refer/check-your-answers',
  '/refer/sent',
  '/refer/resume',
  // The professional referral form: a GP or a partner refers someone, with no account.
  '/refer/professional',
  '/refer/professional/sent',
  // Calendar feeds: the secret in the address is the key (Outlook cannot sign in); a wrong one is 404.
  '/calendars/staff/:token.ics',
  '/calendars/groups/:token.ics',
  // The member portal's sign-in, and the offline scripts its pages load.
  '/my-account/sign-in',
  '/my-account/sign-in/code',
  '/my-account/sign-in/link/:token',
  '/my-account/sign-out',
  '/my-account/service-worker.js',
  '/my-account/offline.js',
]);

/** The member portal's pages send a signed-out visitor to the member sign-in, never the staff one. */
const MEMBER_PAGES = /^\/my-(account|plans)(\/|$)/;

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, SAMPLE_ID).replace('*', 'x');

describe('route inventory (reliability plan A1)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('gives every registered route a policy action', () => {
    const routes = t.app.routeInventory();
    assert.ok(routes.length > 30, `expected the whole app's routes, found ${routes.length}`);
    const unannotated = routes.filter((r) => !isAction(r.can));
    assert.deepEqual(unannotated, []);
  });

  it('refuses to start when a route names no policy action', async () => {
    const { createApp } = await import('./app.ts');
    const app = await createApp(t.deps);
    assert.throws(() => app.get('/unguarded', () => 'oops'), /does not name a policy action/);
    await app.close();
  });

  it('sends a signed-out visitor from every non-public page to sign in', async () => {
    const pages = t.app.routeInventory().filter((r) => r.method === 'GET' && !PUBLIC_PAGES.has(r.url));
    assert.ok(pages.length > 5);
    for (const page of pages) {
      const response = await t.agent().get(concrete(page.url));
      assert.equal(response.status, 303, `${page.url} answered ${response.status}`);
      const signIn = MEMBER_PAGES.test(page.url) ? /^\/my-account\/sign-in\?next=/ : /^\/sign-in/;
      assert.match(String(response.headers.location), signIn, page.url);
    }
  });

  it('refuses every state-changing request without a valid CSRF token, changing nothing (S8)', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    const before = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const posts = t.app.routeInventory().filter((r) => r.method === 'POST');
    assert.ok(posts.length > 10);
    for (const route of posts) {
      const missing = await agent.post(concrete(route.url), {
        _csrf: undefined as unknown as string,
        email: 'x@example.org',
      });
      assert.equal(missing.status, 403, `${route.url} without a token answered ${missing.status}`);
      const wrong = await agent.post(concrete(route.url), { _csrf: 'not-the-token' });
      assert.equal(wrong.status, 403, `${route.url} with a wrong token answered ${wrong.status}`);
    }
    const afterCount = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n, 'a refused request must not write anything');
    const stillSignedIn = await agent.get('/account');
    assert.equal(stillSignedIn.status, 200);
  });
});

describe('security headers on every response (reliability plan V2, V8)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  for (const url of ['/sign-in', '/no-such-page', '/health']) {
    it(`sets a strict content security policy and no caching on ${url}`, async () => {
      const response = await t.agent().get(url);
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /base-uri 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['referrer-policy'], 'no-referrer');
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
    });
  }

  it('puts the nonce on the only inline script and nowhere else', async () => {
    const response = await t.agent().get('/sign-in');
    const nonce = /'nonce-([^']+)'/.exec(String(response.headers['content-security-policy']))?.[1];
    const inline = [...response.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    assert.equal(inline.length, 1);
    assert.ok(inline[0]?.[1]?.includes(`nonce="${nonce}"`));
  });

  it('lets the design system assets be cached', async () => {
    const response = await t.agent().get('/assets/images/favicon.svg');
    assert.equal(response.status, 200);
    assert.match(String(response.headers['cache-control']), /max-age=/);
    assert.equal(response.headers['set-cookie'], undefined, 'a cacheable file never sets a cookie');
  });
});

describe('behind HTTPS (reliability plan S1, V2)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://support.example.org' } });
  });
  after(() => t.close());

  it('sends HSTS for a year and __Host- cookies that are Secure, HttpOnly and SameSite', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    const page = await agent.get('/sign-in');
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
    const response = await agent.post('/sign-in', { email: admin.email, password: admin.password });
    const cookies = [response.headers['set-cookie'] ?? []].flat().map(String);
    const session = cookies.find((c) => c.startsWith('__Host-alongside-session='));
    assert.ok(session, `no __Host- session cookie in ${cookies.join(' | ')}`);
    assert.match(session, /; Secure/);
    assert.match(session, /; HttpOnly/);
    assert.match(session, /; SameSite=Lax/);
    assert.match(session, /; Path=\//);
    assert.doesNotMatch(session, /Domain=/);
    const csrf = [page.headers['set-cookie'] ?? []]
      .flat()
      .map(String)
      .find((c) => c.startsWith('__Host-csrf='));
    assert.ok(csrf);
    assert.match(csrf, /; Secure/);
  });
});
