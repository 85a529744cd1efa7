import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database, Db } from '../database.ts';
import { openDatabase } from '../platform/db/database.ts';

/**
 * A fresh database for one test file, cloned from the migrated template the test runner made
 * (scripts/test.ts), on the embedded server or on the server named by TEST_DATABASE_URL.
 *
 * The test connects as the application's own login role, as the service does, so a test of (say) the
 * audit trail's protection tests the real privileges.
 */
export type TestDatabase = {
  db: Db;
  /** The application role's connection string for this database. */
  url: string;
  /** A superuser connection string for this database, for tests that must look behind the app's back. */
  superuserUrl: string;
  drop(): Promise<void>;
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run tests with npm test, which starts the database first`);
  }
  return value;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = required('ALONGSIDE_TEST_ADMIN_URL');
  const appUrl = required('ALONGSIDE_TEST_APP_URL');
  const template = required('ALONGSIDE_TEST_TEMPLATE');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(appUrl, name);
  const { db } = openDatabase<Database>(url, 5, () => undefined);
  return {
    db,
    url,
    superuserUrl: withDatabase(adminUrl, name),
    async drop() {
      await db.destroy();
      const client = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
