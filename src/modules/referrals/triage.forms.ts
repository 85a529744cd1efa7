import { z } from 'zod';
import { datePartsOf, optionalDate, requiredDate } from '../../platform/forms/date-input.ts';
import { optionalText, versionField } from '../../platform/forms/forms.ts';
import { timeOfDayField } from '../../platform/forms/time-of-day.ts';
import { londonMoment } from '../../platform/time/london-time.ts';
import { isUuid, UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import type { ReferralStatus } from './referral-status.ts';
import { REFERRAL_SOURCES } from './referral-sources.ts';
import type { ContactAttemptChannel, ContactAttemptOutcome } from './referrals.tables.ts';

/**
 * The triage pages' forms: logging an attempt to reach the person, booking the welcome conversation,
 * linking the referral to a person, and closing it with its outcome. Messages follow the NHS service
 * manual's error message guidance: say what to do, in plain words.
 */

/** How the team tried to reach the person, in the words on screen. */
export const CONTACT_CHANNELS: Readonly<Record<ContactAttemptChannel, string>> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  in_person: 'In person',
};

/** What happened when the team tried. */
export const CONTACT_OUTCOMES: Readonly<Record<ContactAttemptOutcome, string>> = {
  spoke: 'Spoke to them',
  no_answer: 'No answer',
  left_message: 'Left a message',
  sent: 'Sent (waiting for a reply)',
  wrong_details: 'Contact details are wrong',
};

const enumOf = <K extends string>(labels: Readonly<Record<K, string>>, message: string) =>
  z.enum(Object.keys(labels) as [K, ...K[]], { error: message });

export const contactAttemptForm = z.object({
  channel: enumOf(CONTACT_CHANNELS, 'Select how you tried to contact them'),
  outcome: enumOf(CONTACT_OUTCOMES, 'Select what happened'),
  note: optionalText('Note must be 2,000 characters or fewer', 2000),
  version: versionField,
});

export const welcomeForm = z.preprocess(
  (body) => {
    const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return { ...values, date: datePartsOf(values, 'date') };
  },
  z
    .object({
      date: requiredDate('Date of the welcome conversation'),
      time: timeOfDayField,
      version: versionField,
    })
    .transform((form) => ({ at: londonMoment(form.date, form.time), version: form.version })),
);

export const linkPersonForm = z.object({
  person: z
    .string({ error: 'Select the person this referral is about, or that this is someone new' })
    .refine(
      (person) => person === 'new' || isUuid(person),
      'Select the person this referral is about, or that this is someone new',
    ),
  version: versionField,
});

/** The outcomes a worker can close a referral with, in the words on screen. */
export const OUTCOMES = {
  accepted: 'Accept: start an episode of support',
  signposted: 'Signpost to another service',
  declined: 'Decline',
  withdrawn: 'Withdrawn: the person no longer wants support',
} as const satisfies Partial<Record<ReferralStatus, string>>;

export type Outcome = keyof typeof OUTCOMES;

export const outcomeForm = z.preprocess(
  (body) => {
    const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return { ...values, anticipatedEnd: datePartsOf(values, 'anticipatedEnd') };
  },
  z
    .object({
      outcome: enumOf(OUTCOMES, 'Select the outcome'),
      reason: optionalText('Reason must be 2,000 characters or fewer', 2000),
      where: optionalText('Where they were signposted must be 500 characters or fewer', 500),
      anticipatedEnd: optionalDate('Expected end of support'),
      version: versionField,
    })
    .superRefine((form, ctx) => {
      // The reason rules live in referral-status.ts (transition); only what the page adds is here.
      if (form.outcome !== 'accepted' && form.anticipatedEnd) {
        ctx.addIssue({
          code: 'custom',
          path: ['anticipatedEnd'],
          message: 'Only give an expected end of support when accepting the referral',
        });
      }
    }),
);

/** The inbox's filters as the page sends them; anything unrecognised is ignored, never an error. */
export const inboxFilterForm = z.object({
  status: z.enum(['open', 'closed', 'all', 'new', 'contact_attempted', 'welcome_booked']).catch('open'),
  source: enumOf(REFERRAL_SOURCES, '').optional().catch(undefined),
  service: z.string().regex(UUID_PATTERN).optional().catch(undefined),
  age: z.enum(['any', 'week', 'month', 'older']).catch('any'),
  overdue: z.enum(['yes']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type InboxFilterInput = z.output<typeof inboxFilterForm>;
