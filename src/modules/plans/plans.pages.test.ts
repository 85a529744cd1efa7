import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PDFParse } from 'pdf-parse';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode } from '../../testing/builders/members.ts';
import { buildAgreement, buildOrganisation } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { buildPlan, setPlanSharing } from '../../testing/builders/plans.ts';
import { buildSignedInMember } from '../../testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { signedInAgent, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

let t: TestApp;
let mail: MailServer;
let charityId: string;
let keyWorker: BuiltStaff;
let keyWorkerAgent: Agent;
let otherWorker: BuiltStaff;
let otherWorkerAgent: Agent;
let adminAgent: Agent;
let partnerAgent: Agent;
let strangerAgent: Agent;
let morgan: Awaited<ReturnType<typeof buildSignedInMember>>;
let riley: Awaited<ReturnType<typeof buildSignedInMember>>;
let raspId: string;
let safetyId: string;

const RASP = {
  whatHelps: 'Walking the dog\nCalling my sister',
  earlySigns: 'Not sleeping',
  usefulContacts: 'Sister Jo 07700 900123',
};

async function planRow(planId: string) {
  return t.db
    .selectFrom('plans')
    .select(['current_version', 'share_with_team', 'share_with_partner', 'version'])
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
}

async function currentText(planId: string, field: string): Promise<unknown> {
  const plan = await planRow(planId);
  const version = await t.db
    .selectFrom('plan_versions')
    .select('content')
    .where('plan_id', '=', planId)
    .where('number', '=', plan.current_version)
    .executeTakeFirstOrThrow();
  return version.content.fields[field];
}

before(async () => {
  mail = await startMailServer();
  t = await startTestApp();
  const charity = await buildOrganisation(t.db, { name: 'Riverside Peer Support' });
  const trust = await buildOrganisation(t.db, { name: 'Hillside NHS Trust', kind: 'nhs_trust' });
  const stranger = await buildOrganisation(t.db, { name: 'Unrelated Charity' });
  charityId = charity.id;
  // The trust may see the charity's support and crisis plans (when the member shares them).
  await buildAgreement(t.db, [
    { organisationId: charity.id, categories: [] },
    { organisationId: trust.id, categories: ['support_plans', 'crisis_plans', 'member_details'] },
  ]);
  keyWorker = await buildStaff(t.db, {
    organisationId: charity.id,
    roles: ['peer_support_worker'],
    fullName: 'Tess Keyworker',
  });
  keyWorkerAgent = await signedInAgent(t, keyWorker);
  otherWorker = await buildStaff(t.db, { organisationId: charity.id, roles: ['community_connector'] });
  otherWorkerAgent = await signedInAgent(t, otherWorker);
  adminAgent = await signedInAgent(
    t,
    await buildStaff(t.db, { organisationId: charity.id, roles: ['administrator'] }),
  );
  partnerAgent = await signedInAgent(
    t,
    await buildStaff(t.db, { organisationId: trust.id, roles: ['care_coordinator'] }),
  );
  strangerAgent = await signedInAgent(
    t,
    await buildStaff(t.db, { organisationId: stranger.id, roles: ['peer_support_worker'] }),
  );
  morgan = await buildSignedInMember(t, mail, { organisationId: charity.id, legalName: 'Morgan Example' });
  riley = await buildSignedInMember(t, mail, { organisationId: charity.id, legalName: 'Riley Other' });
  await buildEpisode(t.db, {
    memberId: morgan.member.id,
    organisationId: charity.id,
    keyWorkerIds: [keyWorker.id],
  });
  raspId = await buildPlan(
    t.db,
    t.clock,
    { id: morgan.member.id, organisationId: charity.id },
    'resource_and_support',
    RASP,
  );
  safetyId = await buildPlan(t.db, t.clock, { id: morgan.member.id, organisationId: charity.id }, 'safety', {
    warningSigns: 'Pacing at night',
    reasonsForLiving: 'My niece',
  });
});

after(async () => {
  await t.close();
  await mail.close();
});

const staffPages = (): Page[] => [
  ['GET', `/members/${morgan.member.id}/plans`],
  ['POST', `/members/${morgan.member.id}/plans`],
  ['GET', `/members/${morgan.member.id}/plans/crisis`],
  ['POST', `/members/${morgan.member.id}/plans/crisis`],
  ['GET', `/members/${morgan.member.id}/plans/crisis/${MISSING_ID}`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}/change`],
  ['POST', `/members/${morgan.member.id}/plans/${raspId}/change`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}/versions`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}/compare?from=0&to=1`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}/print`],
  ['GET', `/members/${morgan.member.id}/plans/${raspId}/pdf`],
];

