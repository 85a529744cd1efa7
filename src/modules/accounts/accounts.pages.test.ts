import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSetupToken } from './accounts.service.ts';
import { hashToken, normaliseRecoveryCode } from './tokens.ts';
import { accountEmailTemplates } from './email-templates.ts';
import { deliverDue, registerTemplates, smtpTransport } from '../../platform/outbox/outbox.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { buildAdministrator, buildStaff } from '../../testing/builders/accounts.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { authenticatorCode, signIn, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

const SESSION = 'alongside-session';

async function auditActions(t: TestApp, subjectId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('first-run setup', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('tells a visitor the service is not set up yet', async () => {
    const home = await t.agent().get('/');
    assert.equal(home.status, 200);
    assert.match(home.body, /This service has not been set up yet/);
  });

  it('creates the host organisation and an administrator who must set up an authenticator', async () => {
    const { token } = await createSetupToken(t.deps);
    const agent = t.agent();
    const form = await agent.get(`/setup/${token}`);
    assert.equal(form.status, 200);

    const empty = await agent.post(`/setup/${token}`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#organisationName">Enter the name of your organisation/);
    assert.match(empty.body, /Select the type of organisation/);

    const weak = await agent.post(`/setup/${token}`, {
      organisationName: 'Eastwold Wellbeing',
      organisationKind: 'charity',
      fullName: 'Priya Shah',
      email: 'priya@example.org',
      password: 'password1',
    });
    assert.equal(weak.status, 400);
    assert.match(weak.body, /This password is too common/);
    assert.match(weak.body, /value="Eastwold Wellbeing"/, 'input is kept');

    const done = await agent.post(`/setup/${token}`, {
      organisationName: 'Eastwold Wellbeing',
      organisationKind: 'charity',
      odsCode: 'ab1',
      fullName: 'Priya Shah',
      email: 'Priya@Example.org',
      password: 'tangerine kettle harbour',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/set-up-authenticator');

    // Until the authenticator is set up, nothing else is open.
    const staffPage = await agent.get('/staff');
    assert.equal(staffPage.status, 303);
    assert.match(String(staffPage.headers.location), /^\/sign-in/);

    const enrol = await agent.get('/set-up-authenticator');
    const secret = /id="secret">([A-Z2-7]+)</.exec(enrol.body)?.[1];
    assert.ok(secret, 'the setup key is shown for people who cannot scan');
    assert.match(enrol.body, /src="data:image\/svg\+xml;base64,/);

    const wrong = await agent.post('/set-up-authenticator', { code: '000000' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /Enter the 6-digit code shown in your authenticator app now/);

    const right = await agent.post('/set-up-authenticator', {
      code: await authenticatorCode(secret, t.clock),
    });
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, '/recovery-codes');
    const codes = await agent.get('/recovery-codes');
    assert.equal([...codes.body.matchAll(/<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/li>/g)].length, 10);
    await agent.post('/recovery-codes');
    assert.equal((await agent.get('/recovery-codes')).status, 303, 'codes are shown once');

    const admin = await t.db
      .selectFrom('staff')
      .selectAll()
      .where('email', '=', 'priya@example.org')
      .executeTakeFirstOrThrow();
    assert.deepEqual(admin.roles, ['administrator']);
    assert.ok(admin.totp_enrolled_at);
    assert.match(admin.password_hash ?? '', /^\$argon2id\$/);
    const organisation = await t.db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow();
    assert.equal(organisation.is_host, true);
    assert.equal(organisation.ods_code, 'AB1');
    assert.deepEqual(await auditActions(t, admin.id), ['staff.created', 'staff.second_factor_set_up']);

    const again = await t.agent().get(`/setup/${token}`);
    assert.equal(again.status, 404, 'the link works once');
    const home = await agent.get('/');
    assert.match(home.body, /Hello Priya Shah/);
  });
});

describe('signing in', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('gives one message for a wrong password or an unknown address, and records the failure', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const wrong = await t.agent().post('/sign-in', { email: admin.email, password: 'not the password' });
    const unknown = await t
      .agent()
      .post('/sign-in', { email: 'nobody@example.org', password: 'not the password' });
    assert.equal(wrong.status, 400);
    assert.equal(unknown.status, 400);
    for (const body of [wrong.body, unknown.body]) {
      assert.match(body, /Enter a correct email address and password/);
    }
    assert.deepEqual(await auditActions(t, admin.id), ['sign_in.failed']);
  });

  it('never signs anyone in on a password alone (S5)', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    const response = await agent.post('/sign-in', { email: admin.email, password: admin.password });
    assert.equal(response.headers.location, '/sign-in/second-factor');
    for (const page of ['/', '/staff', '/account']) {
      const result = await agent.get(page);
      assert.equal(result.status, 303, page);
      assert.notEqual(result.headers.location, undefined);
    }
  });

  it('issues a new session id at sign-in, and an old id is useless afterwards (S2)', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    t.clock.advance(30_000);
    await agent.post('/sign-in', { email: admin.email, password: admin.password });
    const partWay = agent.cookie(SESSION);
    await agent.post('/sign-in/second-factor', { code: await authenticatorCode(admin.totpSecret, t.clock) });
    const signedIn = agent.cookie(SESSION);
    assert.ok(partWay && signedIn && partWay !== signedIn);
    const replay = t.agent();
    replay.setCookie(SESSION, partWay);
    assert.equal((await replay.get('/account')).status, 303);

    await agent.get('/sign-out');
    const out = await agent.post('/sign-out');
    assert.equal(out.status, 200);
    assert.match(String(out.headers['clear-site-data']), /cache/);
    const afterSignOut = t.agent();
    afterSignOut.setCookie(SESSION, signedIn);
    assert.equal((await afterSignOut.get('/account')).status, 303);
  });

  it('refuses a code from a time step already used', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    await signIn(t.agent(), admin, t.clock);
    const second = t.agent();
    await second.post('/sign-in', { email: admin.email, password: admin.password });
    const replayed = await second.post('/sign-in/second-factor', {
      code: await authenticatorCode(admin.totpSecret, t.clock),
    });
    assert.equal(replayed.status, 400);
  });

  it('accepts each recovery code once', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    await giveRecoveryCodes(t, admin.id, ['abcd-efgh-jkmn']);
    const agent = t.agent();
    await agent.post('/sign-in', { email: admin.email, password: admin.password });
    const used = await agent.post('/sign-in/recovery-code', { code: 'ABCD EFGH JKMN' });
    assert.equal(used.status, 303);
    const again = t.agent();
    await again.post('/sign-in', { email: admin.email, password: admin.password });
    const reused = await again.post('/sign-in/recovery-code', { code: 'abcd-efgh-jkmn' });
    assert.equal(reused.status, 400);
    assert.match(reused.body, /Enter a recovery code you have not used before/);
  });
});

