import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, buildService, hostOrganisation } from '../../testing/builders/organisations.ts';
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
import type { FollowUpOutcome, FollowUpStep } from './members.tables.ts';

// The test clock starts on Monday 2 March 2026 at 10am.
const WEEK_MS = 7 * 24 * 3600 * 1000;

async function statusOf(t: TestApp, episodeId: string) {
  return (
    await t.db.selectFrom('episodes').select('status').where('id', '=', episodeId).executeTakeFirstOrThrow()
  ).status;
}

/** The worklist's rows, as "name | service | last in touch | key workers | next step". */
function rowsOf(body: string): string[] {
  const tbody = /<tbody class="nhsuk-table__body">(.*?)<\/tbody>/.exec(body)?.[1] ?? '';
  return [...tbody.matchAll(/<tr class="nhsuk-table__row">(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td class="nhsuk-table__cell">(.*?)<\/td>/g)]
      .map((cell) => (cell[1] ?? '').replace(/<span class="nhsuk-u-visually-hidden">.*?<\/span>/g, ''))
      .map((cell) => cell.replace(/<[^>]+>/g, ''))
      .join(' | '),
  );
}

async function buildWorld(t: TestApp) {
  const own = await hostOrganisation(t.db);
  const stranger = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  const me = await buildStaff(t.db, { organisationId: own.id, fullName: 'Jo Worker' });
  const colleague = await buildStaff(t.db, { organisationId: own.id, fullName: 'Sam Colleague' });
  const strangerStaff = await buildStaff(t.db, { organisationId: stranger.id });
  return {
    own,
    stranger,
    me,
    colleague,
    strangerStaff,
    worker: await signedInAgent(t, me),
    commissioner: await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: own.id, roles: ['commissioner'] }),
    ),
    strangerWorker: await signedInAgent(t, strangerStaff),
  };
}

async function personWithEpisode(
  t: TestApp,
  organisationId: string,
  preferredName: string,
  episode: { startedOn: string; serviceId?: string | null; keyWorkerIds?: string[] },
) {
  const member = await buildMember(t.db, {
    organisationId,
    legalName: `${preferredName} Legal`,
    preferredName,
  });
  const built = await buildEpisode(t.db, { memberId: member.id, organisationId, ...episode });
  return { memberId: member.id, id: built.id, path: `/members/${member.id}/episodes/${built.id}` };
}

async function insertFollowUp(
  t: TestApp,
  episodeId: string,
  staffId: string,
  step: FollowUpStep,
  outcome: FollowUpOutcome,
  at: Date,
) {
  await t.db
    .insertInto('engagement_follow_ups')
    .values({ id: randomUUID(), episode_id: episodeId, step, outcome, note: null, at, staff_id: staffId })
    .execute();
}

const followUpFields = (step: string, outcome: string, time: string, extra: Record<string, string> = {}) => ({
  step,
  outcome,
  'at-day': '2',
  'at-month': '3',
  'at-year': '2026',
  atTime: time,
  ...extra,
});

describe('who may use the engagement pages', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof buildWorld>>;
  let quiet: Awaited<ReturnType<typeof personWithEpisode>>;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    quiet = await personWithEpisode(t, world.own.id, 'Robin', { startedOn: '2026-01-26' });
  });
  after(() => t.close());

  const pages = (path: string): Page[] => [
    ['GET', '/engagement'],
    ['GET', `${path}/follow-ups/new`],
    ['POST', `${path}/follow-ups/new`],
  ];

  it('sends a signed-out visitor to sign in, and refuses a commissioner with 403', async () => {
    await assertEachSendsToSignIn(t.agent(), pages(quiet.path));
    await assertEachForbidden(
      world.commissioner,
      pages(quiet.path),
      followUpFields('call', 'spoke', '09:00'),
    );
    const rows = await t.db.selectFrom('engagement_follow_ups').selectAll().execute();
    assert.deepEqual(rows, []);
  });

  it('answers another organisation’s episode with 404, exactly as for one that does not exist', async () => {
    const missing = quiet.path.replace(quiet.id, MISSING_ID);
    for (const [method, url] of pages(quiet.path).slice(1)) {
      const fields = followUpFields('call', 'spoke', '09:00');
      const other = await send(world.strangerWorker, method, url, fields);
      const none = await send(world.strangerWorker, method, url.replace(quiet.path, missing), fields);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(none.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(none.body));
    }
    const list = await world.strangerWorker.get('/engagement');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /Robin/);
    assert.deepEqual(await t.db.selectFrom('engagement_follow_ups').selectAll().execute(), []);
  });
});

