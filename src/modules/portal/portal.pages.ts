import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { parseForm, submitForm } from '../../platform/forms/forms.ts';
import * as forms from './portal.forms.ts';
import * as signIn from './sign-in.service.ts';
import type { LoadedMemberSession } from './sign-in.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The member's portal session, when a member (not staff) is signed in. */
    memberSession: LoadedMemberSession | undefined;
  }
}

/**
 * The member session cookie: separate from the staff one, so signing in to one never signs in to the
 * other. Under HTTPS it takes the __Host- prefix (Secure, Path=/, no Domain).
 *
 * @param config - the configuration.
 * @returns the name.
 */
export function MEMBER_SESSION_COOKIE_NAME(config: Config): string {
  return config.secureTransport ? '__Host-alongside-member-session' : 'alongside-member-session';
}

/** Holds the sign-in attempt while the member types their code; it lives as long as the code. */
function attemptCookieName(config: Config): string {
  return config.secureTransport ? '__Host-alongside-member-sign-in' : 'alongside-member-sign-in';
}

const cookieOptions = (config: Config, maxAgeSeconds: number) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: config.secureTransport,
  maxAge: maxAgeSeconds,
});

/**
 * Where to go after signing in: only a portal page of this service (never another site).
 *
 * @param next - the `next` query value.
 * @returns a path under /my-account or /my-plans, or the portal home.
 */
export function portalDestination(next: unknown): string {
  return typeof next === 'string' && /^\/my-(account|plans)(\/[A-Za-z0-9/_-]*)?$/.test(next)
    ? next
    : '/my-account';
}

/**
 * Sends someone signed out to the member sign-in page (not the staff one) before the policy check
 * runs: route-level onRequest hooks run after the application's, which has loaded the session.
 */
export const membersSignInFirst: onRequestHookHandler = (req, reply, done) => {
  if (req.actor.kind === 'anonymous') {
    const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
    void reply.redirect(`/my-account/sign-in${next}`, 303);
    return;
  }
  done();
};

/**
 * Registers member sign-in and sign-out.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerSignInPages(app: FastifyInstance, deps: Deps): void {
  const { config } = deps;
  const settings: signIn.SignInSettings = {
    secret: config.sessionSecret,
    publicUrl: config.publicUrl,
    textMessagesEnabled: config.sms !== undefined,
  };
  const nextOf = (req: FastifyRequest) => {
    const next = (req.query as { next?: unknown }).next;
    return portalDestination(next) === '/my-account' ? undefined : portalDestination(next);
  };
  const signedIn = (reply: FastifyReply, token: string, destination: string) => {
    reply.setCookie(
      MEMBER_SESSION_COOKIE_NAME(config),
      token,
      cookieOptions(config, signIn.MEMBER_SESSION_LIMITS.absoluteHours * 3600),
    );
    reply.clearCookie(attemptCookieName(config), { path: '/' });
    return reply.redirect(destination, 303);
  };

  app.get('/my-account/sign-in', { config: { can: 'portal.sign_in' } }, (req, reply) => {
    if (req.actor.kind === 'member') {
      return reply.redirect('/my-account', 303);
    }
    return renderPage(reply, 'portal-sign-in.njk', {
      title: 'Sign in to see your plans and details',
      values: {},
      next: nextOf(req),
    });
  });

  app.post('/my-account/sign-in', { config: { can: 'portal.sign_in' } }, async (req, reply) => {
    const title = 'Sign in to see your plans and details';
    const form = parseForm(forms.signInForm, req.body);
    if (!form.ok) {
      return renderFormPage(
        reply,
        'portal-sign-in.njk',
        { title, values: form.values, next: nextOf(req) },
        form,
      );
    }
    const attemptToken = await signIn.requestSignInCode(ctxOf(req, deps), settings, form.data.contact);
    deps.pokeOutbox();
    reply.setCookie(
      attemptCookieName(config),
      attemptToken,
      cookieOptions(config, signIn.CODE_LIFETIME_MS / 1000),
    );
    const next = nextOf(req);
    return reply.redirect(`/my-account/sign-in/code${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
  });

  const codeTitle = 'Check your email or phone';
  app.get('/my-account/sign-in/code', { config: { can: 'portal.sign_in' } }, (req, reply) => {
    if (!req.cookies[attemptCookieName(config)]) {
      return reply.redirect('/my-account/sign-in', 303);
    }
    return renderPage(reply, 'portal-enter-code.njk', { title: codeTitle, values: {}, next: nextOf(req) });
  });

  app.post('/my-account/sign-in/code', { config: { can: 'portal.sign_in' } }, async (req, reply) => {
    const submitted = await submitForm(forms.codeForm, req.body, ({ code }) =>
      signIn.signInWithCode(
        ctxOf(req, deps),
        config.sessionSecret,
        req.cookies[attemptCookieName(config)],
        code,
      ),
    );
    if (!submitted.ok) {
      return renderFormPage(
        reply,
        'portal-enter-code.njk',
        { title: codeTitle, values: submitted.values, next: nextOf(req) },
        submitted.errors,
      );
    }
    return signedIn(reply, submitted.result, portalDestination((req.query as { next?: unknown }).next));
  });

  const linkNotUsable = (reply: FastifyReply) =>
    renderPage(reply, 'portal-link-not-usable.njk', { title: 'This sign-in link does not work' }, 404);

  app.get(
    '/my-account/sign-in/link/:token',
    { config: { can: 'portal.sign_in' } },
    async (req: Params<'token'>, reply) => {
      if (!(await signIn.signInLinkUsable(deps, req.params.token))) {
        return linkNotUsable(reply);
      }
      return renderPage(reply, 'portal-sign-in-link.njk', { title: 'Sign in', token: req.params.token });
    },
  );

  app.post(
    '/my-account/sign-in/link/:token',
    { config: { can: 'portal.sign_in' } },
    async (req: Params<'token'>, reply) => {
      const token = await signIn.signInWithLink(ctxOf(req, deps), req.params.token);
      return token ? signedIn(reply, token, '/my-account') : linkNotUsable(reply);
    },
  );

  // Signing out: a page with a button, because a state change never happens on a GET (S8).
  app.get('/my-account/sign-out', { config: { can: 'portal.sign_out' } }, (req, reply) =>
    req.memberSession
      ? renderPage(reply, 'portal-sign-out.njk', { title: 'Sign out' })
      : reply.redirect('/my-account/sign-in', 303),
  );

  app.post('/my-account/sign-out', { config: { can: 'portal.sign_out' } }, async (req, reply) => {
    if (req.memberSession) {
      await signIn.signOutMember(ctxOf(req, deps), req.memberSession);
    }
    reply.clearCookie(MEMBER_SESSION_COOKIE_NAME(config), { path: '/' });
    // Tells the browser to drop the saved copies of plans and the offline worker (W3C Clear Site Data);
    // the signed-out page's script also empties the offline copies, for browsers without the header.
    reply.header('Clear-Site-Data', '"cache", "storage"');
    return renderPage(reply, 'portal-signed-out.njk', {
      title: 'You have signed out',
      signedInMember: undefined,
    });
  });
}
