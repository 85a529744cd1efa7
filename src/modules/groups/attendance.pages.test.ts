import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import {
  buildAttendance,
  buildBooking,
  buildConductAcknowledgement,
  buildMembership,
} from '../../testing/builders/attendance.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildMember } from '../../testing/builders/members.ts';
import {
  buildAgreement,
  buildOrganisation,
  buildService,
  hostOrganisation,
} from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { viewRegister } from './register.service.ts';
import { insertIncident, lockSessionIncidents } from './session-notes.repo.ts';
import { waitsOnAdvisoryLock } from '../../testing/lock-waits.ts';
import { signedInAgent, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

/**
 * The test clock starts on Monday 2 March 2026 at 10:00 UK time (GMT). "Today's" session began at
 * 9:30 (its register can be taken); "next week's" is on Tuesday 10 March (it can be booked).
 */
const TODAY = { startsAt: new Date('2026-03-02T09:30:00Z'), endsAt: new Date('2026-03-02T11:30:00Z') };
const NEXT_WEEK = { startsAt: new Date('2026-03-10T10:00:00Z'), endsAt: new Date('2026-03-10T12:00:00Z') };
const WEEK_AFTER = { startsAt: new Date('2026-03-17T10:00:00Z'), endsAt: new Date('2026-03-17T12:00:00Z') };

/** An organisation's staff in each role that matters here, and another organisation's manager. */
async function buildCast(t: TestApp) {
  const own = await hostOrganisation(t.db);
  const other = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
  const staff = async (roles: BuiltStaff['roles'], fullName: string, organisationId = own.id) =>
    buildStaff(t.db, { organisationId, roles, fullName });
  const managerStaff = await staff(['service_manager'], 'Morgan Manager');
  const clinicianStaff = await staff(['clinical_facilitator'], 'Dana Clinician');
  const livedStaff = await staff(['lived_experience_practitioner'], 'Lee Lived');
  const peerStaff = await staff(['peer_support_worker'], 'Sam Peer');
  const volunteerStaff = await staff(['volunteer'], 'Val Volunteer');
  const commissionerStaff = await staff(['commissioner'], 'Cass Commissioner');
  const strangerStaff = await staff(['service_manager'], 'Other Manager', other.id);
  return {
    own,
    other,
    managerStaff,
    clinicianStaff,
    livedStaff,
    peerStaff,
    manager: await signedInAgent(t, managerStaff),
    clinician: await signedInAgent(t, clinicianStaff),
    lived: await signedInAgent(t, livedStaff),
    peer: await signedInAgent(t, peerStaff),
    volunteer: await signedInAgent(t, volunteerStaff),
    commissioner: await signedInAgent(t, commissionerStaff),
    stranger: await signedInAgent(t, strangerStaff),
  };
}
type Cast = Awaited<ReturnType<typeof buildCast>>;

/** A SUN group in a room for `roomCapacity`, with a session today and one next week, both co-facilitated. */
async function buildSunGroup(
  t: TestApp,
  cast: Cast,
  options: { capacity?: number; roomCapacity?: number } = {},
) {
  const venue = await buildVenue(t.db, { organisationId: cast.own.id, capacity: options.roomCapacity ?? 12 });
  const group = await buildGroup(t.db, cast.own.id, {
    name: 'Tuesday SUN',
    capacity: options.capacity ?? 10,
    defaultRoomId: venue.roomId,
  });
  const facilitators = [
    { staffId: cast.clinicianStaff.id, sessionRole: 'clinical' as const },
    { staffId: cast.livedStaff.id, sessionRole: 'lived_experience' as const },
  ];
  const today = await buildSession(t.db, { groupId: group.id, ...TODAY, roomId: venue.roomId, facilitators });
  const nextWeek = await buildSession(t.db, {
    groupId: group.id,
    ...NEXT_WEEK,
    roomId: venue.roomId,
    facilitators,
  });
  return { venue, group, today, nextWeek, facilitators };
}

const memberNamed = (t: TestApp, cast: Cast, legalName: string) =>
  buildMember(t.db, { organisationId: cast.own.id, legalName });

const base = (groupId: string, sessionId: string) => `/groups/${groupId}/sessions/${sessionId}`;

async function auditActions(t: TestApp, subjectId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

async function expectedAt(t: TestApp, sessionId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('session_expected_members')
    .select('member_id')
    .where('session_id', '=', sessionId)
    .execute();
  return rows.map((r) => r.member_id).sort();
}

/** Every page, with the ids it acts on. */
function pages(groupId: string, sessionId: string, memberId: string, entryId: string): Page[] {
  const b = base(groupId, sessionId);
  return [
    ['GET', `${b}/bookings`],
    ['POST', `${b}/bookings`],
    ['POST', `${b}/waiting-list`],
    ['POST', `${b}/waiting-list/${entryId}/offer`],
    ['POST', `${b}/waiting-list/${entryId}/book`],
    ['GET', `${b}/bookings/${memberId}/cancel`],
    ['POST', `${b}/bookings/${memberId}/cancel`],
    ['GET', `${b}/conduct/${memberId}`],
    ['POST', `${b}/conduct/${memberId}`],
    ['GET', `${b}/register`],
    ['POST', `${b}/register`],
    ['GET', `${b}/note`],
    ['POST', `${b}/note`],
    ['POST', `${b}/note/sign`],
    ['POST', `${b}/incidents`],
    ['GET', `/groups/${groupId}/registers`],
  ];
}

const ANY_FORM = {
  memberId: MISSING_ID,
  kind: 'session',
  byWhom: 'member',
  reason: 'Anything',
  method: 'agreed_by_phone',
  body: 'Anything',
  description: 'Anything',
  version: '1',
  action: 'save',
};

describe('who may use the booking, register and note pages', () => {
  let t: TestApp;
  let cast: Cast;
  let sun: Awaited<ReturnType<typeof buildSunGroup>>;
  let memberId: string;
  let entryId: string;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
    sun = await buildSunGroup(t, cast);
    memberId = (await memberNamed(t, cast, 'Alex Booked')).id;
    await buildBooking(t.db, { sessionId: sun.nextWeek, memberId, staffId: cast.managerStaff.id });
    const waiting = (await memberNamed(t, cast, 'Wren Waiting')).id;
    entryId = (
      await t.db
        .insertInto('waiting_list_entries')
        .values({
          id: '11111111-1111-4111-8111-111111111111',
          group_id: sun.group.id,
          session_id: sun.nextWeek,
          member_id: waiting,
          added_by: cast.managerStaff.id,
          added_at: new Date('2026-03-01T10:00:00Z'),
          offered_by: null,
          offered_at: null,
          closed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(() => t.close());

  const nothingWritten = async () => {
    for (const table of [
      'session_attendance',
      'session_notes',
      'session_incidents',
      'conduct_acknowledgements',
      'group_memberships',
      'session_registers',
    ] as const) {
      const rows = await t.db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(rows.n, 0, table);
    }
    const bookings = await t.db.selectFrom('session_bookings').select(['member_id', 'status']).execute();
    assert.deepEqual(bookings, [{ member_id: memberId, status: 'booked' }]);
    const waiting = await t.db.selectFrom('waiting_list_entries').select('status').execute();
    assert.deepEqual(waiting, [{ status: 'waiting' }]);
  };

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(t.agent(), [
      ...pages(sun.group.id, sun.nextWeek, memberId, entryId),
      ['GET', '/session-incidents'],
    ]);
    await nothingWritten();
  });

  it('refuses a commissioner every page with 403, and changes nothing', async () => {
    await assertEachForbidden(
      cast.commissioner,
      [...pages(sun.group.id, sun.nextWeek, memberId, entryId), ['GET', '/session-incidents']],
      ANY_FORM,
    );
    await nothingWritten();
  });

  it('lets a volunteer see bookings and the register, but not book, take the register or read the note (403)', async () => {
    assert.equal((await cast.volunteer.get(`${base(sun.group.id, sun.nextWeek)}/bookings`)).status, 200);
    assert.equal((await cast.volunteer.get(`${base(sun.group.id, sun.today)}/register`)).status, 200);
    const refused = pages(sun.group.id, sun.nextWeek, memberId, entryId).filter(
      ([method, url]) => method === 'POST' || /\/(cancel|conduct\/[^/]+|note)$/.test(url),
    );
    await assertEachForbidden(cast.volunteer, [...refused, ['GET', '/session-incidents']], ANY_FORM);
    await nothingWritten();
  });

  it('refuses a worker who does not facilitate the session its register, note and incident flag (403)', async () => {
    const register = await cast.peer.get(`${base(sun.group.id, sun.today)}/register`);
    assert.equal(register.status, 200);
    assert.doesNotMatch(register.body, /Save the register/);
    const note = await cast.peer.get(`${base(sun.group.id, sun.today)}/note`);
    assert.equal(note.status, 200);
    assert.doesNotMatch(note.body, /Sign the note|Flag the incident/);
    for (const suffix of ['/register', '/note', '/note/sign', '/incidents']) {
      const response = await cast.peer.post(`${base(sun.group.id, sun.today)}${suffix}`, ANY_FORM);
      assert.equal(response.status, 403, suffix);
    }
    await nothingWritten();
  });

  it('answers another organisation with 404 on every page, exactly as for a session that does not exist', async () => {
    const mine = pages(sun.group.id, sun.nextWeek, memberId, entryId);
    const missing = pages(MISSING_ID, MISSING_ID, MISSING_ID, MISSING_ID);
    for (const [index, [method, url]] of mine.entries()) {
      const theirs = await send(cast.stranger, method, url, ANY_FORM);
      const absent = await send(cast.stranger, method, missing[index]![1], ANY_FORM);
      assert.equal(theirs.status, 404, `${method} ${url}`);
      assert.equal(absent.status, 404, `${method} ${url}`);
      assert.equal(withoutPerResponseValues(theirs.body), withoutPerResponseValues(absent.body));
    }
    // A session reached through another group's address is not found either.
    const otherGroup = await buildGroup(t.db, cast.own.id, { mode: 'online' });
    assert.equal((await cast.manager.get(`${base(otherGroup.id, sun.nextWeek)}/bookings`)).status, 404);
    assert.equal((await cast.manager.get(`${base(sun.group.id, 'not-an-id')}/register`)).status, 404);
    const list = await cast.stranger.get('/session-incidents');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /Tuesday SUN/);
    await nothingWritten();
  });
});

describe('booking members onto a group', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  it('books one member for a session and another every week, finds them by name, and audits it', async () => {
    const sun = await buildSunGroup(t, cast);
    const alex = await memberNamed(t, cast, 'Alex Once');
    const blake = await memberNamed(t, cast, 'Blake Weekly');
    const bookings = `${base(sun.group.id, sun.nextWeek)}/bookings`;
    const search = await cast.peer.get(`${bookings}?q=alex`);
    assert.equal(search.status, 200);
    assert.match(search.body, /<strong>Alex Once<\/strong>/);
    assert.doesNotMatch(search.body, /<strong>Blake Weekly<\/strong>/);
    assert.equal((await cast.peer.post(bookings, { memberId: alex.id, kind: 'session' })).status, 303);
    assert.equal((await cast.peer.post(bookings, { memberId: blake.id, kind: 'weekly' })).status, 303);

    const page = await cast.peer.get(bookings);
    assert.match(page.body, /2 of 10 places booked\. 8 places free\./);
    assert.match(page.body, /Alex Once.*?This session.*?Not agreed yet/);
    assert.match(page.body, /Blake Weekly.*?Every week.*?Not agreed yet/);
    assert.deepEqual(await expectedAt(t, sun.nextWeek), [alex.id, blake.id].sort());
    // A regular is expected at sessions scheduled later too, a single booking only at its own.
    const later = await buildSession(t.db, {
      groupId: sun.group.id,
      ...WEEK_AFTER,
      roomId: sun.venue.roomId,
    });
    assert.deepEqual(await expectedAt(t, later), [blake.id]);
    assert.deepEqual(await expectedAt(t, sun.today), []);

    assert.deepEqual(await auditActions(t, alex.id), ['session_booking.booked']);
    assert.deepEqual(await auditActions(t, blake.id), ['group_membership.booked']);
    const reads = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'session_bookings.read')
      .where('subject_id', '=', sun.nextWeek)
      .orderBy('seq')
      .execute();
    assert.deepEqual(reads[0]?.details, { memberIds: [alex.id] });
    assert.deepEqual(
      (reads.at(-1)?.details as { memberIds: string[] }).memberIds.sort(),
      [alex.id, blake.id].sort(),
    );

    const twice = await cast.peer.post(bookings, { memberId: alex.id, kind: 'session' });
    assert.equal(twice.status, 400);
    assert.match(twice.body, /Alex Once is already booked onto this session/);
    const regular = await cast.peer.post(bookings, { memberId: blake.id, kind: 'session' });
    assert.match(regular.body, /Blake Weekly already has a regular place in this group/);
    const nobody = await cast.peer.post(bookings, {});
    assert.equal(nobody.status, 400);
    assert.match(nobody.body, /<a href="#memberId">Choose who to book<\/a>/);
    const stranger = await buildMember(t.db, {
      organisationId: cast.other.id,
      legalName: 'Elsewhere Person',
    });
    const theirs = await cast.peer.post(bookings, { memberId: stranger.id, kind: 'session' });
    assert.equal(theirs.status, 400);
    assert.match(theirs.body, /Choose who to book from the list/);
    assert.deepEqual(await expectedAt(t, sun.nextWeek), [alex.id, blake.id].sort());
  });

  it('refuses a booking when the room is full with a clear message and the offer of the waiting list', async () => {
    const sun = await buildSunGroup(t, cast, { capacity: 10, roomCapacity: 2 });
    const bookings = `${base(sun.group.id, sun.nextWeek)}/bookings`;
    for (const name of ['Casey One', 'Drew Two']) {
      const member = await memberNamed(t, cast, name);
      assert.equal((await cast.peer.post(bookings, { memberId: member.id, kind: 'session' })).status, 303);
    }
    const third = await memberNamed(t, cast, 'Eden Third');
    const full = await cast.peer.post(bookings, { memberId: third.id, kind: 'session' });
    assert.equal(full.status, 400);
    assert.match(full.body, /<a href="#memberId">This session is full: all 2 places are booked<\/a>/);
    assert.match(full.body, /Add them to the waiting list/);
    assert.match(full.body, new RegExp(`name="memberId" value="${third.id}"`));
    assert.equal((await expectedAt(t, sun.nextWeek)).length, 2);
    // A regular place is refused too while any coming session is full.
    const weekly = await cast.peer.post(bookings, { memberId: third.id, kind: 'weekly' });
    assert.match(weekly.body, /This session is full/);

    const waiting = await cast.peer.post(`${base(sun.group.id, sun.nextWeek)}/waiting-list`, {
      memberId: third.id,
      kind: 'session',
    });
    assert.equal(waiting.status, 303);
    const page = await cast.peer.get(bookings);
    assert.match(page.body, /This session is full/);
    assert.match(page.body, /Eden Third: waiting for this session since/);
    assert.doesNotMatch(page.body, /Offer the place/);
    const again = await cast.peer.post(`${base(sun.group.id, sun.nextWeek)}/waiting-list`, {
      memberId: third.id,
      kind: 'session',
    });
    assert.match(again.body, /Eden Third is already on the waiting list/);
    assert.deepEqual(await auditActions(t, third.id), ['waiting_list.added']);
  });

  it('cancels a booking by the member with a reason, then offers the freed place to the first person waiting', async () => {
    const sun = await buildSunGroup(t, cast, { capacity: 1 });
    const b = base(sun.group.id, sun.nextWeek);
    const booked = await memberNamed(t, cast, 'Frankie Booked');
    const first = await memberNamed(t, cast, 'Gale First');
    const second = await memberNamed(t, cast, 'Harper Second');
    await cast.peer.post(`${b}/bookings`, { memberId: booked.id, kind: 'session' });
    await cast.peer.post(`${b}/waiting-list`, { memberId: first.id, kind: 'session' });
    t.clock.advance(1000);
    await cast.peer.post(`${b}/waiting-list`, { memberId: second.id, kind: 'weekly' });

    const form = await cast.peer.get(`${b}/bookings/${booked.id}/cancel`);
    assert.equal(form.status, 200);
    assert.match(form.body, /Frankie Booked is booked for this session/);
    const empty = await cast.peer.post(`${b}/bookings/${booked.id}/cancel`, { reason: ' ' });
    assert.equal(empty.status, 400);
    assert.match(
      empty.body,
      /<a href="#byWhom">Choose who cancelled<\/a><\/li><li><a href="#reason">Enter why the booking is cancelled<\/a>/,
    );
    const cancelled = await cast.peer.post(`${b}/bookings/${booked.id}/cancel`, {
      byWhom: 'member',
      reason: 'Hospital appointment',
    });
    assert.equal(cancelled.status, 303);
    const row = await t.db
      .selectFrom('session_bookings')
      .select(['status', 'cancel_reason', 'cancelled_by'])
      .where('member_id', '=', booked.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      status: 'cancelled_by_member',
      cancel_reason: 'Hospital appointment',
      cancelled_by: cast.peerStaff.id,
    });
    assert.deepEqual(await expectedAt(t, sun.nextWeek), []);

    const page = await cast.peer.get(`${b}/bookings`);
    assert.match(page.body, /Frankie Booked: cancelled by the member \(Hospital appointment\)/);
    assert.match(page.body, /A place is free: offer it to the first person waiting/);
    assert.match(
      page.body,
      /<li>Gale First: waiting for this session.*?<li>Harper Second: waiting for a regular place/,
    );
    const entries = await t.db
      .selectFrom('waiting_list_entries')
      .select(['id', 'member_id'])
      .where('group_id', '=', sun.group.id)
      .orderBy('added_at')
      .execute();
    const firstEntry = entries[0]!.id;
    assert.equal((await cast.peer.post(`${b}/waiting-list/${firstEntry}/offer`)).status, 303);
    const offered = await cast.peer.get(`${b}/bookings`);
    assert.match(offered.body, /Place offered<\/strong>by Sam Peer on/);
    assert.equal((await cast.peer.post(`${b}/waiting-list/${firstEntry}/book`)).status, 303);
    assert.deepEqual(await expectedAt(t, sun.nextWeek), [first.id]);
    const closed = await t.db
      .selectFrom('waiting_list_entries')
      .select('status')
      .where('id', '=', firstEntry)
      .executeTakeFirstOrThrow();
    assert.equal(closed.status, 'booked');
    // The place is gone again: the next person waiting is told so and stays on the list.
    const gone = await cast.peer.post(`${b}/waiting-list/${entries[1]!.id}/book`);
    assert.equal(gone.status, 400);
    assert.match(gone.body, /This session is full: its one place is booked/);
    assert.deepEqual(await auditActions(t, first.id), [
      'waiting_list.added',
      'waiting_list.place_offered',
      'session_booking.booked',
    ]);
  });

  it('lets a regular miss one week and keep their place, or end it from a session on', async () => {
    const sun = await buildSunGroup(t, cast);
    const later = await buildSession(t.db, {
      groupId: sun.group.id,
      ...WEEK_AFTER,
      roomId: sun.venue.roomId,
    });
    const regular = await memberNamed(t, cast, 'Indy Regular');
    await cast.peer.post(`${base(sun.group.id, sun.nextWeek)}/bookings`, {
      memberId: regular.id,
      kind: 'weekly',
    });
    const cancelPage = await cast.peer.get(
      `${base(sun.group.id, sun.nextWeek)}/bookings/${regular.id}/cancel`,
    );
    assert.match(cancelPage.body, /This session and every week after/);
    await cast.peer.post(`${base(sun.group.id, sun.nextWeek)}/bookings/${regular.id}/cancel`, {
      byWhom: 'member',
      scope: 'this_session',
      reason: 'Away that week',
    });
    assert.deepEqual(await expectedAt(t, sun.nextWeek), []);
    assert.deepEqual(await expectedAt(t, later), [regular.id]);
    await cast.peer.post(`${base(sun.group.id, later)}/bookings/${regular.id}/cancel`, {
      byWhom: 'service',
      scope: 'from_this_session',
      reason: 'Moving to the evening group',
    });
    assert.deepEqual(await expectedAt(t, later), []);
    const furtherOn = await buildSession(t.db, {
      groupId: sun.group.id,
      startsAt: new Date('2026-03-24T10:00:00Z'),
      endsAt: new Date('2026-03-24T12:00:00Z'),
      roomId: sun.venue.roomId,
    });
    assert.deepEqual(await expectedAt(t, furtherOn), []);
    const place = await t.db
      .selectFrom('group_memberships')
      .select(['ended_on', 'ended_by_whom', 'end_reason'])
      .where('member_id', '=', regular.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(place, {
      ended_on: '2026-03-17',
      ended_by_whom: 'service',
      end_reason: 'Moving to the evening group',
    });
  });

  it('takes no booking for a drop-in, and none for a session that has started or been cancelled', async () => {
    const venue = await buildVenue(t.db, { organisationId: cast.own.id });
    const dropIn = await buildGroup(t.db, cast.own.id, { type: 'drop_in', defaultRoomId: venue.roomId });
    const session = await buildSession(t.db, { groupId: dropIn.id, ...NEXT_WEEK, roomId: venue.roomId });
    const member = await memberNamed(t, cast, 'Jordan Drop');
    const page = await cast.peer.get(`${base(dropIn.id, session)}/bookings`);
    assert.match(page.body, /Drop-ins need no booking: record who comes at the register/);
    assert.doesNotMatch(page.body, /Search by name/);
    const refused = await cast.peer.post(`${base(dropIn.id, session)}/bookings`, {
      memberId: member.id,
      kind: 'session',
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /Drop-ins need no booking/);
    const sun = await buildSunGroup(t, cast);
    const started = await cast.peer.post(`${base(sun.group.id, sun.today)}/bookings`, {
      memberId: member.id,
      kind: 'session',
    });
    assert.match(started.body, /This session has already started: record who came at the register/);
    assert.equal(
      await t.db
        .selectFrom('session_bookings')
        .select('id')
        .where('member_id', '=', member.id)
        .executeTakeFirst(),
      undefined,
    );
  });

  it('gives the last place to one of two workers booking at once, and tells the other it is full', async () => {
    const sun = await buildSunGroup(t, cast, { capacity: 1 });
    const bookings = `${base(sun.group.id, sun.nextWeek)}/bookings`;
    const one = await memberNamed(t, cast, 'Kit One');
    const two = await memberNamed(t, cast, 'Lou Two');
    await cast.peer.get(bookings);
    await cast.manager.get(bookings);
    const answers = await Promise.all([
      cast.peer.post(bookings, { memberId: one.id, kind: 'session' }),
      cast.manager.post(bookings, { memberId: two.id, kind: 'session' }),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [303, 400]);
    assert.match(
      answers.find((a) => a.status === 400)!.body,
      /This session is full: its one place is booked/,
    );
    assert.equal((await expectedAt(t, sun.nextWeek)).length, 1);
  });

  it('waits for someone else booking the last place at that moment, then says it is full (fails without the lock)', async () => {
    const sun = await buildSunGroup(t, cast, { capacity: 1 });
    const bookings = `${base(sun.group.id, sun.nextWeek)}/bookings`;
    const mine = await memberNamed(t, cast, 'Mo Mine');
    const theirs = await memberNamed(t, cast, 'Nic Theirs');
    await cast.peer.get(bookings);
    let posting: ReturnType<Agent['post']> | undefined;
    // Another worker's booking holds the group's row while it takes the last place.
    await t.db.transaction().execute(async (tx) => {
      await tx
        .selectFrom('group_programmes')
        .select('id')
        .where('id', '=', sun.group.id)
        .forUpdate()
        .execute();
      posting = cast.peer.post(bookings, { memberId: mine.id, kind: 'session' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await buildBooking(tx, { sessionId: sun.nextWeek, memberId: theirs.id, staffId: cast.managerStaff.id });
    });
    const response = await posting!;
    assert.equal(response.status, 400);
    assert.match(response.body, /This session is full: its one place is booked/);
    assert.deepEqual(await expectedAt(t, sun.nextWeek), [theirs.id]);
  });

  it('records a member agreeing to the code of conduct, how and by whom, and shows it', async () => {
    const sun = await buildSunGroup(t, cast);
    const member = await memberNamed(t, cast, 'Oakley Conduct');
    await buildBooking(t.db, { sessionId: sun.nextWeek, memberId: member.id, staffId: cast.peerStaff.id });
    const b = base(sun.group.id, sun.nextWeek);
    assert.match(
      (await cast.peer.get(`${b}/bookings`)).body,
      /Record agreement<span class="nhsuk-u-visually-hidden">for Oakley Conduct/,
    );
    const form = await cast.peer.get(`${b}/conduct/${member.id}`);
    assert.equal(form.status, 200);
    assert.match(form.body, /How did they agree to it\?/);
    const empty = await cast.peer.post(`${b}/conduct/${member.id}`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#method">Choose how they agreed to the code of conduct<\/a>/);
    assert.equal(
      (await cast.peer.post(`${b}/conduct/${member.id}`, { method: 'agreed_by_phone' })).status,
      303,
    );
    const row = await t.db
      .selectFrom('conduct_acknowledgements')
      .select(['method', 'recorded_by', 'acknowledged_at'])
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      method: 'agreed_by_phone',
      recorded_by: cast.peerStaff.id,
      acknowledged_at: t.clock.now(),
    });
    assert.doesNotMatch((await cast.peer.get(`${b}/bookings`)).body, /Not agreed yet/);
    // Each showing of the form reads their name: the first, the one with the error, then the recording.
    assert.deepEqual(await auditActions(t, member.id), ['conduct.read', 'conduct.read', 'conduct.recorded']);
  });
});

/** The register form's fields as the page drew them: the hidden ones, and each row's chosen status. */
function registerFields(body: string): Record<string, string | string[]> {
  const hidden = (name: string) =>
    [...body.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]!);
  return {
    version: hidden('version')[0]!,
    submissionKey: hidden('submissionKey')[0]!,
    members: hidden('members'),
    walkIns: hidden('walkIns'),
  };
}

describe('the register in one pass', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  it('takes the register with a walk-in, asking for the code of conduct of anyone present who has not agreed it, and saves it whole', async () => {
    const sun = await buildSunGroup(t, cast);
    const booked = await memberNamed(t, cast, 'Alex Booked');
    const regular = await memberNamed(t, cast, 'Blake Regular');
    const walkIn = await memberNamed(t, cast, 'Walker Door');
    await buildBooking(t.db, { sessionId: sun.today, memberId: booked.id, staffId: cast.peerStaff.id });
    await buildMembership(t.db, {
      groupId: sun.group.id,
      memberId: regular.id,
      fromDay: '2026-02-01',
      staffId: cast.peerStaff.id,
    });
    await buildConductAcknowledgement(t.db, { memberId: regular.id, staffId: cast.peerStaff.id });
    const url = `${base(sun.group.id, sun.today)}/register`;

    const page = await cast.clinician.get(url);
    assert.equal(page.status, 200);
    assert.match(
      page.body,
      /<legend[^>]*>Alex Booked<\/legend>.*?Booked for this session\. Has not agreed the code of conduct yet/,
    );
    assert.match(page.body, /<legend[^>]*>Blake Regular<\/legend>.*?Comes every week</);
    assert.match(page.body, /How did Alex Booked agree to the code of conduct\?/);
    assert.doesNotMatch(page.body, /How did Blake Regular agree/);
    const fields = registerFields(page.body);
    assert.deepEqual(fields.members, [booked.id, regular.id]);

    const searched = await cast.clinician.post(url, {
      ...fields,
      action: 'search',
      q: 'walker',
      [`status-${booked.id}`]: 'late',
    });
    assert.equal(searched.status, 200);
    assert.match(searched.body, /<strong>Walker Door<\/strong>/);
    assert.match(searched.body, new RegExp(`name="status-${booked.id}"[^>]*value="late" checked`));
    const added = await cast.clinician.post(url, {
      ...registerFields(searched.body),
      addWalkIn: walkIn.id,
      [`status-${booked.id}`]: 'late',
    });
    assert.equal(added.status, 200);
    assert.match(added.body, /<legend[^>]*>Walker Door<\/legend>.*?Walked in/);
    const withWalkIn = registerFields(added.body);
    assert.deepEqual(withWalkIn.walkIns, [walkIn.id]);
    assert.equal(
      await t.db.selectFrom('session_attendance').select('member_id').executeTakeFirst(),
      undefined,
    );

    const missing = await cast.clinician.post(url, {
      ...withWalkIn,
      action: 'save',
      [`status-${booked.id}`]: 'late',
      [`status-${regular.id}`]: 'attended',
    });
    assert.equal(missing.status, 400);
    assert.match(
      missing.body,
      new RegExp(
        `<a href="#conduct-${booked.id}">Choose how Alex Booked agreed to the code of conduct, or choose a different status</a></li><li><a href="#status-${walkIn.id}">Choose whether Walker Door came</a>`,
      ),
    );
    assert.match(missing.body, new RegExp(`name="status-${regular.id}"[^>]*value="attended" checked`));
    assert.equal(
      await t.db.selectFrom('session_attendance').select('member_id').executeTakeFirst(),
      undefined,
    );
    assert.equal(
      await t.db
        .selectFrom('conduct_acknowledgements')
        .select('member_id')
        .where('member_id', '=', booked.id)
        .executeTakeFirst(),
      undefined,
    );

    const saved = await cast.clinician.post(url, {
      ...withWalkIn,
      action: 'save',
      [`status-${booked.id}`]: 'late',
      [`conduct-${booked.id}`]: 'read_together_in_person',
      [`status-${regular.id}`]: 'attended',
      [`status-${walkIn.id}`]: 'left_early',
      [`conduct-${walkIn.id}`]: 'agreed_by_phone',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `${url}?saved=1`);
    const rows = await t.db
      .selectFrom('session_attendance')
      .select(['member_id', 'status', 'walk_in', 'recorded_by'])
      .where('session_id', '=', sun.today)
      .orderBy('status')
      .execute();
    assert.deepEqual(rows, [
      { member_id: regular.id, status: 'attended', walk_in: false, recorded_by: cast.clinicianStaff.id },
      { member_id: booked.id, status: 'late', walk_in: false, recorded_by: cast.clinicianStaff.id },
      { member_id: walkIn.id, status: 'left_early', walk_in: true, recorded_by: cast.clinicianStaff.id },
    ]);
    const agreed = await t.db
      .selectFrom('conduct_acknowledgements')
      .select(['member_id', 'method', 'recorded_by'])
      .where('member_id', 'in', [booked.id, walkIn.id])
      .orderBy('method')
      .execute();
    assert.deepEqual(agreed, [
      { member_id: walkIn.id, method: 'agreed_by_phone', recorded_by: cast.clinicianStaff.id },
      { member_id: booked.id, method: 'read_together_in_person', recorded_by: cast.clinicianStaff.id },
    ]);
    assert.deepEqual(await auditActions(t, sun.today), [
      'register.read',
      'register.read',
      'register.read',
      'register.read',
      'register.saved',
    ]);
    assert.deepEqual(await auditActions(t, walkIn.id), ['conduct.recorded']);

    const after = await cast.lived.get(`${url}?saved=1`);
    assert.match(after.body, /Register saved/);
    assert.match(after.body, /Last saved by Dana Clinician on 2 March 2026/);
    assert.match(after.body, new RegExp(`name="status-${walkIn.id}"[^>]*value="left_early" checked`));
    assert.match(after.body, /name="version" value="1"/);
    // A manager who organises groups may take any session's register.
    const manager = await cast.manager.get(url);
    assert.match(manager.body, /Save the register/);
  });

  it('saves a double-submitted register once', async () => {
    const sun = await buildSunGroup(t, cast);
    const member = await memberNamed(t, cast, 'Casey Twice');
    await buildBooking(t.db, { sessionId: sun.today, memberId: member.id, staffId: cast.peerStaff.id });
    await buildConductAcknowledgement(t.db, { memberId: member.id, staffId: cast.peerStaff.id });
    const url = `${base(sun.group.id, sun.today)}/register`;
    const fields = {
      ...registerFields((await cast.clinician.get(url)).body),
      action: 'save',
      [`status-${member.id}`]: 'attended',
    };
    const [first, second] = await Promise.all([
      cast.clinician.post(url, fields),
      cast.clinician.post(url, fields),
    ]);
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    const third = await cast.clinician.post(url, fields);
    assert.equal(third.status, 303);
    const register = await t.db
      .selectFrom('session_registers')
      .select('version')
      .where('session_id', '=', sun.today)
      .executeTakeFirstOrThrow();
    assert.equal(register.version, 1);
    assert.equal((await auditActions(t, sun.today)).filter((a) => a === 'register.saved').length, 1);
  });

  it('shows the second of two facilitators saving at once both versions, and overwrites nothing', async () => {
    const sun = await buildSunGroup(t, cast);
    const member = await memberNamed(t, cast, 'Drew Disputed');
    await buildBooking(t.db, { sessionId: sun.today, memberId: member.id, staffId: cast.peerStaff.id });
    await buildConductAcknowledgement(t.db, { memberId: member.id, staffId: cast.peerStaff.id });
    const url = `${base(sun.group.id, sun.today)}/register`;
    const clinicianForm = registerFields((await cast.clinician.get(url)).body);
    const livedForm = registerFields((await cast.lived.get(url)).body);
    const first = await cast.clinician.post(url, {
      ...clinicianForm,
      action: 'save',
      [`status-${member.id}`]: 'attended',
    });
    assert.equal(first.status, 303);
    const second = await cast.lived.post(url, {
      ...livedForm,
      action: 'save',
      [`status-${member.id}`]: 'did_not_attend',
    });
    assert.equal(second.status, 409);
    assert.match(second.body, /<h1>Someone else saved this register<\/h1>/);
    assert.match(second.body, /Dana Clinician saved this register on 2 March 2026/);
    assert.match(
      second.body,
      /The register as saved<\/caption>.*?Drew Disputed<\/td><td class="nhsuk-table__cell">Attended</,
    );
    assert.match(
      second.body,
      /What you entered \(not saved\)<\/caption>.*?Drew Disputed<\/td><td class="nhsuk-table__cell">Did not attend</,
    );
    const row = await t.db
      .selectFrom('session_attendance')
      .select(['status', 'recorded_by'])
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'attended', recorded_by: cast.clinicianStaff.id });
    const register = await t.db
      .selectFrom('session_registers')
      .select('version')
      .where('session_id', '=', sun.today)
      .executeTakeFirstOrThrow();
    assert.equal(register.version, 1);
  });

  it('shows cancelled bookings already marked, records walk-ins at a drop-in, and refuses a register before its day', async () => {
    const venue = await buildVenue(t.db, { organisationId: cast.own.id });
    const dropIn = await buildGroup(t.db, cast.own.id, { type: 'drop_in', defaultRoomId: venue.roomId });
    const session = await buildSession(t.db, {
      groupId: dropIn.id,
      ...TODAY,
      roomId: venue.roomId,
      facilitators: [{ staffId: cast.peerStaff.id, sessionRole: 'peer_worker' }],
    });
    const visitor = await memberNamed(t, cast, 'Ellis Visitor');
    await buildConductAcknowledgement(t.db, { memberId: visitor.id, staffId: cast.peerStaff.id });
    const url = `${base(dropIn.id, session)}/register`;
    const page = await cast.peer.get(url);
    assert.match(page.body, /No one is booked yet\. Add anyone who walked in below\./);
    const noName = await cast.peer.post(url, { ...registerFields(page.body), action: 'search', q: '' });
    assert.equal(noName.status, 400);
    assert.match(noName.body, /<a href="#q">Enter part of the name of the person who walked in<\/a>/);
    const added = await cast.peer.post(url, { ...registerFields(page.body), addWalkIn: visitor.id });
    const saved = await cast.peer.post(url, {
      ...registerFields(added.body),
      action: 'save',
      [`status-${visitor.id}`]: 'attended',
    });
    assert.equal(saved.status, 303);
    const row = await t.db
      .selectFrom('session_attendance')
      .select(['status', 'walk_in'])
      .where('session_id', '=', session)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'attended', walk_in: true });

    const sun = await buildSunGroup(t, cast);
    const cancelled = await memberNamed(t, cast, 'Finley Cancelled');
    await t.db
      .insertInto('session_bookings')
      .values({
        id: '22222222-2222-4222-8222-222222222222',
        session_id: sun.today,
        member_id: cancelled.id,
        status: 'cancelled_by_member',
        cancel_reason: 'Unwell',
        booked_by: cast.peerStaff.id,
        booked_at: TODAY.startsAt,
        cancelled_by: cast.peerStaff.id,
        cancelled_at: TODAY.startsAt,
      })
      .execute();
    const register = await cast.clinician.get(`${base(sun.group.id, sun.today)}/register`);
    assert.match(
      register.body,
      new RegExp(`name="status-${cancelled.id}"[^>]*value="cancelled_by_member" checked`),
    );

    const early = await cast.clinician.get(`${base(sun.group.id, sun.nextWeek)}/register`);
    assert.match(early.body, /You can take the register from the day of the session/);
    assert.doesNotMatch(early.body, /Save the register/);
    const refused = await cast.clinician.post(`${base(sun.group.id, sun.nextWeek)}/register`, {
      version: '0',
      submissionKey: '33333333-3333-4333-8333-333333333333',
      action: 'save',
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /You can take the register from the day of the session/);
  });

  it("lets a partner organisation's clinician who co-facilitates take the register and sign the note, and their colleagues nothing (404)", async () => {
    const trustClinician = await buildStaff(t.db, {
      organisationId: cast.other.id,
      roles: ['clinical_facilitator'],
      fullName: 'Tara Trust',
    });
    const venue = await buildVenue(t.db, { organisationId: cast.own.id });
    // The service both organisations run, as the SUN model's "one team".
    const service = await buildService(t.db, [cast.own.id, cast.other.id]);
    const group = await buildGroup(t.db, cast.own.id, { defaultRoomId: venue.roomId, serviceId: service.id });
    const session = await buildSession(t.db, {
      groupId: group.id,
      ...TODAY,
      roomId: venue.roomId,
      facilitators: [
        { staffId: trustClinician.id, sessionRole: 'clinical' },
        { staffId: cast.livedStaff.id, sessionRole: 'lived_experience' },
      ],
    });
    const member = await memberNamed(t, cast, 'Rowan Shared');
    await buildBooking(t.db, { sessionId: session, memberId: member.id, staffId: cast.peerStaff.id });
    await buildConductAcknowledgement(t.db, { memberId: member.id, staffId: cast.peerStaff.id });
    const partner = await signedInAgent(t, trustClinician);
    const url = `${base(group.id, session)}/register`;
    // Named on the session, but with no agreement sharing contacts and sessions: nothing to see.
    assert.equal((await partner.get(url)).status, 404);
    await buildAgreement(t.db, [
      { organisationId: cast.own.id, categories: ['contacts_and_sessions'] },
      { organisationId: cast.other.id, categories: ['contacts_and_sessions'] },
    ]);
    const page = await partner.get(url);
    assert.equal(page.status, 200);
    const saved = await partner.post(url, {
      ...registerFields(page.body),
      action: 'save',
      [`status-${member.id}`]: 'attended',
    });
    assert.equal(saved.status, 303);
    assert.equal(
      (await partner.post(`${base(group.id, session)}/note`, { body: 'Shared note.', version: '0' })).status,
      303,
    );
    assert.equal((await partner.post(`${base(group.id, session)}/note/sign`, { version: '1' })).status, 303);
    // Booking stays with the organisation that runs the group; the partner's other staff see nothing.
    assert.equal(
      (await partner.post(`${base(group.id, session)}/bookings`, { memberId: member.id, kind: 'session' }))
        .status,
      404,
    );
    for (const suffix of ['/register', '/note', '/bookings']) {
      assert.equal((await cast.stranger.get(`${base(group.id, session)}${suffix}`)).status, 404, suffix);
    }
  });

  it('loads a register with the same number of queries whether 2 or 40 people are on it', async () => {
    const counted = (): { queries: number; plugin: KyselyPlugin } => {
      const state = { queries: 0, plugin: undefined as unknown as KyselyPlugin };
      state.plugin = {
        transformQuery: (args) => {
          state.queries += 1;
          return args.node;
        },
        transformResult: (args) => Promise.resolve(args.result),
      };
      return state;
    };
    const queriesFor = async (people: number) => {
      const sun = await buildSunGroup(t, cast, { capacity: 50, roomCapacity: 50 });
      for (let i = 0; i < people; i += 1) {
        const member = await memberNamed(t, cast, `Person ${i}`);
        await buildBooking(t.db, { sessionId: sun.today, memberId: member.id, staffId: cast.peerStaff.id });
        await buildAttendance(t.db, {
          sessionId: sun.today,
          memberId: member.id,
          status: 'attended',
          staffId: cast.peerStaff.id,
        });
      }
      const counter = counted();
      const view = await viewRegister(
        {
          db: t.db.withPlugin(counter.plugin),
          actor: {
            kind: 'staff',
            id: cast.clinicianStaff.id,
            organisationId: cast.own.id,
            hostOrganisation: true,
            roles: ['clinical_facilitator'],
            sharing: [],
          },
          origin: {},
          clock: t.clock,
        },
        sun.group.id,
        sun.today,
      );
      assert.equal(view.rows.length, people);
      return counter.queries;
    };
    assert.equal(await queriesFor(2), await queriesFor(40));
  });
});

