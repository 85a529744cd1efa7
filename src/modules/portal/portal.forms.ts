import { z } from 'zod';
import { checkboxList, versionField } from '../../platform/forms/forms.ts';
import { looksLikeEmailAddress, tidyPhoneNumber } from '../../platform/identifiers/contact-details.ts';
import { CONTACT_METHOD_LABELS, type CommunicationNeed, type ContactMethod } from '../members/index.ts';
import type { SignInContact } from './sign-in.service.ts';

/**
 * The portal's forms. Messages follow the NHS service manual's error message guidance: say what to
 * do, in plain words.
 */

const CONTACT_MISSING = 'Enter your email address or mobile number';
const CONTACT_WRONG = 'Enter an email address like name@example.com, or a mobile number like 07700 900 982';

/** The sign-in form: one box for an email address or a mobile number. */
export const signInForm = z.object({
  contact: z
    .string({ error: CONTACT_MISSING })
    .trim()
    .min(1, CONTACT_MISSING)
    .max(254, CONTACT_WRONG)
    .transform((typed, ctx): SignInContact => {
      if (typed.includes('@')) {
        if (looksLikeEmailAddress(typed)) {
          return { kind: 'email', email: typed.toLowerCase() };
        }
      } else {
        const phone = tidyPhoneNumber(typed);
        if (phone) {
          return { kind: 'phone', phone, digits: phone.replace(/[^0-9]/g, '') };
        }
      }
      ctx.addIssue({ code: 'custom', message: CONTACT_WRONG });
      return z.NEVER;
    }),
});

/** The code form: 6 digits, forgiving spaces people type when copying "123 456". */
export const codeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code' })
    .transform((typed) => typed.replace(/[\s-]/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'Enter the 6-digit code')
        .regex(/^[0-9]{6}$/, 'The code is 6 numbers, like 123456'),
    ),
});

/** Ways to contact someone: the same words for the member as for staff. */
export { CONTACT_METHOD_LABELS };

/** Accessible Information Standard needs, in the member's words (staff see them in the third person). */
export const COMMUNICATION_NEED_LABELS: Record<CommunicationNeed, string> = {
  large_print: 'Large print',
  easy_read: 'Easy Read',
  bsl_interpreter: 'A British Sign Language (BSL) interpreter',
  another_language: 'Information in another language, or an interpreter',
  phone_first: 'Phone me rather than write to me',
  other: 'Something else',
};

const CONTACT_METHODS = Object.keys(CONTACT_METHOD_LABELS) as [ContactMethod, ...ContactMethod[]];
const COMMUNICATION_NEEDS = Object.keys(COMMUNICATION_NEED_LABELS) as [
  CommunicationNeed,
  ...CommunicationNeed[],
];

const text = () =>
  z
    .string()
    .optional()
    .catch(undefined)
    .transform((value) => (typeof value === 'string' ? value.trim() : ''));

/** The details a member owns: the checks that need only the form; the service checks the rest. */
export const detailsForm = z
  .object({
    preferredName: text().pipe(
      z.string().max(200, 'The name you like to be called must be 200 characters or fewer'),
    ),
    pronouns: text().pipe(z.string().max(50, 'Your pronouns must be 50 characters or fewer')),
    contactMethods: checkboxList(
      z.enum(CONTACT_METHODS, { error: 'Select how you would like us to contact you' }),
    ),
    safeToLeaveMessage: text().refine(
      (value) => ['', 'yes', 'no'].includes(value),
      'Select yes if it is safe to leave you a voicemail or text message',
    ),
    communicationNeeds: checkboxList(
      z.enum(COMMUNICATION_NEEDS, { error: 'Select what you need from the list' }),
    ),
    preferredLanguage: text(),
    communicationNeedsOther: text(),
    version: versionField,
  })
  .superRefine((form, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (form.communicationNeeds.includes('another_language')) {
      if (!form.preferredLanguage) {
        problem('preferredLanguage', 'Enter the language you would like to use');
      } else if (form.preferredLanguage.length > 100) {
        problem('preferredLanguage', 'The language must be 100 characters or fewer');
      }
    }
    if (form.communicationNeeds.includes('other')) {
      if (!form.communicationNeedsOther) {
        problem('communicationNeedsOther', 'Enter what you need');
      } else if (form.communicationNeedsOther.length > 500) {
        problem('communicationNeedsOther', 'What you need must be 500 characters or fewer');
      }
    }
  })
  .transform((form) => ({
    preferredName: form.preferredName || null,
    pronouns: form.pronouns || null,
    contactMethods: form.contactMethods,
    safeToLeaveMessage: form.safeToLeaveMessage === '' ? null : form.safeToLeaveMessage === 'yes',
    communicationNeeds: form.communicationNeeds,
    // Only kept while the need that asks for it is ticked.
    preferredLanguage: form.communicationNeeds.includes('another_language') ? form.preferredLanguage : null,
    communicationNeedsOther: form.communicationNeeds.includes('other') ? form.communicationNeedsOther : null,
    version: form.version,
  }));

export type DetailsInput = z.output<typeof detailsForm>;
