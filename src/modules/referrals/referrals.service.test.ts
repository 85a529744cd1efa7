import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Ctx } from '../../context.ts';
import { ANONYMOUS } from '../../policy/index.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { DRAFT_DAYS, startSelfReferral } from './referrals.service.ts';

const DAY_MS = 24 * 3600 * 1000;

describe('self-referral drafts', () => {
  let database: TestDatabase;
  const clock = new TestClock();
  const ctx = (): Ctx => ({
    db: database.db,
    actor: ANONYMOUS,
    origin: { requestId: 'test', ip: '127.0.0.1' },
    clock,
  });
  const draftIds = async () =>
    (await database.db.selectFrom('referral_drafts').select('id').execute()).map((row) => row.id).sort();

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  it('are deleted once expired, when the next one starts, and kept until then', async () => {
    const old = await startSelfReferral(ctx(), undefined);
    clock.advance((DRAFT_DAYS - 1) * DAY_MS);
    const recent = await startSelfReferral(ctx(), undefined);
    assert.deepEqual(await draftIds(), [old, recent].sort(), 'a 6-day-old draft is kept');

    clock.advance(2 * DAY_MS);
    const next = await startSelfReferral(ctx(), undefined);
    assert.deepEqual(await draftIds(), [recent, next].sort(), 'the 8-day-old draft is gone');
  });
});
