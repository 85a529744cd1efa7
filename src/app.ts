import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type preHandlerHookHandler,
} from 'fastify';
import nunjucks from 'nunjucks';
import { sql } from 'kysely';
import type { Deps } from './deps.ts';
import { renderPage } from './http-context.ts';
import {
  accountsViews,
  loadSession,
  registerAccountPages,
  SESSION_COOKIE_NAME,
} from './modules/accounts/index.ts';
import { calendarsViews, registerCalendarPages } from './modules/calendars/index.ts';
import { contactsViews, registerContactPages } from './modules/contacts/index.ts';
import { groupsViews, registerAttendancePages, registerGroupPages } from './modules/groups/index.ts';
import {
  membersViews,
  registerEngagementPages,
  registerEpisodePages,
  registerMemberPages,
} from './modules/members/index.ts';
import { organisationsViews, registerOrganisationPages } from './modules/organisations/index.ts';
import { plansViews, registerPlanPages } from './modules/plans/index.ts';
import {
  loadMemberSession,
  MEMBER_SESSION_COOKIE_NAME,
  portalViews,
  registerPortalPages,
} from './modules/portal/index.ts';
import {
  referralsViews,
  registerProfessionalReferralPages,
  registerReferralPages,
  registerTriagePages,
} from './modules/referrals/index.ts';
import { registerReminderPages, remindersViews } from './modules/reminders/index.ts';
import { isDatabaseUnavailable } from './platform/db/database.ts';
import { DomainError, TooManyAttempts } from './platform/errors.ts';
import { formatDate, formatDateTime } from './platform/views/filters/format-date.ts';
import { ANONYMOUS, can, isAction, isStaff } from './policy/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const nhsukDist = path.join(root, 'node_modules/nhsuk-frontend/dist');

/** The pages a signed-in person can reach from the header, shown only when the policy allows them. */
const NAVIGATION = [
  { href: '/referrals', text: 'Referrals', can: 'referral.list' },
  { href: '/members', text: 'People', can: 'member.list' },
  { href: '/staff', text: 'Staff', can: 'staff.list' },
  { href: '/organisations', text: 'Organisations', can: 'organisation.list' },
  { href: '/services', text: 'Services', can: 'service.list' },
  { href: '/agreements', text: 'Sharing agreements', can: 'agreement.list' },
  { href: '/engagement', text: 'Not engaging', can: 'engagement.list' },
  { href: '/groups', text: 'Groups', can: 'group.list' },
  { href: '/groups/calendar', text: 'Calendar', can: 'calendar.read' },
  { href: '/caseload', text: 'My caseload', can: 'caseload.read_own' },
  { href: '/session-incidents', text: 'Incidents', can: 'incident.list' },
] as const;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The member portal's pages: someone signed out is sent to the member sign-in. */
const MEMBER_PAGES = /^\/my-(account|plans)(\/|\?|$)/;

/**
 * Builds the whole web application from its dependencies. Nothing happens on import; the order of
 * the hooks below is the order a request meets them.
 *
 * @param deps - configuration, database, clock, logger and the outbox.
 * @returns the Fastify instance, ready to `listen` or `inject`.
 */
