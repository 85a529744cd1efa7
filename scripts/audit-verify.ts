import { loadConfig } from '../src/config.ts';
import { verifyAuditChain } from '../src/platform/audit/audit.ts';
import { connectToDataDirectory } from '../src/platform/db/connect-to-data-dir.ts';
import { openDatabase } from '../src/platform/db/database.ts';

/**
 * `npm run audit:verify`: walks the whole audit trail and checks every row's hash and its link to the
 * row before. Exits 0 when the chain is whole, 1 with the first broken row otherwise.
 */
const config = loadConfig();
const connection = config.database.url
  ? { url: config.database.migrationUrl ?? config.database.url, done: () => Promise.resolve() }
  : await connectToDataDirectory(config.dataDir);
const { db } = openDatabase<unknown>(connection.url, 2, () => undefined);
try {
  const report = await verifyAuditChain(db);
  if (report.ok) {
    process.stdout.write(`Audit trail verified: ${report.rows} events, chain unbroken.\n`);
  } else {
    process.stdout.write(
      `Audit trail BROKEN at event ${report.brokenAt} (${report.reason}); ${report.rows} events before it are intact.\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
  await connection.done();
}
