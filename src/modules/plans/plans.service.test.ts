import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedPlans } from '../../demo/seed-plans.ts';
import { NotFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/forms/forms.ts';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { buildPlan, memberCtx, planContent, staffCtx } from '../../testing/builders/plans.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { networkPicture } from './network-picture.ts';
import { comparePlans, summaryOfChanges } from './plan-compare.ts';
import { PLAN_KINDS } from './plan-kinds.ts';
import { planChangeForm } from './plans.forms.ts';
import { listMemberPlans, listMemberNotices, saveChange, viewPlan, viewProposal } from './plans.service.ts';

describe('comparing versions in words', () => {
  it('lists the lines added and taken out of each part, and says which parts did not change', () => {
    const before = planContent('resource_and_support', {
      whatHelps: 'Walking\nMusic',
      earlySigns: 'Not sleeping',
    });
    const after = planContent(
      'resource_and_support',
      { whatHelps: 'Walking\nSwimming', earlySigns: 'Not sleeping' },
      '2026-06-15',
    );
    const parts = comparePlans('resource_and_support', before, after);
    const helps = parts.find((p) => p.label === 'What helps me');
    assert.deepEqual(helps && { added: helps.added, removed: helps.removed }, {
      added: ['Swimming'],
      removed: ['Music'],
    });
    assert.equal(parts.find((p) => p.label === 'My early signs')?.changed, false);
    assert.deepEqual(parts.at(-1)?.added, ['15 June 2026']);
    assert.equal(
      summaryOfChanges('resource_and_support', before, after),
      'Changed: What helps me, Review date',
    );
  });

  it('has the six steps of the safety plan in order, then reasons for living, and no score anywhere', () => {
    const labels = PLAN_KINDS.safety.fields.map((f) => f.label);
    assert.deepEqual(
      labels.map((l) => /^Step (\d)/.exec(l)?.[1] ?? 'other'),
      ['1', '2', '3', '4', '5', '6', 'other'],
    );
    const everyWord = JSON.stringify(PLAN_KINDS).toLowerCase();
    assert.doesNotMatch(everyWord, /risk level|low risk|high risk|score/);
  });
});

describe('the network picture', () => {
  it('puts the closest nearest the middle and says the same in words', () => {
    const picture = networkPicture([
      { name: 'Jo', kind: 'person', closeness: 'very_close' },
      { name: 'GP surgery', kind: 'service', closeness: 'further_away' },
    ]);
    const distance = (n: { x: number; y: number }) => Math.hypot(n.x - picture.centre, n.y - picture.centre);
    const [jo, gp] = picture.nodes;
    assert.ok(jo && gp && distance(jo) < distance(gp));
    assert.equal(gp?.shape, 'diamond');
    assert.match(
      picture.description,
      /Very close: Jo \(a person\)\. Further away: GP surgery \(a service\)\./,
    );
  });
});

describe('the plan form', () => {
  it('keeps messages in page order and reads a real review date', () => {
    const bad = parseForm(planChangeForm('goal', 'staff'), {
      basedOn: '0',
      goal: '',
      waysToWellbeing: ['connect', 'fly'],
      'reviewOn-day': '30',
      'reviewOn-month': '2',
      'reviewOn-year': '2026',
    });
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.errorList.map((e) => e.href), [
      '#goal',
      '#waysToWellbeing',
      '#reviewOn',
      '#how',
    ]);
    const good = parseForm(planChangeForm('goal', 'member'), {
      basedOn: '2',
      goal: ' Join the choir ',
      waysToWellbeing: 'connect',
      'reviewOn-day': '1',
      'reviewOn-month': '6',
      'reviewOn-year': '2026',
    });
    assert.ok(good.ok);
    assert.deepEqual(good.data.content.fields.waysToWellbeing, ['connect']);
    assert.equal(good.data.content.fields.goal, 'Join the choir');
    assert.equal(good.data.content.reviewOn, '2026-06-01');
    assert.equal(good.data.how, 'member_edit');
  });
});

