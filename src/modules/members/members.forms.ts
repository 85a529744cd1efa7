import { z } from 'zod';
import { datePartsOf, readDate, type DateParts } from '../../platform/forms/date-input.ts';
import { checkboxList, optionalText, requiredText, versionField } from '../../platform/forms/forms.ts';
import { normalisePostcode } from '../organisations/index.ts';
import { nhsNumberProblem, normaliseNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import { CHOOSABLE_ETHNIC_CODES } from './ethnic-categories.ts';
import type { CommunicationNeed, ContactMethod } from './members.tables.ts';
import {
  looksLikeEmailAddress,
  PHONE_NUMBER_EXAMPLE,
  tidyPhoneNumber,
} from '../../platform/identifiers/contact-details.ts';

/**
 * The member record's forms, for staff. Messages follow the NHS service manual's error message
 * guidance: say what went wrong and what to do, in plain words, naming the person in the third person.
 */

/** Ways to contact someone, with the words shown on screen. */
export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
};

/** Accessible Information Standard needs, with the words shown to staff. */
export const COMMUNICATION_NEED_LABELS: Record<CommunicationNeed, string> = {
  large_print: 'Large print',
  easy_read: 'Easy Read',
  bsl_interpreter: 'British Sign Language (BSL) interpreter',
  another_language: 'Information in another language, or an interpreter',
  phone_first: 'Phone them rather than write to them',
  other: 'Something else',
};

const CONTACT_METHODS = Object.keys(CONTACT_METHOD_LABELS) as [ContactMethod, ...ContactMethod[]];
const COMMUNICATION_NEEDS = Object.keys(COMMUNICATION_NEED_LABELS) as [
  CommunicationNeed,
  ...CommunicationNeed[],
];

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** A line of text whose rules depend on other answers (checked in superRefine): trimmed, '' when missing. */
const dependentText = () => z.string().optional().catch(undefined).transform(textOf);

/**
 * An optional phone number: empty becomes null; otherwise it must look like a UK number, and is kept
 * in the form it is shown in ("07700 900982").
 *
 * @param label - how the number is named in messages, e.g. "Phone number".
 * @returns the schema.
 */
function optionalPhone(label: string) {
  return dependentText().transform((value, ctx): string | null => {
    if (!value) {
      return null;
    }
    const tidied = tidyPhoneNumber(value);
    if (!tidied) {
      ctx.addIssue({
        code: 'custom',
        message: `Enter a ${label.toLowerCase()} in the correct format, ${PHONE_NUMBER_EXAMPLE}`,
      });
      return z.NEVER;
    }
    return tidied;
  });
}

/**
 * An optional email address: empty becomes null; otherwise it must have the shape name@example.com.
 *
 * @returns the schema.
 */
