import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroupsCast } from '../../testing/builders/groups-cast.ts';
import { buildGroup, buildRoom, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildService } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

/** The test clock starts on Monday 2 March 2026 at 10:00 UK time (GMT): this is the next Tuesday. */
const NEXT_TUESDAY = { 'date-day': '10', 'date-month': '3', 'date-year': '2026' };

const recordPages = (venueId: string, groupId: string, sessionId: string): Page[] => [
  ['GET', `/venues/${venueId}`],
  ['GET', `/venues/${venueId}/rooms/new`],
  ['POST', `/venues/${venueId}/rooms`],
  ['GET', `/groups/${groupId}`],
  ['GET', `/groups/${groupId}/change`],
  ['POST', `/groups/${groupId}/change`],
  ['GET', `/groups/${groupId}/sessions/new`],
  ['POST', `/groups/${groupId}/sessions`],
  ['GET', `/groups/${groupId}/sessions/${sessionId}/cancel`],
  ['POST', `/groups/${groupId}/sessions/${sessionId}/cancel`],
];

const listPages: Page[] = [
  ['GET', '/venues'],
  ['GET', '/venues/new'],
  ['POST', '/venues'],
  ['GET', '/groups'],
  ['GET', '/groups/new'],
  ['POST', '/groups'],
];

const FORM = {
  name: 'Anything',
  address: '1 High Street',
  postcode: 'ME4 4AA',
  capacity: '10',
  type: 'drop_in',
  mode: 'online',
  reason: 'Anything',
  version: '1',
  ...NEXT_TUESDAY,
  startTime: '10:00',
  endTime: '12:00',
};

describe('who may use the venue, group and session pages', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildGroupsCast>>;
  let venue: Awaited<ReturnType<typeof buildVenue>>;
  let groupId: string;
  let sessionId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
    venue = await buildVenue(t.db, { organisationId: cast.own.id, name: 'Riverside Centre' });
    groupId = (await buildGroup(t.db, cast.own.id, { name: 'Tuesday SUN', defaultRoomId: venue.roomId })).id;
    sessionId = await buildSession(t.db, {
      groupId,
      startsAt: new Date('2026-03-17T10:00:00Z'),
      endsAt: new Date('2026-03-17T12:00:00Z'),
      roomId: venue.roomId,
      facilitators: [
        { staffId: cast.clinician.id, sessionRole: 'clinical' },
        { staffId: cast.livedExperience.id, sessionRole: 'lived_experience' },
      ],
    });
  });
  after(() => t.close());

  const unchanged = async () => {
    const group = await t.db
      .selectFrom('group_programmes')
      .select(['version', 'name'])
      .where('id', '=', groupId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(group, { version: 1, name: 'Tuesday SUN' });
    const session = await t.db
      .selectFrom('group_sessions')
      .select(['status', 'version'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(session, { status: 'scheduled', version: 1 });
    const rooms = await t.db
      .selectFrom('venue_rooms')
      .select('id')
      .where('venue_id', '=', venue.id)
      .execute();
    assert.equal(rooms.length, 1);
    const venues = await t.db.selectFrom('venues').select('id').execute();
    assert.equal(venues.length, 1);
    const groups = await t.db.selectFrom('group_programmes').select('id').execute();
    assert.equal(groups.length, 1);
    const sessions = await t.db.selectFrom('group_sessions').select('id').execute();
    assert.equal(sessions.length, 1);
  };

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(t.agent(), [...listPages, ...recordPages(venue.id, groupId, sessionId)]);
    await unchanged();
  });

  it('refuses a commissioner every page with 403, and changes nothing', async () => {
    await assertEachForbidden(
      cast.commissioner,
      [...listPages, ...recordPages(venue.id, groupId, sessionId)],
      FORM,
    );
    await unchanged();
  });

  it('lets a peer worker see venues and groups, but not add, change or schedule (403)', async () => {
    for (const url of ['/venues', `/venues/${venue.id}`, '/groups', `/groups/${groupId}`]) {
      assert.equal((await cast.peer.get(url)).status, 200, url);
    }
    const page = await cast.peer.get(`/groups/${groupId}`);
    assert.doesNotMatch(page.body, /Schedule a session|Change the group|\/cancel"/);
    const managing = [...listPages, ...recordPages(venue.id, groupId, sessionId)].filter(
      ([method, url]) => method === 'POST' || /\/(new|change|cancel)$/.test(url),
    );
    await assertEachForbidden(cast.peer, managing, FORM);
    await unchanged();
  });

  it('answers another organisation with 404, exactly as for a record that does not exist', async () => {
    const mine = recordPages(venue.id, groupId, sessionId);
    const missing = recordPages(MISSING_ID, MISSING_ID, MISSING_ID);
    for (const [index, [method, url]] of mine.entries()) {
      const other = await send(cast.stranger, method, url, FORM);
      const absent = await send(cast.stranger, method, missing[index]![1], FORM);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(absent.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(absent.body));
    }
    // A session of one group reached through another group's address is not found either.
    const otherGroup = await buildGroup(t.db, cast.own.id, { mode: 'online' });
    assert.equal(
      (await cast.manager.get(`/groups/${otherGroup.id}/sessions/${sessionId}/cancel`)).status,
      404,
    );
    assert.equal((await cast.manager.get('/groups/not-an-id')).status, 404);
    assert.equal((await cast.manager.get('/venues/not-an-id')).status, 404);
    const lists = [await cast.stranger.get('/venues'), await cast.stranger.get('/groups')];
    for (const list of lists) {
      assert.equal(list.status, 200);
      assert.doesNotMatch(list.body, /Riverside Centre|Tuesday SUN/);
    }
    await t.db.deleteFrom('group_programmes').where('id', '=', otherGroup.id).execute();
    await unchanged();
  });

  it('shows the Groups link in the header only to those who may see groups', async () => {
    assert.match((await cast.peer.get('/')).body, /href="\/groups">Groups<\/a>/);
    assert.doesNotMatch((await cast.commissioner.get('/')).body, /href="\/groups"/);
  });
});