describe('plans in the database', () => {
  let database: TestDatabase;
  const clock = new TestClock();
  let organisationId: string;
  let worker: BuiltStaff;

  before(async () => {
    database = await createTestDatabase();
    organisationId = (await buildOrganisation(database.db)).id;
    worker = await buildStaff(database.db, { organisationId, roles: ['peer_support_worker'] });
  });
  after(() => database.drop());

  it('keeps every version as saved: the database refuses to change or delete one', async () => {
    const member = await buildMember(database.db, { organisationId });
    const planId = await buildPlan(database.db, clock, { id: member.id, organisationId }, 'safety');
    await assert.rejects(
      database.db
        .updateTable('plan_versions')
        .set({ summary: 'Rewritten' })
        .where('plan_id', '=', planId)
        .execute(),
      /never changed or deleted/,
    );
    await assert.rejects(
      database.db.deleteFrom('plan_versions').where('plan_id', '=', planId).execute(),
      /never changed or deleted/,
    );
  });

  it('saves a double-submitted change once, and records a stale one refused, writing nothing', async () => {
    const member = await buildMember(database.db, { organisationId });
    await buildEpisode(database.db, { memberId: member.id, organisationId, keyWorkerIds: [worker.id] });
    const planId = await buildPlan(
      database.db,
      clock,
      { id: member.id, organisationId },
      'resource_and_support',
    );
    const ctx = staffCtx(database.db, clock, worker);
    const change = {
      basedOn: 1,
      content: planContent('resource_and_support', { whatHelps: 'Walking' }),
      summary: undefined,
      how: 'agreed_in_person' as const,
    };
    assert.deepEqual(await saveChange(ctx, member.id, planId, change), { outcome: 'saved', version: 2 });
    assert.deepEqual(await saveChange(ctx, member.id, planId, change), {
      outcome: 'already_saved',
      version: 2,
    });
    const other = await saveChange(ctx, member.id, planId, {
      ...change,
      content: planContent('resource_and_support', { whatHelps: 'Running' }),
    });
    assert.equal(other.outcome, 'conflict');
    const versions = await database.db
      .selectFrom('plan_versions')
      .select('number')
      .where('plan_id', '=', planId)
      .execute();
    assert.equal(versions.length, 2);
    const refused = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', planId)
      .where('action', '=', 'plan.save_refused_stale')
      .execute();
    assert.equal(refused.length, 1);
  });

  it('gives a member acting on someone else’s record nothing (404)', async () => {
    const owner = await buildMember(database.db, { organisationId });
    const someoneElse = await buildMember(database.db, { organisationId });
    const planId = await buildPlan(database.db, clock, { id: owner.id, organisationId }, 'safety');
    const ctx = memberCtx(database.db, clock, { id: someoneElse.id, organisationId });
    await assert.rejects(viewPlan(ctx, owner.id, planId), NotFound);
    await assert.rejects(viewPlan(ctx, someoneElse.id, planId), NotFound);
    await assert.rejects(listMemberPlans(ctx, owner.id), NotFound);
    assert.deepEqual(await listMemberNotices(ctx), []);
  });

  it('seeds the demo’s plans: several versions, and a proposal waiting for the member', async () => {
    const [tom, grace, hannah] = [
      worker,
      await buildStaff(database.db, { organisationId }),
      await buildStaff(database.db, { organisationId }),
    ];
    const members = {
      ruth: (await buildMember(database.db, { organisationId })).id,
      kieran: (await buildMember(database.db, { organisationId })).id,
      peggy: (await buildMember(database.db, { organisationId })).id,
    };
    await database.db
      .transaction()
      .execute((tx) =>
        seedPlans(
          tx,
          { organisationId, workers: { tom: tom.id, grace: grace.id, hannah: hannah.id }, members },
          clock.now(),
        ),
      );
    const ruth = memberCtx(database.db, clock, { id: members.ruth, organisationId });
    const list = await listMemberPlans(ruth, members.ruth);
    assert.deepEqual(
      list.plans.map((p) => [p.kind, p.currentVersion, p.waiting]),
      [
        ['resource_and_support', 3, 0],
        ['safety', 2, 1],
      ],
    );
    const safety = list.plans[1]!;
    const view = await viewPlan(ruth, members.ruth, safety.id);
    const { proposal } = await viewProposal(ruth, members.ruth, safety.id, view.waiting[0]!.id);
    assert.equal(proposal.basedOn, view.plan.currentVersion, 'the waiting proposal can be accepted as it is');
    const kieran = await listMemberPlans(
      memberCtx(database.db, clock, { id: members.kieran, organisationId }),
      members.kieran,
    );
    assert.deepEqual(
      kieran.plans.map((p) => p.title),
      ['Get back to playing football', 'Personal network map'],
    );
  });
});
