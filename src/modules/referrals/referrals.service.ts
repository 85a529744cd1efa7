import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { InvalidInput } from '../../platform/errors.ts';
import { authorize } from '../../policy/index.ts';
import {
  checkAllAnswers,
  QUESTION_PAGES,
  type DraftAnswers,
  type QuestionSlug,
  type ReferralAnswers,
} from './referrals.forms.ts';
import * as repo from './referrals.repo.ts';
import { countReferralSend } from './send-limit.ts';
import { firstContactDueDate } from './working-days.ts';
import { assertNotThrottled, recordFailures, THROTTLE } from '../accounts/index.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';

export type { SentReferral } from './referrals.repo.ts';

/** How long a draft (and its resume code) is kept after it was last saved. */
export const DRAFT_DAYS = 7;
const DRAFT_MS = DRAFT_DAYS * 24 * 60 * 60 * 1000;

/** Letters and digits that cannot be mistaken for each other: no 0, O, 1 or I. */
const UNAMBIGUOUS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/**
 * A new referral reference: "R" and 8 characters no one can misread, e.g. "RKX7T2QPM".
 *
 * @returns the reference.
 */
export function newReferralReference(): string {
  return `R${unambiguousCharacters(8)}`;
}

/**
 * Random characters from the unambiguous alphabet (32 of them, so each byte's low 5 bits are unbiased).
 *
 * @param length - how many.
 * @returns the characters.
 */
function unambiguousCharacters(length: number): string {
  return [...randomBytes(length)].map((byte) => UNAMBIGUOUS[byte & 31]).join('');
}

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * A resume code as typed, in its one canonical form: capitals, without spaces or hyphens.
 *
 * @param typed - what was typed.
 * @returns the 8 characters, or undefined when it cannot be a code.
 */
function canonicalCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-HJ-NP-Z2-9]{8}$/.test(code) ? code : undefined;
}

/** A draft's answers as typed, and whether it is for a particular service. */
export type DraftView = { id: string; answers: DraftAnswers; expiresAt: Date };

function draftAnswers(raw: Record<string, unknown>): DraftAnswers {
  const answers: DraftAnswers = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      answers[key] = value;
    }
  }
  return answers;
}

/**
 * Starts a self-referral: a new draft, kept for 7 days. Drafts that have expired are deleted at the
 * same time, so unsent answers are never kept longer than the person was told (the index on
 * expires_at keeps this cheap; no separate job is needed).
 *
 * @param ctx - the request context (anyone may refer themselves).
 * @param serviceId - the service the person came from, if any; an unknown one is ignored.
 * @returns the draft's id, for the signed cookie.
 */
export async function startSelfReferral(ctx: Ctx, serviceId: string | undefined): Promise<string> {
  authorize(ctx.actor, 'referral.submit');
  const now = ctx.clock.now();
  const id = randomUUID();
  const answers = serviceId && isUuid(serviceId) ? { serviceId } : {};
  await repo.deleteExpiredDrafts(ctx.db, now);
  await repo.insertDraft(ctx.db, { id, answers, expiresAt: new Date(now.getTime() + DRAFT_MS) }, now);
  return id;
}

/**
 * Finds a draft still in progress.
 *
 * @param ctx - the request context.
 * @param draftId - the id from the signed cookie.
 * @returns the draft, or undefined when it has expired, been sent or never existed.
 */
export async function findSelfReferralDraft(
  ctx: Ctx,
  draftId: string | undefined,
): Promise<DraftView | undefined> {
  authorize(ctx.actor, 'referral.submit');
  if (!draftId || !isUuid(draftId)) {
    return undefined;
  }
  const draft = await repo.findDraft(ctx.db, draftId, ctx.clock.now());
  return draft && { id: draft.id, answers: draftAnswers(draft.answers), expiresAt: draft.expiresAt };
}

/**
 * Saves one page's answers, as typed, into a draft, and keeps the draft for another 7 days.
 *
 * @param ctx - the request context.
 * @param draft - the draft.
 * @param pageAnswers - the page's fields.
 */
