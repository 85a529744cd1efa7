import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

export { reminderTemplates } from './reminder-templates.ts';
export { startReminderRounds } from './reminders.service.ts';

/** Where this module's page templates live. */
export const remindersViews = [path.join(import.meta.dirname, 'views')];

/**
 * Registers this module's pages. Reminders have none yet: they are sent by the background round
 * (reminders.service.ts) and show in the outbox.
 *
 * @param _app - the application.
 * @param _deps - its dependencies.
 */
export function registerReminderPages(_app: FastifyInstance, _deps: Deps): void {}
