import { z } from 'zod';
import { datePartsOf, optionalDate } from '../../platform/forms/date-input.ts';
import { checkboxList, optionalText, requiredText } from '../../platform/forms/forms.ts';
import { nhsNumberProblem, normaliseNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import { normalisePostcode } from '../organisations/index.ts';
import {
  looksLikeEmailAddress,
  PHONE_NUMBER_EXAMPLE,
  tidyPhoneNumber,
} from '../../platform/identifiers/contact-details.ts';

/**
 * The self-referral journey's forms, one per page (the NHS "one thing per page" pattern). Messages
 * follow the NHS service manual: say what to do, in plain words. No page asks for a diagnosis.
 */

/** Ways we may contact someone, with the words shown on screen. */
export const CONTACT_METHODS = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
} as const;

/** Communication needs, after the Accessible Information Standard's examples. */
export const COMMUNICATION_NEEDS = {
  large_print: 'Large print',
  easy_read: 'Easy Read',
  bsl_interpreter: 'British Sign Language (BSL) interpreter',
  another_language: 'Information in another language, or an interpreter',
  phone_first: 'Phone me rather than write to me',
  other: 'Something else',
} as const;

type ContactMethod = keyof typeof CONTACT_METHODS;
type CommunicationNeed = keyof typeof COMMUNICATION_NEEDS;

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** A line of text whose rules depend on other answers (checked in the form's superRefine): trimmed, '' when missing. */
const dependentText = () => z.string().optional().catch(undefined).transform(textOf);

export const needHelpNowForm = z.object({
  needHelpNow: z.enum(['yes', 'no'], { error: 'Select yes if you need help right now' }),
});

const whatIsHappeningForm = z.object({
  ownWords: requiredText(
    {
      missing: 'Tell us what is happening for you',
      tooLong: 'What is happening must be 5,000 characters or fewer',
    },
    5000,
  ),
});

const whatYouWouldLikeForm = z.object({
  hopes: requiredText(
    {
      missing: 'Tell us what you would like from us, or say if you are not sure',
      tooLong: 'What you would like must be 5,000 characters or fewer',
    },
    5000,
  ),
});

const yourNameForm = z.object({
  name: requiredText(
    { missing: 'Enter your name', tooLong: 'Your name must be 200 characters or fewer' },
    200,
  ),
  preferredName: optionalText('The name you would like us to use must be 200 characters or fewer', 200),
});

/** The oldest age a date of birth can give before we ask the person to check the year. */
const OLDEST_AGE = 120;

/**
 * The date of birth page's form: the three boxes of the NHS date input, all of them optional. A date
 * must be real, in the past and no more than 120 years ago (a mistyped year, such as 1884 for 1984).
 *
 * @param today - today, 'YYYY-MM-DD' in UK time.
 * @returns the schema; its output is the day, 'YYYY-MM-DD', or null when the boxes were left empty.
 */
function dateOfBirthForm(today: string) {
  const oldest = `${Number(today.slice(0, 4)) - OLDEST_AGE}${today.slice(4)}`;
  return z.preprocess(
    (body) => {
      const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      return { dateOfBirth: datePartsOf(values, 'dateOfBirth') };
    },
    z.object({
      dateOfBirth: optionalDate('Date of birth').transform((day, ctx): string | null => {
        if (day !== null && day >= today) {
          ctx.addIssue({ code: 'custom', message: 'Date of birth must be in the past' });
          return z.NEVER;
        }
        if (day !== null && day < oldest) {
          ctx.addIssue({ code: 'custom', message: 'Check the year of your date of birth' });
          return z.NEVER;
        }
        return day;
      }),
    }),
  );
}

const contactForm = z
  .object({
    contactMethods: checkboxList(
      z.enum(Object.keys(CONTACT_METHODS) as [ContactMethod, ...ContactMethod[]], {
        error: 'Select how we can contact you',
      }),
    ).refine((list) => list.length > 0, 'Select how we can contact you'),
    phone: dependentText(),
    email: dependentText(),
    postalAddress: dependentText(),
    postcode: dependentText(),
    safeToLeaveMessage: dependentText().refine(
      (value) => ['', 'yes', 'no'].includes(value),
      'Select yes if it is safe to leave you a message',
    ),
    bestTimes: optionalText('Best times must be 500 characters or fewer', 500),
  })
  .superRefine((form, ctx) => {
    const chosen = new Set(form.contactMethods);
    const byPhone = chosen.has('phone') || chosen.has('text');
    if (byPhone) {
      if (!form.phone) {
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Enter your phone number' });
      } else if (!tidyPhoneNumber(form.phone)) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: `Enter a phone number in the correct format, ${PHONE_NUMBER_EXAMPLE}`,
        });
      }
    }
    if (chosen.has('email')) {
      if (!form.email) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter your email address' });
      } else if (!looksLikeEmailAddress(form.email)) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: 'Enter an email address in the correct format, like name@example.com',
        });
      }
    }
    if (chosen.has('letter')) {
      if (!form.postalAddress) {
        ctx.addIssue({ code: 'custom', path: ['postalAddress'], message: 'Enter your address' });
      } else if (form.postalAddress.length > 500) {
        ctx.addIssue({
          code: 'custom',
          path: ['postalAddress'],
          message: 'Your address must be 500 characters or fewer',
        });
      }
    }
    // Asked whichever ways were chosen, and checked here so it is reported with the address, in page order.
    if (form.postcode && !normalisePostcode(form.postcode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['postcode'],
        message: 'Enter a real postcode, like SW1A 1AA',
      });
    }
    if (byPhone && !form.safeToLeaveMessage) {
      ctx.addIssue({
        code: 'custom',
        path: ['safeToLeaveMessage'],
        message: 'Select yes if it is safe to leave you a message',
      });
    }
  })
  .transform((form) => {
    const chosen = new Set(form.contactMethods);
    const byPhone = chosen.has('phone') || chosen.has('text');
    return {
      contactMethods: form.contactMethods,
      phone: byPhone ? tidyPhoneNumber(form.phone) : undefined,
      email: chosen.has('email') ? form.email : undefined,
      postalAddress: chosen.has('letter') ? form.postalAddress : undefined,
      // Kept whichever ways were chosen: it helps the team see whether they already know the person.
      postcode: form.postcode ? normalisePostcode(form.postcode) : undefined,
      safeToLeaveMessage: byPhone ? form.safeToLeaveMessage === 'yes' : undefined,
      bestTimes: form.bestTimes,
    };
  });

