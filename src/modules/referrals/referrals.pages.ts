import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage } from '../../http-context.ts';
import { TooManyAttempts } from '../../platform/errors.ts';
import { errorsFrom, parseForm, type FormErrors } from '../../platform/forms/forms.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { CRISIS_HELP_HEADING } from './crisis-help.ts';
import { formatNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import {
  COMMUNICATION_NEEDS,
  CONTACT_METHODS,
  needHelpNowForm,
  QUESTION_PAGES,
  typedAnswers,
  type QuestionPage,
  type ReferralAnswers,
} from './referrals.forms.ts';
import { crisisHelp, dayInWords, labelled, minutesToWait, yesNo } from './referral-view-values.ts';
import * as referrals from './referrals.service.ts';

const DRAFT_COOKIE = (config: Config) =>
  config.secureTransport ? '__Host-alongside-referral' : 'alongside-referral';
const SENT_COOKIE = (config: Config) =>
  config.secureTransport ? '__Host-alongside-referral-sent' : 'alongside-referral-sent';

/**
 * Registers the public self-referral journey at /refer: no account, one question per page, answers
 * kept in a draft found by a signed cookie (never in the cookie or the address), a resume code to
 * come back later, check your answers, send, and a confirmation. Crisis help is on every page.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerReferralPages(app: FastifyInstance, deps: Deps): void {
  const { config } = deps;
  const can = 'referral.submit' as const;
  const cookieOptions = (days: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.secureTransport,
    signed: true,
    maxAge: days * 24 * 3600,
  });

  const signedCookie = (req: FastifyRequest, name: string): string | undefined => {
    const raw = req.cookies[name];
    if (!raw) {
      return undefined;
    }
    const unsigned = req.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : undefined;
  };
  const currentDraft = (req: FastifyRequest) =>
    referrals.findSelfReferralDraft(ctxOf(req, deps), signedCookie(req, DRAFT_COOKIE(config)));
  const rememberDraft = (reply: FastifyReply, draftId: string) =>
    reply.setCookie(DRAFT_COOKIE(config), draftId, cookieOptions(referrals.DRAFT_DAYS));

  const journeyPage = (
    reply: FastifyReply,
    template: string,
    data: Record<string, unknown>,
    errors?: FormErrors,
    status?: number,
  ) => {
    const page = { ...crisisHelp, ...data };
    return status === undefined
      ? renderFormPage(reply, template, page, errors)
      : renderPage(reply, template, { ...page, ...errors }, status);
  };

  // The start page: what the service is, and whether the person needs help right now.

  const startPage = (reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) =>
    journeyPage(
      reply,
      'referral-start.njk',
      { title: 'Refer yourself for peer support', values, helpItems: yesNo(values.needHelpNow) },
      errors,
    );

  app.get(
    '/refer',
    { config: { can } },
    (req: FastifyRequest<{ Querystring: { service?: string } }>, reply) =>
      startPage(reply, { service: typeof req.query.service === 'string' ? req.query.service : '' }),
  );

  app.post('/refer', { config: { can } }, async (req, reply) => {
    const form = parseForm(needHelpNowForm, req.body);
    if (!form.ok) {
      return startPage(reply, form.values, form);
    }
    const draft = await currentDraft(req);
    if (!draft) {
      const service = (req.body as { service?: unknown }).service;
      const id = await referrals.startSelfReferral(
        ctxOf(req, deps),
        typeof service === 'string' ? service : undefined,
      );
      rememberDraft(reply, id);
    }
    const first = `/refer/${QUESTION_PAGES[0].slug}`;
    return reply.redirect(form.data.needHelpNow === 'yes' ? '/refer/help-now' : first, 303);
  });

  app.get('/refer/help-now', { config: { can } }, (_req, reply) =>
    journeyPage(reply, 'referral-help-now.njk', {
      title: CRISIS_HELP_HEADING,
      next: `/refer/${QUESTION_PAGES[0].slug}`,
    }),
  );

  // One page for each question.

  QUESTION_PAGES.forEach((page: QuestionPage, index) => {
    const path = `/refer/${page.slug}`;
    const previous = index === 0 ? '/refer' : `/refer/${QUESTION_PAGES[index - 1]?.slug ?? ''}`;
    const next =
      index + 1 < QUESTION_PAGES.length
        ? `/refer/${QUESTION_PAGES[index + 1]?.slug ?? ''}`
        : '/refer/check-your-answers';
    type Req = FastifyRequest<{ Querystring: { change?: string } }>;
    const changing = (req: Req) => req.query.change === 'yes';

    const questionPage = (
      req: Req,
      reply: FastifyReply,
      values: Record<string, unknown>,
      errors?: FormErrors,
    ) =>
      journeyPage(
        reply,
        `referral-${page.slug}.njk`,
        {
          title: page.title,
          values,
          back: { href: changing(req) ? '/refer/check-your-answers' : previous },
          contactItems: labelled(CONTACT_METHODS, values.contactMethods),
          messageItems: yesNo(values.safeToLeaveMessage),
          needItems: labelled(COMMUNICATION_NEEDS, values.communicationNeeds),
          consentItems: [
            {
              value: 'referral',
              text: 'I agree to my referral being sent to the peer support team',
              checked: [values.consent ?? []].flat().includes('referral'),
            },
            {
              value: 'contact',
              text: 'I agree to the team contacting me in the ways I have chosen',
              checked: [values.consent ?? []].flat().includes('contact'),
            },
          ],
        },
        errors,
      );

    app.get(path, { config: { can } }, async (req: Req, reply) => {
      const draft = await currentDraft(req);
      if (!draft) {
        return reply.redirect('/refer', 303);
      }
      return questionPage(req, reply, draft.answers);
    });

    app.post(path, { config: { can } }, async (req: Req, reply) => {
      const ctx = ctxOf(req, deps);
      const draft = await currentDraft(req);
      if (!draft) {
        return reply.redirect('/refer', 303);
      }
      const typed = typedAnswers(page, req.body);
      if ((req.body as { action?: unknown }).action === 'save') {
        // Saved as typed, mistakes included: they are checked again before anything is sent.
        await referrals.saveDraftAnswers(ctx, draft, typed);
        const { code, expiresAt } = await referrals.issueResumeCode(ctx, draft);
        return journeyPage(reply, 'referral-saved.njk', {
          title: 'Your answers have been saved',
          code,
          until: formatDate(expiresAt),
          returnTo: path,
        });
      }
      const form = parseForm(page.schema(referrals.todayForQuestions(ctx)), req.body);
      if (!form.ok) {
        return questionPage(req, reply, form.values, form);
      }
      await referrals.saveDraftAnswers(ctx, draft, typed);
      return reply.redirect(changing(req) ? '/refer/check-your-answers' : next, 303);
    });
  });

  // Check your answers, and send.

  /** Why a send did not happen: something went wrong on our side, or too many from this address. */
  type NotSent = { kind: 'failed' } | { kind: 'too-many'; retryAfterSeconds: number };
  const checkPage = async (req: FastifyRequest, reply: FastifyReply, notSent?: NotSent) => {
    const draft = await currentDraft(req);
    if (!draft) {
      return reply.redirect('/refer', 303);
    }
    const checked = referrals.answersToCheck(ctxOf(req, deps), draft);
    if (!checked.ok) {
      return reply.redirect(`/refer/${checked.slug}`, 303);
    }
    return journeyPage(
      reply,
      'referral-check-answers.njk',
      {
        title: 'Check your answers before sending your referral',
        back: { href: `/refer/${QUESTION_PAGES[QUESTION_PAGES.length - 1]?.slug ?? ''}` },
        rows: summaryRows(checked.answers),
        submissionKey: randomBytes(24).toString('base64url'),
        notSent: notSent?.kind === 'failed',
        tooMany: notSent?.kind === 'too-many' && { minutes: minutesToWait(notSent.retryAfterSeconds) },
      },
      undefined,
      notSent ? (notSent.kind === 'failed' ? 503 : 429) : 200,
    );
  };

  app.get('/refer/check-your-answers', { config: { can } }, (req, reply) => checkPage(req, reply));

  app.post('/refer/check-your-answers', { config: { can } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const body = (req.body ?? {}) as { website?: unknown; submissionKey?: unknown };
    if (typeof body.website === 'string' && body.website.trim() !== '') {
      // The honeypot was filled in, which a person cannot see to do: answer as if sent, save nothing.
      const decoy = referrals.decoyConfirmation(ctx);
      return journeyPage(reply, 'referral-sent.njk', {
        title: 'Referral sent',
        reference: decoy.reference,
        due: dayInWords(decoy.firstContactDue),
      });
    }
    let outcome: referrals.SendOutcome;
    try {
      outcome = await referrals.submitSelfReferral(
        ctx,
        signedCookie(req, DRAFT_COOKIE(config)),
        typeof body.submissionKey === 'string' ? body.submissionKey : '',
      );
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        // Nothing was saved and the draft is untouched: say how long to wait.
        reply.header('Retry-After', String(error.retryAfterSeconds));
        return checkPage(req, reply, { kind: 'too-many', retryAfterSeconds: error.retryAfterSeconds });
      }
      // Nothing was saved and the draft is untouched: say so, and what to do.
      req.log.error({ err: error }, 'self-referral not sent');
      try {
        return await checkPage(req, reply, { kind: 'failed' });
      } catch {
        return journeyPage(
          reply,
          'referral-not-sent.njk',
          { title: 'Your referral has not been sent' },
          undefined,
          503,
        );
      }
    }
    switch (outcome.kind) {
      case 'sent':
        reply.clearCookie(DRAFT_COOKIE(config), { path: '/' });
        reply.setCookie(SENT_COOKIE(config), outcome.referralId, cookieOptions(1));
        return reply.redirect('/refer/sent', 303);
      case 'incomplete':
        return reply.redirect(`/refer/${outcome.slug}`, 303);
      case 'no-draft':
        return reply.redirect('/refer', 303);
    }
  });

  app.get('/refer/sent', { config: { can } }, async (req, reply) => {
    const sent = await referrals.sentReferral(
      ctxOf(req, deps),
      'referral.submit',
      signedCookie(req, SENT_COOKIE(config)),
    );
    if (!sent) {
      return reply.redirect('/refer', 303);
    }
    return journeyPage(reply, 'referral-sent.njk', {
      title: 'Referral sent',
      reference: sent.reference,
      due: dayInWords(sent.firstContactDue),
    });
  });

  // Coming back to a saved referral.

  const resumePage = (reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) =>
    journeyPage(
      reply,
      'referral-resume.njk',
      { title: 'Come back to your referral', values, back: { href: '/refer' } },
      errors,
    );

  app.get('/refer/resume', { config: { can } }, (_req, reply) => resumePage(reply, {}));

  app.post('/refer/resume', { config: { can } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const values = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof values.code === 'string' ? values.code.slice(0, 50) : '';
    let draftId: string;
    try {
      draftId = await referrals.resumeSelfReferral(ctx, typed);
    } catch (error) {
      return resumePage(reply, { code: typed }, errorsFrom(error));
    }
    rememberDraft(reply, draftId);
    const draft = await referrals.findSelfReferralDraft(ctx, draftId);
    const slug = draft && referrals.nextQuestion(ctx, draft);
    return reply.redirect(slug ? `/refer/${slug}` : '/refer/check-your-answers', 303);
  });
}

