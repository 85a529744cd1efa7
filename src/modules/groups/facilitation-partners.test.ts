import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listActivePartnerFacilitators } from '../accounts/index.ts';
import { lockFacilitators } from './groups.repo.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroup, buildSchedule, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildAgreement, buildOrganisation, buildService } from '../../testing/builders/organisations.ts';
import { waitsOnAdvisoryLock } from '../../testing/lock-waits.ts';
import { signedInAgent, startTestApp, type TestApp } from '../../testing/test-app.ts';

/**
 * Partner facilitators: a charity's SUN group co-facilitated by an NHS trust's clinician, under an
 * information-sharing agreement that covers the service the two run together. The test clock starts
 * on Monday 2 March 2026 at 10:00 UK time (GMT).
 */

async function buildCast(t: TestApp) {
  const charity = await buildOrganisation(t.db, { name: 'Medway Peer Charity' });
  const trust = await buildOrganisation(t.db, { name: 'Kent Community Trust' });
  const unrelated = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  const sun = await buildService(t.db, [trust.id, charity.id], { name: 'SUN Medway' });
  const charityOnly = await buildService(t.db, [charity.id], { name: 'Charity befriending' });
  await buildService(t.db, [unrelated.id, charity.id], { name: 'Unrelated service' });
  await buildAgreement(t.db, [
    { organisationId: charity.id, categories: ['contacts_and_sessions'] },
    { organisationId: trust.id, categories: ['contacts_and_sessions'] },
  ]);
  // The unrelated trust shares referrals only: nothing that would let its staff see a register.
  await buildAgreement(t.db, [
    { organisationId: charity.id, categories: ['referrals'] },
    { organisationId: unrelated.id, categories: ['referrals'] },
  ]);
  const staff = (organisationId: string, roles: Parameters<typeof buildStaff>[1], fullName: string) =>
    buildStaff(t.db, { organisationId, roles: roles?.roles, fullName });
  const trustClinician = await staff(trust.id, { roles: ['clinical_facilitator'] }, 'Dana Clinician');
  const trustLivedExperience = await staff(trust.id, { roles: ['peer_support_worker'] }, 'Tess Trustpeer');
  const unrelatedClinician = await staff(unrelated.id, { roles: ['clinical_facilitator'] }, 'Uma Elsewhere');
  const charityLivedExperience = await staff(
    charity.id,
    { roles: ['lived_experience_practitioner'] },
    'Lee Lived',
  );
  const charityVenue = await buildVenue(t.db, { organisationId: charity.id, name: 'Riverside Centre' });
  const trustVenue = await buildVenue(t.db, { organisationId: trust.id, name: 'Trust Base' });
  const charityGroup = await buildGroup(t.db, charity.id, {
    name: 'Charity SUN',
    serviceId: sun.id,
    defaultRoomId: charityVenue.roomId,
  });
  const trustGroup = await buildGroup(t.db, trust.id, {
    name: 'Trust SUN',
    serviceId: sun.id,
    defaultRoomId: trustVenue.roomId,
  });
  return {
    charity,
    trust,
    unrelated,
    sun,
    charityOnly,
    trustClinician,
    trustLivedExperience,
    unrelatedClinician,
    charityLivedExperience,
    charityVenue,
    trustVenue,
    charityGroup,
    trustGroup,
    charityManager: await signedInAgent(
      t,
      await staff(charity.id, { roles: ['service_manager'] }, 'Morgan Charity'),
    ),
    trustManager: await signedInAgent(t, await staff(trust.id, { roles: ['service_manager'] }, 'Pat Trust')),
    clinician: await signedInAgent(t, trustClinician),
  };
}

type Cast = Awaited<ReturnType<typeof buildCast>>;

const oneOff = (roomId: string, start: string, end: string, people: [string, string][]) => ({
  'date-day': '3',
  'date-month': '3',
  'date-year': '2026',
  startTime: start,
  endTime: end,
  roomId,
  ...Object.fromEntries(
    people.flatMap(([staffId, role], index) => [
      [`facilitator${index + 1}`, staffId],
      [`role${index + 1}`, role],
    ]),
  ),
});

