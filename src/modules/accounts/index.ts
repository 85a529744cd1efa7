import path from 'node:path';
import type { Deps } from '../../deps.ts';
import { loadSessionFromToken, type LoadedSession } from './accounts.service.ts';

export { registerAccountPages, SESSION_COOKIE_NAME } from './accounts.pages.ts';
export { accountEmailTemplates } from './email-templates.ts';
export {
  setupNeeded,
  createSetupToken,
  LINK_LIFETIME,
  THROTTLE,
  assertNotThrottled,
  recordFailures,
} from './accounts.service.ts';
export type { LoadedSession, Staff } from './accounts.service.ts';

/** Where this module's page templates live. */
export const accountsViews = [path.join(import.meta.dirname, 'views')];

/**
 * Loads the session behind a cookie, with the session limits from configuration.
 *
 * @param deps - the application's dependencies.
 * @param token - the cookie's value.
 * @returns the session, or undefined.
 */
export function loadSession(deps: Deps, token: string | undefined): Promise<LoadedSession | undefined> {
  return loadSessionFromToken({ db: deps.db, clock: deps.clock, limits: deps.config.session }, token);
}
