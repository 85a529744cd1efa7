import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { recordAudit } from '../../platform/audit/audit.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildBooking, buildMembership } from '../../testing/builders/attendance.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { assertEachForbidden, send, type Page } from '../../testing/builders/partnership.ts';
import { buildSignedInMember } from '../../testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { signedInAgent, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

let t: TestApp;
let mail: MailServer;
let charity: { id: string; name: string };
let trust: { id: string; name: string };
let alex: Awaited<ReturnType<typeof buildSignedInMember>>;
let bea: Awaited<ReturnType<typeof buildSignedInMember>>;
let worker: Awaited<ReturnType<typeof buildStaff>>;
let workerAgent: Agent;

/** The test clock starts on Monday 2 March 2026 at 10:00 UK time. */
const TUESDAY_6PM = new Date('2026-03-03T18:00:00Z');

const PAGES: Page[] = [
  ['GET', '/my-account'],
  ['GET', '/my-account/sessions'],
  ['GET', '/my-account/details'],
  ['GET', '/my-account/details/change'],
  ['POST', '/my-account/details/change'],
  ['GET', '/my-account/who-has-looked'],
];

const DETAILS = {
  preferredName: 'Lex',
  pronouns: 'they/them',
  contactMethods: ['email', 'text'],
  safeToLeaveMessage: 'no',
  communicationNeeds: ['large_print', 'another_language'],
  preferredLanguage: 'Polish',
  communicationNeedsOther: 'ignored unless ticked',
};

async function versionOf(memberId: string): Promise<number> {
  const row = await t.db
    .selectFrom('members')
    .select('version')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  return row.version;
}

before(async () => {
  mail = await startMailServer();
  t = await startTestApp();
  charity = await buildOrganisation(t.db, { name: 'Riverside Peer Support' });
  trust = await buildOrganisation(t.db, { name: 'Hillside NHS Trust' });
  alex = await buildSignedInMember(t, mail, {
    organisationId: charity.id,
    legalName: 'Alex Northwood',
    phone: '07700 900321',
  });
  bea = await buildSignedInMember(t, mail, { organisationId: trust.id, legalName: 'Bea Southgate' });
  worker = await buildStaff(t.db, {
    organisationId: charity.id,
    roles: ['peer_support_worker'],
    fullName: 'Wren Worker',
  });
  workerAgent = await signedInAgent(t, worker);
});
after(async () => {
  await t.close();
  await mail.close();
});

describe('who may open the member portal pages', () => {
  it('sends someone signed out to the member sign-in page, not the staff one', async () => {
    for (const [method, url] of PAGES) {
      const response = await send(t.agent(), method, url, { preferredName: 'Anything' });
      assert.equal(response.status, 303, `${method} ${url}`);
      assert.match(String(response.headers.location), /^\/my-account\/sign-in/, `${method} ${url}`);
    }
    const home = await t.agent().get('/my-account/details');
    assert.equal(home.headers.location, '/my-account/sign-in?next=%2Fmy-account%2Fdetails');
  });

  it('sends a signed-out visitor to a plan page to the member sign-in too', async () => {
    const response = await t.agent().get('/my-plans');
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/my-account/sign-in?next=%2Fmy-plans');
  });

  it('takes a signed-in member from the front page to their own home, with their header on plan pages too', async () => {
    const front = await alex.agent.get('/');
    assert.equal(front.status, 303);
    assert.equal(front.headers.location, '/my-account');
    const plans = await alex.agent.get('/my-plans');
    assert.equal(plans.status, 200);
    assert.ok(plans.body.includes('href="/my-account/sign-out"'), 'signs out of the portal');
    assert.ok(plans.body.includes('href="/my-account/who-has-looked"'), 'the member pages in the header');
    assert.ok(!plans.body.includes('href="/sign-out"'), 'not the staff sign-out');
  });

  it('refuses staff of any role (403): a worker never sees the portal as the member', async () => {
    const manager = await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: charity.id, roles: ['service_manager', 'administrator'] }),
    );
    await assertEachForbidden(workerAgent, PAGES, { preferredName: 'Anything' });
    await assertEachForbidden(manager, PAGES, { preferredName: 'Anything' });
  });

  it("shows a member of another organisation only their own record, never anything of another member's", async () => {
    for (const [method, url] of PAGES.filter(([m]) => m === 'GET')) {
      const page = await send(bea.agent, method, url, {});
      assert.equal(page.status, 200, url);
      assert.doesNotMatch(page.body, /Alex|Northwood|07700 900321|Riverside/, url);
    }
    const saved = await bea.agent.post('/my-account/details/change', {
      ...DETAILS,
      contactMethods: ['email'],
      version: String(await versionOf(alex.member.id)),
    });
    assert.equal(saved.status, 303);
    const alexRow = await t.db
      .selectFrom('members')
      .select(['preferred_name'])
      .where('id', '=', alex.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(alexRow.preferred_name, null, "a member's save changes only their own record");
  });
});

