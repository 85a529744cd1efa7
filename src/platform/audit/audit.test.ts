import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { recordAudit, verifyAuditChain, type AuditEvent } from './audit.ts';

const at = new Date('2026-03-02T10:00:00Z');
const event = (action: string): AuditEvent => ({
  action,
  subject: { type: 'Staff', id: randomUUID() },
  actor: { type: 'system' },
  details: { count: 1 },
  at,
});

describe('the audit trail (reliability plan L1–L3)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    for (let i = 0; i < 5; i += 1) {
      await t.db.transaction().execute((tx) => recordAudit(tx, event(`test.event_${i}`)));
    }
  });
  after(() => t.drop());

  it('chains each row to the one before, and the verifier accepts an untouched chain', async () => {
    const rows = await t.db.selectFrom('audit_events').select(['prev_hash', 'hash']).orderBy('seq').execute();
    assert.equal(rows.length, 5);
    for (let i = 1; i < rows.length; i += 1) {
      assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash);
    }
    assert.deepEqual(await verifyAuditChain(t.db), { ok: true, rows: 5 });
  });

  it('keeps the chain whole when many transactions write at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction().execute((tx) => recordAudit(tx, event(`test.parallel_${i}`))),
      ),
    );
    const report = await verifyAuditChain(t.db);
    assert.deepEqual(report, { ok: true, rows: 25 });
  });

  it('does not let the application change, delete or empty the audit trail', async () => {
    await assert.rejects(
      t.db.updateTable('audit_events').set({ action: 'tampered' }).execute(),
      /permission denied|cannot be changed/,
    );
    await assert.rejects(t.db.deleteFrom('audit_events').execute(), /permission denied|cannot be changed/);
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await assert.rejects(client.query('TRUNCATE audit_events'), /permission denied|cannot be changed/);
      await assert.rejects(client.query('ALTER TABLE audit_events DISABLE TRIGGER ALL'), /must be owner/);
    } finally {
      await client.end();
    }
  });

  it('rolls back the change when its audit row cannot be written: nothing half-saved', async () => {
    const organisationId = randomUUID();
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('organisations')
          .values({
            id: organisationId,
            name: `Rolled back ${organisationId}`,
            kind: 'charity',
            ods_code: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
        // An actor type the audit table refuses: the audit insert fails inside the transaction.
        await recordAudit(tx, { ...event('organisation.created'), actor: { type: 'robot' as 'system' } });
      }),
    );
    const found = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .executeTakeFirst();
    assert.equal(found, undefined);
  });

  it('names the first row that was altered behind the application’s back', async () => {
    // Only a database superuser can do this, by switching the guard off: exactly what the chain is for.
    const owner = new pg.Client({ connectionString: t.superuserUrl });
    await owner.connect();
    try {
      const third = await owner.query<{ seq: string }>(
        'SELECT seq FROM audit_events ORDER BY seq OFFSET 2 LIMIT 1',
      );
      const seq = third.rows[0]?.seq;
      await owner.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete');
      await owner.query(`UPDATE audit_events SET details = '{"count": 2}' WHERE seq = $1`, [seq]);
      const changed = await verifyAuditChain(t.db);
      assert.deepEqual(changed, {
        ok: false,
        rows: 2,
        brokenAt: seq,
        reason: 'this row was changed after it was written',
      });

      await owner.query('DELETE FROM audit_events WHERE seq = $1', [seq]);
      const removed = await verifyAuditChain(t.db);
      assert.equal(removed.ok, false);
      assert.equal(removed.ok === false && removed.reason, 'a row before this one was changed or removed');
    } finally {
      await owner.end();
    }
  });
});