function optionalEmail() {
  return dependentText().transform((value, ctx): string | null => {
    if (!value) {
      return null;
    }
    if (!looksLikeEmailAddress(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter an email address in the correct format, like name@example.com',
      });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * Optional text kept as null when empty, for a column that may be empty.
 *
 * @param tooLong - shown when it is longer than max.
 * @param max - the most characters allowed.
 * @returns the schema.
 */
const nullableText = (tooLong: string, max: number) =>
  optionalText(tooLong, max).transform((value) => value ?? null);

/**
 * Ticked checkboxes, each one of the options offered; a value not offered is reported on the group
 * (so the error summary links to the checkboxes, not to one box).
 *
 * @param options - the values offered.
 * @param message - shown when something else was sent.
 * @returns the schema, giving the ticked values without repeats.
 */
function chosenFrom<T extends string>(options: readonly T[], message: string) {
  return checkboxList(z.string())
    .refine((list) => list.every((value) => (options as readonly string[]).includes(value)), message)
    .transform((list) => [...new Set(list)] as T[]);
}

const yesNo = (message: string) =>
  z.enum(['yes', 'no'], { error: message }).transform((value) => value === 'yes');

// Dates typed into the NHS date input: day, month and year boxes named `<field>-day` and so on.

/**
 * Gathers a date input's three boxes into one value, so the schema sees `dateOfBirth` as a whole.
 *
 * @param body - the submitted form.
 * @param fields - the date inputs' names.
 * @returns the form with each date's parts gathered under its name.
 */
function groupDateParts(body: unknown, fields: readonly string[]): unknown {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return { ...values, ...Object.fromEntries(fields.map((name) => [name, datePartsOf(values, name)])) };
}

/**
 * A date of birth typed into the NHS date input, with the date input pattern's messages. Empty is
 * allowed (it is not always known when someone is referred).
 *
 * @param today - today in London, 'YYYY-MM-DD': a date of birth must be before it.
 * @returns the schema, giving 'YYYY-MM-DD' or null.
 */
function dateOfBirthField(today: string) {
  return z.custom<DateParts>().transform((parts, ctx): string | null => {
    const date = readDate(parts, 'Date of birth', ctx);
    if (date === undefined) {
      return z.NEVER;
    }
    if (date !== null && date >= today) {
      ctx.addIssue({ code: 'custom', message: 'Date of birth must be in the past' });
      return z.NEVER;
    }
    return date;
  });
}

/** The date inputs on the member forms, whose error summary links go to the day box. */
export const DATE_INPUTS = ['dateOfBirth'] as const;

// Finding a person.

/**
 * The search on the People page: part of a name, and optionally a date of birth.
 *
 * @param today - today in London, 'YYYY-MM-DD'.
 * @returns the schema.
 */
export const searchForm = (today: string) =>
  z.preprocess(
    (body) => groupDateParts(body, DATE_INPUTS),
    z.object({
      name: optionalText('Name must be 200 characters or fewer', 200),
      dateOfBirth: dateOfBirthField(today),
    }),
  );

// Personal details.

/**
 * Legal and preferred name, pronouns, date of birth, NHS number and GP practice.
 *
 * @param today - today in London, 'YYYY-MM-DD'.
 * @returns the schema.
 */
export const detailsForm = (today: string) =>
  z.preprocess(
    (body) => groupDateParts(body, DATE_INPUTS),
    z.object({
      legalName: requiredText(
        { missing: 'Enter their full name', tooLong: 'Full name must be 200 characters or fewer' },
        200,
      ),
      preferredName: nullableText('Preferred name must be 200 characters or fewer', 200),
      pronouns: nullableText('Pronouns must be 50 characters or fewer', 50),
      dateOfBirth: dateOfBirthField(today),
      nhsNumber: dependentText().transform((value, ctx): string | null => {
        if (!value) {
          return null;
        }
        const problem = nhsNumberProblem(value);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: problem });
          return z.NEVER;
        }
        return normaliseNhsNumber(value) ?? z.NEVER;
      }),
      gpPractice: nullableText('GP practice must be 200 characters or fewer', 200),
      version: versionField,
    }),
  );

/** What the personal details form gives. */
export type DetailsInput = z.output<ReturnType<typeof detailsForm>>;

// Contact details, preferences and communication needs.

export const contactForm = z
  .object({
    contactMethods: chosenFrom(CONTACT_METHODS, 'Select how to contact them from the list'),
    phone: optionalPhone('Phone number'),
    email: optionalEmail(),
    postalAddress: nullableText('Address must be 500 characters or fewer', 500),
    postcode: dependentText().transform((value, ctx): string | null => {
      if (!value) {
        return null;
      }
      const postcode = value.length <= 10 ? normalisePostcode(value) : undefined;
      if (postcode === undefined) {
        ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like LS1 4AP' });
        return z.NEVER;
      }
      return postcode;
    }),
    safeToLeaveMessage: dependentText()
      .refine(
        (value) => ['', 'yes', 'no'].includes(value),
        'Select yes if it is safe to leave them a message',
      )
      .transform((value) => (value === '' ? null : value === 'yes')),
    bestTimes: nullableText('Best times must be 500 characters or fewer', 500),
    communicationNeeds: chosenFrom(COMMUNICATION_NEEDS, 'Select their communication needs from the list'),
    preferredLanguage: dependentText(),
    communicationNeedsOther: dependentText(),
    version: versionField,
  })
  .superRefine((form, ctx) => {
    const chosen = new Set(form.contactMethods);
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if ((chosen.has('phone') || chosen.has('text')) && !form.phone) {
      problem('phone', 'Enter their phone number, or untick phone call and text message');
    }
    if (chosen.has('email') && !form.email) {
      problem('email', 'Enter their email address, or untick email');
    }
    if (chosen.has('letter') && !form.postalAddress) {
      problem('postalAddress', 'Enter their address, or untick letter');
    }
    if (form.communicationNeeds.includes('another_language')) {
      if (!form.preferredLanguage) {
        problem('preferredLanguage', 'Enter the language they would like to use');
      } else if (form.preferredLanguage.length > 100) {
        problem('preferredLanguage', 'Language must be 100 characters or fewer');
      }
    }
    if (form.communicationNeeds.includes('other')) {
      if (!form.communicationNeedsOther) {
        problem('communicationNeedsOther', 'Enter what they need');
      } else if (form.communicationNeedsOther.length > 500) {
        problem('communicationNeedsOther', 'What they need must be 500 characters or fewer');
      }
    }
  })
  .transform((form) => ({
    ...form,
    // Only kept while the need that asks for it is ticked.
    preferredLanguage: form.communicationNeeds.includes('another_language') ? form.preferredLanguage : null,
    communicationNeedsOther: form.communicationNeeds.includes('other') ? form.communicationNeedsOther : null,
  }));

