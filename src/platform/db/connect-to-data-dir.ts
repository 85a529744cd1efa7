import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedServer } from './embedded-server.ts';

/**
 * A superuser connection to the embedded database of a data directory, for maintenance commands
 * (`npm run audit:verify`): the running service's server when it is up, otherwise one started for the
 * command and stopped after it.
 *
 * @param dataDir - the data directory.
 * @returns the connection string and a function to call when done.
 */
export async function connectToDataDirectory(
  dataDir: string,
): Promise<{ url: string; done: () => Promise<void> }> {
  try {
    const pidFile = (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number.parseInt(pidFile[0] ?? '', 10);
    process.kill(pid, 0);
    // postmaster.pid's fourth line is the port the server listens on (PostgreSQL manual, "Database File Layout").
    const port = Number.parseInt(pidFile[3] ?? '', 10);
    const credentials = JSON.parse(await readFile(path.join(dataDir, '.pg-credentials.json'), 'utf8')) as {
      superuserPassword: string;
    };
    return {
      url: `postgres://postgres:${credentials.superuserPassword}@127.0.0.1:${port}/alongside`,
      done: () => Promise.resolve(),
    };
  } catch {
    const server = await startEmbeddedServer({ dataDir, log: () => undefined });
    return { url: server.superuserUrl, done: () => server.stop() };
  }
}
