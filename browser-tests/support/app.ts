import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { systemClock } from '../../src/context.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../src/testing/test-db.ts';

/** The whole application listening on a loopback port, over a fresh database, on the real clock. */
export type RunningApp = {
  /** Where the browser reaches it, e.g. http://127.0.0.1:41234 (no trailing slash). */
  baseUrl: string;
  app: FastifyInstance;
  database: TestDatabase;
  db: TestDatabase['db'];
  deps: Deps;
  close(): Promise<void>;
};

/**
 * Starts the app the way main.ts does, but on a database cloned from the test runner's migrated
 * template and without an email server (so an invitation link is shown to the administrator).
 *
 * The clock is the system clock: the browser's authenticator codes and the server's checks must agree
 * on the time.
 *
 * @returns the running app; close it in an `after` hook.
 */
export async function startListeningApp(): Promise<RunningApp> {
  const database = await createTestDatabase();
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'browser-test-session-secret-long-enough-0123456789',
    DATA_DIR: '/nonexistent-browser-test-data',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const deps: Deps = {
    config,
    db: database.db,
    clock: systemClock,
    logger: createLogger(config.logLevel),
    pokeOutbox: () => undefined,
    emailEnabled: false,
  };
  let app: FastifyInstance | undefined;
  try {
    app = await createApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app?.close();
    await database.drop();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  // The port is only known now. Links the service writes (invitations) are built from publicUrl on
  // each request, so pointing it at the real address makes them open in the browser.
  config.publicUrl = baseUrl;
  const started = app;
  return {
    baseUrl,
    app: started,
    database,
    db: database.db,
    deps,
    async close() {
      await started.close();
      await database.drop();
    },
  };
}
