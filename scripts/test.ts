import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrations } from '../src/migrations/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import {
  APP_LOGIN_ROLE,
  ensureAppRoles,
  startEmbeddedServer,
  type EmbeddedServer,
} from '../src/platform/db/embedded-server.ts';
import { migrateToLatest } from '../src/platform/db/migrator.ts';
import { ensureChromium } from './ensure-chromium.ts';

/**
 * Runs the test suites on a real PostgreSQL server.
 *
 *   node --import tsx scripts/test.ts [all|server|browser] [test files...]
 *
 * - `server`: unit, service and HTTP tests (every src/**\/*.test.ts);
 * - `browser`: the Playwright journeys in browser-tests/ (Debian's chromium);
 * - `all` (the default): both.
 *
 * Naming test files runs only those (e.g. `npm run test:server -- src/modules/members/*.test.ts`).
 *
 * With TEST_DATABASE_URL (a superuser connection to any PostgreSQL 15+ server) the suites run there;
 * otherwise on an embedded server in a temporary folder, with fsync off because it is thrown away.
 * Either way one migrated template database is made, and each test file clones it (40 ms) so files
 * cannot see each other's rows.
 */
const root = path.resolve(import.meta.dirname, '..');
const suite = process.argv[2] ?? 'all';
const onlyFiles = process.argv.slice(3).map((file) => path.relative(root, path.resolve(file)));
if (!['all', 'server', 'browser'].includes(suite)) {
  process.stderr.write(`Unknown suite "${suite}": use all, server or browser\n`);
  process.exit(2);
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: false })
    .map(String)
    .filter((f) => f.endsWith(suffix) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f))
    .sort();
}

async function prepareServer(): Promise<{ adminUrl: string; appUrl: string; stop: () => Promise<void> }> {
  const external = process.env.TEST_DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  let tempDir: string | undefined;
  let adminUrl: string;
  let appUrl: string;
  if (external) {
    adminUrl = external;
    const password = randomBytes(18).toString('hex');
    const client = new pg.Client({ connectionString: external });
    await client.connect();
    try {
      await ensureAppRoles(client, password);
    } finally {
      await client.end();
    }
    const url = new URL(external);
    url.username = APP_LOGIN_ROLE;
    url.password = password;
    appUrl = url.toString();
  } else {
    // The postgres system user must be able to reach the folder when we run as root: use the temp dir.
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'alongside-test-'));
    embedded = await startEmbeddedServer({ dataDir: tempDir, nonDurable: true, log: () => undefined });
    adminUrl = embedded.superuserUrl;
    appUrl = embedded.appUrl;
  }
  return {
    adminUrl,
    appUrl,
    async stop() {
      await embedded?.stop();
      if (tempDir) {
        rmSync(tempDir, { recursive: true, force: true });
      }
    },
  };
}

async function prepareTemplate(adminUrl: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const { db } = openDatabase<unknown>(url.toString(), 2, () => undefined);
  try {
    await migrateToLatest(db, migrations);
  } finally {
    await db.destroy();
  }
}

function runNodeTests(files: string[], env: NodeJS.ProcessEnv, concurrency: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
      { cwd: root, env, stdio: 'inherit' },
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const chosen = (files: string[]) =>
    onlyFiles.length === 0 ? files : files.filter((file) => onlyFiles.includes(file));
  const serverFiles = suite === 'browser' ? [] : chosen(filesUnder('src', '.test.ts'));
  const browserFiles = suite === 'server' ? [] : chosen(filesUnder('browser-tests', '.test.ts'));
  if (browserFiles.length > 0) {
    const chromium = ensureChromium();
    if (!chromium.ok) {
      process.stderr.write(`${chromium.message}\n`);
      return 1;
    }
  }
  const server = await prepareServer();
  try {
    const template = `alongside_template_${randomBytes(4).toString('hex')}`;
    await prepareTemplate(server.adminUrl, template);
    const env = {
      ...process.env,
      ALONGSIDE_TEST_ADMIN_URL: server.adminUrl,
      ALONGSIDE_TEST_APP_URL: server.appUrl,
      ALONGSIDE_TEST_TEMPLATE: template,
    };
    let code = 0;
    if (serverFiles.length > 0) {
      code = await runNodeTests(serverFiles, env, Math.max(2, os.availableParallelism()));
    }
    if (code === 0 && browserFiles.length > 0) {
      code = await runNodeTests(browserFiles, env, 1);
    }
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    return code;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