const communicationForm = z
  .object({
    communicationNeeds: checkboxList(
      z.enum(Object.keys(COMMUNICATION_NEEDS) as [CommunicationNeed, ...CommunicationNeed[]], {
        error: 'Select your communication needs from the list',
      }),
    ),
    preferredLanguage: dependentText(),
    communicationNeedsOther: dependentText(),
  })
  .superRefine((form, ctx) => {
    if (form.communicationNeeds.includes('another_language')) {
      if (!form.preferredLanguage) {
        ctx.addIssue({
          code: 'custom',
          path: ['preferredLanguage'],
          message: 'Enter the language you would like to use',
        });
      } else if (form.preferredLanguage.length > 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['preferredLanguage'],
          message: 'Language must be 100 characters or fewer',
        });
      }
    }
    if (form.communicationNeeds.includes('other')) {
      if (!form.communicationNeedsOther) {
        ctx.addIssue({
          code: 'custom',
          path: ['communicationNeedsOther'],
          message: 'Tell us what you need',
        });
      } else if (form.communicationNeedsOther.length > 500) {
        ctx.addIssue({
          code: 'custom',
          path: ['communicationNeedsOther'],
          message: 'What you need must be 500 characters or fewer',
        });
      }
    }
  })
  .transform((form) => ({
    communicationNeeds: form.communicationNeeds,
    preferredLanguage: form.communicationNeeds.includes('another_language')
      ? form.preferredLanguage
      : undefined,
    communicationNeedsOther: form.communicationNeeds.includes('other')
      ? form.communicationNeedsOther
      : undefined,
  }));

