import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroupsCast } from '../../testing/builders/groups-cast.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { signedInAgent, startTestApp, type TestApp } from '../../testing/test-app.ts';

type Cast = Awaited<ReturnType<typeof buildGroupsCast>>;

const weekly = (cast: Cast, roomId: string) => ({
  'startsOn-day': '3',
  'startsOn-month': '3',
  'startsOn-year': '2026',
  weekdays: 'TU',
  everyWeeks: '1',
  endsAfter: 'sessions',
  sessions: '6',
  startTime: '10:00',
  endTime: '12:00',
  roomId,
  facilitator1: cast.clinician.id,
  role1: 'clinical',
  facilitator2: cast.livedExperience.id,
  role2: 'lived_experience',
});

const countSessions = async (t: TestApp, groupId: string) =>
  (await t.db.selectFrom('group_sessions').select('id').where('group_id', '=', groupId).execute()).length;

describe('who may use the schedule, month view, change and out-of-hours pages', () => {
  let t: TestApp;
  let cast: Cast;
  let groupId: string;
  let sessionId: string;
  let scheduleId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
    const venue = await buildVenue(t.db, { organisationId: cast.own.id, name: 'Riverside Centre' });
    groupId = (await buildGroup(t.db, cast.own.id, { name: 'Tuesday SUN', defaultRoomId: venue.roomId })).id;
    const made = await cast.manager.post(`/groups/${groupId}/schedules`, weekly(cast, venue.roomId));
    assert.equal(made.status, 303);
    scheduleId = String(made.headers.location).split('/').at(-1)!;
    sessionId = await buildSession(t.db, {
      groupId,
      startsAt: new Date('2026-03-05T10:00:00Z'),
      endsAt: new Date('2026-03-05T12:00:00Z'),
      roomId: venue.roomId,
    });
  });
  after(() => t.close());

  const recordPages = (g: string, s: string, sc: string, service: string): Page[] => [
    ['GET', `/groups/${g}/schedules/new`],
    ['POST', `/groups/${g}/schedules`],
    ['GET', `/groups/${g}/schedules/${sc}`],
    ['GET', `/groups/${g}/schedules/${sc}/end`],
    ['POST', `/groups/${g}/schedules/${sc}/end`],
    ['GET', `/groups/${g}/sessions/${s}/change`],
    ['POST', `/groups/${g}/sessions/${s}/change`],
    ['POST', `/groups/${g}/sessions/${s}/facilitators/${MISSING_ID}/remove`],
    ['GET', `/groups/out-of-hours/${service}`],
    ['POST', `/groups/out-of-hours/${service}`],
  ];
  const listPages: Page[] = [
    ['GET', '/groups/calendar'],
    ['GET', '/groups/attention'],
    ['GET', '/groups/out-of-hours'],
  ];
  const FORM = { reason: 'Anything', version: '1' };

  const unchanged = async () => {
    assert.equal(await countSessions(t, groupId), 7);
    const schedule = await t.db
      .selectFrom('group_schedules')
      .select(['status', 'version'])
      .executeTakeFirstOrThrow();
    assert.deepEqual(schedule, { status: 'active', version: 1 });
    assert.equal((await t.db.selectFrom('service_out_of_hours').select('service_id').execute()).length, 0);
  };

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(t.agent(), [
      ...listPages,
      ...recordPages(groupId, sessionId, scheduleId, cast.service.id),
    ]);
    await unchanged();
  });

  it('refuses a commissioner every page with 403', async () => {
    await assertEachForbidden(
      cast.commissioner,
      [...listPages, ...recordPages(groupId, sessionId, scheduleId, cast.service.id)],
      FORM,
    );
    await unchanged();
  });

  it('lets a peer worker see the month view, the attention list and a schedule, but change nothing (403)', async () => {
    for (const url of [
      '/groups/calendar?month=2026-03',
      '/groups/attention',
      `/groups/${groupId}/schedules/${scheduleId}`,
    ]) {
      assert.equal((await cast.peer.get(url)).status, 200, url);
    }
    const managing = recordPages(groupId, sessionId, scheduleId, cast.service.id).filter(
      ([method, url]) => method === 'POST' || /\/(new|change|end)$|out-of-hours/.test(url),
    );
    await assertEachForbidden(cast.peer, [...managing, ['GET', '/groups/out-of-hours']], FORM);
    // A senior peer support worker organises groups but does not set out-of-hours.
    assert.equal((await cast.senior.get('/groups/out-of-hours')).status, 403);
    assert.equal((await cast.senior.get(`/groups/${groupId}/schedules/new`)).status, 200);
    await unchanged();
  });

  it('answers another organisation with 404, exactly as for a record that does not exist', async () => {
    const mine = recordPages(groupId, sessionId, scheduleId, cast.service.id);
    const missing = recordPages(MISSING_ID, MISSING_ID, MISSING_ID, MISSING_ID);
    for (const [index, [method, url]] of mine.entries()) {
      const other = await send(cast.stranger, method, url, FORM);
      const absent = await send(cast.stranger, method, missing[index]![1], FORM);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(absent.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(absent.body));
    }
    const month = await cast.stranger.get('/groups/calendar?month=2026-03');
    assert.equal(month.status, 200);
    assert.doesNotMatch(month.body, /Tuesday SUN/);
    assert.match(month.body, /No sessions this month/);
    assert.doesNotMatch((await cast.stranger.get('/groups/attention')).body, /Tuesday SUN/);
    assert.equal((await cast.manager.get('/groups/calendar?month=2026-13')).status, 404);
    assert.equal((await cast.manager.get('/groups/calendar?month=tuesday')).status, 404);
    await unchanged();
  });
});

