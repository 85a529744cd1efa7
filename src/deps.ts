import type { Config } from './config.ts';
import type { Clock } from './context.ts';
import type { Db } from './database.ts';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Everything the application is built from, made once in main.ts (or a test) and handed to
 * createApp: no module reaches for a global.
 */
export type Deps = {
  config: Config;
  db: Db;
  clock: Clock;
  /** The pino logger (typed as Fastify sees it, so the app and the modules share one type). */
  logger: FastifyBaseLogger;
  /** Wakes the email worker after a commit that queued a message; does nothing when email is off. */
  pokeOutbox: () => void;
  /** Whether an SMTP server is configured; without one, invitation links are shown to the administrator. */
  emailEnabled: boolean;
};