const facilitatorsOf = async (t: TestApp, groupId: string) =>
  t.db
    .selectFrom('group_session_facilitators as f')
    .innerJoin('group_sessions as gs', 'gs.id', 'f.session_id')
    .select(['f.staff_id as staffId', 'f.session_role as role'])
    .where('gs.group_id', '=', groupId)
    .orderBy('f.session_role')
    .execute();

describe('who counts as a partner facilitator', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  const names = async (scope: { organisationId: string; serviceId: string; today: string }) =>
    (await listActivePartnerFacilitators(t.db, scope)).map((s) => `${s.fullName}, ${s.organisationName}`);

  it('offers the active staff of a partner that delivers the service under an agreement in force granting contacts and sessions', async () => {
    const today = '2026-03-02';
    assert.deepEqual(await names({ organisationId: cast.charity.id, serviceId: cast.sun.id, today }), [
      'Dana Clinician, Kent Community Trust',
      'Pat Trust, Kent Community Trust',
      'Tess Trustpeer, Kent Community Trust',
    ]);
    // The other way round: the trust's groups may have the charity's staff.
    assert.ok(
      (await names({ organisationId: cast.trust.id, serviceId: cast.sun.id, today })).includes(
        'Lee Lived, Medway Peer Charity',
      ),
    );
    // Not for a service the partner does not deliver, and not a partner sharing referrals only.
    assert.deepEqual(
      await names({ organisationId: cast.charity.id, serviceId: cast.charityOnly.id, today }),
      [],
    );
    const unrelatedService = await t.db
      .selectFrom('services')
      .select('id')
      .where('name', '=', 'Unrelated service')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      await names({ organisationId: cast.charity.id, serviceId: unrelatedService.id, today }),
      [],
    );
    // Not before the agreement starts (it runs from 1 January 2026).
    assert.deepEqual(
      await names({ organisationId: cast.charity.id, serviceId: cast.sun.id, today: '2025-12-31' }),
      [],
    );
  });

  it('stops offering them the day after the agreement ends, and never a closed account', async () => {
    await t.db
      .updateTable('sharing_agreements')
      .set({ ends_on: '2026-03-31' })
      .where('name', 'like', 'Test Agreement%')
      .execute();
    await t.db
      .updateTable('staff')
      .set({ status: 'deactivated' })
      .where('id', '=', cast.trustLivedExperience.id)
      .execute();
    const scope = { organisationId: cast.charity.id, serviceId: cast.sun.id };
    assert.deepEqual(await names({ ...scope, today: '2026-03-31' }), [
      'Dana Clinician, Kent Community Trust',
      'Pat Trust, Kent Community Trust',
    ]);
    assert.deepEqual(await names({ ...scope, today: '2026-04-01' }), []);
  });
});