describe('the home page and sessions', () => {
  it('greets the member and lists the sessions they are booked on or have a place in, soonest first, in UK time', async () => {
    const venue = await buildVenue(t.db, {
      organisationId: charity.id,
      name: 'Riverside Hall',
      roomName: 'Garden Room',
    });
    const group = await buildGroup(t.db, charity.id, { name: 'Tuesday peer group' });
    const online = await buildGroup(t.db, charity.id, { name: 'Evening drop-in', mode: 'online' });
    const tuesday = await buildSession(t.db, {
      groupId: group.id,
      startsAt: TUESDAY_6PM,
      endsAt: new Date(TUESDAY_6PM.getTime() + 2 * 3_600_000),
      roomId: venue.roomId,
    });
    await buildBooking(t.db, { sessionId: tuesday, memberId: alex.member.id, staffId: worker.id });
    await buildSession(t.db, {
      groupId: online.id,
      startsAt: new Date('2026-03-05T19:00:00Z'),
      endsAt: new Date('2026-03-05T20:00:00Z'),
    });
    await buildMembership(t.db, {
      groupId: online.id,
      memberId: alex.member.id,
      fromDay: '2026-03-01',
      staffId: worker.id,
    });
    const past = await buildSession(t.db, {
      groupId: group.id,
      startsAt: new Date('2026-02-24T18:00:00Z'),
      endsAt: new Date('2026-02-24T20:00:00Z'),
      roomId: venue.roomId,
    });
    await buildBooking(t.db, { sessionId: past, memberId: alex.member.id, staffId: worker.id });

    const home = await alex.agent.get('/my-account');
    assert.match(home.body, /<h1>Hello Alex Northwood<\/h1>/);
    assert.match(
      home.body,
      /<strong>Tuesday peer group<\/strong><br>3 March 2026 at 6pm to 8pm<br>Riverside Hall, Garden Room<\/li><li><strong>Evening drop-in<\/strong><br>5 March 2026 at 7pm to 8pm<br>online/,
    );
    assert.doesNotMatch(home.body, /24 February/);
    const sessions = await alex.agent.get('/my-account/sessions');
    assert.match(sessions.body, /Tuesday peer group/);
    assert.match((await bea.agent.get('/my-account/sessions')).body, /You have no sessions booked/);
  });
});

