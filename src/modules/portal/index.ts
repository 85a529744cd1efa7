import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { registerMemberPortalPages } from './member-pages.pages.ts';
import { registerOfflinePages } from './offline.pages.ts';
import { registerSignInPages } from './portal.pages.ts';
import { loadMemberSessionFromToken, type LoadedMemberSession } from './sign-in.service.ts';

export { MEMBER_SESSION_COOKIE_NAME, membersSignInFirst } from './portal.pages.ts';
export { portalTemplates } from './portal.templates.ts';
export type { LoadedMemberSession } from './sign-in.service.ts';

/** Where this module's page templates live. */
export const portalViews = [path.join(import.meta.dirname, 'views')];

/**
 * Loads the member session behind a cookie.
 *
 * @param deps - the application's dependencies.
 * @param token - the member session cookie's value.
 * @returns the session, or undefined.
 */
export function loadMemberSession(
  deps: Deps,
  token: string | undefined,
): Promise<LoadedMemberSession | undefined> {
  return loadMemberSessionFromToken(deps, token);
}

/**
 * Registers the member portal: sign-in with a one-time code or link, and the member's own pages.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerPortalPages(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('memberSession', undefined);
  registerSignInPages(app, deps);
  registerMemberPortalPages(app, deps);
  registerOfflinePages(app, deps);
}
