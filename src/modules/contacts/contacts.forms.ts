import { z } from 'zod';
import { datePartsOf, optionalDate, requiredDate } from '../../platform/forms/date-input.ts';
import { checkboxList, optionalText, requiredText, versionField } from '../../platform/forms/forms.ts';
import { timeOfDayField } from '../../platform/forms/time-of-day.ts';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import { londonMoment } from '../../platform/time/london-time.ts';
import { CONTACT_MODES, CONTACT_TYPES } from './contact-kinds.ts';
import type { ContactMode, ContactType } from './contacts.tables.ts';

/**
 * The forms of the contact pages: record a contact that happened, book one for later, change one,
 * record what became of a booked one, and add a next step. Messages follow the NHS service manual's
 * error message guidance (say what to do, in plain words); conditional rules sit in each form's
 * superRefine.
 */

/** Every date input on these pages, so the error summary can link to its first box. */
export const CONTACT_DATES = ['date', 'nextStepDue', 'dueOn'] as const;

/** Gathers each date input's three boxes under its name. */
function groupDates(body: unknown): unknown {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    ...values,
    ...Object.fromEntries(CONTACT_DATES.map((name) => [name, datePartsOf(values, name)])),
  };
}

const typeField = z.enum(Object.keys(CONTACT_TYPES) as [ContactType, ...ContactType[]], {
  error: 'Select the type of contact',
});

const modeField = z.enum(Object.keys(CONTACT_MODES) as [ContactMode, ...ContactMode[]], {
  error: 'Select how you were in touch',
});

const timeField = z.string({ error: 'Enter the time' }).pipe(timeOfDayField);

/** Minutes typed in a box: a whole number from 1 to 720 (12 hours). */
const minutes = (missing: string | undefined) =>
  z
    .string()
    .trim()
    .optional()
    .transform((typed, ctx): number | null => {
      if (!typed) {
        if (missing) {
          ctx.addIssue({ code: 'custom', message: missing });
          return z.NEVER;
        }
        return null;
      }
      const n = /^\d{1,4}$/.test(typed) ? Number(typed) : NaN;
      if (!(n >= 1 && n <= 720)) {
        ctx.addIssue({
          code: 'custom',
          message: 'How long it lasted must be a whole number of minutes from 1 to 720',
        });
        return z.NEVER;
      }
      return n;
    });

const optionalId = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || UUID_PATTERN.test(value), message);

const workersField = checkboxList(z.string().regex(UUID_PATTERN, 'Select workers from the list'))
  .transform((list) => [...new Set(list)])
  .refine((list) => list.length > 0, 'Select who was involved');

const placeField = optionalText('Where it was must be 300 characters or fewer', 300);

const notesField = optionalText('Notes must be 10,000 characters or fewer', 10000);

const submissionKeyField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,100}$/, 'Reload the page and try again')
  .optional();

/** Where a contact was: one of the organisation's venues, or somewhere typed in. */
const whereFields = { venueId: optionalId('Select a venue from the list'), place: placeField };

/**
 * Runs a cross-field rule even when other fields have problems, so every problem is listed at once,
 * but only when the fields it reads were themselves read without one (zod's `when`).
 */
