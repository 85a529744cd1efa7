import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/**
 * Registers the booking, waiting list and register pages.
 *
 * @param _app - the application.
 * @param _deps - its dependencies.
 */
export function registerAttendancePages(_app: FastifyInstance, _deps: Deps): void {}
