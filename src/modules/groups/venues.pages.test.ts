import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroup, buildSchedule, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
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

/** The test clock starts on Monday 2 March 2026 at 10:00 UK time (GMT). */

async function start() {
  const t = await startTestApp();
  const own = await hostOrganisation(t.db);
  const other = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  const staff = (roles: NonNullable<Parameters<typeof buildStaff>[1]>['roles'], organisationId = own.id) =>
    buildStaff(t.db, { organisationId, roles }).then((s) => signedInAgent(t, s));
  const clinician = await buildStaff(t.db, { organisationId: own.id, roles: ['clinical_facilitator'] });
  const livedExperience = await buildStaff(t.db, {
    organisationId: own.id,
    roles: ['lived_experience_practitioner'],
  });
  const venue = await buildVenue(t.db, {
    organisationId: own.id,
    name: 'Riverside Centre',
    roomName: 'Main hall',
    capacity: 20,
  });
  return {
    t,
    own,
    venue,
    clinician,
    livedExperience,
    manager: await staff(['service_manager']),
    administrator: await staff(['administrator']),
    peer: await staff(['peer_support_worker']),
    commissioner: await staff(['commissioner']),
    stranger: await staff(['service_manager'], other.id),
  };
}

const venueForm = (version: number, overrides: Record<string, string> = {}) => ({
  name: 'Riverside Community Centre',
  address: '2 River Walk\nChatham',
  postcode: 'me4 4bb',
  accessibility: 'Step-free access from the car park; hearing loop in the main hall',
  version: String(version),
  ...overrides,
});

const venueRow = (t: TestApp, id: string) =>
  t.db
    .selectFrom('venues')
    .select(['name', 'address', 'postcode', 'accessibility', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const roomRow = (t: TestApp, id: string) =>
  t.db
    .selectFrom('venue_rooms')
    .select(['name', 'capacity', 'version', 'retired_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('who may change a venue and its rooms', () => {
  let cast: Awaited<ReturnType<typeof start>>;
  before(async () => {
    cast = await start();
  });
  after(() => cast.t.close());

  const pages = (venueId: string, roomId: string): Page[] => [
    ['GET', `/venues/${venueId}/change`],
    ['POST', `/venues/${venueId}/change`],
    ['GET', `/venues/${venueId}/rooms/${roomId}/change`],
    ['POST', `/venues/${venueId}/rooms/${roomId}/change`],
    ['GET', `/venues/${venueId}/rooms/${roomId}/retire`],
    ['POST', `/venues/${venueId}/rooms/${roomId}/retire`],
  ];
  const unchanged = async () => {
    assert.deepEqual(await venueRow(cast.t, cast.venue.id), {
      name: 'Riverside Centre',
      address: '1 Test Street\nChatham',
      postcode: 'ME4 4AA',
      accessibility: 'Step-free access',
      version: 1,
    });
    assert.deepEqual(await roomRow(cast.t, cast.venue.roomId), {
      name: 'Main hall',
      capacity: 20,
      version: 1,
      retired_at: null,
    });
  };

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(cast.t.agent(), pages(cast.venue.id, cast.venue.roomId));
    await unchanged();
  });

  it('refuses a peer worker and a commissioner every page with 403', async () => {
    const fields = { ...venueForm(1), capacity: '5' };
    await assertEachForbidden(cast.peer, pages(cast.venue.id, cast.venue.roomId), fields);
    await assertEachForbidden(cast.commissioner, pages(cast.venue.id, cast.venue.roomId), fields);
    await unchanged();
  });

  it('answers another organisation with 404, exactly as for a venue or room that does not exist', async () => {
    const mine = pages(cast.venue.id, cast.venue.roomId);
    const missing = pages(MISSING_ID, MISSING_ID);
    const fields = { ...venueForm(1), capacity: '5' };
    for (const [index, [method, url]] of mine.entries()) {
      const other = await send(cast.stranger, method, url, fields);
      const absent = await send(cast.stranger, method, missing[index]![1], fields);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(absent.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(absent.body));
    }
    // A room of this venue asked for under another venue of the organisation is not found either.
    const elsewhere = await buildVenue(cast.t.db, { organisationId: cast.own.id });
    const crossed = await cast.manager.get(`/venues/${elsewhere.id}/rooms/${cast.venue.roomId}/change`);
    assert.equal(crossed.status, 404);
    await unchanged();
  });

  it('lets an administrator, who looks after premises, open every page', async () => {
    for (const [method, url] of pages(cast.venue.id, cast.venue.roomId)) {
      if (method === 'GET') {
        assert.equal((await cast.administrator.get(url)).status, 200, url);
      }
    }
  });
});