export async function saveDraftAnswers(ctx: Ctx, draft: DraftView, pageAnswers: DraftAnswers): Promise<void> {
  authorize(ctx.actor, 'referral.submit');
  const now = ctx.clock.now();
  await repo.updateDraftAnswers(
    ctx.db,
    draft.id,
    { ...draft.answers, ...pageAnswers },
    new Date(now.getTime() + DRAFT_MS),
    now,
  );
}

/**
 * Gives a draft a short code to come back to it with, like "ABCD-EFGH". Only the code's SHA-256 is
 * kept, so the code is shown once and cannot be read back from the database.
 *
 * @param ctx - the request context.
 * @param draft - the draft.
 * @returns the code, and until when it works.
 */
export async function issueResumeCode(
  ctx: Ctx,
  draft: DraftView,
): Promise<{ code: string; expiresAt: Date }> {
  authorize(ctx.actor, 'referral.submit');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + DRAFT_MS);
  const code = unambiguousCharacters(8);
  await repo.setDraftCodeHash(ctx.db, draft.id, hashOf(code), expiresAt, now);
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt };
}

/**
 * Finds the draft a resume code belongs to.
 *
 * @param ctx - the request context.
 * @param typed - the code as typed.
 * @returns the draft's id, for the signed cookie.
 * @throws InvalidInput when no draft in progress has that code.
 */
export async function resumeSelfReferral(ctx: Ctx, typed: string): Promise<string> {
  authorize(ctx.actor, 'referral.submit');
  const code = canonicalCode(typed);
  if (!typed.trim()) {
    throw new InvalidInput('referral.resume_code_missing', { code: 'Enter the code you were given' });
  }
  // A resume code has about 40 bits: enough only because guesses are limited, as sign-in attempts are.
  const now = ctx.clock.now();
  const addressKey = `resume:${ctx.origin.ip ?? 'unknown'}`;
  await assertNotThrottled(ctx.db, [[addressKey, THROTTLE.perAccount]], now);
  const id = code && (await repo.findDraftIdByCodeHash(ctx.db, hashOf(code), now));
  if (!id) {
    await recordFailures(ctx.db, [addressKey], now);
    throw new InvalidInput('referral.resume_code_unknown', {
      code: 'This code is not right or has expired. Check the code, or start again',
    });
  }
  return id;
}

/**
 * Today in UK time, the day the question pages' answers are checked against (a date of birth must be
 * in the past).
 *
 * @param ctx - the request context.
 * @returns 'YYYY-MM-DD'.
 */
export function todayForQuestions(ctx: Ctx): string {
  return dayInLondon(ctx.clock.now());
}

/**
 * The first page of a draft still to answer or to put right.
 *
 * @param ctx - the request context.
 * @param draft - the draft.
 * @returns that page's slug, or undefined when every answer is ready to send.
 */
export function nextQuestion(ctx: Ctx, draft: DraftView): QuestionSlug | undefined {
  const checked = checkAllAnswers(draft.answers, todayForQuestions(ctx));
  return checked.ok ? undefined : checked.slug;
}

/**
 * The answers ready to show on the check-your-answers page.
 *
 * @param ctx - the request context.
 * @param draft - the draft.
 * @returns the checked answers, or the page to go back to.
 */
export function answersToCheck(
  ctx: Ctx,
  draft: DraftView,
): { ok: true; answers: ReferralAnswers } | { ok: false; slug: QuestionSlug } {
  return checkAllAnswers(draft.answers, todayForQuestions(ctx));
}

/** There is no organisation to send the referral to yet (the service has not been set up). */
export class NoOneToReceiveReferral extends Error {
  constructor() {
    super('referral.no_destination');
  }
}

/** What came of sending. */
export type SendOutcome =
  { kind: 'sent'; referralId: string } | { kind: 'no-draft' } | { kind: 'incomplete'; slug: QuestionSlug };

/**
 * Sends a self-referral: the referral and its audit row in one transaction, and the draft deleted.
 * Sending the same form again (the same submission key) finds the referral already made.
 *
 * @param ctx - the request context.
 * @param draftId - the draft, from the signed cookie.
 * @param submissionKey - the key the check-your-answers form carried.
 * @returns the referral sent, or why nothing was sent.
 * @throws NoOneToReceiveReferral when there is no host organisation yet; the draft is kept.
 * @throws TooManyAttempts when the address has sent 20 referrals in the last hour; the draft is kept.
 */
