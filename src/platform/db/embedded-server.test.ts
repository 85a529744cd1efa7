import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedServer } from './embedded-server.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function startChild(dataDir: string, value: string): { child: ChildProcess; said: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/testing/embedded-child.ts', dataDir, value],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const said = new Promise<string>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) {
        resolve(output.trim());
      }
    });
    child.on('exit', () => resolve(output.trim()));
  });
  return { child, said };
}

describe('the embedded database server', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alongside-embedded-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second instance on the same data directory, and restarts after kill -9 losing nothing', async () => {
    const first = startChild(dataDir, 'committed before the crash');
    assert.equal(await first.said, 'ready');

    const second = startChild(dataDir, 'second instance');
    assert.match(await second.said, /^refused: Alongside is already running on/);

    // Killing the application without warning leaves its PostgreSQL server running on its own.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const server = await startEmbeddedServer({ dataDir, log: () => undefined });
    try {
      const client = new pg.Client({ connectionString: server.superuserUrl });
      await client.connect();
      const { rows } = await client.query<{ value: string }>('SELECT value FROM crash_test');
      await client.end();
      assert.deepEqual(rows, [{ value: 'committed before the crash' }]);
      const durable = new pg.Client({ connectionString: server.superuserUrl });
      await durable.connect();
      const settings = await durable.query<{ fsync: string; checksums: string }>(
        "SELECT current_setting('fsync') AS fsync, current_setting('data_checksums') AS checksums",
      );
      await durable.end();
      assert.deepEqual(settings.rows[0], { fsync: 'on', checksums: 'on' });
    } finally {
      await server.stop();
    }
  });
});