async function giveRecoveryCodes(t: TestApp, staffId: string, codes: string[]): Promise<void> {
  await t.db
    .insertInto('staff_recovery_codes')
    .values(
      codes.map((c) => ({
        id: randomUUID(),
        staff_id: staffId,
        code_hash: hashToken(normaliseRecoveryCode(c)),
        used_at: null,
      })),
    )
    .execute();
}

describe('throttling every sign-in path (S4)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  after(() => t?.close());

  it('locks an account after 10 failed passwords in 5 minutes, until the oldest is 5 minutes old', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    for (let i = 0; i < 10; i += 1) {
      const response = await t.agent().post('/sign-in', { email: admin.email, password: `wrong ${i}` });
      assert.equal(response.status, 400);
      t.clock.advance(1_000);
    }
    const locked = await t.agent().post('/sign-in', { email: admin.email, password: admin.password });
    assert.equal(locked.status, 429, 'even the right password is refused while locked');
    assert.match(locked.body, /Too many attempts/);
    // The first failure was 10 s ago; it leaves the window 290 s from now.
    t.clock.advance(290_000 - 10_000);
    assert.equal(
      (await t.agent().post('/sign-in', { email: admin.email, password: admin.password })).status,
      429,
    );
    t.clock.advance(10_000);
    const unlocked = await t.agent().post('/sign-in', { email: admin.email, password: admin.password });
    assert.equal(unlocked.status, 303);
    await t.close();
  });

  it('locks the authenticator step after 10 wrong codes', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await agent.post('/sign-in', { email: admin.email, password: admin.password });
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await agent.post('/sign-in/second-factor', { code: '000000' })).status, 400);
    }
    const locked = await agent.post('/sign-in/second-factor', {
      code: await authenticatorCode(admin.totpSecret, t.clock),
    });
    assert.equal(locked.status, 429);
    const recovery = await agent.post('/sign-in/recovery-code', { code: 'abcd-efgh-jkmn' });
    assert.equal(recovery.status, 429, 'recovery codes share the same limit');
    await t.close();
  });

  it('limits password reset requests from one address', async () => {
    for (let i = 0; i < 10; i += 1) {
      assert.equal(
        (await t.agent().post('/forgotten-password', { email: `someone${i}@example.org` })).status,
        200,
      );
    }
    assert.equal((await t.agent().post('/forgotten-password', { email: 'another@example.org' })).status, 429);
    await t.close();
  });
});

