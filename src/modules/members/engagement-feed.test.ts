import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildAttendance } from '../../testing/builders/attendance.ts';
import { buildContact } from '../../testing/builders/contacts.ts';
import { buildGroup, buildSession } from '../../testing/builders/groups.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, buildService, hostOrganisation } from '../../testing/builders/organisations.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { listNotEngaging } from './engagement.repo.ts';

const NOW = new Date('2026-03-30T10:00:00Z');
const STARTED_ON = '2026-01-05';

/**
 * The non-engagement worklist is fed by group attendance and one-to-one contacts (migration 0014):
 * each test starts someone quiet since their episode began, then records one thing and checks
 * whether it counts as being in touch.
 */
describe('what counts as being in touch on the non-engagement worklist', () => {
  let database: TestDatabase;
  let own: string;
  let partner: string;
  let worker: string;
  let partnerWorker: string;

  before(async () => {
    database = await createTestDatabase();
    own = (await hostOrganisation(database.db)).id;
    partner = (await buildOrganisation(database.db)).id;
    worker = (await buildStaff(database.db, { organisationId: own })).id;
    partnerWorker = (await buildStaff(database.db, { organisationId: partner })).id;
  });
  after(() => database.drop());

  async function quietPerson() {
    const memberId = (await buildMember(database.db, { organisationId: own })).id;
    const episodeId = (
      await buildEpisode(database.db, { memberId, organisationId: own, startedOn: STARTED_ON })
    ).id;
    return { memberId, episodeId };
  }

  async function lastEngaged(episodeId: string): Promise<Date | undefined> {
    const rows = await listNotEngaging(database.db, { organisationId: own, now: NOW });
    return rows.find((row) => row.episodeId === episodeId)?.lastEngagedAt;
  }

  async function sessionOf(organisationId: string, startsAt: Date): Promise<string> {
    const groupId = (await buildGroup(database.db, organisationId)).id;
    return buildSession(database.db, {
      groupId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
    });
  }

  it('lists someone with nothing recorded since their episode began', async () => {
    const { episodeId } = await quietPerson();
    assert.equal((await lastEngaged(episodeId))?.toISOString(), '2026-01-05T00:00:00.000Z');
  });

  for (const status of ['attended', 'late', 'left_early'] as const) {
    it(`takes someone off the list who came to a group (${status}) recently`, async () => {
      const { memberId, episodeId } = await quietPerson();
      const sessionId = await sessionOf(own, new Date('2026-03-24T10:00:00Z'));
      await buildAttendance(database.db, { sessionId, memberId, status, staffId: worker });
      assert.equal(await lastEngaged(episodeId), undefined);
    });
  }

  for (const status of ['did_not_attend', 'cancelled_by_member', 'cancelled_by_service'] as const) {
    it(`keeps someone on the list whose register says ${status}`, async () => {
      const { memberId, episodeId } = await quietPerson();
      const sessionId = await sessionOf(own, new Date('2026-03-24T10:00:00Z'));
      await buildAttendance(database.db, { sessionId, memberId, status, staffId: worker });
      assert.ok(await lastEngaged(episodeId));
    });
  }

  it('counts a group the partner organisation runs, and dates it by the session, not the register', async () => {
    const { memberId, episodeId } = await quietPerson();
    const sessionId = await sessionOf(partner, new Date('2026-02-10T10:00:00Z'));
    await buildAttendance(database.db, { sessionId, memberId, status: 'attended', staffId: partnerWorker });
    assert.equal((await lastEngaged(episodeId))?.toISOString(), '2026-02-10T10:00:00.000Z');
  });

  it('ignores attendance from before the episode began', async () => {
    const { memberId, episodeId } = await quietPerson();
    const sessionId = await sessionOf(own, new Date('2025-12-01T10:00:00Z'));
    await buildAttendance(database.db, { sessionId, memberId, status: 'attended', staffId: worker });
    assert.equal((await lastEngaged(episodeId))?.toISOString(), '2026-01-05T00:00:00.000Z');
  });

  it('takes someone off the list after a one-to-one contact in this episode that happened', async () => {
    const { memberId, episodeId } = await quietPerson();
    await buildContact(database.db, {
      organisationId: own,
      memberId,
      episodeId,
      recordedBy: worker,
      occurredAt: new Date('2026-03-25T11:00:00Z'),
      status: 'happened',
    });
    assert.equal(await lastEngaged(episodeId), undefined);
  });

  it('counts a contact the organisation recorded without an episode, or under their other episode', async () => {
    const { memberId, episodeId } = await quietPerson();
    const anotherService = await buildService(database.db, [own]);
    const secondEpisode = (
      await buildEpisode(database.db, {
        memberId,
        organisationId: own,
        serviceId: anotherService.id,
        startedOn: STARTED_ON,
      })
    ).id;
    await buildContact(database.db, {
      organisationId: own,
      memberId,
      episodeId: secondEpisode,
      recordedBy: worker,
      occurredAt: new Date('2026-03-25T11:00:00Z'),
    });
    assert.equal(await lastEngaged(episodeId), undefined);
    const other = await quietPerson();
    await buildContact(database.db, {
      organisationId: own,
      memberId: other.memberId,
      episodeId: null,
      recordedBy: worker,
      occurredAt: new Date('2026-03-25T11:00:00Z'),
    });
    assert.equal(await lastEngaged(other.episodeId), undefined);
  });

  it('does not count a contact another organisation recorded, or one from before the episode', async () => {
    const { memberId, episodeId } = await quietPerson();
    await buildContact(database.db, {
      organisationId: partner,
      memberId,
      recordedBy: partnerWorker,
      occurredAt: new Date('2026-03-25T11:00:00Z'),
    });
    await buildContact(database.db, {
      organisationId: own,
      memberId,
      recordedBy: worker,
      occurredAt: new Date('2025-12-20T11:00:00Z'),
    });
    assert.equal((await lastEngaged(episodeId))?.toISOString(), '2026-01-05T00:00:00.000Z');
  });

  it('does not count a planned contact, or one that did not happen', async () => {
    const { memberId, episodeId } = await quietPerson();
    const missed = await buildContact(database.db, {
      organisationId: own,
      memberId,
      episodeId,
      recordedBy: worker,
      occurredAt: new Date('2026-03-25T11:00:00Z'),
      status: 'planned',
      durationMinutes: null,
    });
    await database.db
      .updateTable('contacts')
      .set({ status: 'did_not_happen', not_happened_reason: 'No answer' })
      .where('id', '=', missed.id)
      .execute();
    await buildContact(database.db, {
      organisationId: own,
      memberId,
      episodeId,
      recordedBy: worker,
      occurredAt: new Date('2026-04-02T11:00:00Z'),
      status: 'planned',
      durationMinutes: null,
    });
    assert.equal((await lastEngaged(episodeId))?.toISOString(), '2026-01-05T00:00:00.000Z');
  });
});