describe("changing a venue's details", () => {
  let cast: Awaited<ReturnType<typeof start>>;
  before(async () => {
    cast = await start();
  });
  after(() => cast.t.close());

  it('shows the details to change, refuses bad input on the same page keeping what was typed, then saves once and audits the fields', async () => {
    const { t, venue, manager } = cast;
    const form = await manager.get(`/venues/${venue.id}/change`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Riverside Centre"/);
    assert.match(form.body, /name="version" value="1"/);

    await buildVenue(t.db, { organisationId: cast.own.id, name: 'Library' });
    const bad = await manager.post(
      `/venues/${venue.id}/change`,
      venueForm(1, { name: '', postcode: 'not a postcode' }),
    );
    assert.equal(bad.status, 400);
    const summary = bad.body.slice(bad.body.indexOf('nhsuk-error-summary'));
    assert.ok(summary.indexOf('Enter the name of the venue') < summary.indexOf('Enter a real postcode'));
    assert.match(bad.body, /2 River Walk/);
    const taken = await manager.post(`/venues/${venue.id}/change`, venueForm(1, { name: 'library' }));
    assert.equal(taken.status, 400);
    assert.match(taken.body, /There is already a venue with this name/);
    assert.equal((await venueRow(t, venue.id)).version, 1);

    const saved = await manager.post(`/venues/${venue.id}/change`, venueForm(1));
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/venues/${venue.id}`);
    // The same form sent again (a double click) is stale now, so it changes nothing more.
    const again = await manager.post(`/venues/${venue.id}/change`, venueForm(1, { name: 'Other' }));
    assert.equal(again.status, 409);
    assert.match(again.body, /Someone else changed this record/);
    assert.deepEqual(await venueRow(t, venue.id), {
      name: 'Riverside Community Centre',
      address: '2 River Walk\nChatham',
      postcode: 'ME4 4BB',
      accessibility: 'Step-free access from the car park; hearing loop in the main hall',
      version: 2,
    });
    const audits = (await auditRows(t, venue.id)).filter((a) => a.action === 'venue.changed');
    assert.equal(audits.length, 1);
    assert.deepEqual(audits[0]!.details, { fields: ['name', 'address', 'postcode', 'accessibility'] });
    // Keeping the same name (in another case) is not a clash with itself.
    const recase = await manager.post(
      `/venues/${venue.id}/change`,
      venueForm(2, { name: 'RIVERSIDE COMMUNITY CENTRE' }),
    );
    assert.equal(recase.status, 303);
    const page = await manager.get(`/venues/${venue.id}`);
    assert.match(page.body, /RIVERSIDE COMMUNITY CENTRE/);
    assert.match(page.body, /hearing loop in the main hall/);
  });
});

describe('changing and retiring a room', () => {
  let cast: Awaited<ReturnType<typeof start>>;
  let groupId: string;
  before(async () => {
    cast = await start();
    groupId = (
      await buildGroup(cast.t.db, cast.own.id, {
        name: 'Tuesday SUN',
        capacity: 10,
        defaultRoomId: cast.venue.roomId,
      })
    ).id;
  });
  after(() => cast.t.close());

  const facilitators = () => [
    { staffId: cast.clinician.id, sessionRole: 'clinical' as const },
    { staffId: cast.livedExperience.id, sessionRole: 'lived_experience' as const },
  ];

  it('renames and resizes a room; one made smaller than a group puts its sessions to come on the needing-attention list', async () => {
    const { t, venue, manager } = cast;
    // Held last week, and four to come from tomorrow.
    await buildSession(t.db, {
      groupId,
      startsAt: new Date('2026-02-24T10:00:00Z'),
      endsAt: new Date('2026-02-24T12:00:00Z'),
      roomId: venue.roomId,
      facilitators: facilitators(),
    });
    await buildSchedule(t.db, {
      groupId,
      startsOn: '2026-03-03',
      weekday: 'TU',
      sessions: 4,
      roomId: venue.roomId,
      facilitators: facilitators(),
    });
    const before = await manager.get('/groups/attention');
    assert.doesNotMatch(before.body, /fewer than the 10 places/);

    const form = await manager.get(`/venues/${venue.id}/rooms/${venue.roomId}/change`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Main hall"/);
    const bad = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/change`, {
      name: 'Garden room',
      capacity: 'six',
      version: '1',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /How many people the room holds must be a whole number from 1 to 500/);
    assert.match(bad.body, /value="Garden room"/);

    const saved = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/change`, {
      name: 'Garden room',
      capacity: '6',
      version: '1',
    });
    assert.equal(saved.status, 303);
    const stale = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/change`, {
      name: 'Hall',
      capacity: '30',
      version: '1',
    });
    assert.equal(stale.status, 409);
    assert.deepEqual(await roomRow(t, venue.roomId), {
      name: 'Garden room',
      capacity: 6,
      version: 2,
      retired_at: null,
    });
    const audits = (await auditRows(t, venue.id)).filter((a) => a.action === 'venue.room_changed');
    assert.deepEqual(
      audits.map((a) => a.details),
      [{ roomId: venue.roomId, fields: ['name', 'capacity'] }],
    );

    const attention = await manager.get('/groups/attention');
    const flagged = attention.body.match(/The room holds 6, fewer than the 10 places in the group/g) ?? [];
    assert.equal(flagged.length, 4, 'each of the four sessions to come, not the one already held');
    // A new session is still refused a room too small for the group.
    const refused = await manager.post(`/groups/${groupId}/sessions`, {
      'date-day': '20',
      'date-month': '3',
      'date-year': '2026',
      startTime: '14:00',
      endTime: '15:00',
      roomId: venue.roomId,
      facilitator1: cast.clinician.id,
      role1: 'clinical',
      facilitator2: cast.livedExperience.id,
      role2: 'lived_experience',
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /Garden room holds 6 people, fewer than the 10 the group can take/);
  });

  it('will not retire a room with sessions to come, says which and offers to change them; retires it once they are moved', async () => {
    const { t, venue, manager, administrator } = cast;
    const page = await manager.get(`/venues/${venue.id}/rooms/${venue.roomId}/retire`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Sessions still booked in this room/);
    const changeLinks = page.body.match(/\/groups\/[0-9a-f-]+\/sessions\/[0-9a-f-]+\/change/g) ?? [];
    assert.equal(changeLinks.length, 4);
    assert.match(page.body, /Tuesday 3 March 2026, 10:00 to 12:00/);
    assert.match(page.body, /Groups that usually meet here/);
    assert.doesNotMatch(page.body, /Retire the room<\/button>/);
    // An administrator looks after rooms but does not move sessions: the list, without the links.
    const forAdministrator = await administrator.get(`/venues/${venue.id}/rooms/${venue.roomId}/retire`);
    assert.doesNotMatch(forAdministrator.body, /sessions\/[0-9a-f-]+\/change/);
    assert.match(forAdministrator.body, /Ask a service manager to move or cancel them/);

    const refused = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/retire`, { version: '2' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /4 sessions are still booked in this room/);
    assert.match(refused.body, /href="#sessions"/);
    assert.equal((await roomRow(t, venue.roomId)).retired_at, null);

    // Move the sessions to another room and give the group another usual room, as a manager would.
    const other = await buildVenue(t.db, { organisationId: cast.own.id, name: 'Library', capacity: 12 });
    await t.db
      .updateTable('group_sessions')
      .set({ room_id: other.roomId })
      .where('room_id', '=', venue.roomId)
      .where('starts_at', '>', t.clock.now())
      .execute();
    await t.db.updateTable('group_programmes').set({ default_room_id: other.roomId }).execute();

    const confirm = await manager.get(`/venues/${venue.id}/rooms/${venue.roomId}/retire`);
    assert.match(confirm.body, /Retire the room/);
    const retired = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/retire`, { version: '2' });
    assert.equal(retired.status, 303);
    const again = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/retire`, { version: '2' });
    assert.equal(again.status, 409);
    const row = await roomRow(t, venue.roomId);
    assert.deepEqual(row.retired_at, t.clock.now());
    assert.equal(row.version, 3);
    assert.equal((await auditRows(t, venue.id)).filter((a) => a.action === 'venue.room_retired').length, 1);

    // Kept on the venue page and the session already held; offered for nothing new.
    const venuePage = await manager.get(`/venues/${venue.id}`);
    assert.match(venuePage.body, /Garden room/);
    assert.match(venuePage.body, /No longer used/);
    assert.doesNotMatch(venuePage.body, new RegExp(`rooms/${venue.roomId}/change`));
    const sessionForm = await manager.get(`/groups/${groupId}/sessions/new`);
    assert.doesNotMatch(sessionForm.body, /Garden room/);
    assert.match(sessionForm.body, /Library/);
    const groupForm = await manager.get(`/groups/${groupId}/change`);
    assert.doesNotMatch(groupForm.body, /Garden room/);
    const changeRetired = await manager.post(`/venues/${venue.id}/rooms/${venue.roomId}/change`, {
      name: 'Back again',
      capacity: '6',
      version: '3',
    });
    assert.equal(changeRetired.status, 409);
    assert.equal((await manager.get(`/venues/${venue.id}/rooms/${venue.roomId}/change`)).status, 303);
  });
});
