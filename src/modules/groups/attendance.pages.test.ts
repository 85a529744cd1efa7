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