/** What the contact form gives. */
export type ContactInput = z.output<typeof contactForm>;

// Emergency contact.

export const emergencyContactForm = z
  .object({
    emergencyContactName: nullableText('Name must be 200 characters or fewer', 200),
    emergencyContactRelationship: nullableText('Relationship must be 100 characters or fewer', 100),
    emergencyContactPhone: optionalPhone('Phone number'),
    version: versionField,
  })
  .superRefine((form, ctx) => {
    // All empty clears the emergency contact; otherwise a name and a number are both needed to use it.
    const any = form.emergencyContactName || form.emergencyContactRelationship || form.emergencyContactPhone;
    if (any && !form.emergencyContactName) {
      ctx.addIssue({
        code: 'custom',
        path: ['emergencyContactName'],
        message: 'Enter the emergency contact’s name',
      });
    }
    if (any && !form.emergencyContactPhone) {
      ctx.addIssue({
        code: 'custom',
        path: ['emergencyContactPhone'],
        message: 'Enter the emergency contact’s phone number',
      });
    }
  });

/** What the emergency contact form gives. */
export type EmergencyContactInput = z.output<typeof emergencyContactForm>;

// Equality monitoring.

export const equalityForm = z.object({
  ethnicCategory: dependentText()
    .refine(
      (value) => value === '' || CHOOSABLE_ETHNIC_CODES.includes(value),
      'Select an ethnic group from the list',
    )
    .transform((value) => (value === '' ? null : value)),
  version: versionField,
});

/** What the equality monitoring form gives. */
export type EqualityInput = z.output<typeof equalityForm>;

// People around them.

const personFields = {
  name: requiredText({ missing: 'Enter their name', tooLong: 'Name must be 200 characters or fewer' }, 200),
  relationship: requiredText(
    {
      missing: 'Enter how they know the person, like mother or friend',
      tooLong: 'Relationship must be 100 characters or fewer',
    },
    100,
  ),
  isCarer: yesNo('Select yes if they are a carer'),
  phone: optionalPhone('Phone number'),
  email: optionalEmail(),
  mayContact: yesNo('Select yes if we may contact them'),
};

export const newPersonForm = z.object(personFields);

export const personForm = z.object({ ...personFields, version: versionField });

/** What the person form gives. */
export type PersonInput = z.output<typeof newPersonForm>;

// Consent and information-sharing choices.

export const consentForm = z.object({
  about: requiredText(
    {
      missing: 'Enter what the choice is about',
      tooLong: 'What it is about must be 200 characters or fewer',
    },
    200,
  ),
  withWhom: requiredText(
    { missing: 'Enter who it is about sharing with', tooLong: 'Who with must be 200 characters or fewer' },
    200,
  ),
  given: z
    .enum(['given', 'refused'], { error: 'Select whether they gave or refused consent' })
    .transform((value) => value === 'given'),
});

/** What the consent form gives. */
export type ConsentInput = z.output<typeof consentForm>;