describe('setting up and ending a weekly schedule', () => {
  let t: TestApp;
  let cast: Cast;
  let venue: Awaited<ReturnType<typeof buildVenue>>;
  let groupId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
    venue = await buildVenue(t.db, {
      organisationId: cast.own.id,
      name: 'Riverside Centre',
      roomName: 'Main hall',
    });
    groupId = (await buildGroup(t.db, cast.own.id, { name: 'Tuesday SUN', defaultRoomId: venue.roomId })).id;
  });
  after(() => t.close());

  it('makes every session at 10:00 UK time across the clocks going forward, with its facilitators, and audits it', async () => {
    const form = await cast.manager.get(`/groups/${groupId}/schedules/new`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Set up a weekly schedule<\/h1>/);
    const made = await cast.manager.post(`/groups/${groupId}/schedules`, weekly(cast, venue.roomId));
    assert.equal(made.status, 303);
    const scheduleId = String(made.headers.location).split('/').at(-1)!;
    const schedule = await t.db
      .selectFrom('group_schedules')
      .selectAll()
      .where('id', '=', scheduleId)
      .executeTakeFirstOrThrow();
    assert.equal(
      schedule.rrule,
      'DTSTART;TZID=Europe/London:20260303T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=6',
    );
    assert.equal(schedule.start_time, '10:00:00');
    assert.equal(schedule.materialised_until, '2026-04-07');
    const sessions = await t.db
      .selectFrom('group_sessions')
      .select(['id', 'starts_at', 'schedule_id', 'room_id'])
      .where('group_id', '=', groupId)
      .orderBy('starts_at')
      .execute();
    assert.deepEqual(
      sessions.map((s) => s.starts_at.toISOString()),
      [
        '2026-03-03T10:00:00.000Z',
        '2026-03-10T10:00:00.000Z',
        '2026-03-17T10:00:00.000Z',
        '2026-03-24T10:00:00.000Z',
        '2026-03-31T09:00:00.000Z',
        '2026-04-07T09:00:00.000Z',
      ],
    );
    assert.ok(sessions.every((s) => s.schedule_id === scheduleId && s.room_id === venue.roomId));
    const facilitators = await t.db
      .selectFrom('group_session_facilitators')
      .select('session_id')
      .where(
        'session_id',
        'in',
        sessions.map((s) => s.id),
      )
      .execute();
    assert.equal(facilitators.length, 12);
    const audit = await auditRows(t, scheduleId);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id, a.details]),
      [['schedule.set_up', cast.managerStaff.id, { groupId, sessions: 6, facilitators: 2 }]],
    );
    const page = await cast.peer.get(`/groups/${groupId}/schedules/${scheduleId}`);
    assert.match(page.body, /Every Tuesday, 6 sessions/);
    assert.match(page.body, /10:00 to 12:00, UK time/);
    const group = await cast.peer.get(`/groups/${groupId}`);
    assert.match(group.body, /Tuesday 31 March 2026, 10:00 to 12:00/);
  });

  it('refuses a schedule where any date clashes, saying which dates and with what, and makes nothing', async () => {
    const other = await buildGroup(t.db, cast.own.id, {
      name: 'Thursday peer group',
      type: 'peer_support_group',
      mode: 'online',
    });
    await buildSession(t.db, {
      groupId: other.id,
      startsAt: new Date('2026-05-14T10:30:00+01:00'),
      endsAt: new Date('2026-05-14T11:30:00+01:00'),
      facilitators: [{ staffId: cast.livedExperience.id, sessionRole: 'lived_experience' }],
    });
    const before = await countSessions(t, groupId);
    const clash = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, venue.roomId),
      'startsOn-day': '12',
      'startsOn-month': '5',
      weekdays: ['TU', 'TH'],
      sessions: '4',
    });
    assert.equal(clash.status, 400);
    assert.match(
      clash.body,
      /<a href="#clash-0">Thursday 14 May 2026: Lee Lived is already facilitating Thursday peer group \(10:30 to 11:30\)<\/a>/,
    );
    assert.match(clash.body, /id="clash-0"/);
    assert.match(clash.body, /value="TH" checked/);
    assert.match(clash.body, /name="sessions"[^>]*value="4"/);
    assert.equal(await countSessions(t, groupId), before);
    // The room is booked too, by the first schedule, on 7 April.
    const roomClash = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, venue.roomId),
      'startsOn-day': '7',
      'startsOn-month': '4',
      facilitator1: (await buildStaff(t.db, { organisationId: cast.own.id, roles: ['clinical_facilitator'] }))
        .id,
      facilitator2: cast.peerStaff.id,
      sessions: '1',
    });
    assert.match(
      roomClash.body,
      /Tuesday 7 April 2026: the room is already booked for Tuesday SUN \(10:00 to 12:00\)/,
    );
    assert.equal(await countSessions(t, groupId), before);
  });

  it('refuses missing days, an end before the start, a schedule over 26 weeks, a first day past and a small room', async () => {
    const before = await countSessions(t, groupId);
    const empty = await cast.manager.post(`/groups/${groupId}/schedules`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#startsOn-day">Enter the first day<\/a>/);
    assert.match(empty.body, /<a href="#weekdays">Select the days the group meets<\/a>/);
    assert.match(empty.body, /<a href="#startTime">Enter the start time<\/a>/);
    const wrong = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, venue.roomId),
      endsAfter: 'until',
      'until-day': '1',
      'until-month': '3',
      'until-year': '2026',
      endTime: '9:00',
    });
    assert.match(
      wrong.body,
      /<a href="#until-day">The last day must be the same as or after the first day<\/a>/,
    );
    assert.match(wrong.body, /<a href="#endTime">The end time must be after the start time<\/a>/);
    const long = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, venue.roomId),
      'startsOn-month': '9',
      endsAfter: 'until',
      'until-day': '1',
      'until-month': '6',
      'until-year': '2027',
    });
    assert.match(
      long.body,
      /A schedule can run for up to 26 weeks: set up another one to carry on after that/,
    );
    const past = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, venue.roomId),
      'startsOn-day': '1',
    });
    assert.match(past.body, /<a href="#startsOn-day">The first day must be today or in the future<\/a>/);
    const cupboard = await buildVenue(t.db, {
      organisationId: cast.own.id,
      roomName: 'Quiet room',
      capacity: 4,
    });
    const small = await cast.manager.post(`/groups/${groupId}/schedules`, {
      ...weekly(cast, cupboard.roomId),
      'startsOn-month': '9',
    });
    assert.match(
      small.body,
      /<a href="#roomId">Quiet room holds 4 people, fewer than the 10 the group can take: choose a bigger room, or change the group&#39;s capacity<\/a>/,
    );
    assert.equal(await countSessions(t, groupId), before);
  });

  it('ends a schedule early, cancelling its sessions not yet held with the reason, and refuses a stale save', async () => {
    const drop = await buildGroup(t.db, cast.own.id, {
      name: 'Online drop-in',
      type: 'drop_in',
      mode: 'online',
    });
    const made = await cast.manager.post(`/groups/${drop.id}/schedules`, {
      'startsOn-day': '2',
      'startsOn-month': '3',
      'startsOn-year': '2026',
      weekdays: ['MO', 'FR'],
      everyWeeks: '2',
      endsAfter: 'sessions',
      sessions: '4',
      startTime: '18:00',
      endTime: '19:00',
      facilitator1: cast.peerStaff.id,
      role1: 'peer_worker',
    });
    assert.equal(made.status, 303);
    const path = String(made.headers.location);
    const scheduleId = path.split('/').at(-1)!;
    // Today 18:00, Friday, then a fortnight on. No link yet: each session is a task.
    const attention = await cast.peer.get('/groups/attention');
    assert.match(attention.body, /Tasks: set up the group link/);
    assert.equal((attention.body.match(/Set up the group link<\/li>/g) ?? []).length, 4);
    t.clock.advance(9 * 86_400_000); // Wednesday 11 March: two sessions held.
    const manager = await signedInAgent(t, cast.managerStaff);
    const form = await manager.get(`${path}/end`);
    assert.match(form.body, /The 2 sessions still to come will be cancelled/);
    const empty = await manager.post(`${path}/end`, { reason: '', version: '1' });
    assert.match(empty.body, /<a href="#reason">Enter why the schedule is ending<\/a>/);
    const ended = await manager.post(`${path}/end`, {
      reason: 'The drop-in moves to the hub',
      version: '1',
    });
    assert.equal(ended.status, 303);
    const sessions = await t.db
      .selectFrom('group_sessions')
      .select(['starts_at', 'status', 'cancel_reason'])
      .where('schedule_id', '=', scheduleId)
      .orderBy('starts_at')
      .execute();
    assert.deepEqual(
      sessions.map((s) => [s.status, s.cancel_reason]),
      [
        ['scheduled', null],
        ['scheduled', null],
        ['cancelled', 'The drop-in moves to the hub'],
        ['cancelled', 'The drop-in moves to the hub'],
      ],
    );
    const audit = (await auditRows(t, scheduleId)).at(-1);
    assert.equal(audit?.action, 'schedule.ended');
    assert.deepEqual(audit?.details, { groupId: drop.id, sessionsCancelled: 2 });
    const stale = await manager.post(`${path}/end`, { reason: 'Again', version: '1' });
    assert.equal(stale.status, 409);
    assert.match((await manager.get(path)).body, /This schedule has ended: The drop-in moves to the hub/);
  });
});

