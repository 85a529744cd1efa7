import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/database.ts';
import { connectToDataDirectory } from '../src/platform/db/connect-to-data-dir.ts';
import { openDatabase } from '../src/platform/db/database.ts';

/**
 * Prints the newest member sign-in code waiting in the demo's outbox for an email address
 * (`npm run demo:member-code ruth.member@example.org`), for trying the member portal without an
 * email server. Demo data only: it refuses to read any other data directory, and once an email
 * server is set up the code goes by email (and is not kept after sending).
 */
const config = loadConfig();
const address = process.argv[2]?.trim().toLowerCase();
if (!config.demo) {
  process.stderr.write('This is for the demo only: run it with DEMO=true (npm run demo:member-code).\n');
  process.exit(2);
}
if (!address) {
  process.stderr.write('Say whose code: npm run demo:member-code ruth.member@example.org\n');
  process.exit(2);
}
const connection = await connectToDataDirectory(config.dataDir);
const { db } = openDatabase<Database>(connection.url, 1, () => undefined);
try {
  const message = await db
    .selectFrom('outbox_messages')
    .select(['params', 'created_at'])
    .where('template', '=', 'member-sign-in-code')
    .where('channel', '=', 'email')
    .where('status', '=', 'pending')
    .where((eb) => eb(eb.fn('lower', ['recipient']), '=', address))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (message?.params.code) {
    process.stdout.write(`${message.params.code}\n`);
  } else {
    process.stderr.write('No code is waiting for that address: ask for one at /my-account/sign-in first.\n');
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
  await connection.done();
}