export async function submitSelfReferral(
  ctx: Ctx,
  draftId: string | undefined,
  submissionKey: string,
): Promise<SendOutcome> {
  authorize(ctx.actor, 'referral.submit');
  const key = /^[A-Za-z0-9_-]{16,100}$/.test(submissionKey) ? submissionKey : undefined;
  return ctx.db.transaction().execute(async (tx): Promise<SendOutcome> => {
    const now = ctx.clock.now();
    const draft = draftId && isUuid(draftId) ? await repo.findDraft(tx, draftId, now, true) : undefined;
    const already = key && (await repo.findBySubmissionKey(tx, key));
    if (already) {
      return { kind: 'sent', referralId: already.id };
    }
    if (!draft) {
      return { kind: 'no-draft' };
    }
    const raw = draftAnswers(draft.answers);
    const checked = checkAllAnswers(raw, dayInLondon(now));
    if (!checked.ok) {
      return { kind: 'incomplete', slug: checked.slug };
    }
    const destination = await repo.findDestination(
      tx,
      typeof raw.serviceId === 'string' ? raw.serviceId : undefined,
    );
    if (!destination) {
      throw new NoOneToReceiveReferral();
    }
    // Refused past 20 an hour from one address: the transaction rolls back, so the draft is kept.
    await countReferralSend(tx, ctx);
    const a = checked.answers;
    const id = randomUUID();
    await repo.insertReferral(tx, {
      id,
      reference: newReferralReference(),
      serviceId: destination.serviceId,
      organisationId: destination.organisationId,
      source: 'self',
      receivedAt: now,
      firstContactDue: firstContactDueDate(now, destination.firstContactWorkingDays),
      name: a.name,
      preferredName: a.preferredName ?? null,
      dateOfBirth: a.dateOfBirth,
      postcode: a.postcode ?? null,
      email: a.email ?? null,
      phone: a.phone ?? null,
      postalAddress: a.postalAddress ?? null,
      contactMethods: a.contactMethods,
      safeToLeaveMessage: a.safeToLeaveMessage ?? null,
      bestTimes: a.bestTimes ?? null,
      communicationNeeds: a.communicationNeeds,
      preferredLanguage: a.preferredLanguage ?? null,
      communicationNeedsOther: a.communicationNeedsOther ?? null,
      nhsNumber: a.nhsNumber ?? null,
      gpPractice: a.gpPractice ?? null,
      ownWords: a.ownWords,
      hopes: a.hopes,
      consentToReferral: a.consent.includes('referral'),
      consentToContact: a.consent.includes('contact'),
      submissionKey: key ?? null,
    });
    await audit(tx, ctx, {
      action: 'referral.submitted',
      subject: { type: 'Referral', id },
      details: {
        organisationId: destination.organisationId,
        serviceId: destination.serviceId,
        source: 'self',
      },
    });
    await repo.deleteDraft(tx, draft.id);
    return { kind: 'sent', referralId: id };
  });
}

/**
 * The reference and first-contact date of a referral just sent, for its public confirmation page:
 * nothing about the person.
 *
 * @param ctx - the request context.
 * @param action - how it was sent: the self-referral journey or the professional form.
 * @param referralId - the id from the signed cookie set when it was sent.
 * @returns the referral's reference and first-contact date, or undefined.
 */
export async function sentReferral(
  ctx: Ctx,
  action: 'referral.submit' | 'referral.submit_professional',
  referralId: string | undefined,
): Promise<repo.SentReferral | undefined> {
  authorize(ctx.actor, action);
  if (!referralId || !isUuid(referralId)) {
    return undefined;
  }
  return repo.findSentReferral(ctx.db, referralId);
}

/**
 * What a form caught by the honeypot is shown: a confirmation like a real one, with nothing saved.
 *
 * @param ctx - the request context.
 * @returns a made-up reference and the date a real one would give.
 */
export function decoyConfirmation(ctx: Ctx): { reference: string; firstContactDue: string } {
  const now = ctx.clock.now();
  return { reference: newReferralReference(), firstContactDue: firstContactDueDate(now, 5) };
}

/** The question pages' slugs, in order, for pages to link between. */
export const QUESTION_SLUGS: readonly QuestionSlug[] = QUESTION_PAGES.map((page) => page.slug);
