import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../http-context.ts';
import { membersSignInFirst } from './portal.pages.ts';
import * as portal from './portal.service.ts';

const offlineAssets = path.resolve(import.meta.dirname, '../../../assets/member-offline');

/**
 * Registers the offline copies of the member's plans: the worker script, the script that starts it,
 * and the list of pages it may keep.
 *
 * The worker is served from /my-account with `Service-Worker-Allowed: /my-plans/` so it controls only
 * the plan pages (Service Worker spec, "Service-Worker-Allowed":
 * https://w3c.github.io/ServiceWorker/#service-worker-allowed). It is served here rather than under
 * /app because its scope header is the portal's business.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerOfflinePages(app: FastifyInstance, deps: Deps): void {
  app.get('/my-account/service-worker.js', { config: { can: 'public' } }, (_req, reply) => {
    reply.header('Service-Worker-Allowed', '/my-plans/');
    return reply.sendFile('service-worker.js', offlineAssets);
  });

  app.get('/my-account/offline.js', { config: { can: 'public' } }, (_req, reply) => {
    return reply.sendFile('offline.js', offlineAssets);
  });

  app.get(
    '/my-account/offline-pages',
    { config: { can: 'portal.own_record' }, onRequest: membersSignInFirst },
    async (req, reply) => reply.send({ pages: await portal.offlinePages(ctxOf(req, deps)) }),
  );
}