describe('the session note and incidents', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  it('is drafted by one facilitator and signed by each from their own account; a change asks both to sign again', async () => {
    const sun = await buildSunGroup(t, cast);
    const url = `${base(sun.group.id, sun.today)}/note`;
    const empty = await cast.clinician.post(url, { body: ' ', version: '0' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#body">Enter the session note<\/a>/);
    assert.equal(
      (await cast.clinician.post(url, { body: 'A settled group.\nWe talked about sleep.', version: '0' }))
        .status,
      303,
    );

    const drafted = await cast.lived.get(url);
    assert.match(drafted.body, /<p>A settled group\.<\/p><p>We talked about sleep\.<\/p>/);
    assert.match(drafted.body, /Drafted by Dana Clinician on 2 March 2026/);
    assert.match(
      drafted.body,
      /Dana Clinician \(clinical facilitator\)<\/dt><dd class="nhsuk-summary-list__value">Not signed yet/,
    );
    assert.match(drafted.body, /Sign the note as Lee Lived/);

    assert.equal((await cast.clinician.post(`${url}/sign`, { version: '1' })).status, 303);
    t.clock.advance(60_000);
    assert.equal((await cast.lived.post(`${url}/sign`, { version: '1' })).status, 303);
    const signed = await cast.manager.get(url);
    assert.match(
      signed.body,
      /Dana Clinician \(clinical facilitator\)<\/dt><dd class="nhsuk-summary-list__value">Signed on 2 March 2026/,
    );
    assert.match(
      signed.body,
      /Lee Lived \(lived experience facilitator\)<\/dt><dd class="nhsuk-summary-list__value">Signed on 2 March 2026/,
    );
    assert.match(signed.body, /Every facilitator has signed this version of the note/);
    const signatures = await t.db
      .selectFrom('session_note_signatures')
      .select(['staff_id', 'note_version'])
      .orderBy('signed_at')
      .execute();
    assert.deepEqual(signatures, [
      { staff_id: cast.clinicianStaff.id, note_version: 1 },
      { staff_id: cast.livedStaff.id, note_version: 1 },
    ]);

    assert.equal(
      (
        await cast.lived.post(url, {
          body: 'A settled group. We talked about sleep and routines.',
          version: '1',
        })
      ).status,
      303,
    );
    const changed = await cast.clinician.get(url);
    assert.match(
      changed.body,
      /Dana Clinician \(clinical facilitator\)<\/dt><dd class="nhsuk-summary-list__value">Signed an earlier version on 2 March 2026 at \d+(:\d+)?[ap]m: needs to sign again/,
    );
    assert.doesNotMatch(changed.body, /Every facilitator has signed/);
    assert.match(changed.body, /last changed by Lee Lived/);
    // A signature is of the words the signer read: a page opened before the change cannot sign.
    const stale = await cast.clinician.post(`${url}/sign`, { version: '1' });
    assert.equal(stale.status, 400);
    assert.match(
      stale.body,
      /<a href="#sign">The note has changed since you opened it: read it again, then sign<\/a>/,
    );
    const staleEdit = await cast.clinician.post(url, { body: 'Overwriting', version: '1' });
    assert.equal(staleEdit.status, 409);
    const note = await t.db.selectFrom('session_notes').select(['body', 'version']).executeTakeFirstOrThrow();
    assert.deepEqual(note, { body: 'A settled group. We talked about sleep and routines.', version: 2 });

    const reads = (await auditActions(t, sun.today)).filter((a) => a === 'session_note.read').length;
    // Every page that showed the note: the error page, four views, and the stale-signature page.
    assert.equal(reads, 5);
    assert.deepEqual(
      (await auditActions(t, sun.today)).filter((a) => a !== 'session_note.read'),
      ['session_note.drafted', 'session_note.signed', 'session_note.signed', 'session_note.changed'],
    );
  });

  it("lists a group's registers and notes with what is still to do, naming no one", async () => {
    const sun = await buildSunGroup(t, cast);
    const member = await memberNamed(t, cast, 'Sasha Listed');
    await buildBooking(t.db, { sessionId: sun.today, memberId: member.id, staffId: cast.peerStaff.id });
    const before = await cast.lived.get(`/groups/${sun.group.id}/registers`);
    assert.equal(before.status, 200);
    assert.match(before.body, /Monday 2 March 2026, 09:30 to 11:30.*?Not taken yet.*?No note yet/);
    assert.match(
      before.body,
      /Tuesday 10 March 2026, 10:00 to 12:00.*?Can be taken from the day of the session/,
    );
    assert.doesNotMatch(before.body, /Sasha Listed/);
    await buildAttendance(t.db, {
      sessionId: sun.today,
      memberId: member.id,
      status: 'attended',
      staffId: cast.clinicianStaff.id,
    });
    await t.db
      .insertInto('session_registers')
      .values({
        session_id: sun.today,
        version: 1,
        saved_by: cast.clinicianStaff.id,
        saved_at: t.clock.now(),
      })
      .execute();
    const note = `${base(sun.group.id, sun.today)}/note`;
    await cast.clinician.post(note, { body: 'A good group.', version: '0' });
    await cast.clinician.post(`${note}/sign`, { version: '1' });
    const half = await cast.lived.get(`/groups/${sun.group.id}/registers`);
    assert.match(
      half.body,
      /Taken by Dana Clinician on 2 March 2026 at [^(]+\(1 recorded\).*?Signed by 1 of 2 facilitators/,
    );
    await cast.lived.post(`${note}/sign`, { version: '1' });
    await cast.lived.post(`${base(sun.group.id, sun.today)}/incidents`, {
      description: 'Someone felt unwell',
    });
    const done = await cast.lived.get(`/groups/${sun.group.id}/registers`);
    assert.match(done.body, /Incident flagged.*?Signed by every facilitator/);
  });

  it('stores an incident flag with a short description, shows it on the session and lists it for managers', async () => {
    const sun = await buildSunGroup(t, cast);
    const url = `${base(sun.group.id, sun.today)}/incidents`;
    const empty = await cast.lived.post(url, { description: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#description">Enter a short description of the incident<\/a>/);
    assert.equal(
      (await cast.lived.post(url, { description: 'A member left upset; followed up by phone' })).status,
      303,
    );
    const note = await cast.clinician.get(`${base(sun.group.id, sun.today)}/note`);
    assert.match(note.body, /Incident<\/strong>A member left upset; followed up by phone/);
    assert.match(note.body, /Flagged by Lee Lived on 2 March 2026/);
    const list = await cast.manager.get('/session-incidents');
    assert.equal(list.status, 200);
    assert.match(
      list.body,
      /Tuesday SUN, Monday 2 March 2026<\/a><\/td><td class="nhsuk-table__cell">A member left upset; followed up by phone/,
    );
    assert.equal((await cast.peer.get('/session-incidents')).status, 403);
    assert.deepEqual(
      (await auditActions(t, sun.today)).filter((a) => a.startsWith('session_incident')),
      ['session_incident.flagged'],
    );
  });
});

describe('a form sent twice (a double click, a resent request) saves once', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await startTestApp();
    cast = await buildCast(t);
  });
  after(() => t.close());

  it('cancels a booking, books a place from the waiting list, drafts a note and flags an incident once each', async () => {
    const sun = await buildSunGroup(t, cast, { capacity: 1 });
    const b = base(sun.group.id, sun.nextWeek);
    const booked = await memberNamed(t, cast, 'Pat Booked');
    const waiting = await memberNamed(t, cast, 'Quinn Waiting');
    await cast.peer.post(`${b}/bookings`, { memberId: booked.id, kind: 'session' });
    await cast.peer.post(`${b}/waiting-list`, { memberId: waiting.id, kind: 'session' });
    const cancel = { byWhom: 'service', reason: 'Group moved online for this week' };
    assert.equal((await cast.peer.post(`${b}/bookings/${booked.id}/cancel`, cancel)).status, 303);
    assert.equal((await cast.peer.post(`${b}/bookings/${booked.id}/cancel`, cancel)).status, 303);
    assert.deepEqual(
      (await auditActions(t, booked.id)).filter((a) => a === 'session_booking.cancelled'),
      ['session_booking.cancelled'],
    );
    const entry = await t.db.selectFrom('waiting_list_entries').select('id').executeTakeFirstOrThrow();
    assert.equal((await cast.peer.post(`${b}/waiting-list/${entry.id}/book`)).status, 303);
    assert.equal((await cast.peer.post(`${b}/waiting-list/${entry.id}/book`)).status, 303);
    assert.deepEqual(await expectedAt(t, sun.nextWeek), [waiting.id]);
    assert.equal((await cast.peer.post(`${b}/waiting-list/${entry.id}/offer`)).status, 404);

    const note = { body: 'We planned the summer outing together.', version: '0' };
    const [first, second] = await Promise.all([
      cast.clinician.post(`${b}/note`, note),
      cast.clinician.post(`${b}/note`, note),
    ]);
    assert.deepEqual([first.status, second.status], [303, 303]);
    const incident = { description: 'A fire alarm test interrupted the group' };
    await cast.clinician.post(`${b}/incidents`, incident);
    await cast.clinician.post(`${b}/incidents`, incident);
    const actions = await auditActions(t, sun.nextWeek);
    assert.deepEqual(
      actions.filter((a) => a === 'session_note.drafted' || a === 'session_incident.flagged'),
      ['session_note.drafted', 'session_incident.flagged'],
    );
    assert.equal((await t.db.selectFrom('session_incidents').select('id').execute()).length, 1);
  });

  it('flags an incident once when the same flag arrives while the first is still being saved', async () => {
    const sun = await buildSunGroup(t, cast);
    const description = 'Someone left upset and a facilitator followed them out';
    let answer: Promise<{ status: number }> | undefined;
    // The first copy, part way through its save: it holds the session's flags and has written its row.
    await t.db.transaction().execute(async (tx) => {
      await lockSessionIncidents(tx, sun.today);
      await insertIncident(tx, sun.today, description, cast.clinicianStaff.id, t.clock.now());
      answer = cast.clinician.post(`${base(sun.group.id, sun.today)}/incidents`, { description });
      // The second copy waits for the first rather than checking for it before it is saved (without
      // the lock it is answered at once, and saves a second row once the first commits).
      assert.ok(await waitsOnAdvisoryLock(t.db, answer), 'the second copy waited for the first');
    });
    assert.equal((await answer!).status, 303);
    const saved = await t.db
      .selectFrom('session_incidents')
      .select('id')
      .where('session_id', '=', sun.today)
      .execute();
    assert.equal(saved.length, 1);
  });
});