describe('a trust clinician co-facilitating a charity SUN group', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  it("shows partner staff with their organisation's name on the session and schedule forms, but no one else's", async () => {
    for (const url of [
      `/groups/${cast.charityGroup.id}/sessions/new`,
      `/groups/${cast.charityGroup.id}/schedules/new`,
    ]) {
      const form = await cast.charityManager.get(url);
      assert.equal(form.status, 200);
      assert.match(form.body, /Dana Clinician, Kent Community Trust \(Clinical facilitator\)/);
      assert.match(form.body, /Lee Lived \(Lived experience practitioner\)/);
      assert.doesNotMatch(form.body, /Uma Elsewhere/);
    }
    // A group with no service is the charity's alone.
    const ownGroup = await buildGroup(t.db, cast.charity.id, {
      name: 'No service',
      defaultRoomId: cast.charityVenue.roomId,
    });
    const plain = await cast.charityManager.get(`/groups/${ownGroup.id}/sessions/new`);
    assert.doesNotMatch(plain.body, /Dana Clinician/);
  });

  it('schedules the charity group with the trust clinician, refuses someone not offered, and the clinician cannot then be booked by a trust group at an overlapping time', async () => {
    const refused = await cast.charityManager.post(
      `/groups/${cast.charityGroup.id}/sessions`,
      oneOff(cast.charityVenue.roomId, '10:00', '12:00', [
        [cast.unrelatedClinician.id, 'clinical'],
        [cast.charityLivedExperience.id, 'lived_experience'],
      ]),
    );
    assert.equal(refused.status, 400);
    assert.match(refused.body, /Select a facilitator from the list/);
    assert.deepEqual(await facilitatorsOf(t, cast.charityGroup.id), []);

    const booked = await cast.charityManager.post(
      `/groups/${cast.charityGroup.id}/sessions`,
      oneOff(cast.charityVenue.roomId, '10:00', '12:00', [
        [cast.trustClinician.id, 'clinical'],
        [cast.charityLivedExperience.id, 'lived_experience'],
      ]),
    );
    assert.equal(booked.status, 303);
    assert.deepEqual(await facilitatorsOf(t, cast.charityGroup.id), [
      { staffId: cast.trustClinician.id, role: 'clinical' },
      { staffId: cast.charityLivedExperience.id, role: 'lived_experience' },
    ]);

    const clash = await cast.trustManager.post(
      `/groups/${cast.trustGroup.id}/sessions`,
      oneOff(cast.trustVenue.roomId, '10:30', '11:30', [
        [cast.trustClinician.id, 'clinical'],
        [cast.trustLivedExperience.id, 'lived_experience'],
      ]),
    );
    assert.equal(clash.status, 400);
    assert.match(clash.body, /Dana Clinician is already facilitating another session at that time/);
    assert.deepEqual(await facilitatorsOf(t, cast.trustGroup.id), []);
    // Once the charity's session is over, the trust can book them that afternoon.
    const afternoon = await cast.trustManager.post(
      `/groups/${cast.trustGroup.id}/sessions`,
      oneOff(cast.trustVenue.roomId, '12:00', '13:00', [
        [cast.trustClinician.id, 'clinical'],
        [cast.trustLivedExperience.id, 'lived_experience'],
      ]),
    );
    assert.equal(afternoon.status, 303);
  });

  it("shows the clinician the charity's sessions they facilitate in their own month view, marked as the charity's, and nothing else of the charity's", async () => {
    // A charity schedule the clinician is not on, which they must not see.
    await buildSchedule(t.db, {
      groupId: cast.charityGroup.id,
      startsOn: '2026-03-05',
      weekday: 'TH',
      sessions: 2,
      roomId: cast.charityVenue.roomId,
      facilitators: [{ staffId: cast.charityLivedExperience.id, sessionRole: 'lived_experience' }],
    });
    const month = await cast.clinician.get('/groups/calendar?month=2026-03');
    assert.equal(month.status, 200);
    assert.match(month.body, /Charity SUN/);
    assert.match(month.body, /Run by Medway Peer Charity, with you as a facilitator/);
    assert.match(month.body, /Trust SUN/);
    assert.equal(
      (month.body.match(/<strong>Charity SUN<\/strong>/g) ?? []).length,
      1,
      'only the session they facilitate',
    );
    assert.doesNotMatch(month.body, new RegExp(`href="/groups/${cast.charityGroup.id}"`));
    // What they do at the session is theirs: its register and note, from the month view.
    const register =
      /href="(\/groups\/[0-9a-f-]+\/sessions\/[0-9a-f-]+\/register)"/.exec(month.body)?.[1] ?? '';
    assert.ok(register.startsWith(`/groups/${cast.charityGroup.id}/`));
    assert.equal((await cast.clinician.get(register)).status, 200);
    assert.equal((await cast.clinician.get(register.replace(/register$/, 'note'))).status, 200);
    assert.match(month.body, /2 sessions this month/);
    // The charity's group page and its needing-attention list stay the charity's.
    assert.equal((await cast.clinician.get(`/groups/${cast.charityGroup.id}`)).status, 404);
    assert.doesNotMatch((await cast.clinician.get('/groups/attention')).body, /Charity SUN/);
    // The charity's own month view is unchanged: its sessions, with links, and not the trust's.
    const charityMonth = await cast.charityManager.get('/groups/calendar?month=2026-03');
    assert.match(charityMonth.body, new RegExp(`href="/groups/${cast.charityGroup.id}"`));
    assert.doesNotMatch(charityMonth.body, /Trust SUN/);
  });

  it('makes the trust wait while the charity is booking the same clinician, then shows the clash rather than booking them twice', async () => {
    const trustForm = oneOff(cast.trustVenue.roomId, '15:30', '16:30', [
      [cast.trustClinician.id, 'clinical'],
      [cast.trustLivedExperience.id, 'lived_experience'],
    ]);
    let answer: Promise<{ status: number; body: string }> | undefined;
    // The charity's scheduling, part way through: it holds the clinician and has written the session.
    await t.db.transaction().execute(async (tx) => {
      await lockFacilitators(tx, [cast.trustClinician.id]);
      await buildSession(tx, {
        groupId: cast.charityGroup.id,
        startsAt: new Date('2026-03-03T15:00:00Z'),
        endsAt: new Date('2026-03-03T16:00:00Z'),
        roomId: cast.charityVenue.roomId,
        facilitators: [{ staffId: cast.trustClinician.id, sessionRole: 'clinical' }],
      });
      const posting = cast.trustManager.post(`/groups/${cast.trustGroup.id}/sessions`, trustForm);
      answer = posting;
      assert.ok(await waitsOnAdvisoryLock(t.db, posting), 'the trust waits for the charity');
    });
    const response = await answer!;
    assert.equal(response.status, 400);
    assert.match(response.body, /Dana Clinician is already facilitating another session at that time/);
    const trustSessions = await t.db
      .selectFrom('group_sessions')
      .select('id')
      .where('group_id', '=', cast.trustGroup.id)
      .where('starts_at', '=', new Date('2026-03-03T15:30:00Z'))
      .execute();
    assert.equal(trustSessions.length, 0);
  });
});

