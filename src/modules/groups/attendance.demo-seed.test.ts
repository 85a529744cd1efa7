import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedAttendance } from '../../demo/seed-attendance.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { hostOrganisation } from '../../testing/builders/organisations.ts';
import { signedInAgent, startTestApp, type TestApp } from '../../testing/test-app.ts';

const WEEK_MS = 7 * 86_400_000;

describe('the demo bookings and registers', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('gives each weekly group regulars, past registers with signed notes and one incident, and drop-ins walk-ins', async () => {
    const org = await hostOrganisation(t.db);
    const clinician = await buildStaff(t.db, { organisationId: org.id, roles: ['clinical_facilitator'] });
    const lived = await buildStaff(t.db, {
      organisationId: org.id,
      roles: ['lived_experience_practitioner'],
    });
    const manager = await buildStaff(t.db, { organisationId: org.id, roles: ['service_manager'] });
    const venue = await buildVenue(t.db, { organisationId: org.id, capacity: 20 });
    const sun = await buildGroup(t.db, org.id, { name: 'A SUN group', type: 'sun_group', capacity: 12 });
    const dropIn = await buildGroup(t.db, org.id, { name: 'B drop-in', type: 'drop_in', capacity: 20 });
    const sessions: { groupId: string; id: string; past: boolean }[] = [];
    for (const group of [sun, dropIn]) {
      for (let week = -3; week <= 2; week += 1) {
        const startsAt = new Date(t.clock.now().getTime() + week * WEEK_MS + 3_600_000);
        const id = await buildSession(t.db, {
          groupId: group.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 7_200_000),
          roomId: venue.roomId,
          facilitators:
            group === sun
              ? [
                  { staffId: clinician.id, sessionRole: 'clinical' },
                  { staffId: lived.id, sessionRole: 'lived_experience' },
                ]
              : [{ staffId: lived.id, sessionRole: 'peer_worker' }],
        });
        sessions.push({ groupId: group.id, id, past: week < 0 });
      }
    }
    await t.db
      .transaction()
      .execute((tx) =>
        seedAttendance(
          tx,
          { organisationId: org.id, bookers: [manager.id], groupIds: [sun.id, dropIn.id], memberIds: [] },
          t.clock.now(),
        ),
      );

    for (const session of sessions) {
      const expected = await t.db
        .selectFrom('session_expected_members')
        .select('member_id')
        .where('session_id', '=', session.id)
        .execute();
      const attendance = await t.db
        .selectFrom('session_attendance')
        .select(['status', 'walk_in'])
        .where('session_id', '=', session.id)
        .execute();
      if (session.groupId === sun.id) {
        assert.ok(expected.length >= 5, 'regulars are expected every week');
        assert.equal(attendance.length > 0, session.past);
      } else {
        assert.equal(expected.length, 0, 'nobody books a drop-in');
        assert.equal(attendance.length > 0 && attendance.every((a) => a.walk_in), session.past);
      }
    }
    // Everyone who came had agreed the code of conduct first.
    const unagreed = await t.db
      .selectFrom('session_attendance as a')
      .leftJoin('conduct_acknowledgements as c', 'c.member_id', 'a.member_id')
      .select('a.member_id')
      .where('c.member_id', 'is', null)
      .execute();
    assert.deepEqual(unagreed, []);
    const unsigned = await t.db
      .selectFrom('session_notes as n')
      .innerJoin('group_session_facilitators as f', 'f.session_id', 'n.session_id')
      .leftJoin('session_note_signatures as s', (join) =>
        join.onRef('s.session_id', '=', 'n.session_id').onRef('s.staff_id', '=', 'f.staff_id'),
      )
      .select('n.session_id')
      .where('s.staff_id', 'is', null)
      .execute();
    assert.deepEqual(unsigned, []);

    const agent = await signedInAgent(t, manager);
    for (const session of sessions) {
      for (const page of ['bookings', 'register', 'note']) {
        const response = await agent.get(`/groups/${session.groupId}/sessions/${session.id}/${page}`);
        assert.equal(response.status, 200, page);
      }
    }
    assert.match((await agent.get('/session-incidents')).body, /A SUN group, /);
  });
});