describe('session limits (S3)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('ends a session after 30 minutes without use', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    t.clock.advance(30 * 60_000);
    assert.equal((await agent.get('/account')).status, 200, 'exactly 30 minutes is still allowed');
    t.clock.advance(30 * 60_000 + 1_000);
    assert.equal((await agent.get('/account')).status, 303);
  });

  it('ends a session 12 hours after sign-in however busy', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    // Used every 20 minutes, so the idle limit never ends it: only the 12-hour limit does.
    for (let step = 0; step < 36; step += 1) {
      t.clock.advance(20 * 60_000);
      assert.equal((await agent.get('/account')).status, 200, `after ${(step + 1) * 20} minutes`);
    }
    t.clock.advance(1_000);
    assert.equal((await agent.get('/account')).status, 303);
  });
});

describe('staff administration', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof buildAdministrator>>;
  let adminAgent: Agent;
  before(async () => {
    t = await startTestApp();
    admin = await buildAdministrator(t.db, { host: true });
    adminAgent = t.agent();
    await signIn(adminAgent, admin, t.clock);
  });
  after(() => t.close());

  it('offers a calendar feed on your account page to those who may have one, not to commissioners', async () => {
    const worker = await buildStaff(t.db, {
      organisationId: admin.organisationId,
      roles: ['peer_support_worker'],
    });
    const commissioner = await buildStaff(t.db, {
      organisationId: admin.organisationId,
      roles: ['commissioner'],
    });
    const workerAgent = t.agent();
    await signIn(workerAgent, worker, t.clock);
    const commissionerAgent = t.agent();
    await signIn(commissionerAgent, commissioner, t.clock);
    assert.ok((await workerAgent.get('/account')).body.includes('href="/calendar-feed"'));
    const theirs = await commissionerAgent.get('/account');
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.includes('href="/calendar-feed"'));
  });

  it('lists only the organisation’s own staff', async () => {
    const colleague = await buildStaff(t.db, {
      organisationId: admin.organisationId,
      fullName: 'Colleague Here',
    });
    const outsider = await buildStaff(t.db, { fullName: 'Outsider Elsewhere' });
    const list = await adminAgent.get('/staff');
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(colleague.fullName));
    assert.doesNotMatch(list.body, new RegExp(outsider.fullName));
    assert.match(list.body, /<strong class="nhsuk-tag nhsuk-tag--green">Active<\/strong>/);
  });

  it('signed out: sends to sign in; wrong role: 403; other organisation: 404 like a missing record', async () => {
    const outsider = await buildStaff(t.db, { fullName: 'Outsider Two' });
    const colleague = await buildStaff(t.db, { organisationId: admin.organisationId });
    const worker = await buildStaff(t.db, {
      organisationId: admin.organisationId,
      roles: ['peer_support_worker'],
    });
    const workerAgent = t.agent();
    await signIn(workerAgent, worker, t.clock);
    const otherAdmin = await buildAdministrator(t.db);
    const otherAgent = t.agent();
    await signIn(otherAgent, otherAdmin, t.clock);

    for (const url of [
      '/staff',
      '/staff/invite',
      `/staff/${colleague.id}`,
      `/staff/${colleague.id}/roles`,
      `/staff/${colleague.id}/audit`,
    ]) {
      assert.equal((await t.agent().get(url)).status, 303, url);
      assert.equal((await workerAgent.get(url)).status, 403, url);
    }
    for (const url of [
      `/staff/${colleague.id}`,
      `/staff/${colleague.id}/roles`,
      `/staff/${colleague.id}/audit`,
    ]) {
      const hidden = await otherAgent.get(url);
      const missing = await otherAgent.get(url.replace(colleague.id, '00000000-0000-4000-8000-000000000000'));
      assert.equal(hidden.status, 404, url);
      assert.equal(missing.status, 404, url);
      assert.equal(
        hidden.body.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
        missing.body.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
        'another organisation’s record looks exactly like a missing one (A3)',
      );
    }
    const deactivateOther = await otherAgent.post(`/staff/${colleague.id}/deactivate`, { version: 1 });
    assert.equal(deactivateOther.status, 404);
    const row = await t.db
      .selectFrom('staff')
      .select('status')
      .where('id', '=', colleague.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.equal((await adminAgent.get(`/staff/${outsider.id}`)).status, 404);
  });

  it('invites a colleague, who chooses a password, sets up an authenticator and signs in', async () => {
    const invalid = await adminAgent.post('/staff/invite', { fullName: '', email: 'not-an-email' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /Enter their full name/);
    assert.match(invalid.body, /Enter an email address in the correct format/);
    assert.match(invalid.body, /Select at least one role/);

    const sent = await adminAgent.post('/staff/invite', {
      fullName: 'Tom Okafor',
      email: 'tom@example.org',
      roles: ['peer_support_worker', 'volunteer'],
    });
    assert.equal(sent.status, 200);
    const link = /id="invitation-link">([^<]+)</.exec(sent.body)?.[1];
    assert.ok(link, 'without email the administrator is shown the link');
    const invited = await t.db
      .selectFrom('staff')
      .selectAll()
      .where('email', '=', 'tom@example.org')
      .executeTakeFirstOrThrow();
    assert.equal(invited.status, 'invited');
    assert.deepEqual(invited.roles, ['peer_support_worker', 'volunteer']);
    const queued = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('recipient', '=', 'tom@example.org')
      .execute();
    assert.equal(queued.length, 1);
    assert.equal(queued[0]?.template, 'staff-invitation');

    const duplicate = await adminAgent.post('/staff/invite', {
      fullName: 'Tom Again',
      email: 'TOM@example.org',
      roles: 'volunteer',
    });
    assert.equal(duplicate.status, 400);
    assert.match(duplicate.body, /Someone already has an account with this email address/);

    const tom = t.agent();
    const path = new URL(link).pathname;
    assert.equal((await tom.get(path)).status, 200);
    const short = await tom.post(path, { password: 'short' });
    assert.equal(short.status, 400);
    assert.match(short.body, /Password must be 8 characters or more/);
    const accepted = await tom.post(path, { password: 'blue lantern orchard' });
    assert.equal(accepted.headers.location, '/set-up-authenticator');
    const enrol = await tom.get('/set-up-authenticator');
    const secret = /id="secret">([A-Z2-7]+)</.exec(enrol.body)?.[1] ?? '';
    t.clock.advance(30_000);
    await tom.post('/set-up-authenticator', { code: await authenticatorCode(secret, t.clock) });
    await tom.post('/recovery-codes');
    assert.match((await tom.get('/account')).body, /Tom Okafor/);
    assert.equal((await t.agent().get(path)).status, 404, 'the invitation works once');

    const fresh = t.agent();
    await signIn(
      fresh,
      { email: 'tom@example.org', password: 'blue lantern orchard', totpSecret: secret },
      t.clock,
    );
    assert.equal((await fresh.get('/account')).status, 200);
    assert.deepEqual(await auditActions(t, invited.id), [
      'staff.invited',
      'staff.invitation_accepted',
      'staff.second_factor_set_up',
      'sign_in.password_accepted',
      'sign_in.succeeded',
    ]);
    const record = await adminAgent.get(`/staff/${invited.id}`);
    assert.equal(record.status, 200);
    assert.match(record.body, /Recovery codes left<\/dt><dd class="nhsuk-summary-list__value">10</);
  });

  it('deactivation ends every session of that person at once (A7)', async () => {
    const worker = await buildStaff(t.db, { organisationId: admin.organisationId });
    const phone = t.agent();
    const laptop = t.agent();
    await signIn(phone, worker, t.clock);
    await signIn(laptop, worker, t.clock);
    assert.equal((await phone.get('/account')).status, 200);
    const page = await adminAgent.get(`/staff/${worker.id}`);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1];
    const done = await adminAgent.post(`/staff/${worker.id}/deactivate`, { version: version ?? '' });
    assert.equal(done.status, 303);
    assert.equal((await phone.get('/account')).status, 303);
    assert.equal((await laptop.get('/account')).status, 303);
    const sessions = await t.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('staff_id', '=', worker.id)
      .execute();
    assert.equal(sessions.length, 0);
    const again = await t.agent().post('/sign-in', { email: worker.email, password: worker.password });
    assert.equal(again.status, 400, 'a deactivated person cannot sign in');
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_id', '=', worker.id)
      .where('action', '=', 'staff.deactivated')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, admin.id);
    assert.equal(audit.details.sessions_ended, 2);
  });

  it('refuses a stale edit and changes nothing', async () => {
    const worker = await buildStaff(t.db, { organisationId: admin.organisationId });
    const first = await adminAgent.post(`/staff/${worker.id}/roles`, {
      roles: 'community_connector',
      version: 1,
    });
    assert.equal(first.status, 303);
    const stale = await adminAgent.post(`/staff/${worker.id}/roles`, { roles: 'volunteer', version: 1 });
    assert.equal(stale.status, 409);
    const row = await t.db
      .selectFrom('staff')
      .select(['roles', 'version'])
      .where('id', '=', worker.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row.roles, ['community_connector']);
    assert.equal(row.version, 2);
  });

  it('keeps at least one administrator', async () => {
    const organisation = await buildOrganisation(t.db);
    const onlyAdmin = await buildAdministrator(t.db, { organisationId: organisation.id });
    const agent = t.agent();
    await signIn(agent, onlyAdmin, t.clock);
    const response = await agent.post(`/staff/${onlyAdmin.id}/roles`, {
      roles: 'peer_support_worker',
      version: 1,
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /needs at least one administrator/);
  });

  it('shows an administrator the audit trail of an account, and records that it was read', async () => {
    const worker = await buildStaff(t.db, {
      organisationId: admin.organisationId,
      fullName: 'Audited Person',
    });
    await adminAgent.get(`/staff/${worker.id}`);
    const trail = await adminAgent.get(`/staff/${worker.id}/audit`);
    assert.equal(trail.status, 200);
    assert.match(trail.body, /Audit trail for Audited Person/);
    assert.match(trail.body, /staff.read/);
    assert.match(trail.body, new RegExp(admin.fullName));
    assert.deepEqual((await auditActions(t, worker.id)).slice(-2), ['staff.read', 'audit_trail.read']);
  });
});

