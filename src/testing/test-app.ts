import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { createApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { createLogger } from '../platform/logging/logger.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';
import { TestClock } from './test-clock.ts';

/**
 * The whole application over a fresh database, driven through Fastify's inject (real routing, hooks,
 * sessions and CSRF; no sockets).
 */
export type TestApp = {
  app: FastifyInstance;
  db: TestDatabase['db'];
  database: TestDatabase;
  clock: TestClock;
  config: Config;
  deps: Deps;
  agent(): Agent;
  close(): Promise<void>;
};

export type TestAppOptions = {
  env?: Record<string, string>;
  emailEnabled?: boolean;
  pokeOutbox?: () => void;
  /** Collects every log line the app writes, for tests that check what is (never) logged. */
  logLines?: string[];
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    DATA_DIR: '/nonexistent-test-data',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const deps: Deps = {
    config,
    db: database.db,
    clock,
    logger: options.logLines
      ? createLogger('info', { write: (line: string) => void options.logLines?.push(line) })
      : createLogger(config.logLevel),
    pokeOutbox: options.pokeOutbox ?? (() => undefined),
    emailEnabled: options.emailEnabled ?? false,
  };
  const app = await createApp(deps);
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    clock,
    config,
    deps,
    agent: () => new Agent(app),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export type Response = {
  status: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
};

/**
 * A browser-like client: keeps cookies, reads the CSRF token from each page it gets, and sends forms
 * the way a browser does (application/x-www-form-urlencoded).
 */
export class Agent {
  private cookies = new Map<string, string>();
  private csrfToken: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private remember(headers: Response['headers']): void {
    for (const line of [headers['set-cookie'] ?? []].flat().map(String)) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) {
        continue;
      }
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired) {
        this.cookies.delete(name.trim());
      } else {
        this.cookies.set(name.trim(), value.join('='));
      }
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    payload?: string,
    headers: Record<string, string> = {},
  ) {
    const response = await this.app.inject({
      method,
      url,
      payload,
      headers: {
        cookie: this.cookieHeader(),
        ...(payload !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...headers,
      },
    });
    this.remember(response.headers);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) {
      this.csrfToken = token;
    }
    return { status: response.statusCode, body: squash(response.body), headers: response.headers };
  }

  get(url: string): Promise<Response> {
    return this.send('GET', url);
  }

  /**
   * Posts a form. The CSRF token is the one from the last page fetched (fetching the sign-in page
   * first if no page has been), unless the fields give their own `_csrf`.
   *
   * @param url - where to post.
   * @param fields - the form fields; arrays become repeated fields, as checkboxes do.
   * @returns the response.
   */
  async post(
    url: string,
    fields: Record<string, string | number | string[] | undefined> = {},
  ): Promise<Response> {
    if (this.csrfToken === undefined && !('_csrf' in fields)) {
      await this.get('/sign-in');
    }
    const body = new URLSearchParams();
    if (!('_csrf' in fields) && this.csrfToken) {
      body.append('_csrf', this.csrfToken);
    }
    for (const [key, value] of Object.entries(fields)) {
      for (const item of [value ?? []].flat()) {
        body.append(key, String(item));
      }
    }
    return this.send('POST', url, body.toString());
  }
}

/**
 * HTML with the template engine's layout whitespace folded away, so a test can match what a person
 * reads (`<a href="#email">Enter an email address</a>`) without caring how the template is indented.
 *
 * @param html - the page.
 * @returns the page with whitespace between tags and text removed and other runs folded to one space.
 */
export function squash(html: string): string {
  return html.replace(/>\s+/g, '>').replace(/\s+</g, '<').replace(/\s+/g, ' ');
}

/**
 * The code an authenticator app would show at the test clock's time.
 *
 * @param secret - the Base32 secret.
 * @param clock - the test clock.
 * @returns the 6-digit code.
 */
export function authenticatorCode(secret: string, clock: TestClock): Promise<string> {
  return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
}

/**
 * Signs a member of staff in through the real pages: password, then a code from their authenticator.
 * The clock moves on 30 seconds first, because a code from an already-used time step is refused.
 *
 * @param agent - the client.
 * @param staff - who, with their password and authenticator secret.
 * @param staff.email - their email address.
 * @param staff.password - their password.
 * @param staff.totpSecret - their authenticator secret.
 * @param clock - the test clock.
 */
export async function signIn(
  agent: Agent,
  staff: { email: string; password: string; totpSecret: string },
  clock: TestClock,
): Promise<void> {
  clock.advance(30_000);
  const password = await agent.post('/sign-in', { email: staff.email, password: staff.password });
  if (password.status !== 303 || password.headers.location !== '/sign-in/second-factor') {
    throw new Error(`password step failed with ${password.status}`);
  }
  const code = await agent.post('/sign-in/second-factor', {
    code: await authenticatorCode(staff.totpSecret, clock),
  });
  if (code.status !== 303 || code.headers.location !== '/') {
    throw new Error(`second factor step failed with ${code.status}`);
  }
}

/**
 * A new client signed in as a member of staff, for tests that act as several people.
 *
 * @param t - the test app.
 * @param staff - who, with their password and authenticator secret.
 * @returns the signed-in client.
 */
export async function signedInAgent(
  t: TestApp,
  staff: { email: string; password: string; totpSecret: string },
): Promise<Agent> {
  const agent = t.agent();
  await signIn(agent, staff, t.clock);
  return agent;
}