/**
 * The check-your-answers summary list, each row with a Change link back to its page.
 *
 * @param a - the checked answers.
 * @returns the rows for the nhsuk summary list.
 */
function summaryRows(a: ReferralAnswers) {
  const notGiven = 'Not given';
  const row = (key: string, value: string, slug: string) => ({
    key: { text: key },
    value: { text: value },
    actions: {
      items: [{ href: `/refer/${slug}?change=yes`, text: 'Change', visuallyHiddenText: key.toLowerCase() }],
    },
  });
  const byPhone = a.contactMethods.includes('phone') || a.contactMethods.includes('text');
  const needs = a.communicationNeeds.map((need) =>
    need === 'another_language' && a.preferredLanguage
      ? `${COMMUNICATION_NEEDS[need]}: ${a.preferredLanguage}`
      : need === 'other' && a.communicationNeedsOther
        ? `${COMMUNICATION_NEEDS[need]}: ${a.communicationNeedsOther}`
        : COMMUNICATION_NEEDS[need],
  );
  return [
    row('What is happening', a.ownWords, 'what-is-happening'),
    row('What you would like', a.hopes, 'what-you-would-like'),
    row('Name', a.name, 'your-name'),
    row('Name you would like us to use', a.preferredName ?? notGiven, 'your-name'),
    row('Date of birth', a.dateOfBirth ? formatDate(a.dateOfBirth) : notGiven, 'date-of-birth'),
    row(
      'How we can contact you',
      a.contactMethods.map((method) => CONTACT_METHODS[method]).join(', '),
      'how-to-contact-you',
    ),
    ...(byPhone
      ? [
          row('Phone number', a.phone ?? '', 'how-to-contact-you'),
          row('Safe to leave a message', a.safeToLeaveMessage ? 'Yes' : 'No', 'how-to-contact-you'),
        ]
      : []),
    ...(a.email ? [row('Email address', a.email, 'how-to-contact-you')] : []),
    ...(a.postalAddress ? [row('Address', a.postalAddress, 'how-to-contact-you')] : []),
    row('Postcode', a.postcode ?? notGiven, 'how-to-contact-you'),
    row('Best times to contact you', a.bestTimes ?? notGiven, 'how-to-contact-you'),
    row('Communication needs', needs.length > 0 ? needs.join(', ') : 'None', 'communication-needs'),
    row('NHS number', a.nhsNumber ? formatNhsNumber(a.nhsNumber) : notGiven, 'nhs-number'),
    row('GP surgery', a.gpPractice ?? notGiven, 'gp-practice'),
    row('Agreement', 'You agree to your referral being sent and to us contacting you', 'consent'),
  ];
}
