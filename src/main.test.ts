import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { nonDurableSettings, readDurabilitySettings } from './platform/db/durability.ts';
import { createTestDatabase } from './testing/test-db.ts';

const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type RunningService = {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
};

/** Runs `src/main.ts` as `npm start` does, collecting what it prints. */
function startService(env: Record<string, string>): RunningService {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const service: RunningService = {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(stdout);
        if (match) {
          return match;
        }
        if (child.exitCode !== null) {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`never printed ${pattern}: ${stdout}\n${stderr}`);
    },
  };
  started.push(service);
  return service;
}

/** Every service a test started, so none is left running if an assertion fails part-way. */
const started: RunningService[] = [];

describe('starting the service (npm start)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alongside-start-'));
  after(async () => {
    for (const service of started) {
      if (service.child.exitCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on the embedded database, prints a one-time setup link, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const service = startService({ DATA_DIR: dataDir, PORT: String(port) });
    const [, link] = await service.waitFor(/(http:\/\/localhost:\d+\/setup\/[A-Za-z0-9_-]+)/);
    const setup = await fetch(link ?? '');
    assert.equal(setup.status, 200);
    assert.match(await setup.text(), /Set up your service/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'reachable' });
    const token = link?.split('/setup/')[1] ?? '';
    const logLines = service
      .output()
      .stdout.split('\n')
      .filter((line) => line.startsWith('{'));
    assert.ok(
      logLines.every((line) => !line.includes(token)),
      'the setup link is shown, never logged',
    );

    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
    assert.equal(existsSync(path.join(dataDir, 'alongside.lock')), false, 'the lock is released');
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    assert.equal(existsSync(pidFile), false, 'the database server has stopped');
    assert.equal(readFileSync(path.join(dataDir, '.secret'), 'utf8').length, 64);
  });

  it('in production, refuses a database that can lose saved records, and otherwise starts', async () => {
    const database = await createTestDatabase();
    try {
      const durable = nonDurableSettings(await readDurabilitySettings(database.db)).length === 0;
      const port = await freePort();
      const service = startService({
        NODE_ENV: 'production',
        PORT: String(port),
        PUBLIC_URL: 'https://support.example.org',
        SESSION_SECRET: 'a-production-secret-that-is-long-enough',
        DATABASE_URL: database.url,
        DATABASE_MIGRATION_URL: database.superuserUrl,
      });
      if (durable) {
        await service.waitFor(/is running|has no administrator/);
        service.child.kill('SIGTERM');
        assert.equal(await service.exited, 0);
      } else {
        // The test runner's own throwaway server runs with fsync off: exactly what production must refuse.
        assert.equal(await service.exited, 1);
        assert.match(
          service.output().stderr,
          /Refusing to start: the database could lose saved records \(fsync is off/,
        );
      }
    } finally {
      await database.drop();
    }
  });
});
