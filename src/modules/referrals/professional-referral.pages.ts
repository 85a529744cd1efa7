import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderPage } from '../../http-context.ts';
import { TooManyAttempts } from '../../platform/errors.ts';
import { parseForm, type FormErrors } from '../../platform/forms/forms.ts';
import { professionalReferralForm } from './professional-referral.forms.ts';
import { REFERRAL_SOURCE_LABELS } from './referral-sources.ts';
import { submitProfessionalReferral, todayForForms } from './professional-referral.service.ts';
import { crisisHelp, dayInWords, labelled, minutesToWait, yesNo } from './referral-view-values.ts';
import { COMMUNICATION_NEEDS, CONTACT_METHODS } from './referrals.forms.ts';
import { decoyConfirmation, sentReferral } from './referrals.service.ts';

const SENT_COOKIE = (config: Config) =>
  config.secureTransport
    ? '__Host-alongside-professional-referral-sent'
    : 'alongside-professional-referral-sent';

const TITLE = 'Refer someone for peer support';
const SENT_TITLE = 'Referral sent';
const CRISIS_INTRO =
  'We are not an emergency service and may not see this referral straight away. If the person you are referring needs help now, they can:';

const newSubmissionKey = () => randomBytes(24).toString('base64url');
const oneLine = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

/** Why the form is shown again with what was typed: nothing wrong, a mistake, or it could not be sent. */
type Shown =
  | { kind: 'fresh' }
  | { kind: 'mistakes'; errors: FormErrors }
  | { kind: 'too-many'; retryAfterSeconds: number }
  | { kind: 'failed' };

/**
 * Registers the public professional referral form at /refer/professional: a GP, an NHS team or a
 * partner organisation refers someone who has agreed to it, with no account, on one page that works
 * without JavaScript. Mistakes are shown on the same page with everything typed kept; a send is
 * followed by a confirmation showing the reference and first-contact date, and nothing about the person.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerProfessionalReferralPages(app: FastifyInstance, deps: Deps): void {
  const { config } = deps;
  const can = 'referral.submit_professional' as const;

  const formPage = (reply: FastifyReply, values: Record<string, unknown>, shown: Shown) => {
    const status = { fresh: 200, mistakes: 400, 'too-many': 429, failed: 503 }[shown.kind];
    if (shown.kind === 'too-many') {
      reply.header('Retry-After', String(shown.retryAfterSeconds));
    }
    const kept = {
      ...values,
      submissionKey: /^[A-Za-z0-9_-]{16,100}$/.test(oneLine(values.submissionKey, 100))
        ? values.submissionKey
        : newSubmissionKey(),
    };
    return renderPage(
      reply,
      'referral-professional.njk',
      {
        ...crisisHelp,
        crisisIntro: CRISIS_INTRO,
        title: TITLE,
        values: kept,
        sourceItems: labelled(REFERRAL_SOURCE_LABELS, values.source),
        contactItems: labelled(CONTACT_METHODS, values.contactMethods),
        messageItems: yesNo(values.safeToLeaveMessage),
        needItems: labelled(COMMUNICATION_NEEDS, values.communicationNeeds),
        consentItems: labelled({ yes: 'I confirm the person agrees to this referral' }, values.consent),
        tooMany: shown.kind === 'too-many' && { minutes: minutesToWait(shown.retryAfterSeconds) },
        notSent: shown.kind === 'failed',
        ...(shown.kind === 'mistakes' ? shown.errors : {}),
      },
      status,
    );
  };

  const sentPage = (reply: FastifyReply, sent: { reference: string; firstContactDue: string }) =>
    renderPage(reply, 'referral-professional-sent.njk', {
      ...crisisHelp,
      crisisIntro: CRISIS_INTRO,
      title: SENT_TITLE,
      reference: sent.reference,
      due: dayInWords(sent.firstContactDue),
    });

  app.get(
    '/refer/professional',
    { config: { can } },
    (req: FastifyRequest<{ Querystring: { service?: unknown } }>, reply) =>
      formPage(reply, { service: oneLine(req.query.service, 100) }, { kind: 'fresh' }),
  );

  app.post('/refer/professional', { config: { can } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const values = (req.body ?? {}) as Record<string, unknown>;
    if (oneLine(values.website, 1000).trim() !== '') {
      // The honeypot was filled in, which a person cannot see to do: answer as if sent, save nothing.
      return sentPage(reply, decoyConfirmation(ctx));
    }
    const form = parseForm(professionalReferralForm(todayForForms(ctx)), values);
    if (!form.ok) {
      return formPage(reply, values, { kind: 'mistakes', errors: form });
    }
    let referralId: string;
    try {
      ({ referralId } = await submitProfessionalReferral(
        ctx,
        form.data,
        oneLine(values.submissionKey, 100),
        oneLine(values.service, 100) || undefined,
      ));
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        return formPage(reply, values, { kind: 'too-many', retryAfterSeconds: error.retryAfterSeconds });
      }
      // Only the error's kind is logged: a database error's detail can hold the row, with the
      // person's details in it. Nothing was saved, and the page keeps what was typed.
      req.log.error(
        {
          error: error instanceof Error ? error.name : typeof error,
          code: (error as { code?: unknown }).code,
        },
        'professional referral not sent',
      );
      return formPage(reply, values, { kind: 'failed' });
    }
    reply.setCookie(SENT_COOKIE(config), referralId, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureTransport,
      signed: true,
      maxAge: 24 * 3600,
    });
    return reply.redirect('/refer/professional/sent', 303);
  });

  app.get('/refer/professional/sent', { config: { can } }, async (req, reply) => {
    const raw = req.cookies[SENT_COOKIE(config)];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    const sent = await sentReferral(
      ctxOf(req, deps),
      'referral.submit_professional',
      unsigned?.valid && unsigned.value ? unsigned.value : undefined,
    );
    if (!sent) {
      return reply.redirect('/refer/professional', 303);
    }
    return sentPage(reply, sent);
  });
}
