import pg from 'pg';
import { startEmbeddedServer } from '../platform/db/embedded-server.ts';

/**
 * A separate process for the embedded server's crash tests: starts the server on a data directory,
 * commits one row, says "ready" and waits to be killed. Run as:
 *   node --import tsx src/testing/embedded-child.ts <dataDir> <value>
 */
const [dataDir, value] = process.argv.slice(2);
try {
  const server = await startEmbeddedServer({ dataDir: dataDir ?? '', log: () => undefined });
  const client = new pg.Client({ connectionString: server.superuserUrl });
  await client.connect();
  await client.query('CREATE TABLE IF NOT EXISTS crash_test (value text PRIMARY KEY)');
  await client.query('INSERT INTO crash_test (value) VALUES ($1)', [value]);
  await client.end();
  process.stdout.write('ready\n');
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(`refused: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(3);
}
