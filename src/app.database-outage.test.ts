import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { Database } from './database.ts';
import { openDatabase } from './platform/db/database.ts';
import { createLogger } from './platform/logging/logger.ts';
import { TestClock } from './testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-db.ts';
import { Agent } from './testing/test-app.ts';

/**
 * A loopback TCP relay between the application and its database, which the test can cut and restore:
 * a real lost connection, not a mocked one.
 */
function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as net.AddressInfo).port;
        resolve();
      });
    });
  return {
    open,
    get port() {
      return port;
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server?.close(() => resolve());
      }),
  };
}

describe('when the database goes away', () => {
  let database: TestDatabase;
  let link: ReturnType<typeof relay>;
  let agent: Agent;
  let close: () => Promise<void>;

  before(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    link = relay({ host: target.hostname, port: Number(target.port) });
    await link.open();
    const viaRelay = new URL(database.url);
    viaRelay.port = String(link.port);
    const { db } = openDatabase<Database>(viaRelay.toString(), 3, () => undefined);
    const config = loadConfig({
      NODE_ENV: 'test',
      SESSION_SECRET: 'x'.repeat(40),
      DATA_DIR: '/nonexistent',
      LOG_LEVEL: 'silent',
    });
    const app = await createApp({
      config,
      db,
      clock: new TestClock(),
      logger: createLogger('silent'),
      pokeOutbox: () => undefined,
      emailEnabled: false,
    });
    agent = new Agent(app);
    close = async () => {
      await app.close();
      await db.destroy();
    };
  });
  after(async () => {
    await close();
    await link.cut();
    await database.drop();
  });

  it('shows a friendly 503 page, then recovers by itself when the database returns', async () => {
    // The home page asks the database whether the service has been set up yet.
    assert.equal((await agent.get('/')).status, 200);
    assert.equal((await agent.get('/health')).status, 200);

    await link.cut();
    const down = await agent.get('/');
    assert.equal(down.status, 503);
    assert.match(down.body, /Sorry, the service is unavailable/);
    assert.match(down.body, /Nothing you have already saved has been lost/);
    const health = await agent.get('/health');
    assert.equal(health.status, 503);
    assert.deepEqual(JSON.parse(health.body), { status: 'unavailable', database: 'unreachable' });

    await link.open();
    assert.equal((await agent.get('/')).status, 200);
    assert.equal((await agent.get('/health')).status, 200);
  });
});