describe('password reset', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers the same whether or not the account exists, and a reset still needs the authenticator', async () => {
    const worker = await buildStaff(t.db);
    const known = await t.agent().post('/forgotten-password', { email: worker.email });
    const unknown = await t.agent().post('/forgotten-password', { email: 'nobody@example.org' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    assert.match(known.body, /If that email address has an account/);
    assert.equal(
      known.body.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
      unknown.body.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
    );

    const messages = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('template', '=', 'password-reset')
      .execute();
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.recipient, worker.email);
    const link = messages[0]?.params.link ?? '';
    const path = new URL(link).pathname;

    const phone = t.agent();
    await signIn(phone, worker, t.clock);
    const reset = t.agent();
    assert.equal((await reset.get(path)).status, 200);
    const done = await reset.post(path, { password: 'quiet meadow lighthouse' });
    assert.equal(done.status, 200);
    assert.match(done.body, /Your password has been changed/);
    assert.equal((await phone.get('/account')).status, 303, 'every session ends on a reset');
    assert.equal((await t.agent().get(path)).status, 404, 'the link works once');

    const signInAgain = t.agent();
    const step = await signInAgain.post('/sign-in', {
      email: worker.email,
      password: 'quiet meadow lighthouse',
    });
    assert.equal(step.headers.location, '/sign-in/second-factor', 'a reset never skips the second factor');
  });

  it('refuses a link after an hour', async () => {
    const worker = await buildStaff(t.db);
    await t.agent().post('/forgotten-password', { email: worker.email });
    const message = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('recipient', '=', worker.email)
      .executeTakeFirstOrThrow();
    const path = new URL(message.params.link ?? '').pathname;
    t.clock.advance(60 * 60_000 + 1_000);
    assert.equal((await t.agent().get(path)).status, 404);
  });
});

