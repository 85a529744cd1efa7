import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../../testing/test-db.ts';
import { nonDurableSettings, readDurabilitySettings } from './durability.ts';

describe('durable database settings (reliability plan R4)', () => {
  it('accepts a server that writes every commit to disk', () => {
    assert.deepEqual(
      nonDurableSettings({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' }),
      [],
    );
    assert.deepEqual(
      nonDurableSettings({ fsync: 'on', synchronous_commit: 'remote_apply', full_page_writes: 'on' }),
      [],
    );
  });

  it('names each setting that could lose a saved record', () => {
    assert.deepEqual(
      nonDurableSettings({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
      ['fsync is off', 'synchronous_commit is off', 'full_page_writes is off'],
    );
  });

  it('reads the real settings of a running server', async (t) => {
    const database = await createTestDatabase();
    t.after(() => database.drop());
    const settings = await readDurabilitySettings(database.db);
    assert.match(settings.fsync, /^(on|off)$/);
    assert.match(settings.full_page_writes, /^(on|off)$/);
    assert.ok(settings.synchronous_commit.length > 0);
  });
});
