import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import {
  buildAgreement,
  buildOrganisation,
  buildService,
  hostOrganisation,
} from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { startTestApp, type TestApp, signedInAgent } from '../../testing/test-app.ts';

async function episodeRow(t: TestApp, id: string) {
  const episode = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const keyWorkers = await t.db
    .selectFrom('episode_key_workers')
    .select('staff_id')
    .where('episode_id', '=', id)
    .execute();
  return { ...episode, keyWorkerIds: keyWorkers.map((k) => k.staff_id).sort() };
}

const pagesOf = (path: string): Page[] => [
  ['GET', path],
  ['GET', `${path}/plan`],
  ['POST', `${path}/plan`],
  ['GET', `${path}/discharge`],
  ['POST', `${path}/discharge`],
];

/** The episode's organisation, its staff, a partner sharing member details, and a stranger. */
async function buildCast(t: TestApp) {
  const own = await hostOrganisation(t.db);
  const partner = await buildOrganisation(t.db, { name: 'Medway Peer Partnership' });
  const stranger = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  await buildAgreement(t.db, [
    { organisationId: own.id },
    { organisationId: partner.id, categories: ['member_details'] },
  ]);
  const keyWorker = await buildStaff(t.db, { organisationId: own.id, fullName: 'Alex Keyworker' });
  const colleague = await buildStaff(t.db, { organisationId: own.id, fullName: 'Sam Colleague' });
  const workerStaff = await buildStaff(t.db, { organisationId: own.id, fullName: 'Jo Worker' });
  return {
    own,
    keyWorker,
    colleague,
    workerStaff,
    worker: await signedInAgent(t, workerStaff),
    commissioner: await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: own.id, roles: ['commissioner'] }),
    ),
    partnerWorker: await signedInAgent(t, await buildStaff(t.db, { organisationId: partner.id })),
    strangerWorker: await signedInAgent(t, await buildStaff(t.db, { organisationId: stranger.id })),
  };
}

describe('who may use the episode of support pages', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildCast>>;
  let path: string;
  let episodeId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
    const member = await buildMember(t.db, { organisationId: cast.own.id });
    episodeId = (await buildEpisode(t.db, { memberId: member.id, organisationId: cast.own.id })).id;
    path = `/members/${member.id}/episodes/${episodeId}`;
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(t.agent(), pagesOf(path));
  });

  it('refuses a commissioner every page with 403, and changes nothing', async () => {
    await assertEachForbidden(cast.commissioner, pagesOf(path), { version: '1' });
    assert.equal((await episodeRow(t, episodeId)).version, 1);
  });

  it('answers another organisation with 404, exactly as for an episode that does not exist', async () => {
    const missingPath = path.replace(episodeId, MISSING_ID);
    for (const [method, url] of pagesOf(path)) {
      const other = await send(cast.strangerWorker, method, url, { version: '1' });
      const missing = await send(cast.strangerWorker, method, url.replace(path, missingPath), {
        version: '1',
      });
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(missing.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(missing.body));
    }
    assert.equal((await cast.worker.get(`/members/${MISSING_ID}/episodes/${episodeId}`)).status, 404);
    assert.equal((await cast.worker.get('/members/not-an-id/episodes/not-an-id')).status, 404);
    assert.equal((await episodeRow(t, episodeId)).version, 1);
  });

  it('lets a partner sharing member details read the episode, but not change or discharge it', async () => {
    const page = await cast.partnerWorker.get(path);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /Change the plan|Discharge<\/a>|Log a follow-up/);
    for (const [method, url] of pagesOf(path).slice(1)) {
      const response = await send(cast.partnerWorker, method, url, { version: '1' });
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    assert.equal((await episodeRow(t, episodeId)).version, 1);
  });
});

