import { z } from 'zod';
import { checkboxList, optionalText, versionField, type FormErrors } from '../../platform/forms/forms.ts';
import { datePartsOf, optionalDate, requiredDate } from '../../platform/forms/date-input.ts';
import { OUTCOMES_BY_STEP } from './follow-up-ladder.ts';
import { timeOfDayField } from '../../platform/forms/time-of-day.ts';
import { londonMoment } from '../../platform/time/london-time.ts';
import type { FollowUpOutcome, FollowUpStep } from './members.tables.ts';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';

/**
 * The forms of the episode of support pages (plan, discharge) and of logging a follow-up attempt.
 * Messages follow the NHS service manual's error message guidance: say what to do, in plain words.
 */

/** Gathers each date input's three boxes (`<name>-day`, `-month`, `-year`) under its name. */
function groupDates(names: readonly string[]) {
  return (body: unknown): unknown => {
    const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const dates = Object.fromEntries(names.map((name) => [name, datePartsOf(values, name)]));
    return { ...values, ...dates };
  };
}

/**
 * A day as the three boxes of a date input, for a form's values.
 *
 * @param name - the date input's name.
 * @param date - the day, 'YYYY-MM-DD', or null.
 * @returns the values of its day, month and year boxes.
 */
export function dateValuesOf(name: string, date: string | null): Record<string, string> {
  const [year = '', month = '', day = ''] = date ? date.split('-') : [];
  return {
    [`${name}-day`]: day.replace(/^0/, ''),
    [`${name}-month`]: month.replace(/^0/, ''),
    [`${name}-year`]: year,
  };
}

/**
 * Points the error summary's links for date inputs at their first box (the day), as the NHS date
 * input pattern asks: the fieldset itself cannot take focus.
 *
 * @param errors - the page's errors.
 * @param fields - the date inputs' names.
 * @returns the errors with those links changed.
 */
export function linkDateInputs(errors: FormErrors, fields: readonly string[]): FormErrors {
  return {
    ...errors,
    errorList: errors.errorList.map((item) =>
      fields.includes(item.href.slice(1)) ? { ...item, href: `${item.href}-day` } : item,
    ),
  };
}

// The plan: anticipated end, review date and key workers.

/** The plan page's date inputs. */
export const PLAN_DATES = ['anticipatedEndOn', 'reviewOn'] as const;

export const episodePlanForm = z.preprocess(
  groupDates(PLAN_DATES),
  z.object({
    anticipatedEndOn: optionalDate('Anticipated end date'),
    reviewOn: optionalDate('Review date'),
    keyWorkerIds: checkboxList(z.string().regex(UUID_PATTERN, 'Select key workers from the list')).transform(
      (list) => [...new Set(list)],
    ),
    version: versionField,
  }),
);

export type EpisodePlanInput = z.output<typeof episodePlanForm>;

// Discharge.

/** Why support ended, with the words shown on screen. */
export const DISCHARGE_REASONS = {
  goals_met: 'Their support goals were met',
  moved_service: 'They moved to another service',
  chose_to_stop: 'They chose to stop',
  lost_contact: 'They are no longer in contact, after follow-up',
  moved_away: 'They moved away',
  died: 'They died',
  other: 'Another reason',
} as const;

export type DischargeReason = keyof typeof DISCHARGE_REASONS;

const OTHER_PREFIX = 'other: ';

/**
 * The reason as the episode stores it: the code, or for another reason the words given.
 *
 * @param reason - the reason chosen.
 * @param detail - the words given for another reason.
 * @returns the stored reason.
 */
export function storedDischargeReason(reason: DischargeReason, detail: string | undefined): string {
  return reason === 'other' ? `${OTHER_PREFIX}${detail ?? ''}` : reason;
}

/**
 * The stored reason in words for the episode page.
 *
 * @param stored - the stored reason.
 * @returns the reason as a sentence, and the words given for another reason.
 */
export function dischargeReasonText(stored: string | null): string {
  if (!stored) {
    return '';
  }
  if (stored.startsWith(OTHER_PREFIX)) {
    return `Another reason: ${stored.slice(OTHER_PREFIX.length)}`;
  }
  return Object.hasOwn(DISCHARGE_REASONS, stored) ? DISCHARGE_REASONS[stored as DischargeReason] : stored;
}

/**
 * The reason's code for the audit trail (never the words given).
 *
 * @param stored - the stored reason.
 * @returns the code.
 */
export function dischargeReasonCode(stored: string): DischargeReason {
  return stored.startsWith(OTHER_PREFIX) ? 'other' : (stored as DischargeReason);
}

const reasonField = z.enum(Object.keys(DISCHARGE_REASONS) as [DischargeReason, ...DischargeReason[]], {
  error: 'Select why support is ending',
});

export const dischargeForm = z.preprocess(
  groupDates(['dischargedOn']),
  z
    .object({
      dischargedOn: requiredDate('Discharge date'),
      reason: reasonField,
      reasonDetail: optionalText('The reason must be 900 characters or fewer', 900 - OTHER_PREFIX.length),
      confirmed: z.literal('yes', { error: 'Confirm that support is ending' }),
      version: versionField,
    })
    .superRefine((value, ctx) => {
      if (value.reason === 'other' && !value.reasonDetail) {
        ctx.addIssue({
          code: 'custom',
          message: 'Enter the reason support is ending',
          path: ['reasonDetail'],
        });
      }
    }),
);

export type DischargeInput = z.output<typeof dischargeForm>;

// Follow-up attempts.

const stepField = z.enum(['call', 'text', 'letter', 'review'] satisfies FollowUpStep[], {
  error: 'Select what you did',
});
const outcomeField = z.enum(
  ['spoke', 'no_answer', 'left_message', 'sent', 'reviewed'] satisfies FollowUpOutcome[],
  { error: 'Select what happened' },
);

/** What to say when the outcome does not fit the step. */
const OUTCOME_MISMATCH: Record<FollowUpStep, string> = {
  call: 'For a call, select spoke with them, no answer or left a message',
  text: 'For a text message, select sent or spoke with them',
  letter: 'For a letter, select sent',
  review: 'For a review of their support, select reviewed with the team',
};

export const followUpForm = z.preprocess(
  groupDates(['at']),
  z
    .object({
      step: stepField,
      outcome: outcomeField,
      note: optionalText('Note must be 2,000 characters or fewer', 2000),
      at: requiredDate('Date'),
      atTime: timeOfDayField,
    })
    .superRefine((value, ctx) => {
      if (!OUTCOMES_BY_STEP[value.step].includes(value.outcome)) {
        ctx.addIssue({ code: 'custom', message: OUTCOME_MISMATCH[value.step], path: ['outcome'] });
      }
    })
    .transform(({ at, atTime, ...rest }) => ({ ...rest, at: londonMoment(at, atTime) })),
);

export type FollowUpInput = z.output<typeof followUpForm>;