describe('your details', () => {
  it('shows the details and saves the ones the member owns, audited with the fields that changed', async () => {
    const page = await alex.agent.get('/my-account/details');
    assert.match(page.body, /Alex Northwood/);
    const form = await alex.agent.get('/my-account/details/change');
    assert.equal(form.status, 200);
    const saved = await alex.agent.post('/my-account/details/change', {
      ...DETAILS,
      version: String(await versionOf(alex.member.id)),
    });
    assert.equal(saved.status, 303);
    const after = await alex.agent.get(String(saved.headers.location));
    assert.match(after.body, /Your details have been saved/);
    assert.match(after.body, /Lex/);
    assert.match(after.body, /Large print, Information in Polish, or an interpreter/);
    const row = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', alex.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.pronouns, 'they/them');
    assert.deepEqual(row.contact_methods, ['email', 'text']);
    assert.equal(row.safe_to_leave_message, false);
    assert.equal(row.communication_needs_other, null, 'only kept while "something else" is ticked');
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_type', 'details'])
      .where('subject_id', '=', alex.member.id)
      .where('action', '=', 'member.updated')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_type, 'member');
    assert.deepEqual(audit[0]!.details.fields, [
      'preferred_name',
      'pronouns',
      'contact_methods',
      'safe_to_leave_message',
      'communication_needs',
      'preferred_language',
    ]);
  });

  it('refuses a stale or repeated save with the conflict page, changing nothing', async () => {
    const version = String(await versionOf(alex.member.id));
    const first = await alex.agent.post('/my-account/details/change', {
      ...DETAILS,
      pronouns: 'she/her',
      version,
    });
    assert.equal(first.status, 303);
    const again = await alex.agent.post('/my-account/details/change', {
      ...DETAILS,
      pronouns: 'he/him',
      version,
    });
    assert.equal(again.status, 409);
    assert.match(again.body, /Someone else changed this record/);
    const row = await t.db
      .selectFrom('members')
      .select(['pronouns', 'version'])
      .where('id', '=', alex.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.pronouns, 'she/her');
    assert.equal(row.version, Number(version) + 1);
  });

  it('explains problems on the same page in page order, keeping what was typed and saving nothing', async () => {
    const before = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', bea.member.id)
      .executeTakeFirstOrThrow();
    const bad = await bea.agent.post('/my-account/details/change', {
      preferredName: 'B'.repeat(201),
      contactMethods: ['email'],
      communicationNeeds: ['another_language', 'other'],
      preferredLanguage: '',
      communicationNeedsOther: '',
      version: String(before.version),
    });
    assert.equal(bad.status, 400);
    const summary = /<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)<\/ul>/.exec(bad.body)?.[1] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/<a href="#([A-Za-z]+)">/g)].map((m) => m[1]),
      ['preferredName', 'preferredLanguage', 'communicationNeedsOther'],
    );
    assert.match(bad.body, /Enter the language you would like to use/);
    assert.match(bad.body, new RegExp(`value="${'B'.repeat(201)}"`));
    assert.match(bad.body, /value="another_language" checked/);

    const noPhone = await bea.agent.post('/my-account/details/change', {
      contactMethods: ['text'],
      version: String(before.version),
    });
    assert.equal(noPhone.status, 400);
    assert.match(noPhone.body, /We do not have a phone number for you/);
    const afterRow = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', bea.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(afterRow.version, before.version);
  });
});

describe('who has looked at your record', () => {
  it("lists each time staff read the member's record with role, organisation and time, never names, never the member's own reads", async () => {
    const fresh = await buildSignedInMember(t, mail, {
      organisationId: charity.id,
      legalName: 'Cai Eastley',
    });
    const empty = await fresh.agent.get('/my-account/who-has-looked');
    assert.match(empty.body, /Nobody at the service has looked at your record yet/);
    assert.equal((await workerAgent.get(`/members/${fresh.member.id}`)).status, 200);
    assert.equal((await workerAgent.get(`/members/${alex.member.id}`)).status, 200);
    // A list that showed them among others, as the duplicate check and registers record it.
    await recordAudit(t.db, {
      action: 'member.possible_duplicates_read',
      subject: { type: 'Referral', id: randomUUID() },
      actor: { type: 'staff', id: worker.id, role: 'peer_support_worker', organisationId: charity.id },
      details: { memberIds: [alex.member.id, fresh.member.id] },
      at: t.clock.now(),
    });

    const page = await fresh.agent.get('/my-account/who-has-looked');
    assert.match(
      page.body,
      /<strong>2 March 2026 at 10(:\d\d)?am<\/strong><br>Opened your record<br>Peer support worker, Riverside Peer Support<\/li>/,
    );
    assert.equal(
      (page.body.match(/Opened your record/g) ?? []).length,
      1,
      "only staff reads, only this member's",
    );
    assert.match(
      page.body,
      /<br>Checked whether a new referral was you<br>Peer support worker, Riverside Peer Support/,
    );
    assert.doesNotMatch(page.body, /Wren|Worker|Alex/);

    const read = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('subject_id', '=', fresh.member.id)
      .where('action', '=', 'member.read')
      .where('actor_type', '=', 'member')
      .execute();
    assert.ok(
      read.some((r) => r.details.page === 'who_has_looked'),
      "the member's own read is audited too",
    );
  });

  it('shows the notices of someone opening their crisis plan in an emergency', async () => {
    await t.db
      .insertInto('member_notices')
      .values({
        id: randomUUID(),
        member_id: bea.member.id,
        kind: 'crisis_view_opened',
        text: 'A clinical facilitator opened your crisis plan because you were in crisis.',
        created_at: new Date('2026-03-01T22:15:00Z'),
        seen_at: null,
      })
      .execute();
    const page = await bea.agent.get('/my-account/who-has-looked');
    assert.match(page.body, /When someone opened your crisis plan in an emergency/);
    assert.match(page.body, /1 March 2026 at 10:15pm/);
    assert.match(page.body, /A clinical facilitator opened your crisis plan because you were in crisis./);
    assert.doesNotMatch((await alex.agent.get('/my-account/who-has-looked')).body, /in an emergency/);
  });
});
