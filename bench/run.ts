import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/context.ts';
import type { Database } from '../src/database.ts';
import type { Deps } from '../src/deps.ts';
import { migrations } from '../src/migrations/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../src/platform/db/embedded-server.ts';
import { migrateToLatest } from '../src/platform/db/migrator.ts';
import { createLogger } from '../src/platform/logging/logger.ts';
import { buildAdministrator, buildStaff, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import {
  measureDuplicateSearch,
  seedPeople,
  seedReferrals,
  type DuplicateSearchSummary,
} from './front-door.ts';
import { seedGroupsAndAttendance, type SeededGroups } from './groups.ts';
import type { LoadSummary } from './load.ts';

/**
 * npm run bench: these measurements in one run, on loopback only, in under 4 minutes.
 *
 *  (a) requests per second of GET /staff (a signed-in page that reads ~200 staff rows, with the
 *      session checked against the database) and of GET /referrals (the referral inbox: the first 50 of
 *      2,000 waiting referrals, with 100,000 people in the database) against a bare route in the same
 *      server process, each for 5 s at 10 connections with autocannon in a separate process, and
 *      their ratios;
 *  (d) the register page (one session's 50 people) and the month view (every session of 20 weekly
 *      groups this month) with 2,000,000 attendance rows in the database (bench/groups.ts), each
 *      for 5 s at 10 connections, against the same bare route;
 *  (c) the duplicate check at triage over 100,000 synthetic people: p50 and p99 of our repo function
 *      and of the same query typed by hand in SQL, probe by probe in turn, and their ratio;
 *  (b) time from spawning `node --import tsx src/main.ts` on a fresh data directory (so including
 *      creating the embedded database and migrating it) to the first good GET /health, then from
 *      SIGINT to exit; and the same again on the now existing data directory.
 *
 * Loopback figures on this kind of VM drift by up to ±2.5× between runs (STACK-NOTES): compare the
 * figures within one run, not with another run's.
 */
const root = path.resolve(import.meta.dirname, '..');
const BUDGET_MS = 420_000;
const LOAD_SECONDS = 5;
const WARM_UP_SECONDS = 1;
const CONNECTIONS = 10;
const STAFF_ROWS = 200;
const PEOPLE = 100_000;
const WAITING_REFERRALS = 2_000;
const PROBES = 200;

const benchStarted = performance.now();
const cleanups: (() => Promise<void>)[] = [];

function log(message: string): void {
  process.stderr.write(
    `[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
  );
}

async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    await step().catch((error: unknown) => log(`clean-up step failed: ${String(error)}`));
  }
}

// The whole bench is bounded: past the budget, clean up and fail rather than hang.
const watchdog = setTimeout(() => {
  log(`the bench took longer than ${BUDGET_MS / 1000} s; stopping`);
  void cleanUp().finally(() => process.exit(1));
}, BUDGET_MS);
watchdog.unref();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A few cookies, kept the way a browser keeps them, for the sign-in requests made with fetch. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs in through the real pages (password, then authenticator code), as a browser would.
 *
 * @param baseUrl - the app's address.
 * @param staff - who signs in.
 * @returns the Cookie header of the signed-in session.
 */
async function signIn(baseUrl: string, staff: BuiltStaff): Promise<string> {
  const jar = new CookieJar();
  const request = async (pathname: string, form?: Record<string, string>) => {
    const response = await fetch(`${baseUrl}${pathname}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    jar.remember(response);
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: await response.text(),
    };
  };
  const csrfOf = (body: string) => {
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (!token) {
      throw new Error('no CSRF token on the page');
    }
    return token;
  };

  const signInPage = await request('/sign-in');
  const password = await request('/sign-in', {
    _csrf: csrfOf(signInPage.body),
    email: staff.email,
    password: staff.password,
  });
  if (password.status !== 303 || password.location !== '/sign-in/second-factor') {
    throw new Error(`the password step answered ${password.status} ${password.location ?? ''}`);
  }
  const codePage = await request('/sign-in/second-factor');
  const code = await request('/sign-in/second-factor', {
    _csrf: csrfOf(codePage.body),
    code: await generate({ secret: staff.totpSecret }),
  });
  if (code.status !== 303 || code.location !== '/') {
    throw new Error(`the authenticator step answered ${code.status} ${code.location ?? ''}`);
  }
  return jar.header();
}

