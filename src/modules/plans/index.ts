import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Where this module's page templates live. */
export const plansViews = [path.join(import.meta.dirname, 'views')];

/**
 * Registers this module's pages.
 *
 * @param _app - the application.
 * @param _deps - its dependencies.
 */
export function registerPlanPages(_app: FastifyInstance, _deps: Deps): void {}