describe('the month view, changing a session, staffing that falls through and out of hours', () => {
  let t: TestApp;
  let cast: Cast;
  let venue: Awaited<ReturnType<typeof buildVenue>>;
  let groupId: string;
  let sessionId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
    venue = await buildVenue(t.db, {
      organisationId: cast.own.id,
      name: 'Riverside Centre',
      roomName: 'Main hall',
    });
    groupId = (
      await buildGroup(t.db, cast.own.id, {
        name: 'Tuesday SUN',
        defaultRoomId: venue.roomId,
        serviceId: cast.service.id,
      })
    ).id;
    sessionId = await buildSession(t.db, {
      groupId,
      startsAt: new Date('2026-03-10T10:00:00Z'),
      endsAt: new Date('2026-03-10T12:00:00Z'),
      roomId: venue.roomId,
      facilitators: [
        { staffId: cast.clinician.id, sessionRole: 'clinical' },
        { staffId: cast.livedExperience.id, sessionRole: 'lived_experience' },
      ],
    });
    const evening = await buildGroup(t.db, cast.own.id, {
      name: 'Evening carers',
      type: 'carers_group',
      mode: 'online',
      serviceId: cast.service.id,
    });
    await buildSession(t.db, {
      groupId: evening.id,
      startsAt: new Date('2026-03-12T18:00:00Z'),
      endsAt: new Date('2026-03-12T19:30:00Z'),
      onlineLink: 'https://meet.example.org/carers',
      facilitators: [{ staffId: cast.peerStaff.id, sessionRole: 'facilitator' }],
    });
  });
  after(() => t.close());

  it('shows the month by day, with previous and next months, and marks the evening session out of hours', async () => {
    const page = await cast.peer.get('/groups/calendar?month=2026-03');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>March 2026<\/h1>/);
    assert.match(page.body, /<h2[^>]*id="day-2026-03-10">Tuesday 10 March<\/h2>/);
    assert.match(page.body, /Tuesday SUN<\/a><\/strong>· 10:00 to 12:00/);
    assert.match(page.body, /Riverside Centre: Main hall/);
    assert.match(
      page.body,
      /Dana Clinician \(clinical facilitator\), Lee Lived \(lived experience facilitator\)/,
    );
    assert.match(
      page.body,
      /Evening carers<\/a><\/strong>· 18:00 to 19:30<strong class="nhsuk-tag nhsuk-tag--blue">Out of hours/,
    );
    assert.match(page.body, /href="\/groups\/calendar\?month=2026-02"/);
    assert.match(page.body, /href="\/groups\/calendar\?month=2026-04"/);
    assert.doesNotMatch(page.body, /Needs attention/);
    const december = await cast.peer.get('/groups/calendar?month=2026-12');
    assert.match(december.body, /href="\/groups\/calendar\?month=2027-01"/);
    assert.match((await cast.peer.get('/groups/calendar')).body, /<h1[^>]*>March 2026<\/h1>/);
  });

  it('follows the service’s own out-of-hours settings once a service manager sets them, refusing a stale save', async () => {
    const list = await cast.manager.get('/groups/out-of-hours');
    assert.match(list.body, /SUN Medway/);
    assert.match(list.body, /Weekdays from 17:00, Saturdays, Sundays and bank holidays/);
    const form = await cast.manager.get(`/groups/out-of-hours/${cast.service.id}`);
    assert.match(form.body, /name="eveningsFrom"[^>]*value="17:00"/);
    const bad = await cast.manager.post(`/groups/out-of-hours/${cast.service.id}`, {
      eveningsFrom: 'teatime',
      version: '0',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<a href="#eveningsFrom">Enter a time like 17:00 or 5pm, or leave it empty<\/a>/);
    const saved = await cast.manager.post(`/groups/out-of-hours/${cast.service.id}`, {
      eveningsFrom: '7pm',
      days: 'saturdays',
      version: '0',
    });
    assert.equal(saved.status, 303);
    assert.match((await cast.manager.get('/groups/out-of-hours')).body, /Weekdays from 19:00 and Saturdays/);
    const page = await cast.peer.get('/groups/calendar?month=2026-03');
    assert.doesNotMatch(page.body, /Out of hours/);
    const stale = await cast.manager.post(`/groups/out-of-hours/${cast.service.id}`, {
      eveningsFrom: '',
      version: '0',
    });
    assert.equal(stale.status, 409);
    const audit = (await auditRows(t, cast.service.id)).at(-1);
    assert.equal(audit?.action, 'out_of_hours.changed');
  });

  it('flags a session when a facilitator’s account is closed, on the group page, the month view and the list', async () => {
    await t.db
      .updateTable('staff')
      .set({ status: 'deactivated' })
      .where('id', '=', cast.livedExperience.id)
      .execute();
    for (const url of [`/groups/${groupId}`, '/groups/calendar?month=2026-03', '/groups/attention']) {
      const page = await cast.peer.get(url);
      assert.match(page.body, /Needs attention/, url);
      assert.match(page.body, /<li>Lee Lived can no longer facilitate: their account is closed<\/li>/, url);
      assert.match(page.body, /<li>Needs a lived experience facilitator<\/li>/, url);
    }
    await t.db
      .updateTable('staff')
      .set({ status: 'active' })
      .where('id', '=', cast.livedExperience.id)
      .execute();
    assert.doesNotMatch((await cast.peer.get('/groups/attention')).body, /Needs a lived experience/);
  });

  it('changes one session’s time and room with the same checks, refusing a stale save with 409', async () => {
    const path = `/groups/${groupId}/sessions/${sessionId}/change`;
    const form = await cast.manager.get(path);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="startTime"[^>]*value="10:00"/);
    assert.match(form.body, /name="date-day"[^>]*value="10"/);
    assert.match(form.body, new RegExp(`<option value="${cast.clinician.id}" selected>`));
    const change = {
      'date-day': '10',
      'date-month': '3',
      'date-year': '2026',
      startTime: '13:00',
      endTime: '15:00',
      roomId: venue.roomId,
      facilitator1: cast.clinician.id,
      role1: 'clinical',
      facilitator2: cast.livedExperience.id,
      role2: 'lived_experience',
      version: '1',
    };
    const short = await cast.manager.post(path, { ...change, facilitator2: '', role2: '' });
    assert.equal(short.status, 400);
    assert.match(
      short.body,
      /A SUN group needs a lived experience facilitator as well as the clinical facilitator/,
    );
    assert.match(short.body, /name="startTime"[^>]*value="13:00"/);
    // Its own old time is not a clash with itself.
    const saved = await cast.manager.post(path, change);
    assert.equal(saved.status, 303);
    const row = await t.db
      .selectFrom('group_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    assert.equal(row.starts_at.toISOString(), '2026-03-10T13:00:00.000Z');
    assert.equal(row.version, 2);
    const audit = (await auditRows(t, sessionId)).at(-1);
    assert.deepEqual([audit?.action, audit?.details], ['session.changed', { groupId, fields: ['time'] }]);
    const stale = await cast.manager.post(path, { ...change, startTime: '14:00', endTime: '16:00' });
    assert.equal(stale.status, 409);
    const after = await t.db
      .selectFrom('group_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    assert.equal(after.starts_at.toISOString(), '2026-03-10T13:00:00.000Z');
    // Another session in the same room at the new time clashes.
    const other = await buildSession(t.db, {
      groupId,
      startsAt: new Date('2026-03-17T10:00:00Z'),
      endsAt: new Date('2026-03-17T12:00:00Z'),
      roomId: venue.roomId,
    });
    const clash = await cast.manager.post(`/groups/${groupId}/sessions/${other}/change`, {
      ...change,
      facilitator1: '',
      role1: '',
      facilitator2: cast.peerStaff.id,
      role2: 'lived_experience',
    });
    assert.match(
      clash.body,
      /<a href="#roomId">The room is already booked for another session at that time<\/a>/,
    );
  });

  it('takes a facilitator off a session, which then needs a lived experience facilitator', async () => {
    const version = (
      await t.db
        .selectFrom('group_sessions')
        .select('version')
        .where('id', '=', sessionId)
        .executeTakeFirstOrThrow()
    ).version;
    const removed = await cast.manager.post(
      `/groups/${groupId}/sessions/${sessionId}/facilitators/${cast.livedExperience.id}/remove`,
      { version: String(version) },
    );
    assert.equal(removed.status, 303);
    const page = await cast.peer.get('/groups/attention');
    assert.match(page.body, /<li>Needs a lived experience facilitator<\/li>/);
    const audit = (await auditRows(t, sessionId)).at(-1);
    assert.equal(audit?.action, 'session.facilitator_removed');
    const again = await cast.manager.post(
      `/groups/${groupId}/sessions/${sessionId}/facilitators/${cast.livedExperience.id}/remove`,
      { version: String(version) },
    );
    assert.equal(again.status, 404);
  });
});