export async function createApp(deps: Deps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // Fastify's own request lines would log raw URLs (which can hold a one-time token): we log our own.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Set by the onRequest hook below, before any handler runs; null only if loading the session failed.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', undefined);

  // Every route names its policy action; one that does not stops the service from starting (A1).
  const routes: { method: string; url: string; can: string | undefined }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    for (const method of methods) {
      routes.push({ method, url: route.url, can: route.config?.can });
    }
    if (!isAction(route.config?.can)) {
      throw new Error(`Route ${methods.join(',')} ${route.url} does not name a policy action (config.can)`);
    }
    const checks: preHandlerHookHandler[] = [authoriseRoute];
    if (methods.some((m) => STATE_CHANGING.has(m))) {
      // CSRF runs as a preHandler, once the form body is parsed (STACK-NOTES trap 6).
      checks.unshift(app.csrfProtection.bind(app));
    }
    route.preHandler = [...checks, ...[route.preHandler ?? []].flat()];
  });
  app.decorate('routeInventory', () => routes);

  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: config.secureTransport ? '__Host-csrf' : 'alongside-csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureTransport, signed: true },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        // 'self' must be stated: with nonces enabled helmet would otherwise allow nonce-only (trap 5).
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // The QR code for a new authenticator is an SVG data URL.
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        ...(config.secureTransport ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    hsts: config.secureTransport ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyStatic, { root: [path.join(nhsukDist, 'nhsuk/assets')], serve: false });
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [
      path.join(root, 'src/platform/views'),
      ...accountsViews,
      ...organisationsViews,
      ...membersViews,
      ...referralsViews,
      ...groupsViews,
      ...contactsViews,
      ...calendarsViews,
      ...remindersViews,
      ...plansViews,
      ...portalViews,
      nhsukDist,
    ],
    options: {
      autoescape: true,
      noCache: config.environment !== 'production',
      throwOnUndefined: false,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('formatDate', formatDate);
        env.addFilter('formatDateTime', formatDateTime);
      },
    },
  });

  // Who is asking: the session cookie, checked against the database on every request.
  // A member's portal session is looked at only when there is no staff session: one person, one actor.
  app.addHook('onRequest', async (req) => {
    const session = await loadSession(deps, req.cookies[SESSION_COOKIE_NAME(config)]);
    req.session = session;
    req.actor = session?.actor ?? ANONYMOUS;
    if (!session) {
      req.memberSession = await loadMemberSession(deps, req.cookies[MEMBER_SESSION_COOKIE_NAME(config)]);
      req.actor = req.memberSession?.actor ?? ANONYMOUS;
    }
  });

  // The layout's shared values, and no caching of any page that may hold personal data (V8).
  // Static files and the health check are not pages: no layout values, and no CSRF cookie on a cacheable file.
  // Calendar feeds are files for calendar programs: no layout values and no CSRF cookie either.
  const notAPage = (req: FastifyRequest) => /^\/(assets|app|calendars)\/|^\/health$/.test(req.url);
  app.addHook('preHandler', async (req, reply) => {
    if (!notAPage(req)) {
      Object.assign(reply.locals ?? (reply.locals = {}), pageLocals(req, reply));
    }
  });
  app.addHook('onSend', async (req, reply) => {
    if (!/^\/(assets|app)\//.test(req.url)) {
      reply.header('Cache-Control', 'no-store');
    }
  });

  // One access-log line per request: the route's pattern, never the raw URL (which may hold a token).
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        actor: isStaff(req.actor) ? req.actor.id : undefined,
      },
      'request served',
    );
  });

  function pageLocals(req: FastifyRequest, reply: FastifyReply) {
    const actor = req.actor ?? ANONYMOUS;
    return {
      branding: config.branding,
      cspNonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script,
      csrfToken: reply.generateCsrf(),
      signedIn: req.session?.stage === 'signed_in' ? { name: req.session.staffName } : undefined,
      signedInMember: req.memberSession ? { name: req.memberSession.name } : undefined,
      navigation: NAVIGATION.filter((item) => can(actor, item.can)).map((item) => ({
        href: item.href,
        text: item.text,
        current: req.url === item.href || req.url.startsWith(`${item.href}/`),
      })),
    };
  }

  async function authoriseRoute(req: FastifyRequest, reply: FastifyReply) {
    const action = req.routeOptions.config.can;
    if (action === undefined || can(req.actor, action)) {
      return;
    }
    if (req.actor.kind === 'anonymous') {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      // Members have their own sign-in (a code by email or text), never the staff one.
      const signIn = MEMBER_PAGES.test(req.url) ? '/my-account/sign-in' : '/sign-in';
      return reply.redirect(`${signIn}${next}`, 303);
    }
    return errorPage(req, reply, 403);
  }

  function errorPage(req: FastifyRequest, reply: FastifyReply, status: number, retryAfterSeconds?: number) {
    if (!reply.locals?.branding) {
      try {
        Object.assign(reply.locals ?? (reply.locals = {}), pageLocals(req, reply));
      } catch {
        reply.locals = { branding: config.branding };
      }
    }
    const pages: Record<number, { title: string; paragraphs: string[]; showHome?: boolean }> = {
      403: {
        title: 'You do not have permission to see this page',
        paragraphs: ['If you think you should have access, ask an administrator in your organisation.'],
        showHome: true,
      },
      404: {
        title: 'Page not found',
        paragraphs: [
          'If you typed the web address, check it is correct.',
          'If you pasted the web address, check you copied the entire address.',
        ],
        showHome: true,
      },
      409: {
        title: 'Someone else changed this record',
        paragraphs: [
          'Your changes have not been saved. Go back, reload the page to see the latest version, and try again.',
        ],
        showHome: true,
      },
      413: {
        title: 'What you sent was too large',
        paragraphs: ['Go back and shorten your answers, then try again.'],
      },
      429: {
        title: 'Too many attempts',
        paragraphs: [
          `For your security, wait ${Math.max(1, Math.ceil((retryAfterSeconds ?? 300) / 60))} minutes, then try again.`,
        ],
      },
      503: {
        title: 'Sorry, the service is unavailable',
        paragraphs: [
          'You will be able to use the service again shortly.',
          'Nothing you have already saved has been lost.',
        ],
      },
      500: {
        title: 'Sorry, there is a problem with the service',
        paragraphs: [
          'Try again later.',
          'If you were saving something, check whether it was saved before trying again.',
        ],
      },
    };
    const page = pages[status] ?? pages[500]!;
    if (retryAfterSeconds) {
      reply.header('Retry-After', String(retryAfterSeconds));
    }
    return renderPage(reply, 'error-page.njk', { ...page }, status);
  }

  app.setNotFoundHandler((req, reply) => errorPage(req, reply, 404));

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof TooManyAttempts) {
      return errorPage(req, reply, 429, error.retryAfterSeconds);
    }
    if (error instanceof DomainError) {
      return errorPage(req, reply, error.status);
    }
    if (isDatabaseUnavailable(error)) {
      req.log.warn({ code: (error as { code?: string }).code }, 'database unavailable');
      return errorPage(req, reply, 503);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own refusals: a bad or missing CSRF token, a body too large, a malformed form.
      req.log.info({ code: (error as { code?: string }).code, status }, 'request refused');
      return errorPage(req, reply, status === 413 ? 413 : status === 404 ? 404 : 403);
    }
    req.log.error({ err: error }, 'unexpected error');
    return errorPage(req, reply, 500);
  });

  // Static files: the design system's assets, our stylesheet, logo and one small script.
  app.get('/assets/*', { config: { can: 'public' } }, (req, reply) => {
    const file = (req.params as { '*': string })['*'];
    reply.header('Cache-Control', 'public, max-age=86400');
    if (file === 'nhsuk-frontend.min.js') {
      return reply.sendFile('nhsuk-frontend.min.js', path.join(nhsukDist, 'nhsuk'));
    }
    return reply.sendFile(file);
  });
  const appFiles: Record<string, [string, string]> = {
    'app.css': ['app.css', path.join(root, 'dist/assets')],
    'init.js': ['init.js', path.join(root, 'assets')],
    'images/alongside-logo.svg': ['alongside-logo.svg', path.join(root, 'assets/images')],
  };
  app.get('/app/*', { config: { can: 'public' } }, (req, reply) => {
    const entry = appFiles[(req.params as { '*': string })['*']];
    if (!entry) {
      return errorPage(req, reply, 404);
    }
    reply.header('Cache-Control', 'public, max-age=3600');
    return reply.sendFile(entry[0], entry[1]);
  });

  // Reports whether the service can reach its database, for a load balancer or an uptime check.
  app.get('/health', { config: { can: 'public' } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      return reply.send({ status: 'ok', database: 'reachable' });
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  registerAccountPages(app, deps);
  registerOrganisationPages(app, deps);
  registerReferralPages(app, deps);
  registerProfessionalReferralPages(app, deps);
  registerTriagePages(app, deps);
  registerMemberPages(app, deps);
  registerEpisodePages(app, deps);
  registerEngagementPages(app, deps);
  registerGroupPages(app, deps);
  registerAttendancePages(app, deps);
  registerContactPages(app, deps);
  registerCalendarPages(app, deps);
  registerReminderPages(app, deps);
  registerPlanPages(app, deps);
  registerPortalPages(app, deps);

  return app;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Values every page template sees (set by @fastify/view's reply decorator). */
    locals: Record<string, unknown> | null;
  }
  interface FastifyInstance {
    /** Every registered (method, path) and its policy action, for the route inventory test. */
    routeInventory(): { method: string; url: string; can: string | undefined }[];
  }
}