describe("when the partnership's agreement ends", () => {
  let t: TestApp;
  let cast: Cast;
  let register = '';
  let feed = '';
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://support.example.org' } });
    cast = await buildCast(t);
    const sessionId = await buildSession(t.db, {
      groupId: cast.charityGroup.id,
      startsAt: new Date('2026-03-03T10:00:00Z'),
      endsAt: new Date('2026-03-03T12:00:00Z'),
      roomId: cast.charityVenue.roomId,
      facilitators: [
        { staffId: cast.trustClinician.id, sessionRole: 'clinical' },
        { staffId: cast.charityLivedExperience.id, sessionRole: 'lived_experience' },
      ],
    });
    register = `/groups/${cast.charityGroup.id}/sessions/${sessionId}/register`;
    const made = await cast.clinician.post('/calendar-feed', {});
    feed =
      /https:\/\/support\.example\.org(\/calendars\/staff\/[A-Za-z0-9_-]{43}\.ics)/.exec(made.body)?.[1] ??
      '';
    assert.ok(feed, 'the clinician has a calendar feed');
  });
  after(() => t.close());

  const endAgreementOn = (day: string) =>
    t.db
      .updateTable('sharing_agreements')
      .set({ ends_on: day })
      .where('name', 'like', 'Test Agreement%')
      .execute();
  const feedText = async () => (await t.app.inject({ method: 'GET', url: feed })).body;
  const attention = async () => (await cast.charityManager.get('/groups/attention')).body;
  const FLAG =
    'Dana Clinician can no longer facilitate: no sharing agreement with Kent Community Trust covers this session';

  it('flags the session ahead when the agreement will have ended by its day, while the clinician still runs it today', async () => {
    assert.doesNotMatch(await attention(), /Dana Clinician can no longer facilitate/);
    await endAgreementOn('2026-03-02');
    const list = await attention();
    assert.ok(list.includes(FLAG), 'the charity is told the session has lost its clinical facilitator');
    assert.match(list, /Needs a clinical facilitator/);
    assert.equal((await cast.clinician.get(register)).status, 200, 'the agreement is in force today');
    assert.match(await feedText(), /Charity SUN/);
  });

  it("takes the session's register, note, month view entry and calendar event away from the clinician once it has ended", async () => {
    await endAgreementOn('2026-03-01');
    assert.equal((await cast.clinician.get(register)).status, 404);
    assert.equal((await cast.clinician.get(register.replace(/register$/, 'note'))).status, 404);
    assert.doesNotMatch((await cast.clinician.get('/groups/calendar?month=2026-03')).body, /Charity SUN/);
    assert.doesNotMatch(await feedText(), /Charity SUN/);
    // The charity's own facilitator still runs it, and the charity still sees what needs doing.
    const lived = await signedInAgent(t, cast.charityLivedExperience);
    assert.equal((await lived.get(register)).status, 200);
    assert.ok((await attention()).includes(FLAG));
  });
});