describe('invitation email', () => {
  let t: TestApp;
  let mail: MailServer;
  before(async () => {
    mail = await startMailServer();
    t = await startTestApp({ emailEnabled: true, env: { PUBLIC_URL: 'https://support.example.org' } });
  });
  after(async () => {
    await t.close();
    await mail.close();
  });

  it('reaches a real mail server with one recipient, no health details, and a working link', async () => {
    const admin = await buildAdministrator(t.db, { host: true });
    const agent = t.agent();
    await signIn(agent, admin, t.clock);
    const sent = await agent.post('/staff/invite', {
      fullName: 'Grace Llewellyn',
      email: 'grace@example.org',
      roles: 'volunteer',
    });
    assert.equal(sent.status, 200);
    assert.match(sent.body, /We have emailed an invitation to grace@example.org/);
    assert.doesNotMatch(sent.body, /invitation-link/, 'with email set up the link is never shown on screen');

    const transport = smtpTransport(mail.url, 'Alongside <no-reply@example.org>');
    await deliverDue(
      t.db,
      { email: transport },
      registerTemplates({ email: accountEmailTemplates('Alongside') }),
      t.clock.now(),
    );
    transport.close();
    assert.equal(mail.received.length, 1);
    const email = mail.received[0]!;
    assert.deepEqual(email.to, ['grace@example.org']);
    assert.equal(email.subject, 'You have been invited to Alongside');
    assert.doesNotMatch(email.text, /Grace|mental health|crisis/i, 'no name or health wording in the email');
    const link = /https:\/\/support\.example\.org(\/invitations\/[A-Za-z0-9_-]+)/.exec(email.text)?.[1];
    assert.ok(link);
    const page = await t.agent().get(link);
    assert.equal(page.status, 200);
    assert.match(page.body, /Choose your password/);
  });
});