const memberPages = (): Page[] => [
  ['GET', '/my-plans'],
  ['POST', '/my-plans'],
  ['GET', `/my-plans/${raspId}`],
  ['GET', `/my-plans/${raspId}/change`],
  ['POST', `/my-plans/${raspId}/change`],
  ['GET', `/my-plans/${raspId}/versions`],
  ['GET', `/my-plans/${raspId}/compare?from=0&to=1`],
  ['GET', `/my-plans/${raspId}/print`],
  ['GET', `/my-plans/${raspId}/pdf`],
  ['GET', `/my-plans/${raspId}/sharing`],
  ['POST', `/my-plans/${raspId}/sharing`],
  ['GET', `/my-plans/${raspId}/proposals/${MISSING_ID}`],
  ['POST', `/my-plans/${raspId}/proposals/${MISSING_ID}/accept`],
  ['POST', `/my-plans/${raspId}/proposals/${MISSING_ID}/decline`],
];

describe('plan pages: who may use them', () => {
  it('sends someone signed out to sign in, and changes nothing', async () => {
    for (const [method, url] of [...staffPages(), ...memberPages()]) {
      const response = await send(t.agent(), method, url, { reason: 'Anything at all here' });
      assert.equal(response.status, 303, `${method} ${url}`);
      assert.match(String(response.headers.location), /sign-in/, `${method} ${url}`);
    }
    assert.equal((await planRow(raspId)).current_version, 1);
  });

  it('refuses roles that see no plans (403), on staff pages and member pages alike', async () => {
    await assertEachForbidden(adminAgent, [...staffPages(), ...memberPages()], {
      reason: 'Anything at all here',
    });
    // A worker may not use the member's own change pages.
    await assertEachForbidden(
      keyWorkerAgent,
      [
        ['GET', `/my-plans/${raspId}/change`],
        ['GET', `/my-plans/${raspId}/sharing`],
      ],
      {},
    );
  });

  it('shows a member the staff pages as missing (404), and refuses them what only workers do (403)', async () => {
    for (const [method, url] of staffPages()) {
      const response = await send(morgan.agent, method, url, { reason: 'Anything at all here' });
      // Proposing a change and break-glass are never a member's: their role is refused first.
      const workersOnly =
        url.endsWith('/change') || url.includes('/crisis/') || (method === 'POST' && url.endsWith('/crisis'));
      assert.equal(response.status, workersOnly ? 403 : 404, `${method} ${url}`);
    }
  });

  it('shows another organisation nothing: every plan page looks missing (404)', async () => {
    for (const [method, url] of staffPages()) {
      const response = await send(strangerAgent, method, url, {
        reason: 'I need to see it now',
        kind: 'safety',
      });
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    // A partner without the member's choice to share sees the same as for a member who does not exist.
    const missing = await partnerAgent.get(`/members/${morgan.member.id}/plans/${raspId}`);
    assert.equal(missing.status, 404);
  });

  it('shows a worker outside the sharing choices nothing of the plan (404), but offers break-glass', async () => {
    for (const url of [
      `/members/${morgan.member.id}/plans/${raspId}`,
      `/members/${morgan.member.id}/plans/${raspId}/versions`,
      `/members/${morgan.member.id}/plans/${raspId}/pdf`,
    ]) {
      assert.equal((await otherWorkerAgent.get(url)).status, 404, url);
    }
    const list = await otherWorkerAgent.get(`/members/${morgan.member.id}/plans`);
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /Walking the dog|Resource and Support Plan<\/a>/);
    const crisis = await otherWorkerAgent.get(`/members/${morgan.member.id}/plans/crisis`);
    assert.match(crisis.body, /Open the crisis plan/);
    assert.doesNotMatch(crisis.body, /Pacing at night/);
    // Seeing whose crisis page it is, and none of it, is audited as just that.
    const looks = (await auditRows(t, morgan.member.id)).filter((r) => r.action.startsWith('plan.crisis_'));
    assert.equal(looks.at(-1)?.action, 'plan.crisis_page_read');
  });

  it('shows a member only their own plans: another member’s plan looks missing (404)', async () => {
    for (const url of [`/my-plans/${raspId}`, `/my-plans/${raspId}/change`, `/my-plans/${raspId}/pdf`]) {
      assert.equal((await riley.agent.get(url)).status, 404, url);
    }
    const changed = await riley.agent.post(`/my-plans/${raspId}/change`, {
      basedOn: '1',
      whatHelps: 'Mine now',
    });
    assert.equal(changed.status, 404);
    assert.equal(await currentText(raspId, 'whatHelps'), RASP.whatHelps);
    // Nor answer a change proposed on it.
    const goalId = await buildPlan(
      t.db,
      t.clock,
      { id: morgan.member.id, organisationId: charityId },
      'goal',
      {
        goal: 'Swim a length',
      },
    );
    const proposed = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${goalId}/change`, {
      basedOn: '1',
      goal: 'Swim two lengths',
      how: 'propose',
    });
    assert.equal(proposed.status, 303);
    const proposal = await t.db
      .selectFrom('plan_proposals')
      .select('id')
      .where('plan_id', '=', goalId)
      .executeTakeFirstOrThrow();
    for (const url of [
      `/my-plans/${goalId}/proposals/${proposal.id}/accept`,
      `/my-plans/${goalId}/proposals/${proposal.id}/decline`,
    ]) {
      assert.equal((await riley.agent.post(url)).status, 404, url);
    }
    assert.equal((await riley.agent.get(`/my-plans/${goalId}/proposals/${proposal.id}`)).status, 404);
    const still = await t.db
      .selectFrom('plan_proposals')
      .select('status')
      .where('id', '=', proposal.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.status, 'waiting');
    const list = await riley.agent.get('/my-plans');
    assert.doesNotMatch(list.body, /Walking the dog/);
  });
});

describe('plan pages: the member and their team', () => {
  it('the key worker reads the plan (audited), and proposes a change the member accepts', async () => {
    const page = await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${raspId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<li>Walking the dog<\/li><li>Calling my sister<\/li>/);
    assert.ok(
      (await auditRows(t, raspId)).some((r) => r.action === 'plan.read' && r.actor_id === keyWorker.id),
    );

    const form = await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${raspId}/change`);
    assert.match(form.body, /name="basedOn" value="1"/);
    const proposed = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${raspId}/change`, {
      basedOn: '1',
      whatHelps: 'Walking the dog\nCalling my sister\nThe Tuesday drop-in',
      earlySigns: RASP.earlySigns,
      usefulContacts: RASP.usefulContacts,
      summary: 'Added the drop-in',
      how: 'propose',
    });
    assert.equal(proposed.status, 303);
    assert.equal((await planRow(raspId)).current_version, 1, 'a proposal changes nothing until accepted');

    const mine = await morgan.agent.get(`/my-plans/${raspId}`);
    assert.match(mine.body, /A change is waiting/);
    const proposalId = /\/proposals\/([0-9a-f-]{36})/.exec(mine.body)?.[1];
    assert.ok(proposalId);
    const proposal = await morgan.agent.get(`/my-plans/${raspId}/proposals/${proposalId}`);
    assert.match(
      proposal.body,
      /Added:<\/p><ul class="nhsuk-list nhsuk-list--bullet"><li><ins>The Tuesday drop-in<\/ins>/,
    );
    const accepted = await morgan.agent.post(`/my-plans/${raspId}/proposals/${proposalId}/accept`);
    assert.equal(accepted.status, 303);
    assert.equal((await planRow(raspId)).current_version, 2);
    // Accepting twice (a double-submitted form) saves once.
    await morgan.agent.post(`/my-plans/${raspId}/proposals/${proposalId}/accept`);
    assert.equal((await planRow(raspId)).current_version, 2);
    const versions = await morgan.agent.get(`/my-plans/${raspId}/versions`);
    assert.match(
      versions.body,
      /Version 2, saved [^<]+ by you, accepting a change proposed by Tess Keyworker \(Peer support worker\)/,
    );
  });

  it('a worker records a change agreed in person, saved at once and recorded as such', async () => {
    const before = (await planRow(safetyId)).current_version;
    const saved = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${safetyId}/change`, {
      basedOn: String(before),
      warningSigns: 'Pacing at night\nNot eating',
      reasonsForLiving: 'My niece',
      how: 'agreed_in_person',
    });
    assert.equal(saved.status, 303);
    const versions = await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${safetyId}/versions`);
    assert.match(
      versions.body,
      /by Tess Keyworker \(Peer support worker\), agreed with the member in person/,
    );
    const compare = await keyWorkerAgent.get(
      `/members/${morgan.member.id}/plans/${safetyId}/compare?from=${before}&to=${before + 1}`,
    );
    assert.match(compare.body, /<ins>Not eating<\/ins>/);
    assert.match(
      compare.body,
      /Step 6: Making where I am safer<\/h2><p class="nhsuk-u-secondary-text-colour">No change/,
    );
    // The safety plan always comes with where to get help now.
    const page = await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${safetyId}`);
    assert.match(page.body, /Call Samaritans free on 116 123/);
  });

  it('a stale save gets the conflict page with both versions, changes nothing, and combining saves on top', async () => {
    const start = (await planRow(raspId)).current_version;
    // The member saves first, from the current version.
    const first = await morgan.agent.post(`/my-plans/${raspId}/change`, {
      basedOn: String(start),
      whatHelps: 'Walking the dog\nSwimming',
      earlySigns: RASP.earlySigns,
    });
    assert.equal(first.status, 303);
    // The worker's save started from the version before.
    const stale = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${raspId}/change`, {
      basedOn: String(start),
      whatHelps: 'Walking the dog\nPainting',
      earlySigns: RASP.earlySigns,
      how: 'agreed_in_person',
    });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /Someone else saved this plan while you were changing it/);
    assert.match(
      stale.body,
      /what the plan says now<\/strong><\/p><ul[^>]*><li>Walking the dog<\/li><li>Swimming<\/li>/,
    );
    assert.match(
      stale.body,
      /Walking the dog\nPainting|Walking the dog&#10;Painting|Walking the dog\r?\nPainting|>Walking the dog Painting</,
    );
    assert.match(stale.body, new RegExp(`name="basedOn" value="${start + 1}"`));
    assert.equal((await planRow(raspId)).current_version, start + 1);
    assert.equal(await currentText(raspId, 'whatHelps'), 'Walking the dog\nSwimming');
    // Combining both and saving on top of the current version.
    const combined = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${raspId}/change`, {
      basedOn: String(start + 1),
      whatHelps: 'Walking the dog\nSwimming\nPainting',
      earlySigns: RASP.earlySigns,
      how: 'agreed_in_person',
    });
    assert.equal(combined.status, 303);
    assert.equal(await currentText(raspId, 'whatHelps'), 'Walking the dog\nSwimming\nPainting');
  });

  it('accepting a proposal made before the member changed the plan shows both to combine, then accepts it', async () => {
    const start = (await planRow(safetyId)).current_version;
    await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${safetyId}/change`, {
      basedOn: String(start),
      warningSigns: 'Pacing at night\nNot eating',
      distraction: 'The library',
      reasonsForLiving: 'My niece',
      how: 'propose',
    });
    // Meanwhile the member changes the plan themselves.
    await morgan.agent.post(`/my-plans/${safetyId}/change`, {
      basedOn: String(start),
      warningSigns: 'Pacing at night\nNot eating',
      reasonsForLiving: 'My niece\nMy garden',
    });
    const proposal = await t.db
      .selectFrom('plan_proposals')
      .select('id')
      .where('plan_id', '=', safetyId)
      .where('status', '=', 'waiting')
      .executeTakeFirstOrThrow();
    const accept = await morgan.agent.post(`/my-plans/${safetyId}/proposals/${proposal.id}/accept`);
    assert.equal(accept.status, 409);
    assert.match(accept.body, /Someone else saved this plan while you were changing it/);
    assert.match(accept.body, new RegExp(`name="proposalId" value="${proposal.id}"`));
    assert.match(accept.body, />The library<\/textarea>/);
    assert.match(accept.body, /<li>My niece<\/li><li>My garden<\/li>/);
    assert.equal((await planRow(safetyId)).current_version, start + 1);
    const combined = await morgan.agent.post(`/my-plans/${safetyId}/change`, {
      basedOn: String(start + 1),
      proposalId: proposal.id,
      warningSigns: 'Pacing at night\nNot eating',
      distraction: 'The library',
      reasonsForLiving: 'My niece\nMy garden',
    });
    assert.equal(combined.status, 303);
    const decided = await t.db
      .selectFrom('plan_proposals')
      .select(['status', 'accepted_as'])
      .where('id', '=', proposal.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(decided, { status: 'accepted', accepted_as: start + 2 });
    const versions = await morgan.agent.get(`/my-plans/${safetyId}/versions`);
    assert.match(
      versions.body,
      new RegExp(`Version ${start + 2}, saved [^<]+ by you, accepting a change proposed by Tess Keyworker`),
    );
  });

  it('bad input is shown on the same page with the words kept, in page order, and nothing saved', async () => {
    const start = (await planRow(raspId)).current_version;
    const response = await keyWorkerAgent.post(`/members/${morgan.member.id}/plans/${raspId}/change`, {
      basedOn: String(start),
      whatHelps: 'x'.repeat(5001),
      earlySigns: 'Kept words',
      'reviewOn-day': '31',
      'reviewOn-month': '2',
      'reviewOn-year': '2026',
    });
    assert.equal(response.status, 400);
    const summary =
      /<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)<\/ul>/.exec(response.body)?.[1] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]),
      ['whatHelps', 'reviewOn-day', 'how'],
    );
    assert.match(response.body, />Kept words<\/textarea>/);
    assert.equal((await planRow(raspId)).current_version, start);

    const empty = await morgan.agent.post(`/my-plans/${raspId}/change`, { basedOn: String(start) });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /Write something in at least one part of the plan/);
    assert.equal((await planRow(raspId)).current_version, start, 'a failed save never empties a plan');
  });

  it('the member chooses to share with the partner NHS team, who then read it (and only it)', async () => {
    assert.equal((await partnerAgent.get(`/members/${morgan.member.id}/plans/${raspId}`)).status, 404);
    // With nothing shared, the partner cannot even tell the person is known here.
    assert.equal((await partnerAgent.get(`/members/${morgan.member.id}/plans`)).status, 404);
    assert.equal((await partnerAgent.get(`/members/${morgan.member.id}/plans/crisis`)).status, 404);
    const { version } = await planRow(raspId);
    const shared = await morgan.agent.post(`/my-plans/${raspId}/sharing`, {
      shareWith: ['team', 'partner'],
      version: String(version),
    });
    assert.equal(shared.status, 303);
    const page = await partnerAgent.get(`/members/${morgan.member.id}/plans/${raspId}`);
    assert.equal(page.status, 200);
    const partnerList = await partnerAgent.get(`/members/${morgan.member.id}/plans`);
    assert.match(partnerList.body, />Resource and Support Plan<\/a>/);
    assert.doesNotMatch(partnerList.body, />Safety plan<\/a>|Start the plan/);
    assert.match(page.body, /Swimming/);
    assert.doesNotMatch(page.body, /Propose a change/);
    assert.equal((await partnerAgent.get(`/members/${morgan.member.id}/plans/${safetyId}`)).status, 404);
    // Stale sharing choices (another tab) get the 409 page and change nothing.
    const stale = await morgan.agent.post(`/my-plans/${raspId}/sharing`, { version: String(version) });
    assert.equal(stale.status, 409);
    assert.equal((await planRow(raspId)).share_with_partner, true);
    // Taking the team off hides it from the key worker.
    await setPlanSharing(t.db, raspId, { team: false, partner: true });
    assert.equal((await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${raspId}`)).status, 404);
    await setPlanSharing(t.db, raspId, { team: true, partner: false });
  });

  it('the PDF holds the plan’s text, and the print view shows it', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/my-plans/${safetyId}/pdf`,
      headers: {
        cookie: `${'alongside-member-session'}=${morgan.agent.cookie('alongside-member-session') ?? ''}`,
      },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.doesNotMatch(String(response.headers['content-disposition']), /Morgan/);
    const parsed = await new PDFParse({ data: response.rawPayload }).getText();
    assert.match(parsed.text, /Step 1: Signs that a crisis may be starting/);
    assert.match(parsed.text, /Not eating/);
    assert.match(parsed.text, /My niece/);
    assert.match(parsed.text, /116 123/);
    const print = await keyWorkerAgent.get(`/members/${morgan.member.id}/plans/${safetyId}/print`);
    assert.match(print.body, /<li>Not eating<\/li>/);
  });

  it('the member starts a goal and a network map, shown as a list and a picture with its words', async () => {
    const started = await morgan.agent.post('/my-plans', { kind: 'network_map' });
    assert.equal(started.status, 303);
    const planId = /\/my-plans\/([0-9a-f-]{36})\/change/.exec(String(started.headers.location))?.[1];
    assert.ok(planId);
    const missingCloseness = await morgan.agent.post(`/my-plans/${planId}/change`, {
      basedOn: '0',
      'network-1-name': 'Jo',
      'network-1-kind': 'person',
    });
    assert.equal(missingCloseness.status, 400);
    assert.match(missingCloseness.body, /href="#network-1-closeness">Select how close Jo feels/);
    await morgan.agent.post(`/my-plans/${planId}/change`, {
      basedOn: '0',
      'network-1-name': 'Jo',
      'network-1-kind': 'person',
      'network-1-closeness': 'very_close',
      'network-2-name': 'Tuesday walking group',
      'network-2-kind': 'group',
      'network-2-closeness': 'close',
    });
    const page = await morgan.agent.get(`/my-plans/${planId}`);
    assert.match(page.body, /<td class="nhsuk-table__cell" >Jo<\/td>/);
    assert.match(page.body, /<svg role="img" aria-labelledby="network-title network-desc"/);
    assert.match(
      page.body,
      /<desc id="network-desc">[^<]*Very close: Jo \(a person\)\. Close: Tuesday walking group \(a group\)\./,
    );
    const goal = await morgan.agent.post('/my-plans', { kind: 'goal' });
    const goalId = /\/my-plans\/([0-9a-f-]{36})\/change/.exec(String(goal.headers.location))?.[1];
    const again = await morgan.agent.post('/my-plans', { kind: 'goal' });
    assert.equal(again.headers.location, goal.headers.location, 'starting twice starts one unwritten goal');
    await morgan.agent.post(`/my-plans/${goalId}/change`, {
      basedOn: '0',
      goal: 'Join the choir',
      waysToWellbeing: ['connect', 'keep_learning'],
    });
    const list = await morgan.agent.get('/my-plans');
    assert.match(list.body, />Join the choir<\/a>/);
  });
});

describe('break-glass to the crisis view', () => {
  it('a missing member and another organisation’s member look the same', async () => {
    const a = await strangerAgent.get(`/members/${morgan.member.id}/plans/crisis`);
    const b = await strangerAgent.get(`/members/${MISSING_ID}/plans/crisis`);
    assert.equal(a.status, 404);
    assert.equal(withoutPerResponseValues(a.body), withoutPerResponseValues(b.body));
    void charityId;
  });

  it('needs a reason, then opens the crisis view, audited, and tells the member', async () => {
    const noReason = await otherWorkerAgent.post(`/members/${morgan.member.id}/plans/crisis`, { reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body, /href="#reason">Enter why you need to see this crisis plan now/);
    assert.equal(
      (
        await t.db
          .selectFrom('plan_break_glass')
          .select('id')
          .where('member_id', '=', morgan.member.id)
          .execute()
      ).length,
      0,
    );
    const opened = await otherWorkerAgent.post(`/members/${morgan.member.id}/plans/crisis`, {
      reason: 'Their sister called: they are at the station and frightened',
    });
    assert.equal(opened.status, 303);
    const view = await otherWorkerAgent.get(String(opened.headers.location));
    assert.equal(view.status, 200);
    assert.match(view.body, /Pacing at night/);
    assert.match(view.body, /Walking the dog/);
    assert.match(view.body, /The reason you gave: Their sister called/);
    // Someone else cannot use that opening.
    assert.equal((await keyWorkerAgent.get(String(opened.headers.location))).status, 404);
    const audit = await auditRows(t, morgan.member.id);
    assert.ok(audit.some((r) => r.action === 'plan.break_glass_opened'));
    assert.ok(
      audit.some(
        (r) => r.action === 'plan.crisis_view_read' && (r.details as { breakGlassId?: string }).breakGlassId,
      ),
    );
    const notices = await morgan.agent.get('/my-plans');
    assert.match(notices.body, /Someone opened your crisis plan/);
    assert.match(notices.body, /The reason they gave: Their sister called/);
    // What the member was told stays as it was recorded: the database refuses to change or delete it.
    await assert.rejects(
      t.db
        .updateTable('plan_break_glass')
        .set({ reason: 'Nothing to see here, just checking' })
        .where('member_id', '=', morgan.member.id)
        .execute(),
      /never changed or deleted/,
    );
    await assert.rejects(
      t.db.deleteFrom('plan_break_glass').where('member_id', '=', morgan.member.id).execute(),
      /never changed or deleted/,
    );
    // Once the opening has closed (an hour on), the address shows nothing, even signed in afresh.
    t.clock.advance(61 * 60_000);
    const later = await signedInAgent(t, otherWorker);
    assert.equal((await later.get(String(opened.headers.location))).status, 404);
    assert.equal((await later.get(`/members/${morgan.member.id}/plans/crisis`)).status, 200, 'signed in');
  });
});
