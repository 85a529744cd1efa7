import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Ctx } from '../../context.ts';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { memberCtx, planContent, staffCtx } from '../../testing/builders/plans.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import type { PlanContent } from './plan-kinds.ts';
import {
  acceptProposal,
  declineProposal,
  saveChange,
  startPlan,
  viewPlan,
  type SaveOutcome,
} from './plans.service.ts';

/**
 * Concurrent edits of one plan by its member and several workers, over many random interleavings,
 * against the real service and database, checked against a model of what must happen:
 *
 * - a save (or an acceptance) that started from the current version is applied: the model moves on;
 * - one that started from an older version gets the conflict outcome and changes nothing;
 * - two saves from the same version sent at the same moment: exactly one applies, the other conflicts;
 * - after every step, the plan in the database equals the model, and every version's text is exactly
 *   what one applied save sent (so no save was silently overwritten or lost).
 */

type Who = 'member' | 'worker0' | 'worker1' | 'worker2';
const WHO: readonly Who[] = ['member', 'worker0', 'worker1', 'worker2'];

type Step =
  | { op: 'load'; who: Who }
  | { op: 'save'; who: Who; agreedInPerson: boolean }
  | { op: 'race'; first: Who; second: Who }
  | { op: 'accept'; pick: number }
  | { op: 'decline'; pick: number };

const who = fc.constantFrom(...WHO);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('load' as const), who }),
  fc.record({ op: fc.constant('save' as const), who, agreedInPerson: fc.boolean() }),
  fc.record({ op: fc.constant('race' as const), first: who, second: who }),
  fc.record({ op: fc.constant('accept' as const), pick: fc.nat(5) }),
  fc.record({ op: fc.constant('decline' as const), pick: fc.nat(5) }),
);

/** What each person has open: the version they loaded. */
type Model = {
  version: number;
  text: string;
  /** Each applied version's text, oldest first. */
  history: string[];
  loaded: Partial<Record<Who, number>>;
  proposals: { id: string; basedOn: number; text: string; status: 'waiting' | 'accepted' | 'declined' }[];
};