describe('an episode of support and its plan', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildCast>>;
  let memberId: string;
  let serviceId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
    serviceId = (await buildService(t.db, [cast.own.id], { name: 'SUN Medway', doorOpenWeeks: 12 })).id;
  });
  after(() => t.close());

  // Each episode is for a new person: one active episode at a time in a service.
  const episodeInService = async () => {
    memberId = (
      await buildMember(t.db, {
        organisationId: cast.own.id,
        legalName: 'Morgan Example',
        preferredName: 'Mo',
      })
    ).id;
    return buildEpisode(t.db, {
      memberId,
      organisationId: cast.own.id,
      serviceId,
      startedOn: '2026-01-05',
      anticipatedEndOn: '2027-06-01',
      reviewOn: '2026-02-20',
      keyWorkerIds: [cast.keyWorker.id],
    });
  };

  it('shows the service, dates, key workers and an overdue review plainly, and records the read', async () => {
    const episode = await episodeInService();
    const path = `/members/${memberId}/episodes/${episode.id}`;
    const page = await cast.worker.get(path);
    assert.equal(page.status, 200);
    assert.match(page.body, /<span class="nhsuk-caption-l">Mo<\/span><h1[^>]*>Support from SUN Medway<\/h1>/);
    assert.match(page.body, /Receiving support/);
    assert.match(page.body, /Started<\/dt><dd class="nhsuk-summary-list__value">5 January 2026/);
    assert.match(page.body, /Support is expected to last until 1 June 2027/);
    assert.match(
      page.body,
      /20 February 2026\s?<strong class="nhsuk-tag nhsuk-tag--red">Review overdue<\/strong>/,
    );
    assert.match(page.body, /Alex Keyworker/);
    assert.match(page.body, /No follow-up attempts have been logged/);
    assert.match(page.body, new RegExp(`href="${path}/plan"`));
    assert.match(page.body, new RegExp(`href="${path}/discharge"`));
    assert.match(page.body, new RegExp(`href="/members/${memberId}"`));
    const audit = await auditRows(t, episode.id);
    assert.equal(audit.at(-1)?.action, 'episode.read');
    assert.equal(audit.at(-1)?.actor_id, cast.workerStaff.id);
    assert.equal(audit.at(-1)?.details.memberId, memberId);
  });

  it('says when no end date has been agreed, and does not mark a review to come as overdue', async () => {
    const other = await buildMember(t.db, { organisationId: cast.own.id });
    const episode = await buildEpisode(t.db, {
      memberId: other.id,
      organisationId: cast.own.id,
      reviewOn: '2026-04-01',
    });
    const page = await cast.worker.get(`/members/${other.id}/episodes/${episode.id}`);
    assert.match(page.body, /<h1[^>]*>Episode of support<\/h1>/);
    assert.match(page.body, /No end date has been agreed yet/);
    assert.match(page.body, /1 April 2026/);
    assert.doesNotMatch(page.body, /Review overdue/);
    assert.match(page.body, /No key worker yet/);
  });

  it('changes the anticipated end, review date and key workers, recording which fields changed', async () => {
    const episode = await episodeInService();
    const path = `/members/${memberId}/episodes/${episode.id}`;
    const form = await cast.worker.get(`${path}/plan`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Change the plan for this support<\/h1>/);
    assert.match(form.body, /name="anticipatedEndOn-day"[^>]*value="1"/);
    assert.match(form.body, /name="anticipatedEndOn-month"[^>]*value="6"/);
    assert.match(form.body, /name="anticipatedEndOn-year"[^>]*value="2027"/);
    assert.match(form.body, /name="version" value="1"/);
    assert.match(form.body, new RegExp(`value="${cast.keyWorker.id}" checked`));
    assert.match(form.body, /Sam Colleague/);

    const response = await cast.worker.post(`${path}/plan`, {
      'anticipatedEndOn-day': '30',
      'anticipatedEndOn-month': '9',
      'anticipatedEndOn-year': '2027',
      'reviewOn-day': '20',
      'reviewOn-month': '2',
      'reviewOn-year': '2026',
      keyWorkerIds: [cast.colleague.id, cast.keyWorker.id],
      version: '1',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, path);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.anticipated_end_on, '2027-09-30');
    assert.equal(row.review_on, '2026-02-20');
    assert.equal(row.version, 2);
    assert.deepEqual(row.keyWorkerIds, [cast.colleague.id, cast.keyWorker.id].sort());
    const audit = (await auditRows(t, episode.id)).at(-1);
    assert.equal(audit?.action, 'episode.plan_changed');
    assert.equal(audit?.actor_id, cast.workerStaff.id);
    assert.deepEqual(audit?.details, { memberId, fields: ['anticipated_end_on', 'key_workers'] });

    const page = await cast.worker.get(path);
    assert.match(page.body, /Support is expected to last until 30 September 2027/);
    assert.match(page.body, /Alex Keyworker, Sam Colleague/);
  });

  it('clears the dates and key workers when they are emptied', async () => {
    const episode = await episodeInService();
    const response = await cast.worker.post(`/members/${memberId}/episodes/${episode.id}/plan`, {
      version: '1',
    });
    assert.equal(response.status, 303);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.anticipated_end_on, null);
    assert.equal(row.review_on, null);
    assert.deepEqual(row.keyWorkerIds, []);
  });

  it('shows what is wrong with the plan on the same page, keeping what was typed and changing nothing', async () => {
    const episode = await episodeInService();
    const path = `/members/${memberId}/episodes/${episode.id}/plan`;
    const unreal = await cast.worker.post(path, {
      'anticipatedEndOn-day': '31',
      'anticipatedEndOn-month': '6',
      'anticipatedEndOn-year': '2027',
      'reviewOn-day': '4',
      'reviewOn-month': '',
      'reviewOn-year': '2026',
      version: '1',
    });
    assert.equal(unreal.status, 400);
    assert.match(unreal.body, /There is a problem/);
    assert.match(unreal.body, /href="#anticipatedEndOn-day">Anticipated end date must be a real date/);
    assert.match(unreal.body, /href="#reviewOn-day">Review date must include a month/);
    assert.match(unreal.body, /name="anticipatedEndOn-day"[^>]*value="31"/);

    const early = await cast.worker.post(path, {
      'anticipatedEndOn-day': '1',
      'anticipatedEndOn-month': '1',
      'anticipatedEndOn-year': '2026',
      keyWorkerIds: [cast.keyWorker.id, MISSING_ID],
      version: '1',
    });
    assert.equal(early.status, 400);
    assert.match(
      early.body,
      /Anticipated end date must be on or after the day support started, 5 January 2026/,
    );
    assert.match(early.body, /href="#keyWorkerIds">Select key workers from the list/);
    assert.match(early.body, /name="anticipatedEndOn-year"[^>]*value="2026"/);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.version, 1);
    assert.equal(row.anticipated_end_on, '2027-06-01');
    assert.deepEqual(row.keyWorkerIds, [cast.keyWorker.id]);
  });

  it('refuses a stale plan with a conflict page and changes nothing', async () => {
    const episode = await episodeInService();
    await t.db.updateTable('episodes').set({ version: 2 }).where('id', '=', episode.id).execute();
    const before = await episodeRow(t, episode.id);
    const response = await cast.worker.post(`/members/${memberId}/episodes/${episode.id}/plan`, {
      'anticipatedEndOn-day': '1',
      'anticipatedEndOn-month': '1',
      'anticipatedEndOn-year': '2028',
      version: '1',
    });
    assert.equal(response.status, 409);
    assert.match(response.body, /Someone else changed this record/);
    assert.deepEqual(await episodeRow(t, episode.id), before);
    assert.ok(!(await auditRows(t, episode.id)).some((row) => row.action === 'episode.plan_changed'));
  });
});