describe('the non-engagement worklist', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof buildWorld>>;
  let fiveWeeks: Awaited<ReturnType<typeof personWithEpisode>>;
  let nineWeeksLongService: Awaited<ReturnType<typeof personWithEpisode>>;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    const sun = (await buildService(t.db, [world.own.id], { name: 'SUN Medway' })).id;
    const slow = (
      await buildService(t.db, [world.own.id], { name: 'Social peer support', nonEngagementWeeks: 8 })
    ).id;
    // Quiet 5 weeks, in a service allowing 4: on the list.
    fiveWeeks = await personWithEpisode(t, world.own.id, 'Robin', {
      startedOn: '2026-01-26',
      serviceId: sun,
      keyWorkerIds: [world.me.id],
    });
    // Started 8 weeks ago, but spoke with a worker last week: not on the list.
    const spoke = await personWithEpisode(t, world.own.id, 'Casey', {
      startedOn: '2026-01-05',
      serviceId: sun,
    });
    await insertFollowUp(t, spoke.id, world.colleague.id, 'call', 'spoke', new Date('2026-02-23T11:00:00Z'));
    // Quiet 2 weeks: not yet.
    await personWithEpisode(t, world.own.id, 'Dani', { startedOn: '2026-02-16', serviceId: sun });
    // Quiet 6 weeks in a service allowing 8: not yet; quiet 9 weeks there: on the list, first.
    await personWithEpisode(t, world.own.id, 'Eli', { startedOn: '2026-01-19', serviceId: slow });
    nineWeeksLongService = await personWithEpisode(t, world.own.id, 'Frankie', {
      startedOn: '2025-12-29',
      serviceId: slow,
      keyWorkerIds: [world.colleague.id],
    });
    // Quiet 10 weeks, in another organisation: never on this organisation's list.
    await personWithEpisode(t, world.stranger.id, 'Gale', { startedOn: '2025-12-22' });
  });
  after(() => t.close());

  it('lists the people quiet longer than their service allows, longest first, and records the read', async () => {
    const list = await world.worker.get('/engagement');
    assert.equal(list.status, 200);
    assert.match(list.body, /<h1[^>]*>Not engaging<\/h1>/);
    assert.match(list.body, /href="\/engagement"[^>]*>(<strong[^>]*>)?Not engaging/);
    assert.deepEqual(rowsOf(list.body), [
      'Frankie | Social peer support | 29 December 2025, 9 weeks ago | Sam Colleague | Call',
      'Robin | SUN Medway | 26 January 2026, 5 weeks ago | Jo Worker | Call',
    ]);
    assert.match(list.body, new RegExp(`href="${fiveWeeks.path}"`));
    assert.match(list.body, new RegExp(`href="${fiveWeeks.path}/follow-ups/new"`));
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('action', '=', 'engagement.list_read')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, world.me.id);
    assert.deepEqual(audit.details, { count: 2, mine: false });
  });

  it('shows only the people I am key worker for when asked', async () => {
    const mine = await world.worker.get('/engagement?mine=yes');
    assert.deepEqual(rowsOf(mine.body), [
      'Robin | SUN Medway | 26 January 2026, 5 weeks ago | Jo Worker | Call',
    ]);
    assert.match(mine.body, /value="yes" checked/);
    const colleague = await signedInAgent(t, world.colleague);
    const theirs = await colleague.get('/engagement?mine=yes');
    assert.deepEqual(
      rowsOf(theirs.body).map((row) => row.split(' | ')[0]),
      ['Frankie'],
    );
  });

  it('suggests the next step from the attempts logged, and keeps everyone active however many fail', async () => {
    const { worker } = world;
    const form = await worker.get(`${fiveWeeks.path}/follow-ups/new`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Log a follow-up<\/h1>/);
    assert.match(form.body, /Last in touch on 26 January 2026/);
    assert.match(form.body, /value="call" checked/);
    assert.match(form.body, /name="at-day"[^>]*value="2"/);
    assert.match(form.body, /name="at-month"[^>]*value="3"/);
    assert.match(form.body, /name="atTime"[^>]*value="10:0\d"/);

    const ladder: [string, string, string, string][] = [
      ['call', 'no_answer', '08:00', 'Text message'],
      ['text', 'sent', '08:10', 'Letter'],
      ['letter', 'sent', '08:20', 'Review of their support'],
      ['review', 'reviewed', '08:30', 'Review held: decide what happens next'],
    ];
    for (const [step, outcome, time, next] of ladder) {
      const logged = await worker.post(
        `${fiveWeeks.path}/follow-ups/new`,
        followUpFields(step, outcome, time),
      );
      assert.equal(logged.status, 303, `${step} ${outcome}`);
      assert.equal(logged.headers.location, fiveWeeks.path);
      const row = rowsOf((await worker.get('/engagement')).body).find((r) => r.startsWith('Robin'));
      assert.equal(row?.split(' | ')[4], next, `after ${step}`);
    }
    const audit = (await auditRows(t, fiveWeeks.id)).filter(
      (r) => r.action === 'engagement.follow_up_logged',
    );
    assert.equal(audit.length, 4);
    assert.equal(audit[0]?.actor_id, world.me.id);
    assert.equal(audit[0]?.details.step, 'call');
    assert.equal(audit[0]?.details.outcome, 'no_answer');

    // After the review the episode page offers the discharge page, and nothing more.
    const page = await worker.get(fiveWeeks.path);
    assert.match(page.body, /A review has been held/);
    assert.match(page.body, /Alongside never discharges anyone by itself/);
    assert.match(page.body, new RegExp(`href="${fiveWeeks.path}/discharge">Discharge from this support`));
    assert.match(page.body, /2 March 2026 at 8:30am/);
    assert.match(page.body, /Reviewed with the team/);

    for (let attempt = 0; attempt < 12; attempt += 1) {
      const time = `09:${String(attempt * 4).padStart(2, '0')}`;
      const logged = await worker.post(
        `${fiveWeeks.path}/follow-ups/new`,
        followUpFields('call', 'no_answer', time),
      );
      assert.equal(logged.status, 303);
    }
    assert.equal(await statusOf(t, fiveWeeks.id), 'active');
    assert.equal(await statusOf(t, nineWeeksLongService.id), 'active');
    const stillListed = rowsOf((await worker.get('/engagement')).body).map((r) => r.split(' | ')[0]);
    assert.deepEqual(stillListed, ['Frankie', 'Robin']);
  });

  it('takes someone off the list once a worker has spoken with them', async () => {
    const logged = await world.worker.post(
      `${nineWeeksLongService.path}/follow-ups/new`,
      followUpFields('call', 'spoke', '09:55', { note: 'Coming to the group next week' }),
    );
    assert.equal(logged.status, 303);
    const list = await world.worker.get('/engagement');
    assert.ok(!rowsOf(list.body).some((row) => row.startsWith('Frankie')));
    const row = await t.db
      .selectFrom('engagement_follow_ups')
      .selectAll()
      .where('episode_id', '=', nineWeeksLongService.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.step, 'call');
    assert.equal(row.outcome, 'spoke');
    assert.equal(row.note, 'Coming to the group next week');
    assert.equal(row.at.toISOString(), '2026-03-02T09:55:00.000Z');
    assert.equal(row.staff_id, world.me.id);
    const audit = (await auditRows(t, nineWeeksLongService.id)).at(-1);
    assert.equal(audit?.action, 'engagement.follow_up_logged');
    assert.ok(
      !JSON.stringify(audit?.details).includes('Coming to the group'),
      'no free text in the audit trail',
    );
    const page = await world.worker.get(nineWeeksLongService.path);
    assert.match(page.body, /Coming to the group next week/);
    assert.match(page.body, /Spoke with them/);
  });

  it('takes someone off the list once they are discharged, and logs nothing more for them', async () => {
    const person = await personWithEpisode(t, world.own.id, 'Harper', { startedOn: '2026-01-12' });
    assert.ok(rowsOf((await world.worker.get('/engagement')).body).some((r) => r.startsWith('Harper')));
    const discharged = await world.worker.post(`${person.path}/discharge`, {
      'dischargedOn-day': '2',
      'dischargedOn-month': '3',
      'dischargedOn-year': '2026',
      reason: 'lost_contact',
      confirmed: 'yes',
      version: '1',
    });
    assert.equal(discharged.status, 303);
    assert.ok(!rowsOf((await world.worker.get('/engagement')).body).some((r) => r.startsWith('Harper')));
    const late = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('call', 'spoke', '09:00'),
    );
    assert.equal(late.status, 409);
    const form = await world.worker.get(`${person.path}/follow-ups/new`);
    assert.equal(form.status, 303);
  });
});