const whenValid =
  (fields: readonly string[]) =>
  (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some((issue) => fields.includes(String(issue.path?.[0])));

/** An accompanied appointment is somewhere: the worker went with the member to it. */
const needsPlace: [
  (value: { contactType: ContactType; venueId: string | null; place?: string | undefined }) => boolean,
  { message: string; path: PropertyKey[]; when: (payload: z.core.ParsePayload) => boolean },
] = [
  (value) => !(value.contactType === 'accompanied_appointment' && value.venueId === null && !value.place),
  {
    message: 'Enter where the appointment was, or select a venue',
    path: ['place'],
    when: whenValid(['contactType', 'venueId', 'place']),
  },
];

const whenFields = { date: requiredDate('Date'), time: timeField };

const toMoment = <T extends { date: string; time: { hours: number; minutes: number } }>(value: T) => {
  const { time, ...rest } = value;
  return { ...rest, occurredAt: londonMoment(value.date, time) };
};

/** The details every contact has, booked or happened. */
const detailFields = {
  contactType: typeField,
  mode: modeField,
  ...whenFields,
  ...whereFields,
  workerIds: workersField,
};

// Recording a contact that happened, with an optional first next step.

const NEXT_STEP_FIELDS = ['nextStep', 'nextStepAssignee', 'nextStepDue'];

export const recordContactForm = z.preprocess(
  groupDates,
  z
    .object({
      ...detailFields,
      durationMinutes: minutes('Enter how long it lasted, in minutes'),
      notes: notesField,
      nextStep: optionalText('The next step must be 300 characters or fewer', 300),
      nextStepAssignee: optionalId('Select who will do the next step from the list'),
      nextStepDue: optionalDate('Next step date'),
      submissionKey: submissionKeyField,
    })
    .refine(...needsPlace)
    .refine((value) => !value.nextStep || value.nextStepAssignee !== null, {
      message: 'Select who will do the next step',
      path: ['nextStepAssignee'],
      when: whenValid(NEXT_STEP_FIELDS),
    })
    .refine((value) => !!value.nextStep || (value.nextStepAssignee === null && value.nextStepDue === null), {
      message: 'Enter what the next step is',
      path: ['nextStep'],
      when: whenValid(NEXT_STEP_FIELDS),
    })
    .transform(toMoment),
);

export type RecordContactInput = z.output<typeof recordContactForm>;

// Booking a contact for later.

export const planContactForm = z.preprocess(
  groupDates,
  z
    .object({
      ...detailFields,
      durationMinutes: minutes(undefined),
      submissionKey: submissionKeyField,
    })
    .transform(toMoment),
);

export type PlanContactInput = z.output<typeof planContactForm>;

// Changing a contact (a booked one or one that happened): every change carries the version seen.

export const changeHappenedContactForm = z.preprocess(
  groupDates,
  z
    .object({
      ...detailFields,
      durationMinutes: minutes('Enter how long it lasted, in minutes'),
      notes: notesField,
      version: versionField,
    })
    .refine(...needsPlace)
    .transform(toMoment),
);

export type ChangeHappenedContactInput = z.output<typeof changeHappenedContactForm>;

export const changePlannedContactForm = z.preprocess(
  groupDates,
  z
    .object({ ...detailFields, durationMinutes: minutes(undefined), version: versionField })
    .transform(toMoment),
);

export type ChangePlannedContactInput = z.output<typeof changePlannedContactForm>;

// What became of a booked contact.

export const contactOutcomeForm = z.preprocess(
  groupDates,
  z
    .object({
      outcome: z.enum(['happened', 'did_not_happen'], { error: 'Select whether the contact happened' }),
      date: z.unknown().optional(),
      time: z.unknown().optional(),
      durationMinutes: z.unknown().optional(),
      notes: notesField,
      reason: optionalText('The reason must be 500 characters or fewer', 500),
      version: versionField,
    })
    .transform((value, ctx) => {
      if (value.outcome === 'did_not_happen') {
        if (!value.reason) {
          ctx.addIssue({
            code: 'custom',
            message: 'Enter why the contact did not happen',
            path: ['reason'],
          });
          return z.NEVER;
        }
        return { outcome: 'did_not_happen' as const, reason: value.reason, version: value.version };
      }
      // Only when it happened do the time and how long it lasted matter; each is checked as on the
      // record form, and every problem is reported at once.
      const happened = z
        .object({
          ...whenFields,
          durationMinutes: minutes('Enter how long it lasted, in minutes'),
        })
        .safeParse(value);
      if (!happened.success) {
        for (const issue of happened.error.issues) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
        }
        return z.NEVER;
      }
      return {
        outcome: 'happened' as const,
        occurredAt: londonMoment(happened.data.date, happened.data.time),
        date: happened.data.date,
        durationMinutes: happened.data.durationMinutes ?? 0,
        notes: value.notes,
        version: value.version,
      };
    }),
);

export type ContactOutcomeInput = z.output<typeof contactOutcomeForm>;

// Next steps.

export const nextStepForm = z.preprocess(
  groupDates,
  z.object({
    description: requiredText(
      { missing: 'Enter what the next step is', tooLong: 'The next step must be 300 characters or fewer' },
      300,
    ),
    assignedTo: optionalId('Select who will do it from the list').refine(
      (value) => value !== null,
      'Select who will do it',
    ),
    dueOn: optionalDate('Date'),
  }),
);

export type NextStepInput = z.output<typeof nextStepForm>;

export const nextStepDoneForm = z.object({ version: versionField });

export type NextStepDoneInput = z.output<typeof nextStepDoneForm>;
