import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx, Clock, LoadedSession } from './context.ts';
import type { Db } from './database.ts';
import type { FormErrors } from './platform/forms/forms.ts';
import type { Action, Actor } from './policy/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action this route performs: every route must name one (checked at start-up). */
    can?: Action;
  }
  interface FastifyRequest {
    actor: Actor;
    session: LoadedSession | undefined;
  }
}

/** A request whose URL carries the named ids. */
export type Params<K extends string> = FastifyRequest<{ Params: Record<K, string> }>;

/**
 * The use-case context for a request: who is acting and where the request came from.
 *
 * @param req - the request.
 * @param deps - the database and clock.
 * @param deps.db - the database.
 * @param deps.clock - the clock.
 * @returns the context.
 */
export function ctxOf(req: FastifyRequest, deps: { db: Db; clock: Clock }): Ctx {
  return { db: deps.db, clock: deps.clock, actor: req.actor, origin: { requestId: req.id, ip: req.ip } };
}

/**
 * Renders a page with a status; the layout's shared values (branding, navigation, CSRF token, CSP
 * nonce) come from `reply.locals`.
 *
 * @param reply - the reply.
 * @param template - the template name.
 * @param data - the page's own values.
 * @param status - the HTTP status, 200 unless a form had errors (400) or similar.
 * @returns the reply.
 */
export function renderPage(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  status = 200,
) {
  return reply.code(status).view(template, data);
}

/**
 * Renders a page with a form: status 400 with the error summary and field messages when there are
 * errors, 200 without.
 *
 * @param reply - the reply.
 * @param template - the template name.
 * @param data - the page's own values, including the form's values.
 * @param errors - the form's errors, if any.
 * @returns the reply.
 */
export function renderFormPage(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  errors?: FormErrors,
) {
  return renderPage(reply, template, { ...data, ...errors }, errors ? 400 : 200);
}