describe('saving a plan while others edit it (property-based, fast-check)', () => {
  let database: TestDatabase;
  const clock = new TestClock();
  let organisationId: string;
  let workers: BuiltStaff[];

  before(async () => {
    database = await createTestDatabase();
    organisationId = (await buildOrganisation(database.db)).id;
    workers = [];
    for (let i = 0; i < 3; i += 1) {
      workers.push(await buildStaff(database.db, { organisationId, roles: ['peer_support_worker'] }));
    }
  });
  after(() => database.drop());

  it('never overwrites anyone silently: every stale save conflicts, and the plan always equals the model', async () => {
    let counter = 0;
    let staleSaves = 0;
    let conflicts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
        const db = database.db;
        const member = await buildMember(db, { organisationId });
        await buildEpisode(db, {
          memberId: member.id,
          organisationId,
          keyWorkerIds: workers.map((w) => w.id),
        });
        const ctxOf: Record<Who, Ctx> = {
          member: memberCtx(db, clock, { id: member.id, organisationId }),
          worker0: staffCtx(db, clock, workers[0]!),
          worker1: staffCtx(db, clock, workers[1]!),
          worker2: staffCtx(db, clock, workers[2]!),
        };
        const planId = await startPlan(ctxOf.member, member.id, 'resource_and_support');
        const model: Model = { version: 0, text: '', history: [], loaded: {}, proposals: [] };
        const contentWith = (text: string): PlanContent =>
          planContent('resource_and_support', { whatHelps: text, earlySigns: 'Not sleeping' });

        const send = (person: Who, agreedInPerson: boolean, basedOn: number, text: string) =>
          saveChange(ctxOf[person], member.id, planId, {
            basedOn,
            content: contentWith(text),
            summary: undefined,
            how: person === 'member' ? 'member_edit' : agreedInPerson ? 'agreed_in_person' : 'propose',
          });

        /** Applies what the model expects of one save from `basedOn`, given what the service answered. */
        const expect = (
          person: Who,
          agreedInPerson: boolean,
          basedOn: number,
          text: string,
          got: SaveOutcome,
        ) => {
          if (basedOn !== model.version) {
            staleSaves += 1;
            assert.equal(got.outcome, 'conflict', `a stale save by ${person} must conflict`);
            conflicts += 1;
            return;
          }
          if (person !== 'member' && !agreedInPerson) {
            assert.equal(got.outcome, 'proposed');
            assert.ok(got.outcome === 'proposed');
            model.proposals.push({ id: got.proposalId, basedOn, text, status: 'waiting' });
            return;
          }
          assert.deepEqual(got, { outcome: 'saved', version: model.version + 1 });
          model.version += 1;
          model.text = text;
          model.history.push(text);
          model.loaded[person] = model.version;
        };

        for (const s of steps) {
          if (s.op === 'load') {
            model.loaded[s.who] = (await viewPlan(ctxOf[s.who], member.id, planId)).plan.currentVersion;
          } else if (s.op === 'save') {
            const basedOn = model.loaded[s.who];
            if (basedOn === undefined) {
              continue;
            }
            counter += 1;
            const text = `${s.who} edit ${counter}`;
            expect(
              s.who,
              s.agreedInPerson,
              basedOn,
              text,
              await send(s.who, s.agreedInPerson, basedOn, text),
            );
          } else if (s.op === 'race') {
            // Both load the current version, then both save at the same moment (workers recording
            // changes agreed in person, so both would apply at once if nothing stopped the second).
            const basedOn = model.version;
            counter += 1;
            const texts = [`${s.first} race ${counter}`, `${s.second} race ${counter}b`] as const;
            const [a, b] = await Promise.all([
              send(s.first, true, basedOn, texts[0]),
              send(s.second, true, basedOn, texts[1]),
            ]);
            const outcomes = [a, b].map((o) => o.outcome);
            // Exactly one applies; the other started from what is now an old version.
            assert.deepEqual([...outcomes].sort(), ['conflict', 'saved']);
            staleSaves += 1;
            conflicts += 1;
            const winner = a.outcome === 'saved' ? 0 : 1;
            model.version += 1;
            model.text = texts[winner];
            model.history.push(texts[winner]);
          } else {
            const waiting = model.proposals.filter((p) => p.status === 'waiting');
            const proposal = waiting[s.pick % Math.max(1, waiting.length)];
            if (!proposal) {
              continue;
            }
            if (s.op === 'decline') {
              await declineProposal(ctxOf.member, member.id, planId, proposal.id);
              proposal.status = 'declined';
              continue;
            }
            const got = await acceptProposal(ctxOf.member, member.id, planId, proposal.id);
            if (proposal.basedOn !== model.version) {
              staleSaves += 1;
              assert.equal(
                got.outcome,
                'conflict',
                'accepting a proposal made on an old version must conflict',
              );
              conflicts += 1;
            } else {
              assert.deepEqual(got, { outcome: 'saved', version: model.version + 1 });
              proposal.status = 'accepted';
              model.version += 1;
              model.text = proposal.text;
              model.history.push(proposal.text);
            }
          }

          // The database equals the model after every step.
          const plan = await database.db
            .selectFrom('plans')
            .select('current_version')
            .where('id', '=', planId)
            .executeTakeFirstOrThrow();
          assert.equal(plan.current_version, model.version);
        }

        const versions = await database.db
          .selectFrom('plan_versions')
          .select(['number', 'based_on', 'content'])
          .where('plan_id', '=', planId)
          .orderBy('number')
          .execute();
        assert.deepEqual(
          versions.map((v) => v.content.fields.whatHelps),
          model.history,
          'every applied save is kept, in order, exactly as sent',
        );
        assert.ok(versions.every((v) => v.based_on === v.number - 1));
        const proposals = await database.db
          .selectFrom('plan_proposals')
          .select(['id', 'status'])
          .where('plan_id', '=', planId)
          .execute();
        assert.deepEqual(
          new Map(proposals.map((p) => [p.id, p.status])),
          new Map(model.proposals.map((p) => [p.id, p.status])),
        );
      }),
      { numRuns: 60 },
    );
    // The property must have met stale saves to mean anything.
    assert.ok(
      staleSaves > 0 && conflicts === staleSaves,
      `stale saves ${staleSaves}, conflicts ${conflicts}`,
    );
  });
});