describe('logging a follow-up: what is checked', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof buildWorld>>;
  let person: Awaited<ReturnType<typeof personWithEpisode>>;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    person = await personWithEpisode(t, world.own.id, 'Robin', { startedOn: '2026-01-26' });
  });
  after(() => t.close());

  const count = async () =>
    (await t.db.selectFrom('engagement_follow_ups').selectAll().where('episode_id', '=', person.id).execute())
      .length;

  it('asks what was done and what happened', async () => {
    const response = await world.worker.post(`${person.path}/follow-ups/new`, {
      'at-day': '2',
      'at-month': '3',
      'at-year': '2026',
      atTime: '',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /href="#step">Select what you did/);
    assert.match(response.body, /href="#outcome">Select what happened/);
    assert.match(response.body, /href="#atTime">Enter the time</);
    assert.equal(await count(), 0);
  });

  it('accepts only outcomes that make sense for the step, keeping what was typed', async () => {
    const response = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('letter', 'spoke', '09:00', { note: 'Posted first class' }),
    );
    assert.equal(response.status, 400);
    assert.match(response.body, /href="#outcome">For a letter, select sent/);
    assert.match(response.body, /value="letter" checked/);
    assert.match(response.body, /Posted first class<\/textarea>/);
    const review = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('review', 'no_answer', '09:00'),
    );
    assert.match(review.body, /For a review of their support, select reviewed with the team/);
    assert.equal(await count(), 0);
  });

  it('refuses a time in the future, an unreal time and a note that is too long', async () => {
    const future = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('call', 'spoke', '23:00'),
    );
    assert.equal(future.status, 400);
    assert.match(future.body, /href="#at-day">The date and time must be now or in the past/);
    assert.match(future.body, /name="atTime"[^>]*value="23:00"/);
    const unreal = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('call', 'spoke', '25:61'),
    );
    assert.match(unreal.body, /Enter a time like 14:30 or 2:30pm/);
    const long = await world.worker.post(
      `${person.path}/follow-ups/new`,
      followUpFields('call', 'spoke', '09:00', { note: 'x'.repeat(2001) }),
    );
    assert.match(long.body, /href="#note">Note must be 2,000 characters or fewer/);
    const early = await world.worker.post(`${person.path}/follow-ups/new`, {
      ...followUpFields('call', 'spoke', '09:00'),
      'at-day': '25',
      'at-month': '1',
    });
    assert.match(early.body, /The date must be on or after the day support started, 26 January 2026/);
    assert.equal(await count(), 0);
    assert.equal(await statusOf(t, person.id), 'active');
  });

  it('moves the worklist on with the clock: someone quiet 3 weeks appears once 4 have passed', async () => {
    const soon = await personWithEpisode(t, world.own.id, 'Indigo', { startedOn: '2026-02-09' });
    assert.ok(!rowsOf((await world.worker.get('/engagement')).body).some((r) => r.startsWith('Indigo')));
    t.clock.advance(WEEK_MS + 60_000);
    try {
      const later = await signedInAgent(t, world.me);
      const rows = rowsOf((await later.get('/engagement')).body);
      assert.ok(
        rows.some((r) => r.startsWith('Indigo | No particular service | 9 February 2026, 4 weeks ago')),
      );
      assert.equal(await statusOf(t, soon.id), 'active');
    } finally {
      t.clock.advance(-WEEK_MS - 60_000);
    }
  });
});