describe('venues and rooms', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildGroupsCast>>;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
  });
  after(() => t.close());

  it('adds a venue, shows it and lists it, with an audit row', async () => {
    const form = await cast.manager.get('/venues/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Add a venue<\/h1>/);
    const response = await cast.manager.post('/venues', {
      name: 'Riverside Centre',
      address: '12 Dock Road\nChatham',
      postcode: 'me4 4aa',
      accessibility: 'Step-free entrance, hearing loop in the main hall',
    });
    assert.equal(response.status, 303);
    const venueId = String(response.headers.location).replace('/venues/', '');
    const row = await t.db
      .selectFrom('venues')
      .selectAll()
      .where('id', '=', venueId)
      .executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, cast.own.id);
    assert.equal(row.postcode, 'ME4 4AA');
    assert.equal(row.accessibility, 'Step-free entrance, hearing loop in the main hall');
    const audit = await auditRows(t, venueId);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id, a.subject_type]),
      [['venue.created', cast.managerStaff.id, 'Venue']],
    );
    const page = await cast.manager.get(`/venues/${venueId}`);
    assert.match(page.body, /<h1[^>]*>Riverside Centre<\/h1>/);
    assert.match(page.body, /ME4 4AA/);
    assert.match(page.body, /Step-free entrance, hearing loop in the main hall/);
    assert.match(page.body, /No rooms have been added yet/);
    const list = await cast.manager.get('/venues');
    assert.match(list.body, new RegExp(`<a href="/venues/${venueId}">Riverside Centre</a>`));
  });

  it('shows what is wrong with a venue on the same page, keeping what was typed', async () => {
    const empty = await cast.manager.post('/venues', { name: '', address: '', postcode: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#name">Enter the name of the venue<\/a>/);
    assert.match(empty.body, /<a href="#address">Enter the address of the venue<\/a>/);
    assert.match(empty.body, /<a href="#postcode">Enter the postcode<\/a>/);
    const bad = await cast.manager.post('/venues', {
      name: 'Hall',
      address: '1 Street',
      postcode: 'NOT A POSTCODE',
      accessibility: 'x'.repeat(2001),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<a href="#postcode">Enter a real postcode, like ME4 4AA<\/a>/);
    assert.match(
      bad.body,
      /<a href="#accessibility">Accessibility details must be 2,000 characters or fewer<\/a>/,
    );
    assert.match(bad.body, /name="name"[^>]*value="Hall"/);
    assert.match(bad.body, /name="postcode"[^>]*value="NOT A POSTCODE"/);
    await buildVenue(t.db, { organisationId: cast.own.id, name: 'Old Library' });
    const taken = await cast.manager.post('/venues', {
      name: 'old library',
      address: '1 Street',
      postcode: 'ME4 4AA',
    });
    assert.equal(taken.status, 400);
    assert.match(taken.body, /<a href="#name">There is already a venue with this name<\/a>/);
    assert.equal((await t.db.selectFrom('venues').select('id').execute()).length, 2);
  });

  it('adds a room to a venue, refusing a missing name, a bad capacity and a name already used', async () => {
    const venue = await buildVenue(t.db, {
      organisationId: cast.own.id,
      name: 'Community Hub',
      roomName: 'Main hall',
    });
    const form = await cast.manager.get(`/venues/${venue.id}/rooms/new`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Add a room<\/h1>/);
    const bad = await cast.manager.post(`/venues/${venue.id}/rooms`, { name: '', capacity: 'lots' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<a href="#name">Enter the name of the room<\/a>/);
    assert.match(
      bad.body,
      /<a href="#capacity">How many people the room holds must be a whole number from 1 to 500<\/a>/,
    );
    assert.match(bad.body, /name="capacity"[^>]*value="lots"/);
    const missing = await cast.manager.post(`/venues/${venue.id}/rooms`, {
      name: 'Garden room',
      capacity: '',
    });
    assert.match(missing.body, /<a href="#capacity">Enter how many people the room holds<\/a>/);
    assert.match(missing.body, /name="name"[^>]*value="Garden room"/);
    const taken = await cast.manager.post(`/venues/${venue.id}/rooms`, { name: 'MAIN HALL', capacity: '20' });
    assert.match(taken.body, /<a href="#name">This venue already has a room with this name<\/a>/);

    const added = await cast.manager.post(`/venues/${venue.id}/rooms`, {
      name: 'Garden room',
      capacity: '8',
    });
    assert.equal(added.status, 303);
    assert.equal(added.headers.location, `/venues/${venue.id}`);
    const rooms = await t.db
      .selectFrom('venue_rooms')
      .select(['name', 'capacity'])
      .where('venue_id', '=', venue.id)
      .orderBy('name')
      .execute();
    assert.deepEqual(rooms, [
      { name: 'Garden room', capacity: 8 },
      { name: 'Main hall', capacity: 12 },
    ]);
    const audit = (await auditRows(t, venue.id)).at(-1);
    assert.equal(audit?.action, 'venue.room_added');
    assert.equal(audit?.actor_id, cast.managerStaff.id);
    const page = await cast.manager.get(`/venues/${venue.id}`);
    assert.match(page.body, /Garden room<\/td><td[^>]*>8 people/);
  });
});

describe('group programmes', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildGroupsCast>>;
  let venue: Awaited<ReturnType<typeof buildVenue>>;
  let serviceId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildGroupsCast(t);
    venue = await buildVenue(t.db, {
      organisationId: cast.own.id,
      name: 'Riverside Centre',
      roomName: 'Main hall',
    });
    serviceId = (await buildService(t.db, [cast.own.id], { name: 'SUN Medway' })).id;
  });
  after(() => t.close());

  const groupForm = {
    name: 'Tuesday SUN group',
    type: 'sun_group',
    serviceId: '',
    audience: 'Older adults',
    capacity: '12',
    mode: 'in_person',
    defaultRoomId: '',
  };

  it('adds a group with its service, audience, capacity and usual room, and shows it', async () => {
    const form = await cast.manager.get('/groups/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /SUN group/);
    assert.match(form.body, /Recovery college course/);
    assert.match(form.body, /SUN Medway/);
    assert.match(form.body, /Riverside Centre: Main hall \(holds 12\)/);
    const response = await cast.manager.post('/groups', {
      ...groupForm,
      serviceId,
      defaultRoomId: venue.roomId,
    });
    assert.equal(response.status, 303);
    const groupId = String(response.headers.location).replace('/groups/', '');
    const row = await t.db
      .selectFrom('group_programmes')
      .selectAll()
      .where('id', '=', groupId)
      .executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, cast.own.id);
    assert.equal(row.group_type, 'sun_group');
    assert.equal(row.service_id, serviceId);
    assert.equal(row.audience, 'Older adults');
    assert.equal(row.capacity, 12);
    assert.equal(row.mode, 'in_person');
    assert.equal(row.default_room_id, venue.roomId);
    const audit = await auditRows(t, groupId);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id, a.details]),
      [['group.created', cast.managerStaff.id, { type: 'sun_group', mode: 'in_person' }]],
    );
    const page = await cast.manager.get(`/groups/${groupId}`);
    assert.match(page.body, /<h1[^>]*>Tuesday SUN group<\/h1>/);
    assert.match(page.body, /SUN Medway/);
    assert.match(page.body, /Older adults/);
    assert.match(page.body, /Riverside Centre: Main hall/);
    assert.match(page.body, /No sessions have been scheduled yet/);
    const list = await cast.manager.get('/groups');
    assert.match(list.body, /Tuesday SUN group<\/a><br>SUN group · In person · For Older adults/);
  });

  it('adds an online group with no room and no service', async () => {
    const response = await cast.manager.post('/groups', {
      ...groupForm,
      name: 'Evening drop-in',
      type: 'drop_in',
      audience: '',
      mode: 'online',
      defaultRoomId: venue.roomId,
    });
    assert.equal(response.status, 303);
    const row = await t.db
      .selectFrom('group_programmes')
      .selectAll()
      .where('name', '=', 'Evening drop-in')
      .executeTakeFirstOrThrow();
    assert.equal(row.default_room_id, null);
    assert.equal(row.service_id, null);
    assert.equal(row.audience, null);
  });

  it('shows what is wrong with a group on the same page, keeping what was typed', async () => {
    const before = (await t.db.selectFrom('group_programmes').select('id').execute()).length;
    const empty = await cast.manager.post('/groups', {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#name">Enter the name of the group<\/a>/);
    assert.match(empty.body, /<a href="#type">Select the type of group<\/a>/);
    assert.match(empty.body, /<a href="#capacity">Enter how many people the group can take<\/a>/);
    assert.match(empty.body, /<a href="#mode">Select how the group meets<\/a>/);
    const noRoom = await cast.manager.post('/groups', { ...groupForm, capacity: '0' });
    assert.match(
      noRoom.body,
      /<a href="#capacity">How many people the group can take must be a whole number from 1 to 500<\/a>/,
    );
    assert.match(noRoom.body, /<a href="#defaultRoomId">Select the room where the group usually meets<\/a>/);
    assert.match(noRoom.body, /name="name"[^>]*value="Tuesday SUN group"/);
    assert.match(noRoom.body, /name="audience"[^>]*value="Older adults"/);
    assert.match(noRoom.body, /value="sun_group" checked/);
    // A room or service of another organisation is not on the list.
    const otherVenue = await buildVenue(t.db, { organisationId: cast.other.id });
    const otherService = await buildService(t.db, [cast.other.id]);
    const foreign = await cast.manager.post('/groups', {
      ...groupForm,
      serviceId: otherService.id,
      defaultRoomId: otherVenue.roomId,
    });
    assert.equal(foreign.status, 400);
    assert.match(foreign.body, /<a href="#serviceId">Select a service from the list<\/a>/);
    assert.match(foreign.body, /<a href="#defaultRoomId">Select a room from the list<\/a>/);
    assert.equal((await t.db.selectFrom('group_programmes').select('id').execute()).length, before);
  });

  it('changes a group, recording which fields changed, and refuses a stale save with 409', async () => {
    const group = await buildGroup(t.db, cast.own.id, {
      name: 'Carers together',
      type: 'carers_group',
      defaultRoomId: venue.roomId,
    });
    const form = await cast.manager.get(`/groups/${group.id}/change`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Change the group<\/h1>/);
    assert.match(form.body, /name="name"[^>]*value="Carers together"/);
    assert.match(form.body, /name="version" value="1"/);
    const change = {
      ...groupForm,
      name: 'Carers together',
      type: 'carers_group',
      audience: 'Carers',
      capacity: '12',
      defaultRoomId: venue.roomId,
      version: '1',
    };
    const invalid = await cast.manager.post(`/groups/${group.id}/change`, { ...change, name: '' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /<a href="#name">Enter the name of the group<\/a>/);
    assert.match(invalid.body, /name="audience"[^>]*value="Carers"/);
    const saved = await cast.manager.post(`/groups/${group.id}/change`, change);
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/groups/${group.id}`);
    const row = await t.db
      .selectFrom('group_programmes')
      .selectAll()
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.version, 2);
    assert.equal(row.capacity, 12);
    assert.equal(row.audience, 'Carers');
    const audit = (await auditRows(t, group.id)).at(-1);
    assert.equal(audit?.action, 'group.changed');
    assert.deepEqual(audit?.details, { fields: ['audience', 'capacity'] });

    const stale = await cast.manager.post(`/groups/${group.id}/change`, { ...change, capacity: '9' });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /Someone else changed this record/);
    const after = await t.db
      .selectFrom('group_programmes')
      .selectAll()
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.version, 2);
    assert.equal(after.capacity, 12);
  });
});

describe('scheduling and cancelling sessions', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildGroupsCast>>;
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

  const sunSession = () => ({
    ...NEXT_TUESDAY,
    startTime: '10:00',
    endTime: '12:00',
    roomId: venue.roomId,
    facilitator1: cast.clinician.id,
    role1: 'clinical',
    facilitator2: cast.livedExperience.id,
    role2: 'lived_experience',
  });

  const sessionCount = async () => (await t.db.selectFrom('group_sessions').select('id').execute()).length;

  it('offers the usual room, the active staff and the roles of a SUN group', async () => {
    const form = await cast.manager.get(`/groups/${groupId}/sessions/new`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Schedule a session<\/h1>/);
    assert.match(
      form.body,
      new RegExp(`<option value="${venue.roomId}" selected>Riverside Centre: Main hall`),
    );
    assert.match(form.body, /Dana Clinician \(Clinical facilitator\)/);
    assert.match(form.body, /<option value="lived_experience">Lived experience facilitator<\/option>/);
    assert.doesNotMatch(form.body, /<option value="peer_bank_worker">/);
    assert.doesNotMatch(form.body, /name="onlineLink"/);
  });

  it('refuses a SUN session with only a clinical facilitator, saying what is missing and keeping the input', async () => {
    const { facilitator2: _f, role2: _r, ...onlyClinical } = sunSession();
    const response = await cast.manager.post(`/groups/${groupId}/sessions`, onlyClinical);
    assert.equal(response.status, 400);
    assert.match(
      response.body,
      /<a href="#facilitator1">A SUN group needs a lived experience facilitator as well as the clinical facilitator<\/a>/,
    );
    assert.match(response.body, new RegExp(`<option value="${cast.clinician.id}" selected>`));
    assert.match(response.body, /name="startTime"[^>]*value="10:00"/);
    assert.match(response.body, /name="date-day"[^>]*value="10"/);
    assert.equal(await sessionCount(), 0);
  });

  it('schedules a SUN session with both facilitators and shows it on the group page, with an audit row', async () => {
    const response = await cast.manager.post(`/groups/${groupId}/sessions`, sunSession());
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/groups/${groupId}`);
    const session = await t.db
      .selectFrom('group_sessions')
      .selectAll()
      .where('group_id', '=', groupId)
      .executeTakeFirstOrThrow();
    assert.equal(session.starts_at.toISOString(), '2026-03-10T10:00:00.000Z');
    assert.equal(session.ends_at.toISOString(), '2026-03-10T12:00:00.000Z');
    assert.equal(session.room_id, venue.roomId);
    assert.equal(session.status, 'scheduled');
    const facilitators = await t.db
      .selectFrom('group_session_facilitators')
      .select(['staff_id', 'session_role'])
      .where('session_id', '=', session.id)
      .orderBy('session_role')
      .execute();
    assert.deepEqual(facilitators, [
      { staff_id: cast.clinician.id, session_role: 'clinical' },
      { staff_id: cast.livedExperience.id, session_role: 'lived_experience' },
    ]);
    const audit = await auditRows(t, session.id);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id, a.subject_type, a.details]),
      [['session.scheduled', cast.managerStaff.id, 'GroupSession', { groupId, facilitators: 2 }]],
    );
    const page = await cast.peer.get(`/groups/${groupId}`);
    assert.match(page.body, /Tuesday 10 March 2026, 10:00 to 12:00/);
    assert.match(page.body, /Riverside Centre: Main hall/);
    assert.match(
      page.body,
      /Facilitated by Dana Clinician \(clinical facilitator\), Lee Lived \(lived experience facilitator\)/,
    );
    const sessionBase = `/groups/${groupId}/sessions/${session.id}`;
    for (const link of [`${sessionBase}/bookings`, `${sessionBase}/register`, `${sessionBase}/note`]) {
      assert.ok(page.body.includes(`href="${link}"`), link);
    }
    assert.ok(page.body.includes(`href="/groups/${groupId}/registers"`));
    assert.ok(!page.body.includes('calendar-feed'), 'a peer worker does not give groups a feed');
    const managerPage = await cast.manager.get(`/groups/${groupId}`);
    assert.ok(managerPage.body.includes(`href="/groups/${groupId}/calendar-feed"`));
  });

  it('stores UK summer time as UTC', async () => {
    const summer = await buildGroup(t.db, cast.own.id, { type: 'carers_group', mode: 'online' });
    const response = await cast.manager.post(`/groups/${summer.id}/sessions`, {
      'date-day': '7',
      'date-month': '7',
      'date-year': '2026',
      startTime: '6pm',
      endTime: '19:30',
      onlineLink: 'https://meet.example.org/carers',
      facilitator1: cast.peerStaff.id,
      role1: 'facilitator',
    });
    assert.equal(response.status, 303);
    const row = await t.db
      .selectFrom('group_sessions')
      .selectAll()
      .where('group_id', '=', summer.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.starts_at.toISOString(), '2026-07-07T17:00:00.000Z');
    assert.equal(row.ends_at.toISOString(), '2026-07-07T18:30:00.000Z');
    assert.equal(row.online_link, 'https://meet.example.org/carers');
    assert.equal(row.room_id, null);
  });

  it('refuses a facilitator already booked at an overlapping time, and a double-booked room', async () => {
    const before = await sessionCount();
    // Another group, elsewhere, overlapping by half an hour: Dana is booked, but the room is free.
    const otherRoom = await buildRoom(t.db, venue.id, { name: 'Garden room' });
    const clash = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      startTime: '11:30',
      endTime: '13:00',
      roomId: otherRoom,
    });
    assert.equal(clash.status, 400);
    assert.match(
      clash.body,
      /<a href="#facilitator1">Dana Clinician is already facilitating another session at that time<\/a>/,
    );
    assert.match(
      clash.body,
      /<a href="#facilitator2">Lee Lived is already facilitating another session at that time<\/a>/,
    );
    assert.doesNotMatch(clash.body, /The room is already booked/);

    // Other facilitators, the same room, overlapping.
    const clinician2 = await buildStaff(t.db, {
      organisationId: cast.own.id,
      roles: ['psychological_wellbeing_practitioner'],
      fullName: 'Pat Practitioner',
    });
    const peer2 = await buildStaff(t.db, {
      organisationId: cast.own.id,
      roles: ['senior_peer_support_worker'],
      fullName: 'Ash Senior',
    });
    const doubleBooked = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      startTime: '9:00am',
      endTime: '10:30',
      facilitator1: clinician2.id,
      facilitator2: peer2.id,
    });
    assert.equal(doubleBooked.status, 400);
    assert.match(
      doubleBooked.body,
      /<a href="#roomId">The room is already booked for another session at that time<\/a>/,
    );
    assert.doesNotMatch(doubleBooked.body, /already facilitating/);
    assert.match(doubleBooked.body, /name="startTime"[^>]*value="9:00am"/);
    assert.equal(await sessionCount(), before);

    // Back to back is not a clash: the first session ends at 12:00.
    const backToBack = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      startTime: '12:00',
      endTime: '13:00',
    });
    assert.equal(backToBack.status, 303);
  });

  it('waits for someone else scheduling at the same moment, then sees the room they booked', async () => {
    const at = { ...sunSession(), 'date-day': '31', startTime: '14:00', endTime: '16:00' };
    await cast.manager.get(`/groups/${groupId}/sessions/new`);
    let posting: Promise<Awaited<ReturnType<Agent['post']>>> | undefined;
    // Another scheduler holds the organisation's scheduling lock while booking the room at that time.
    await t.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`group_sessions:${cast.own.id}`}))`.execute(tx);
      posting = cast.manager.post(`/groups/${groupId}/sessions`, at);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await buildSession(tx, {
        groupId,
        startsAt: new Date('2026-03-31T14:30:00+01:00'),
        endsAt: new Date('2026-03-31T15:30:00+01:00'),
        roomId: venue.roomId,
      });
    });
    const response = await posting!;
    assert.equal(response.status, 400);
    assert.match(response.body, /The room is already booked for another session at that time/);
  });

  it('refuses an end before the start, a session in the past, and missing or unreal times and dates', async () => {
    const before = await sessionCount();
    const backwards = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      startTime: '14:00',
      endTime: '13:00',
    });
    assert.equal(backwards.status, 400);
    assert.match(backwards.body, /<a href="#endTime">The end time must be after the start time<\/a>/);
    assert.match(backwards.body, /name="endTime"[^>]*value="13:00"/);

    const yesterday = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '1',
    });
    assert.match(
      yesterday.body,
      /<a href="#date-day">The date of the session must be today or in the future<\/a>/,
    );
    const earlierToday = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '2',
      startTime: '9:00',
      endTime: '11:00',
    });
    assert.match(earlierToday.body, /<a href="#startTime">The start time must be later than now<\/a>/);

    const missing = await cast.manager.post(`/groups/${groupId}/sessions`, {
      'date-day': '31',
      'date-month': '2',
      'date-year': '2026',
      startTime: '',
      endTime: 'teatime',
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<a href="#date-day">Date of the session must be a real date<\/a>/);
    assert.match(missing.body, /<a href="#startTime">Enter the start time<\/a>/);
    assert.match(missing.body, /<a href="#endTime">Enter a time like 14:30 or 2:30pm<\/a>/);
    assert.match(missing.body, /name="endTime"[^>]*value="teatime"/);
    const noDate = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '',
      'date-month': '',
      'date-year': '',
    });
    assert.match(noDate.body, /<a href="#date-day">Enter the date of the session<\/a>/);
    assert.equal(await sessionCount(), before);
  });

  it('refuses a facilitator without a role, a role without a facilitator, the same person twice and no room', async () => {
    const before = await sessionCount();
    const response = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '24',
      roomId: '',
      role1: '',
      facilitator3: cast.livedExperience.id,
      role3: 'lived_experience',
      role4: 'clinical',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /<a href="#role1">Select the role of facilitator 1<\/a>/);
    assert.match(response.body, /<a href="#facilitator3">Choose each facilitator only once<\/a>/);
    assert.match(
      response.body,
      /<a href="#facilitator4">Select who facilitator 4 is, or leave their role empty<\/a>/,
    );
    const noRoom = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '24',
      roomId: '',
    });
    assert.match(noRoom.body, /<a href="#roomId">Select the room for the session<\/a>/);
    const stranger = await buildStaff(t.db, {
      organisationId: cast.other.id,
      roles: ['clinical_facilitator'],
    });
    const notOurs = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '24',
      facilitator1: stranger.id,
    });
    assert.match(notOurs.body, /<a href="#facilitator1">Select a facilitator from the list<\/a>/);
    const wrongRole = await cast.manager.post(`/groups/${groupId}/sessions`, {
      ...sunSession(),
      'date-day': '24',
      facilitator1: cast.peerStaff.id,
    });
    assert.match(
      wrongRole.body,
      /<a href="#facilitator1">Sam Peer cannot be a clinical facilitator: they must be a clinical facilitator or a psychological wellbeing practitioner<\/a>/,
    );
    assert.equal(await sessionCount(), before);
  });

  it('needs an https online link for an online or hybrid group', async () => {
    const hybrid = await buildGroup(t.db, cast.own.id, {
      type: 'drop_in',
      mode: 'hybrid',
      defaultRoomId: venue.roomId,
    });
    const form = await cast.manager.get(`/groups/${hybrid.id}/sessions/new`);
    assert.match(form.body, /name="onlineLink"/);
    assert.match(form.body, /name="roomId"/);
    const session = {
      'date-day': '25',
      'date-month': '3',
      'date-year': '2026',
      startTime: '18:00',
      endTime: '20:00',
      roomId: venue.roomId,
      facilitator1: cast.peerStaff.id,
      role1: 'peer_worker',
    };
    const none = await cast.manager.post(`/groups/${hybrid.id}/sessions`, session);
    assert.match(none.body, /<a href="#onlineLink">Enter the online link for the session<\/a>/);
    for (const link of ['http://meet.example.org/drop-in', 'meet.example.org', 'javascript:alert(1)']) {
      const insecure = await cast.manager.post(`/groups/${hybrid.id}/sessions`, {
        ...session,
        onlineLink: link,
      });
      assert.equal(insecure.status, 400, link);
      assert.match(
        insecure.body,
        /<a href="#onlineLink">Enter the online link in full, starting with https:\/\/<\/a>/,
        link,
      );
    }
    const noPeer = await cast.manager.post(`/groups/${hybrid.id}/sessions`, {
      ...session,
      onlineLink: 'https://meet.example.org/drop-in',
      role1: 'peer_bank_worker',
    });
    assert.match(noPeer.body, /A drop-in needs at least one peer worker/);
    const ok = await cast.manager.post(`/groups/${hybrid.id}/sessions`, {
      ...session,
      onlineLink: 'https://meet.example.org/drop-in',
    });
    assert.equal(ok.status, 303);
    const page = await cast.manager.get(`/groups/${hybrid.id}`);
    assert.match(page.body, /Riverside Centre: Main hall and Online/);
  });

  it('cancels a session with a reason, refusing no reason and a stale save', async () => {
    const online = await buildGroup(t.db, cast.own.id, {
      type: 'carers_group',
      mode: 'online',
      name: 'Carers online',
    });
    const sessionId = await buildSession(t.db, {
      groupId: online.id,
      startsAt: new Date('2026-03-12T18:00:00Z'),
      endsAt: new Date('2026-03-12T19:00:00Z'),
      facilitators: [{ staffId: cast.peerStaff.id, sessionRole: 'facilitator' }],
    });
    const path = `/groups/${online.id}/sessions/${sessionId}/cancel`;
    const form = await cast.manager.get(path);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Cancel this session<\/h1>/);
    assert.match(form.body, /Thursday 12 March 2026, 18:00 to 19:00/);
    const empty = await cast.manager.post(path, { reason: ' ', version: '1' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#reason">Enter why the session is cancelled<\/a>/);
    const done = await cast.manager.post(path, { reason: 'The facilitator is unwell', version: '1' });
    assert.equal(done.status, 303);
    const row = await t.db
      .selectFrom('group_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'cancelled');
    assert.equal(row.cancel_reason, 'The facilitator is unwell');
    assert.equal(row.version, 2);
    const audit = (await auditRows(t, sessionId)).at(-1);
    assert.equal(audit?.action, 'session.cancelled');
    assert.deepEqual(audit?.details, { groupId: online.id });
    const page = await cast.manager.get(`/groups/${online.id}`);
    assert.match(page.body, /Cancelled<\/strong>/);
    assert.match(page.body, /Reason: The facilitator is unwell/);
    const stale = await cast.manager.post(path, { reason: 'Again', version: '1' });
    assert.equal(stale.status, 409);
    assert.equal((await cast.manager.get(path)).status, 303);
    // A cancelled session no longer holds its facilitator.
    const rebook = await buildSession(t.db, {
      groupId: online.id,
      startsAt: new Date('2026-03-12T18:00:00Z'),
      endsAt: new Date('2026-03-12T19:00:00Z'),
    });
    assert.ok(rebook);
    const again = await cast.manager.post(`/groups/${online.id}/sessions`, {
      'date-day': '12',
      'date-month': '3',
      'date-year': '2026',
      startTime: '18:00',
      endTime: '19:00',
      onlineLink: 'https://meet.example.org/carers',
      facilitator1: cast.peerStaff.id,
      role1: 'facilitator',
    });
    assert.equal(again.status, 303);
  });
});