describe('discharging someone from support', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildCast>>;
  let memberId: string;
  let serviceId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
    serviceId = (await buildService(t.db, [cast.own.id], { name: 'SUN Medway', doorOpenWeeks: 12 })).id;
  });
  after(() => t.close());

  // Each test has its own person: one active episode at a time in a service.
  const newEpisode = async (withService = true) => {
    memberId = (await buildMember(t.db, { organisationId: cast.own.id, preferredName: 'Mo' })).id;
    const episode = await buildEpisode(t.db, {
      memberId,
      organisationId: cast.own.id,
      serviceId: withService ? serviceId : null,
    });
    return { id: episode.id, path: `/members/${memberId}/episodes/${episode.id}` };
  };

  it('says how long the door stays open: the service’s weeks, or 26 with no service', async () => {
    const inService = await newEpisode();
    const page = await cast.worker.get(`${inService.path}/discharge`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Discharge from this support<\/h1>/);
    assert.match(
      page.body,
      /The door stays open: if they come back within 12 weeks, their history is picked up again/,
    );
    assert.match(page.body, /Their support goals were met/);
    assert.match(page.body, /They are no longer in contact, after follow-up/);
    assert.match(page.body, /I confirm that support for Mo is ending/);
    const noService = await newEpisode(false);
    const other = await cast.worker.get(`${noService.path}/discharge`);
    assert.match(
      other.body,
      /The door stays open: if they come back within 26 weeks, their history is picked up again/,
    );
  });

  it('asks for the date, the reason and a confirmation, keeping what was typed', async () => {
    const episode = await newEpisode();
    const empty = await cast.worker.post(`${episode.path}/discharge`, { version: '1' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /href="#dischargedOn-day">Enter the discharge date/);
    assert.match(empty.body, /href="#reason">Select why support is ending/);
    assert.match(empty.body, /href="#confirmed">Confirm that support is ending/);

    const other = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '27',
      'dischargedOn-month': '2',
      'dischargedOn-year': '2026',
      reason: 'other',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(other.status, 400);
    assert.match(other.body, /href="#reasonDetail">Enter the reason support is ending/);
    assert.match(other.body, /value="other" checked/);
    assert.match(other.body, /value="yes" checked/);

    const future = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '3',
      'dischargedOn-month': '3',
      'dischargedOn-year': '2026',
      reason: 'goals_met',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(future.status, 400);
    assert.match(future.body, /href="#dischargedOn-day">Discharge date must be today or in the past/);
    assert.match(future.body, /name="dischargedOn-day"[^>]*value="3"/);

    const early = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '4',
      'dischargedOn-month': '1',
      'dischargedOn-year': '2026',
      reason: 'goals_met',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(early.status, 400);
    assert.match(early.body, /Discharge date must be on or after the day support started, 5 January 2026/);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.status, 'active');
    assert.equal(row.version, 1);
  });

  it('discharges on today’s date with a reason, records it, and offers nothing more to change', async () => {
    const episode = await newEpisode();
    const response = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '2',
      'dischargedOn-month': '3',
      'dischargedOn-year': '2026',
      reason: 'goals_met',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, episode.path);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.status, 'discharged');
    assert.equal(row.discharged_on, '2026-03-02');
    assert.equal(row.discharge_reason, 'goals_met');
    assert.equal(row.version, 2);
    const audit = (await auditRows(t, episode.id)).at(-1);
    assert.equal(audit?.action, 'episode.discharged');
    assert.equal(audit?.actor_id, cast.workerStaff.id);
    assert.deepEqual(audit?.details, { memberId, reason: 'goals_met' });

    const page = await cast.worker.get(episode.path);
    assert.match(page.body, /<strong class="nhsuk-tag nhsuk-tag--grey">Discharged<\/strong>/);
    assert.match(page.body, /Discharged<\/dt><dd class="nhsuk-summary-list__value">2 March 2026/);
    assert.match(page.body, /Their support goals were met/);
    assert.match(page.body, /if they come back within 12 weeks, their history is picked up again/);
    assert.doesNotMatch(page.body, /Change the plan|Log a follow-up/);
    const plan = await cast.worker.get(`${episode.path}/plan`);
    assert.equal(plan.status, 303);
    assert.equal(plan.headers.location, episode.path);
    const again = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '1',
      'dischargedOn-month': '3',
      'dischargedOn-year': '2026',
      reason: 'died',
      confirmed: 'yes',
      version: '2',
    });
    assert.equal(again.status, 409);
    assert.equal((await episodeRow(t, episode.id)).discharge_reason, 'goals_met');
  });

  it('keeps the words given for another reason out of the audit trail', async () => {
    const episode = await newEpisode();
    const response = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '20',
      'dischargedOn-month': '2',
      'dischargedOn-year': '2026',
      reason: 'other',
      reasonDetail: 'Now supported by a family member',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(response.status, 303);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.discharged_on, '2026-02-20');
    const audit = (await auditRows(t, episode.id)).at(-1);
    assert.deepEqual(audit?.details, { memberId, reason: 'other' });
    const page = await cast.worker.get(episode.path);
    assert.match(page.body, /Another reason: Now supported by a family member/);
  });

  it('refuses a stale discharge with a conflict page and changes nothing', async () => {
    const episode = await newEpisode();
    await t.db.updateTable('episodes').set({ version: 3 }).where('id', '=', episode.id).execute();
    const response = await cast.worker.post(`${episode.path}/discharge`, {
      'dischargedOn-day': '2',
      'dischargedOn-month': '3',
      'dischargedOn-year': '2026',
      reason: 'moved_away',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(response.status, 409);
    const row = await episodeRow(t, episode.id);
    assert.equal(row.status, 'active');
    assert.equal(row.version, 3);
    assert.ok(!(await auditRows(t, episode.id)).some((r) => r.action === 'episode.discharged'));
  });
});
