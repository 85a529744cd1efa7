import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notifySmsTransport } from '../../platform/notify/notify-sms-transport.ts';
import {
  startNotifyTestServer,
  TEST_NOTIFY_KEY,
  type NotifyTestServer,
} from '../../platform/notify/notify-test-server.ts';
import { deliverDue, registerTemplates } from '../../platform/outbox/outbox.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { withoutPerResponseValues } from '../../testing/builders/partnership.ts';
import { buildSignedInMember, readSignInEmail } from '../../testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { portalTemplates } from './index.ts';
import { signedInAgent, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

let t: TestApp;
let mail: MailServer;
let organisationId: string;

before(async () => {
  mail = await startMailServer();
  t = await startTestApp({ env: { PUBLIC_URL: 'http://support.example.org' } });
  organisationId = (await buildOrganisation(t.db)).id;
});
after(async () => {
  await t.close();
  await mail.close();
});

let counter = 0;
async function memberWithEmail(overrides: { phone?: string } = {}) {
  counter += 1;
  const email = `portal-member-${counter}@example.org`;
  const member = await buildMember(t.db, {
    organisationId,
    legalName: 'Robin Example',
    preferredName: 'Robin',
    email,
    phone: overrides.phone ?? null,
  });
  return { ...member, email };
}

async function askForCode(agent: Agent, contact: string) {
  await agent.get('/my-account/sign-in');
  return agent.post('/my-account/sign-in', { contact });
}

describe('member sign-in with a one-time code', () => {
  it('sends a code by email to a real mail server, and the code signs the member in to their home page', async () => {
    const member = await memberWithEmail();
    const agent = t.agent();
    const asked = await askForCode(agent, member.email.toUpperCase());
    assert.equal(asked.status, 303);
    assert.equal(asked.headers.location, '/my-account/sign-in/code');
    const page = await agent.get('/my-account/sign-in/code');
    assert.match(
      page.body,
      /If we know your email address or mobile number, we have sent you a 6-digit code/,
    );

    const { code, link } = await readSignInEmail(t, mail, member.email);
    const email = mail.received.at(-1)!;
    assert.doesNotMatch(email.text, /Robin|mental health|crisis|support plan/i, 'no name or health wording');
    assert.match(link, /^http:\/\/support\.example\.org\/my-account\/sign-in\/link\//);
    const stored = await t.db
      .selectFrom('member_sign_in_attempts')
      .selectAll()
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    assert.match(stored.code_hash, /^[0-9a-f]{64}$/, 'the code is stored only as a hash');
    assert.ok(!Object.values(stored).includes(code));

    const signed = await agent.post('/my-account/sign-in/code', {
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    assert.equal(signed.status, 303);
    assert.equal(signed.headers.location, '/my-account');
    assert.ok(agent.cookie('alongside-member-session'));
    assert.equal(agent.cookie('alongside-session'), undefined, 'no staff session');
    const home = await agent.get('/my-account');
    assert.equal(home.status, 200);
    assert.match(home.body, /<h1>Hello Robin<\/h1>/);
    assert.match(home.body, /You have no sessions booked/);

    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id'])
      .where('subject_id', '=', member.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['member.sign_in_code_sent', 'member.signed_in', 'member.read'],
    );
    assert.equal(audit[2]!.actor_type, 'member');
  });

  it('answers an address nobody has with the same pages, and sends nothing', async () => {
    const known = await memberWithEmail();
    const sentBefore = mail.received.length;
    const knownAgent = t.agent();
    const unknownAgent = t.agent();
    const knownAsked = await askForCode(knownAgent, known.email);
    const unknownAsked = await askForCode(unknownAgent, 'nobody-here@example.org');
    assert.equal(unknownAsked.status, knownAsked.status);
    assert.equal(unknownAsked.headers.location, knownAsked.headers.location);
    const knownPage = await knownAgent.get('/my-account/sign-in/code');
    const unknownPage = await unknownAgent.get('/my-account/sign-in/code');
    assert.equal(withoutPerResponseValues(unknownPage.body), withoutPerResponseValues(knownPage.body));
    await readSignInEmail(t, mail, known.email);
    assert.equal(mail.received.length, sentBefore + 1, 'only the known member was sent a code');
    const wrong = await unknownAgent.post('/my-account/sign-in/code', { code: '123456' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /The code is not right, or it has stopped working/);
  });

  it('shows what to fix on the same page, keeping what was typed', async () => {
    const agent = t.agent();
    await agent.get('/my-account/sign-in');
    const empty = await agent.post('/my-account/sign-in', { contact: '  ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#contact">Enter your email address or mobile number<\/a>/);
    const wrong = await agent.post('/my-account/sign-in', { contact: 'robin at example' });
    assert.equal(wrong.status, 400);
    assert.match(
      wrong.body,
      /Enter an email address like name@example.com, or a mobile number like 07700 900 982/,
    );
    assert.match(wrong.body, /value="robin at example"/);

    const member = await memberWithEmail();
    await askForCode(agent, member.email);
    await agent.get('/my-account/sign-in/code');
    const letters = await agent.post('/my-account/sign-in/code', { code: 'abcdef' });
    assert.equal(letters.status, 400);
    assert.match(letters.body, /<a href="#code">The code is 6 numbers, like 123456<\/a>/);
    assert.match(letters.body, /value="abcdef"/);
  });

  it('lets a code work once, and no longer after 10 minutes', async () => {
    const member = await memberWithEmail();
    const first = t.agent();
    await askForCode(first, member.email);
    const { code } = await readSignInEmail(t, mail, member.email);
    const attemptCookie = first.cookie('alongside-member-sign-in');
    assert.ok(attemptCookie);
    assert.equal((await first.post('/my-account/sign-in/code', { code })).status, 303);

    const replay = t.agent();
    await replay.get('/my-account/sign-in');
    replay.setCookie('alongside-member-sign-in', attemptCookie);
    const again = await replay.post('/my-account/sign-in/code', { code });
    assert.equal(again.status, 400, 'a used code does not sign in again');

    const late = t.agent();
    await askForCode(late, member.email);
    const lateCode = (await readSignInEmail(t, mail, member.email)).code;
    t.clock.advance(10 * 60_000 + 1_000);
    await late.get('/my-account/sign-in');
    const expired = await late.post('/my-account/sign-in/code', { code: lateCode });
    assert.equal(expired.status, 400);
    assert.equal(late.cookie('alongside-member-session'), undefined);
  });

  it('locks a code after five wrong ones: even the right code is then refused', async () => {
    const member = await memberWithEmail();
    const agent = t.agent();
    await askForCode(agent, member.email);
    const { code } = await readSignInEmail(t, mail, member.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) {
      assert.match(
        (await agent.post('/my-account/sign-in/code', { code: wrong })).body,
        /The code is not right/,
      );
    }
    const fifth = await agent.post('/my-account/sign-in/code', { code: wrong });
    assert.match(fifth.body, /You have entered a wrong code too many times/);
    const right = await agent.post('/my-account/sign-in/code', { code });
    assert.equal(right.status, 400);
    assert.equal(agent.cookie('alongside-member-session'), undefined);
  });

  it('refuses a sixth code for one address within 15 minutes, known or not, counted in the database', async () => {
    const member = await memberWithEmail();
    for (const contact of [member.email, 'stranger-throttle@example.org']) {
      for (let i = 0; i < 5; i += 1) {
        assert.equal((await askForCode(t.agent(), contact)).status, 303);
      }
      const sixth = await askForCode(t.agent(), contact);
      assert.equal(sixth.status, 429);
      assert.match(sixth.body, /Too many attempts/);
    }
    t.clock.advance(15 * 60_000 + 1_000);
    assert.equal((await askForCode(t.agent(), member.email)).status, 303);
  });

  it('sends the code to the email address on record when the member types their mobile number', async () => {
    const member = await memberWithEmail({ phone: '07700 900123' });
    const agent = t.agent();
    await askForCode(agent, '+44 7700 900123');
    const { code } = await readSignInEmail(t, mail, member.email);
    await agent.get('/my-account/sign-in/code');
    assert.equal((await agent.post('/my-account/sign-in/code', { code })).status, 303);
  });

  it('signs in with the emailed link once, only when the member presses the button', async () => {
    const member = await memberWithEmail();
    await askForCode(t.agent(), member.email);
    const { link } = await readSignInEmail(t, mail, member.email);
    const path = new URL(link).pathname;
    const agent = t.agent();
    const opened = await agent.get(path);
    assert.equal(opened.status, 200);
    assert.equal(agent.cookie('alongside-member-session'), undefined, 'opening the link signs nobody in');
    const pressed = await agent.post(path);
    assert.equal(pressed.status, 303);
    assert.equal((await agent.get('/my-account')).status, 200);
    const again = t.agent();
    assert.equal((await again.get(path)).status, 404);
    await again.get('/my-account/sign-in');
    assert.equal((await again.post(path)).status, 404);
  });
});

describe('member sessions', () => {
  it('end after 30 minutes without use and after 8 hours in all, sending the member to their own sign-in', async () => {
    const { agent } = await buildSignedInMember(t, mail, { organisationId });
    t.clock.advance(29 * 60_000);
    assert.equal((await agent.get('/my-account')).status, 200);
    t.clock.advance(31 * 60_000);
    const idle = await agent.get('/my-account');
    assert.equal(idle.status, 303);
    assert.equal(idle.headers.location, '/my-account/sign-in?next=%2Fmy-account');

    const long = await buildSignedInMember(t, mail, { organisationId });
    for (let i = 0; i < 16; i += 1) {
      t.clock.advance(29 * 60_000);
      assert.equal((await long.agent.get('/my-account')).status, 200);
    }
    t.clock.advance(29 * 60_000);
    assert.equal((await long.agent.get('/my-account')).status, 303);
  });

  it('ends at sign-out, audited, telling the browser to drop saved copies', async () => {
    const { member, agent } = await buildSignedInMember(t, mail, { organisationId });
    const page = await agent.get('/my-account/sign-out');
    assert.equal(page.status, 200);
    const out = await agent.post('/my-account/sign-out');
    assert.equal(out.status, 200);
    assert.match(out.body, /You have signed out/);
    assert.equal(out.headers['clear-site-data'], '"cache", "storage"');
    assert.equal(agent.cookie('alongside-member-session'), undefined);
    const sessions = await t.db
      .selectFrom('member_sessions')
      .select('member_id')
      .where('member_id', '=', member.id)
      .execute();
    assert.equal(sessions.length, 0);
    const signedOut = await t.db
      .selectFrom('audit_events')
      .select('actor_type')
      .where('subject_id', '=', member.id)
      .where('action', '=', 'member.signed_out')
      .execute();
    assert.equal(signedOut.length, 1);
  });

  it('is never a staff session: staff are refused the portal, and members the staff pages', async () => {
    const staff = await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId, roles: ['peer_support_worker'] }),
    );
    assert.equal((await staff.get('/my-account')).status, 403);
    assert.equal((await staff.get('/my-account/sign-in')).status, 403);
    const { agent } = await buildSignedInMember(t, mail, { organisationId });
    assert.equal((await agent.get('/members')).status, 403);
    assert.equal((await agent.get('/account')).status, 403);
  });
});

describe('member sign-in by text message', () => {
  let sms: TestApp;
  let notify: NotifyTestServer;
  const templateId = '3f1d2c4b-5a6e-4f70-8a9b-0c1d2e3f4a5b';
  before(async () => {
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
    sms = await startTestApp({
      env: {
        NOTIFY_API_KEY: TEST_NOTIFY_KEY.apiKey,
        NOTIFY_SMS_TEMPLATE_ID: templateId,
        NOTIFY_BASE_URL: notify.url,
      },
    });
  });
  after(async () => {
    await sms.close();
    await notify.close();
  });

  it('texts the code to the mobile number on record when the member types it, once Notify is set up', async () => {
    const org = await buildOrganisation(sms.db);
    await buildMember(sms.db, { organisationId: org.id, phone: '07700 900456', email: 'texted@example.org' });
    const agent = sms.agent();
    await agent.get('/my-account/sign-in');
    assert.equal((await agent.post('/my-account/sign-in', { contact: '07700900456' })).status, 303);
    const transport = notifySmsTransport({ apiKey: TEST_NOTIFY_KEY.apiKey, templateId, baseUrl: notify.url });
    await deliverDue(
      sms.db,
      { sms: transport },
      registerTemplates(portalTemplates('Alongside')),
      sms.clock.now(),
    );
    assert.equal(notify.accepted.length, 1);
    const text = notify.accepted[0]!;
    assert.equal(text.phoneNumber, '07700 900456');
    assert.doesNotMatch(text.personalisation.message ?? '', /http|Example|support plan/i, 'the code only');
    const code = /^(\d{6}) is your Alongside sign-in code/.exec(text.personalisation.message ?? '')?.[1];
    assert.ok(code);
    await agent.get('/my-account/sign-in/code');
    assert.equal((await agent.post('/my-account/sign-in/code', { code })).status, 303);
    assert.equal((await agent.get('/my-account')).status, 200);
  });
});

describe('member sign-in, what is kept and logged', () => {
  it('signs in once when the same right code is sent twice at the same moment', async () => {
    const member = await memberWithEmail();
    const agent = t.agent();
    await askForCode(agent, member.email);
    const { code } = await readSignInEmail(t, mail, member.email);
    await agent.get('/my-account/sign-in/code');
    const both = await Promise.all([
      agent.post('/my-account/sign-in/code', { code }),
      agent.post('/my-account/sign-in/code', { code }),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [303, 400]);
    const sessions = await t.db
      .selectFrom('member_sessions')
      .select('id_hash')
      .where('member_id', '=', member.id)
      .execute();
    assert.equal(sessions.length, 1);
  });

  it('never writes the address, the code or the link to the logs', async () => {
    const logLines: string[] = [];
    const logged = await startTestApp({ logLines });
    try {
      const org = await buildOrganisation(logged.db);
      await buildMember(logged.db, { organisationId: org.id, email: 'quiet.member@example.org' });
      const agent = logged.agent();
      await agent.get('/my-account/sign-in');
      await agent.post('/my-account/sign-in', { contact: 'quiet.member@example.org' });
      const { code, link } = await readSignInEmail(logged, mail, 'quiet.member@example.org');
      const path = new URL(link).pathname;
      await agent.get(path);
      assert.equal((await agent.post(path)).status, 303);
      await agent.post('/my-account/sign-in/code', { code: '000000' });
      const token = path.split('/').at(-1)!;
      assert.ok(logLines.length > 3);
      for (const line of logLines) {
        assert.doesNotMatch(line, /quiet\.member/);
        assert.ok(!line.includes(token), 'no link token in the logs');
        assert.ok(!line.includes(code), 'no code in the logs');
      }
    } finally {
      await logged.close();
    }
  });
});