const nhsNumberForm = z.object({
  nhsNumber: dependentText().transform((value, ctx) => {
    if (!value) {
      return undefined;
    }
    const problem = nhsNumberProblem(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return normaliseNhsNumber(value);
  }),
});

const gpPracticeForm = z.object({
  gpPractice: optionalText('GP surgery name must be 200 characters or fewer', 200),
});

const consentForm = z.object({
  consent: checkboxList(z.enum(['referral', 'contact'], { error: 'Select the boxes to agree' })).superRefine(
    (list, ctx) => {
      if (!list.includes('referral')) {
        ctx.addIssue({ code: 'custom', message: 'Select that you agree to us receiving your referral' });
      } else if (!list.includes('contact')) {
        ctx.addIssue({ code: 'custom', message: 'Select that you agree to us contacting you' });
      }
    },
  ),
});

/** One question page: its address, the fields it asks, and what is checked before moving on. */
export type QuestionPage = {
  slug: string;
  title: string;
  fields: readonly string[];
  /** The fields that hold a list (checkboxes), kept as lists in the draft. */
  listFields?: readonly string[];
  /** What is checked, for the day it is checked on ('YYYY-MM-DD' in UK time): a date of birth must be past. */
  schema: (today: string) => z.ZodType;
};

/** The question pages, in the order a person meets them. */
export const QUESTION_PAGES = [
  {
    slug: 'what-is-happening',
    title: 'What is happening for you at the moment?',
    fields: ['ownWords'],
    schema: () => whatIsHappeningForm,
  },
  {
    slug: 'what-you-would-like',
    title: 'What would you like from us?',
    fields: ['hopes'],
    schema: () => whatYouWouldLikeForm,
  },
  {
    slug: 'your-name',
    title: 'What is your name?',
    fields: ['name', 'preferredName'],
    schema: () => yourNameForm,
  },
  {
    slug: 'date-of-birth',
    title: 'What is your date of birth?',
    fields: ['dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'],
    schema: dateOfBirthForm,
  },
  {
    slug: 'how-to-contact-you',
    title: 'How can we contact you?',
    fields: [
      'contactMethods',
      'phone',
      'email',
      'postalAddress',
      'postcode',
      'safeToLeaveMessage',
      'bestTimes',
    ],
    listFields: ['contactMethods'],
    schema: () => contactForm,
  },
  {
    slug: 'communication-needs',
    title: 'Do you have any communication needs?',
    fields: ['communicationNeeds', 'preferredLanguage', 'communicationNeedsOther'],
    listFields: ['communicationNeeds'],
    schema: () => communicationForm,
  },
  {
    slug: 'nhs-number',
    title: 'What is your NHS number?',
    fields: ['nhsNumber'],
    schema: () => nhsNumberForm,
  },
  {
    slug: 'gp-practice',
    title: 'Which GP surgery are you registered with?',
    fields: ['gpPractice'],
    schema: () => gpPracticeForm,
  },
  {
    slug: 'consent',
    title: 'Sending your referral',
    fields: ['consent'],
    listFields: ['consent'],
    schema: () => consentForm,
  },
] as const satisfies readonly QuestionPage[];

export type QuestionSlug = (typeof QUESTION_PAGES)[number]['slug'];

/** Every answer the journey collects, checked and tidied, ready to become a referral. */
export type ReferralAnswers = z.output<typeof whatIsHappeningForm> &
  z.output<typeof whatYouWouldLikeForm> &
  z.output<typeof yourNameForm> &
  z.output<ReturnType<typeof dateOfBirthForm>> &
  z.output<typeof contactForm> &
  z.output<typeof communicationForm> &
  z.output<typeof nhsNumberForm> &
  z.output<typeof gpPracticeForm> &
  z.output<typeof consentForm>;

/** What is kept of a draft's answers, as typed: a page's fields, strings or lists of strings. */
export type DraftAnswers = Record<string, string | string[]>;

/**
 * Keeps only a page's own fields from what was posted, as strings (lists for checkboxes), cut to a
 * safe length: a draft holds what was typed, mistakes included, never anything else.
 *
 * @param page - the page.
 * @param body - the posted form.
 * @returns the page's answers as typed.
 */
export function typedAnswers(page: QuestionPage, body: unknown): DraftAnswers {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const answers: DraftAnswers = {};
  const cut = (value: unknown) => (typeof value === 'string' ? value.slice(0, 6000) : '');
  for (const field of page.fields) {
    const value = values[field];
    if (page.listFields?.includes(field)) {
      answers[field] = [value ?? []]
        .flat()
        .map(cut)
        .filter((item) => item.length > 0)
        .slice(0, 10);
    } else {
      answers[field] = cut(value);
    }
  }
  return answers;
}

/**
 * Checks every page's answers in a draft, in page order, with the same rules as each page.
 *
 * @param draft - the answers as typed.
 * @param today - today, 'YYYY-MM-DD' in UK time.
 * @returns the checked answers, or the first page still to answer (or to put right).
 */
export function checkAllAnswers(
  draft: DraftAnswers,
  today: string,
): { ok: true; answers: ReferralAnswers } | { ok: false; slug: QuestionSlug } {
  let answers = {};
  for (const page of QUESTION_PAGES) {
    const answered = page.fields.some((field) => field in draft);
    const parsed = page.schema(today).safeParse(draft);
    if (!answered || !parsed.success) {
      return { ok: false, slug: page.slug };
    }
    answers = { ...answers, ...(parsed.data as object) };
  }
  return { ok: true, answers: answers as ReferralAnswers };
}
