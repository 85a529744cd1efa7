import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Ctx } from '../../context.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { StaffActor } from '../../policy/index.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { listNotEngaging as listNotEngagingRows } from './engagement.repo.ts';
import { listNotEngaging, logFollowUp } from './engagement.service.ts';

describe('the engagement use cases', () => {
  let database: TestDatabase;
  let ctx: Ctx;
  let own: string;
  let other: string;
  let ownEpisode: string;
  let ownMember: string;
  let otherEpisode: string;
  let otherMember: string;

  before(async () => {
    database = await createTestDatabase();
    own = (await hostOrganisation(database.db)).id;
    other = (await buildOrganisation(database.db)).id;
    const staff = await buildStaff(database.db, { organisationId: own });
    const actor: StaffActor = {
      kind: 'staff',
      id: staff.id,
      organisationId: own,
      hostOrganisation: true,
      roles: ['peer_support_worker'],
      sharing: [],
    };
    ctx = { db: database.db, actor, origin: {}, clock: new TestClock() };
    ownMember = (await buildMember(database.db, { organisationId: own, preferredName: 'Robin' })).id;
    ownEpisode = (
      await buildEpisode(database.db, { memberId: ownMember, organisationId: own, startedOn: '2026-01-05' })
    ).id;
    otherMember = (await buildMember(database.db, { organisationId: other })).id;
    otherEpisode = (
      await buildEpisode(database.db, {
        memberId: otherMember,
        organisationId: other,
        startedOn: '2026-01-05',
      })
    ).id;
  });
  after(() => database.drop());

  it('scopes the worklist query to one organisation inside the query itself', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const mine = await listNotEngagingRows(database.db, { organisationId: own, now });
    const theirs = await listNotEngagingRows(database.db, { organisationId: other, now });
    assert.deepEqual(
      mine.map((row) => row.episodeId),
      [ownEpisode],
    );
    assert.deepEqual(
      theirs.map((row) => row.episodeId),
      [otherEpisode],
    );
  });

  it('lists the actor’s organisation only, with the next step and whole weeks quiet', async () => {
    const list = await listNotEngaging(ctx, { mine: false });
    assert.equal(list.length, 1);
    assert.equal(list[0]?.name, 'Robin');
    assert.equal(list[0]?.weeksQuiet, 8);
    assert.equal(list[0]?.nextStep, 'call');
    assert.equal(list[0]?.reviewHeld, false);
  });

  it('refuses anyone not signed in, and treats another organisation’s episode as missing', async () => {
    await assert.rejects(
      listNotEngaging({ ...ctx, actor: { kind: 'anonymous' } }, { mine: false }),
      Forbidden,
    );
    const input = {
      step: 'call' as const,
      outcome: 'spoke' as const,
      note: undefined,
      at: new Date('2026-03-01T09:00:00Z'),
    };
    await assert.rejects(logFollowUp(ctx, otherMember, otherEpisode, input), NotFound);
    await assert.rejects(logFollowUp(ctx, otherMember, ownEpisode, input), NotFound);
  });

  it('never discharges anyone, however many attempts fail, and keeps every attempt', async () => {
    const steps = ['call', 'text', 'letter', 'review', 'call', 'call'] as const;
    const outcomes = { call: 'no_answer', text: 'sent', letter: 'sent', review: 'reviewed' } as const;
    for (const [index, step] of steps.entries()) {
      await logFollowUp(ctx, ownMember, ownEpisode, {
        step,
        outcome: outcomes[step],
        note: undefined,
        at: new Date(Date.UTC(2026, 1, 20 + index, 9)),
      });
    }
    const episode = await database.db
      .selectFrom('episodes')
      .select(['status', 'discharged_on', 'version'])
      .where('id', '=', ownEpisode)
      .executeTakeFirstOrThrow();
    assert.deepEqual(episode, { status: 'active', discharged_on: null, version: 1 });
    const list = await listNotEngaging(ctx, { mine: false });
    assert.equal(list[0]?.nextStep, 'review');
    assert.equal(list[0]?.reviewHeld, true);
    assert.deepEqual(list[0]?.stepsSinceEngagement, [...steps]);
  });
});
