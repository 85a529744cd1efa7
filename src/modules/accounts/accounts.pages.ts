import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { InvalidInput } from '../../platform/errors.ts';
import { errorsFrom, parseForm, submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can, STAFF_ROLES } from '../../policy/index.ts';
import { ORGANISATION_KINDS } from '../organisations/index.ts';
import * as forms from './accounts.forms.ts';
import * as accounts from './accounts.service.ts';
import { totpQrCode } from './totp.ts';

/**
 * The session cookie's name. Under HTTPS it takes the __Host- prefix, which browsers only accept
 * with Secure, Path=/ and no Domain, so no other site or subdomain can set or read it (S1).
 *
 * @param config - the configuration.
 * @returns the name.
 */
export function SESSION_COOKIE_NAME(config: Config): string {
  return config.secureTransport ? '__Host-alongside-session' : 'alongside-session';
}

function setSessionCookie(reply: FastifyReply, config: Config, token: string) {
  reply.setCookie(SESSION_COOKIE_NAME(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureTransport,
    maxAge: config.session.absoluteHours * 3600,
  });
}

const roleItems = (selected: readonly string[] = []) =>
  Object.entries(STAFF_ROLES).map(([value, text]) => ({ value, text, checked: selected.includes(value) }));

/**
 * Registers sign-in, first-run setup, second factor, invitations, password reset, the home page and
 * staff administration.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerAccountPages(app: FastifyInstance, deps: Deps): void {
  const { config } = deps;

  // Where a part-way signed-in person must go next.
  const nextStep = (req: FastifyRequest) =>
    req.session?.stage === 'second_factor'
      ? '/sign-in/second-factor'
      : req.session?.stage === 'enrolment'
        ? '/set-up-authenticator'
        : undefined;

  app.get('/', { config: { can: 'public' } }, async (req, reply) => {
    const pending = nextStep(req);
    if (pending) {
      return reply.redirect(pending, 303);
    }
    if (req.actor.kind === 'member') {
      return reply.redirect('/my-account', 303);
    }
    if (req.actor.kind === 'anonymous') {
      if (await accounts.setupNeeded(deps.db)) {
        return renderPage(reply, 'not-set-up.njk', { title: 'This service has not been set up yet' });
      }
      return reply.redirect('/sign-in', 303);
    }
    const actor = req.actor;
    const links = [
      {
        href: '/referrals',
        text: 'Referrals',
        description: 'People who have asked for support, and who is waiting longest',
        can: can(actor, 'referral.list'),
      },
      {
        href: '/staff',
        text: 'Staff',
        description: 'Invite colleagues, change roles and deactivate accounts',
        can: can(actor, 'staff.list'),
      },
      {
        href: '/organisations',
        text: 'Organisations',
        description: 'Partner organisations, localities and bases',
        can: can(actor, 'organisation.list'),
      },
      {
        href: '/services',
        text: 'Services',
        description: 'The services your organisations deliver together',
        can: can(actor, 'service.list'),
      },
      {
        href: '/agreements',
        text: 'Sharing agreements',
        description: 'What each partner may see',
        can: can(actor, 'agreement.list'),
      },
      { href: '/account', text: 'Your account', description: 'Your details and roles', can: true },
    ].filter((l) => l.can);
    return renderPage(reply, 'home.njk', { title: 'Home', links, name: req.session?.staffName });
  });

  app.get('/accessibility', { config: { can: 'public' } }, (_req, reply) =>
    renderPage(reply, 'accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', { config: { can: 'public' } }, (_req, reply) =>
    renderPage(reply, 'privacy.njk', { title: 'Privacy' }),
  );

  // First run: the one-time setup link printed when the service starts with no administrator.

  const setupPage = (reply: FastifyReply, values: object, errors?: FormErrors) =>
    renderFormPage(
      reply,
      'setup.njk',
      { title: 'Set up your service', values, kinds: ORGANISATION_KINDS },
      errors,
    );

  app.get('/setup/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    if (!(await accounts.setupTokenUsable(deps, req.params.token))) {
      return renderPage(reply, 'link-not-usable.njk', { title: 'This setup link does not work' }, 404);
    }
    return setupPage(reply, {});
  });

  app.post('/setup/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    const form = parseForm(forms.setupForm, req.body);
    if (!form.ok) {
      return setupPage(reply, form.values, form);
    }
    try {
      const token = await accounts.completeSetup(ctxOf(req, deps), req.params.token, form.data);
      setSessionCookie(reply, config, token);
      return reply.redirect('/set-up-authenticator', 303);
    } catch (error) {
      if (error instanceof InvalidInput) {
        return setupPage(reply, form.values, errorsFrom(error));
      }
      return renderPage(reply, 'link-not-usable.njk', { title: 'This setup link does not work' }, 404);
    }
  });

  // Signing in: email and password, then the second factor.

  const signInPage = (reply: FastifyReply, values: object, errors?: FormErrors) =>
    renderFormPage(reply, 'sign-in.njk', { title: 'Sign in', values }, errors);

  app.get('/sign-in', { config: { can: 'public' } }, (req, reply) => {
    if (req.actor.kind === 'staff') {
      return reply.redirect('/', 303);
    }
    return signInPage(reply, {});
  });

  app.post('/sign-in', { config: { can: 'public' } }, async (req, reply) => {
    const form = parseForm(forms.signInForm, req.body);
    if (!form.ok) {
      return signInPage(reply, { email: form.values.email }, form);
    }
    try {
      const { token, stage } = await accounts.signInWithPassword(ctxOf(req, deps), form.data);
      setSessionCookie(reply, config, token);
      return reply.redirect(stage === 'enrolment' ? '/set-up-authenticator' : '/sign-in/second-factor', 303);
    } catch (error) {
      return signInPage(reply, { email: form.data.email }, errorsFrom(error));
    }
  });

  const secondFactorRoute = (
    url: string,
    kind: 'authenticator' | 'recovery',
    template: string,
    title: string,
  ) => {
    app.get(url, { config: { can: 'public' } }, (req, reply) => {
      if (req.session?.stage !== 'second_factor') {
        return reply.redirect('/sign-in', 303);
      }
      return renderPage(reply, template, { title });
    });
    app.post(url, { config: { can: 'public' } }, async (req, reply) => {
      const session = req.session;
      if (session?.stage !== 'second_factor') {
        return reply.redirect('/sign-in', 303);
      }
      const submitted = await submitForm(forms.codeForm, req.body, ({ code }) =>
        accounts.completeSecondFactor(ctxOf(req, deps), session, { code, kind }),
      );
      if (!submitted.ok) {
        return renderFormPage(reply, template, { title }, submitted.errors);
      }
      setSessionCookie(reply, config, submitted.result);
      return reply.redirect('/', 303);
    });
  };
  secondFactorRoute(
    '/sign-in/second-factor',
    'authenticator',
    'second-factor.njk',
    'Enter the code from your authenticator app',
  );
  secondFactorRoute('/sign-in/recovery-code', 'recovery', 'recovery-code.njk', 'Enter a recovery code');

  // Setting up the authenticator app (after setup, an invitation, or a first sign-in without one).

  const enrolmentPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FormErrors) => {
    const session = req.session!;
    const secret = await accounts.pendingTotpSecret(deps.db, session);
    const qrCode = await totpQrCode(secret, config.branding.serviceName, session.staffEmail);
    return renderFormPage(
      reply,
      'set-up-authenticator.njk',
      { title: 'Set up your authenticator app', qrCode, secret },
      errors,
    );
  };

  app.get('/set-up-authenticator', { config: { can: 'public' } }, (req, reply) =>
    req.session?.stage === 'enrolment' ? enrolmentPage(req, reply) : reply.redirect('/', 303),
  );

  app.post('/set-up-authenticator', { config: { can: 'public' } }, async (req, reply) => {
    const session = req.session;
    if (session?.stage !== 'enrolment') {
      return reply.redirect('/', 303);
    }
    const submitted = await submitForm(forms.codeForm, req.body, ({ code }) =>
      accounts.confirmSecondFactor(ctxOf(req, deps), session, code),
    );
    if (!submitted.ok) {
      return enrolmentPage(req, reply, submitted.errors);
    }
    setSessionCookie(reply, config, submitted.result.token);
    return reply.redirect('/recovery-codes', 303);
  });

  app.get('/recovery-codes', { config: { can: 'account.self' } }, (req, reply) => {
    const codes = req.session?.data.recoveryCodes;
    if (!codes) {
      return reply.redirect('/', 303);
    }
    return renderPage(reply, 'recovery-codes.njk', { title: 'Save your recovery codes', codes });
  });

  app.post('/recovery-codes', { config: { can: 'account.self' } }, async (req, reply) => {
    await accounts.forgetShownRecoveryCodes(deps.db, req.session!);
    return reply.redirect('/', 303);
  });

  // Signing out: a page with a button, because a state change never happens on a GET (S8).

  app.get('/sign-out', { config: { can: 'public' } }, (req, reply) =>
    req.session ? renderPage(reply, 'sign-out.njk', { title: 'Sign out' }) : reply.redirect('/sign-in', 303),
  );

  app.post('/sign-out', { config: { can: 'public' } }, async (req, reply) => {
    if (req.session) {
      await accounts.signOut(ctxOf(req, deps), req.session);
    }
    reply.clearCookie(SESSION_COOKIE_NAME(config), { path: '/' });
    // Tells the browser to drop cached pages and storage from this session, for shared devices (V8).
    reply.header('Clear-Site-Data', '"cache", "storage"');
    return renderPage(reply, 'signed-out.njk', {
      title: 'You have signed out',
      signedIn: undefined,
      navigation: [],
    });
  });

  // Invitations.

  app.get('/invitations/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    const invited = await accounts.findInvitation(deps, req.params.token);
    if (!invited) {
      return renderPage(reply, 'link-not-usable.njk', { title: 'This invitation link does not work' }, 404);
    }
    return renderPage(reply, 'accept-invitation.njk', { title: 'Choose your password', invited });
  });

  app.post('/invitations/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    const invited = await accounts.findInvitation(deps, req.params.token);
    if (!invited) {
      return renderPage(reply, 'link-not-usable.njk', { title: 'This invitation link does not work' }, 404);
    }
    const submitted = await submitForm(forms.newPasswordForm, req.body, ({ password }) =>
      accounts.acceptInvitation(ctxOf(req, deps), req.params.token, password),
    );
    if (!submitted.ok) {
      return renderFormPage(
        reply,
        'accept-invitation.njk',
        { title: 'Choose your password', invited },
        submitted.errors,
      );
    }
    setSessionCookie(reply, config, submitted.result);
    return reply.redirect('/set-up-authenticator', 303);
  });

  // Forgotten password.

  app.get('/forgotten-password', { config: { can: 'public' } }, (_req, reply) =>
    renderPage(reply, 'forgotten-password.njk', { title: 'Reset your password', values: {} }),
  );

  app.post('/forgotten-password', { config: { can: 'public' } }, async (req, reply) => {
    const form = parseForm(forms.forgottenPasswordForm, req.body);
    if (!form.ok) {
      return renderPage(reply, 'forgotten-password.njk', { title: 'Reset your password', ...form }, 400);
    }
    await accounts.requestPasswordReset(ctxOf(req, deps), form.data.email, config.publicUrl);
    deps.pokeOutbox();
    return renderPage(reply, 'reset-link-sent.njk', { title: 'Check your email' });
  });

  app.get('/reset-password/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    if (!(await accounts.passwordResetUsable(deps, req.params.token))) {
      return renderPage(
        reply,
        'link-not-usable.njk',
        { title: 'This password reset link does not work' },
        404,
      );
    }
    return renderPage(reply, 'reset-password.njk', { title: 'Choose a new password' });
  });

  app.post('/reset-password/:token', { config: { can: 'public' } }, async (req: Params<'token'>, reply) => {
    const form = parseForm(forms.newPasswordForm, req.body);
    if (!form.ok) {
      return renderPage(reply, 'reset-password.njk', { title: 'Choose a new password', ...form }, 400);
    }
    try {
      await accounts.resetPassword(ctxOf(req, deps), req.params.token, form.data.password);
    } catch (error) {
      if (error instanceof InvalidInput) {
        return renderPage(
          reply,
          'reset-password.njk',
          { title: 'Choose a new password', ...errorsFrom(error) },
          400,
        );
      }
      return renderPage(
        reply,
        'link-not-usable.njk',
        { title: 'This password reset link does not work' },
        404,
      );
    }
    reply.clearCookie(SESSION_COOKIE_NAME(config), { path: '/' });
    return renderPage(reply, 'password-changed.njk', { title: 'Your password has been changed' });
  });

  // Your account.

  app.get('/account', { config: { can: 'account.self' } }, async (req, reply) => {
    const me = await accounts.myAccount(ctxOf(req, deps));
    return renderPage(reply, 'account.njk', {
      title: 'Your account',
      me,
      roleNames: STAFF_ROLES,
      mayHaveCalendarFeed: can(req.actor, 'calendar.own_feed'),
    });
  });

  // Staff administration.

  app.get('/staff', { config: { can: 'staff.list' } }, async (req, reply) => {
    const staff = await accounts.listStaff(ctxOf(req, deps));
    return renderPage(reply, 'staff-list.njk', {
      title: 'Staff',
      columns: 'full',
      staff,
      roleNames: STAFF_ROLES,
      canInvite: can(req.actor, 'staff.invite'),
    });
  });

  const invitePage = (reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) =>
    renderFormPage(
      reply,
      'staff-invite.njk',
      { title: 'Invite a colleague', values, roleItems: roleItems([values.roles ?? []].flat() as string[]) },
      errors,
    );

  app.get('/staff/invite', { config: { can: 'staff.invite' } }, (_req, reply) => invitePage(reply, {}));

  app.post('/staff/invite', { config: { can: 'staff.invite' } }, async (req, reply) => {
    const submitted = await submitForm(forms.inviteForm, req.body, (data) =>
      accounts.inviteStaff(ctxOf(req, deps), data, config.publicUrl),
    );
    if (!submitted.ok) {
      return invitePage(reply, submitted.values, submitted.errors);
    }
    deps.pokeOutbox();
    return renderPage(reply, 'staff-invited.njk', {
      title: 'Invitation sent',
      staffId: submitted.result.staffId,
      email: submitted.data.email,
      // Without an email server the administrator passes the link on themselves.
      link: deps.emailEnabled ? undefined : submitted.result.link,
    });
  });

  app.get('/staff/:staffId', { config: { can: 'staff.read' } }, async (req: Params<'staffId'>, reply) => {
    const person = await accounts.viewStaff(ctxOf(req, deps), req.params.staffId);
    return renderPage(reply, 'staff-show.njk', {
      title: person.fullName,
      person,
      roleNames: STAFF_ROLES,
      canChange: can(req.actor, 'staff.change', { organisationId: person.organisationId }),
      canAudit: can(req.actor, 'audit.read', { organisationId: person.organisationId }),
      isSelf: req.actor.kind === 'staff' && req.actor.id === person.id,
    });
  });

  const statusChange = (url: string, change: typeof accounts.deactivateStaff) =>
    app.post(url, { config: { can: 'staff.change' } }, async (req: Params<'staffId'>, reply) => {
      const form = parseForm(forms.versionForm, req.body);
      if (!form.ok) {
        return reply.redirect(`/staff/${req.params.staffId}`, 303);
      }
      try {
        await change(ctxOf(req, deps), req.params.staffId, form.data.version);
      } catch (error) {
        const person = await accounts.viewStaff(ctxOf(req, deps), req.params.staffId);
        return renderPage(
          reply,
          'staff-show.njk',
          {
            title: person.fullName,
            person,
            roleNames: STAFF_ROLES,
            canChange: true,
            canAudit: true,
            ...errorsFrom(error),
          },
          400,
        );
      }
      return reply.redirect(`/staff/${req.params.staffId}`, 303);
    });
  statusChange('/staff/:staffId/deactivate', accounts.deactivateStaff);
  statusChange('/staff/:staffId/reactivate', accounts.reactivateStaff);

  const rolesPage = (reply: FastifyReply, person: accounts.Staff, selected: string[], errors?: FormErrors) =>
    renderFormPage(
      reply,
      'staff-roles.njk',
      { title: `Change roles for ${person.fullName}`, person, roleItems: roleItems(selected) },
      errors,
    );

  app.get(
    '/staff/:staffId/roles',
    { config: { can: 'staff.change' } },
    async (req: Params<'staffId'>, reply) => {
      const person = await accounts.viewStaff(ctxOf(req, deps), req.params.staffId);
      if (!can(req.actor, 'staff.change', { organisationId: person.organisationId })) {
        return reply.callNotFound();
      }
      return rolesPage(reply, person, person.roles);
    },
  );

  app.post(
    '/staff/:staffId/roles',
    { config: { can: 'staff.change' } },
    async (req: Params<'staffId'>, reply) => {
      const submitted = await submitForm(forms.rolesForm, req.body, ({ roles, version }) =>
        accounts.changeStaffRoles(ctxOf(req, deps), req.params.staffId, roles, version),
      );
      if (submitted.ok) {
        return reply.redirect(`/staff/${req.params.staffId}`, 303);
      }
      const person = await accounts.viewStaff(ctxOf(req, deps), req.params.staffId);
      return rolesPage(reply, person, [submitted.values.roles ?? []].flat() as string[], submitted.errors);
    },
  );

  app.get(
    '/staff/:staffId/audit',
    { config: { can: 'audit.read' } },
    async (req: Params<'staffId'>, reply) => {
      const { staff, events } = await accounts.staffAuditTrail(ctxOf(req, deps), req.params.staffId);
      return renderPage(reply, 'audit-trail.njk', {
        title: `Audit trail for ${staff.fullName}`,
        columns: 'full',
        person: staff,
        events,
        back: { href: `/staff/${staff.id}` },
      });
    },
  );
}
