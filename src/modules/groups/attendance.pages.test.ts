import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import {
  buildAttendance,
  buildBooking,
  buildConductAcknowledgement,
  buildMembership,
} from '../../testing/builders/attendance.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
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
    assert.match(gone.body, /This session is full: all 1 places are booked|This session is full/);
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
      /This session is full: all 1 places are booked/,
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
    assert.match(response.body, /This session is full: all 1 places are booked/);
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