/**
 * Runs autocannon against one URL in a child process and returns its summary.
 *
 * @param url - what to load.
 * @param seconds - for how long.
 * @param headers - request headers (the session cookie).
 * @returns the summary.
 */
function load(url: string, seconds: number, headers: Record<string, string> = {}): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'bench/load.ts'),
        JSON.stringify({ url, duration: seconds, connections: CONNECTIONS, headers }),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited with ${code}`));
        return;
      }
      resolve(JSON.parse(output.trim().split('\n').pop() ?? '{}') as LoadSummary);
    });
  });
}

type Throughput = {
  page: LoadSummary;
  inbox: LoadSummary;
  register: LoadSummary;
  month: LoadSummary;
  groups: SeededGroups;
  bare: LoadSummary;
  staffRows: number;
  seedMs: number;
  peopleSeedMs: number;
  duplicates: DuplicateSearchSummary;
};

async function measureThroughput(): Promise<Throughput> {
  log('starting an embedded PostgreSQL server in a temporary folder');
  const dataDir = tempDir('alongside-bench-db-');
  const embedded: EmbeddedServer = await startEmbeddedServer({ dataDir, log: () => undefined });
  cleanups.push(() => embedded.stop());

  const migrator = openDatabase<unknown>(embedded.superuserUrl, 2, () => undefined);
  try {
    await migrateToLatest(migrator.db, migrations);
  } finally {
    await migrator.db.destroy();
  }

  const appUrl = embedded.appUrl;
  const config = loadConfig({
    // Production settings: templates compiled once and cached, as on a live service.
    NODE_ENV: 'production',
    DATABASE_URL: appUrl,
    PUBLIC_URL: 'http://127.0.0.1',
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'warn',
  });
  const { db } = openDatabase<Database>(appUrl, config.database.poolSize, () => undefined);
  cleanups.push(() => db.destroy());

  log(`building ${STAFF_ROWS} members of staff in one organisation`);
  const seedStarted = performance.now();
  const admin = await buildAdministrator(db, { fullName: 'Bench Administrator' });
  for (let next = 1; next < STAFF_ROWS; next += 10) {
    const batch = Array.from({ length: Math.min(10, STAFF_ROWS - next) }, (_, i) =>
      buildStaff(db, { organisationId: admin.organisationId, fullName: `Bench Worker ${next + i}` }),
    );
    await Promise.all(batch);
  }
  const seedMs = performance.now() - seedStarted;
  const worker = await buildStaff(db, {
    organisationId: admin.organisationId,
    fullName: 'Bench Peer Worker',
    roles: ['peer_support_worker'],
  });
  log(`building ${n(PEOPLE)} synthetic people and ${n(WAITING_REFERRALS)} waiting referrals`);
  const peopleSeedMs = await seedPeople(db, admin.organisationId, PEOPLE);
  await seedReferrals(db, admin.organisationId, WAITING_REFERRALS);
  // As the tables' owner: the application's role may not ANALYZE, and without statistics the planner
  // would guess (on a live service autovacuum gathers them soon after a bulk load).
  const manager = await buildStaff(db, {
    organisationId: admin.organisationId,
    fullName: 'Bench Service Manager',
    roles: ['service_manager'],
  });
  const clinical = await buildStaff(db, {
    organisationId: admin.organisationId,
    fullName: 'Bench Clinical Facilitator',
    roles: ['clinical_facilitator'],
  });
  const livedExperience = await buildStaff(db, {
    organisationId: admin.organisationId,
    fullName: 'Bench Lived Experience Practitioner',
    roles: ['lived_experience_practitioner'],
  });
  log('building 200 weekly groups over 200 weeks with 2,000,000 attendance rows');
  const groups = await seedGroupsAndAttendance(db, {
    organisationId: admin.organisationId,
    clinicalId: clinical.id,
    livedExperienceId: livedExperience.id,
  });
  const owner = openDatabase<unknown>(embedded.superuserUrl, 1, () => undefined);
  for (const table of [
    'members',
    'referrals',
    'group_sessions',
    'group_session_facilitators',
    'session_attendance',
  ]) {
    await sql`ANALYZE ${sql.table(table)}`.execute(owner.db);
  }
  await owner.db.destroy();
  log(`timing the duplicate check for ${PROBES} probes, ours and hand-written SQL in turn`);
  const duplicates = await measureDuplicateSearch(db, appUrl, admin.organisationId, PEOPLE, PROBES);

  const deps: Deps = {
    config,
    db,
    clock: systemClock,
    logger: createLogger(config.logLevel),
    pokeOutbox: () => undefined,
    emailEnabled: false,
  };
  const app: FastifyInstance = await createApp(deps);
  // The baseline: the same process, plugins and hooks, but a handler that does nothing.
  app.get('/bench/bare', { config: { can: 'public' } }, (_req, reply) => reply.send({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  const { port } = app.server.address() as net.AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  log('signing in as the administrator through /sign-in and /sign-in/second-factor');
  const cookie = await signIn(baseUrl, admin);
  const check = await fetch(`${baseUrl}/staff`, { headers: { cookie }, redirect: 'manual' });
  const html = await check.text();
  const staffRows = (html.match(/href="\/staff\/[0-9a-f-]{36}"/g) ?? []).length;
  if (check.status !== 200 || staffRows < STAFF_ROWS) {
    throw new Error(`GET /staff answered ${check.status} with ${staffRows} staff links`);
  }

  const workerCookie = await signIn(baseUrl, worker);
  const inboxCheck = await fetch(`${baseUrl}/referrals`, {
    headers: { cookie: workerCookie },
    redirect: 'manual',
  });
  const inboxRows = ((await inboxCheck.text()).match(/href="\/referrals\/[0-9a-f-]{36}"/g) ?? []).length;
  if (inboxCheck.status !== 200 || inboxRows !== 50) {
    throw new Error(`GET /referrals answered ${inboxCheck.status} with ${inboxRows} referral links`);
  }

  const managerCookie = await signIn(baseUrl, manager);
  const registerCheck = await fetch(`${baseUrl}${groups.registerPath}`, {
    headers: { cookie: managerCookie },
    redirect: 'manual',
  });
  // One hidden field per person on the register, whether booked or walked in.
  const registerRows = ((await registerCheck.text()).match(/name="(members|walkIns)" value=/g) ?? []).length;
  if (registerCheck.status !== 200 || registerRows < 50) {
    throw new Error(`GET the register answered ${registerCheck.status} with ${registerRows} people`);
  }
  const monthCheck = await fetch(`${baseUrl}${groups.monthPath}`, {
    headers: { cookie: managerCookie },
    redirect: 'manual',
  });
  const monthSessions = ((await monthCheck.text()).match(/Bench group \d+/g) ?? []).length;
  if (monthCheck.status !== 200 || monthSessions < groups.sessionsThisMonth) {
    throw new Error(
      `GET the month view answered ${monthCheck.status} naming ${monthSessions} of ${groups.sessionsThisMonth} sessions`,
    );
  }

  log(`warming up the routes for ${WARM_UP_SECONDS} s each`);
  await load(`${baseUrl}/staff`, WARM_UP_SECONDS, { cookie });
  await load(`${baseUrl}/referrals`, WARM_UP_SECONDS, { cookie: workerCookie });
  await load(`${baseUrl}${groups.registerPath}`, WARM_UP_SECONDS, { cookie: managerCookie });
  await load(`${baseUrl}${groups.monthPath}`, WARM_UP_SECONDS, { cookie: managerCookie });
  await load(`${baseUrl}/bench/bare`, WARM_UP_SECONDS);
  log(`GET /staff for ${LOAD_SECONDS} s at ${CONNECTIONS} connections`);
  const page = await load(`${baseUrl}/staff`, LOAD_SECONDS, { cookie });
  log(`GET /referrals for ${LOAD_SECONDS} s at ${CONNECTIONS} connections`);
  const inbox = await load(`${baseUrl}/referrals`, LOAD_SECONDS, { cookie: workerCookie });
  log(`GET a register for ${LOAD_SECONDS} s at ${CONNECTIONS} connections`);
  const register = await load(`${baseUrl}${groups.registerPath}`, LOAD_SECONDS, { cookie: managerCookie });
  log(`GET the month view for ${LOAD_SECONDS} s at ${CONNECTIONS} connections`);
  const month = await load(`${baseUrl}${groups.monthPath}`, LOAD_SECONDS, { cookie: managerCookie });
  log(`GET /bench/bare for ${LOAD_SECONDS} s at ${CONNECTIONS} connections`);
  const bare = await load(`${baseUrl}/bench/bare`, LOAD_SECONDS);

  await cleanUp();
  return { page, inbox, register, month, groups, bare, staffRows, seedMs, peopleSeedMs, duplicates };
}

type Startup = { toHealthyMs: number; toExitMs: number; exitCode: number | null };

/**
 * Starts the real service as an operator would and times it until /health answers, then stops it.
 *
 * @param dataDir - its data directory (fresh or from an earlier start).
 * @returns the timings.
 */
async function measureStartup(dataDir: string): Promise<Startup> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    // Only what the service needs: no DATABASE_URL or SMTP_URL leaking in from the caller.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    }
  });

  let toHealthyMs: number | undefined;
  const deadline = started + 45_000;
  while (performance.now() < deadline && !exitedEarly) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) {
        toHealthyMs = performance.now() - started;
        break;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (toHealthyMs === undefined) {
    throw new Error(
      `the service did not answer /health (exited early: ${exitedEarly}). Its output:\n${output}`,
    );
  }

  const stopping = performance.now();
  child.kill('SIGINT');
  const exitCode = await Promise.race([
    exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
  ]);
  if (exitCode === 'timeout') {
    throw new Error('the service did not exit within 30 s of SIGINT');
  }
  return { toHealthyMs, toExitMs: performance.now() - stopping, exitCode };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  log(`Node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  const throughput = await measureThroughput();

  log('timing the service start on a fresh data directory (creates and migrates the database)');
  const serviceDir = tempDir('alongside-bench-start-');
  // The folder itself, not a subfolder: as root the database runs as the postgres user, which
  // can open a temporary folder the service hands it but not one inside another root-only folder.
  const cold = await measureStartup(serviceDir);
  log('timing the service start again on the same data directory');
  const warm = await measureStartup(serviceDir);
  await cleanUp();

  const { page, inbox, register, month, groups, bare, duplicates } = throughput;
  const loadRow = (name: string, s: LoadSummary) => [
    name,
    n(s.requestsPerSecond),
    n(s.total),
    n(s.latencyP50Ms),
    n(s.latencyP99Ms),
    n(s.non2xx + s.errors + s.timeouts),
  ];
  const out = [
    '',
    `(a) Throughput, ${LOAD_SECONDS} s each at ${CONNECTIONS} connections on loopback (autocannon in its own process;`,
    `    server, load generator and PostgreSQL share ${os.availableParallelism()} cores; NODE_ENV=production)`,
    '',
    table([
      ['route', 'req/s', 'requests', 'p50 ms', 'p99 ms', 'failed'],
      loadRow(`GET /staff (signed in, ${throughput.staffRows} staff rows)`, page),
      loadRow(`GET /referrals (signed in, 50 of ${n(WAITING_REFERRALS)} waiting)`, inbox),
      loadRow('GET /bench/bare (same process)', bare),
    ]),
    '',
    `    ratio /staff : bare = ${n(page.requestsPerSecond / bare.requestsPerSecond, 3)}` +
      ` (the bare route serves ${n(bare.requestsPerSecond / page.requestsPerSecond, 1)}× as many requests)`,
    `    ratio /referrals : bare = ${n(inbox.requestsPerSecond / bare.requestsPerSecond, 3)}`,
    '',
    `(d) Groups with ${n(groups.attendanceRows)} attendance rows in the database (seeded by SQL in ${n(groups.seedMs / 1000, 1)} s)`,
    '',
    table([
      ['route', 'req/s', 'requests', 'p50 ms', 'p99 ms', 'failed'],
      loadRow('GET a register (one session, 50 people)', register),
      loadRow(`GET the month view (${groups.sessionsThisMonth} sessions this month)`, month),
      loadRow('GET /bench/bare (same process)', bare),
    ]),
    '',
    `    ratio register : bare = ${n(register.requestsPerSecond / bare.requestsPerSecond, 3)}`,
    `    ratio month view : bare = ${n(month.requestsPerSecond / bare.requestsPerSecond, 3)}`,
    `    seeding ${STAFF_ROWS} staff with the test builders took ${n(throughput.seedMs / 1000, 1)} s;` +
      ` ${n(PEOPLE)} people by SQL ${n(throughput.peopleSeedMs / 1000, 1)} s`,
    '',
    `(c) Duplicate check at triage over ${n(duplicates.people)} people, ${duplicates.probes} probes` +
      ` (half name only, half with date of birth and postcode; ${n(duplicates.meanCandidates, 1)} candidates each on average)`,
    '',
    table([
      ['query', 'p50 ms', 'p99 ms'],
      ['findPossibleDuplicates (Kysely, ranked)', n(duplicates.ours.p50, 2), n(duplicates.ours.p99, 2)],
      ['the same query by hand (pg)', n(duplicates.hand.p50, 2), n(duplicates.hand.p99, 2)],
    ]),
    '',
    `    ratio ours : hand-written = ${n(duplicates.ours.p50 / duplicates.hand.p50, 2)} at p50,` +
      ` ${n(duplicates.ours.p99 / duplicates.hand.p99, 2)} at p99`,
    '',
    '(b) Service start: `node --import tsx src/main.ts` (NODE_ENV=development, embedded PostgreSQL)',
    '',
    table([
      ['data directory', 'spawn → GET /health 200', 'SIGINT → exit', 'exit code'],
      [
        'fresh (initdb + migrations)',
        `${n(cold.toHealthyMs)} ms`,
        `${n(cold.toExitMs)} ms`,
        String(cold.exitCode),
      ],
      [
        'existing (second start)',
        `${n(warm.toHealthyMs)} ms`,
        `${n(warm.toExitMs)} ms`,
        String(warm.exitCode),
      ],
    ]),
    '',
    `Whole bench: ${n((performance.now() - benchStarted) / 1000, 1)} s`,
    '',
  ];
  process.stdout.write(out.join('\n'));
  const failures = [page, inbox, register, month, bare].reduce(
    (sum, s) => sum + s.non2xx + s.errors + s.timeouts,
    0,
  );
  if (failures > 0 || cold.exitCode !== 0 || warm.exitCode !== 0) {
    throw new Error(`${failures} failed requests; service exit codes ${cold.exitCode} and ${warm.exitCode}`);
  }
}

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  async (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await cleanUp();
    process.exit(1);
  },
);
