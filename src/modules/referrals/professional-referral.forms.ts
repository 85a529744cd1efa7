import { z } from 'zod';
import { datePartsOf, optionalDate } from '../../platform/forms/date-input.ts';
import { checkboxList } from '../../platform/forms/forms.ts';
import { normalisePostcode } from '../organisations/index.ts';
import { nhsNumberProblem, normaliseNhsNumber } from '../../platform/identifiers/nhs-number.ts';
import { COMMUNICATION_NEEDS, CONTACT_METHODS } from './referrals.forms.ts';
import { REFERRAL_SOURCE_LABELS } from './referral-sources.ts';
import {
  looksLikeEmailAddress,
  PHONE_NUMBER_EXAMPLE,
  tidyPhoneNumber,
} from '../../platform/identifiers/contact-details.ts';

/**
 * The professional referral form: one page, since a GP or a team referring someone has the answers to
 * hand and would rather not click through ten. Messages follow the NHS service manual: say what to do,
 * in plain words. Every problem is found at once and reported in the order the fields appear on the
 * page, so the error summary lists them all, top to bottom.
 */

/** A source a professional can choose. */
export type ProfessionalSource = keyof typeof REFERRAL_SOURCE_LABELS;
type ContactMethod = keyof typeof CONTACT_METHODS;
type CommunicationNeed = keyof typeof COMMUNICATION_NEEDS;

const PHONE_FORMAT = `Enter a phone number in the correct format, ${PHONE_NUMBER_EXAMPLE}`;
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';

/** Text as a browser sends it: trimmed, '' when missing (never a type error, so every rule still runs). */
const text = () =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value.trim() : ''));

type Issue = { path: string; message: string };

/**
 * Checks a line of text's length, and whether it is required.
 *
 * @param value - the trimmed text.
 * @param rule - the rule.
 * @param rule.max - the most characters allowed.
 * @param rule.tooLong - the message when it is longer.
 * @param rule.missing - the message when it is empty, if it is required.
 * @returns the message for the first problem, or undefined.
 */
function textProblem(
  value: string,
  rule: { max: number; tooLong: string; missing?: string },
): string | undefined {
  if (!value) {
    return rule.missing;
  }
  return value.length > rule.max ? rule.tooLong : undefined;
}

/**
 * Reads a date of birth typed into the NHS date input, with the messages the NHS date input pattern
 * gives: what is missing, that it must be a real date, and that it must be in the past.
 *
 * @param values - the submitted form, with the `dateOfBirth-day`, `-month` and `-year` boxes.
 * @param today - today, 'YYYY-MM-DD' in UK time.
 * @returns the day, 'YYYY-MM-DD'; null when all three boxes are empty; or the message for the problem.
 */
function readDateOfBirth(
  values: Record<string, unknown>,
  today: string,
): { day: string | null } | { problem: string } {
  const read = optionalDate('Date of birth').safeParse(datePartsOf(values, 'dateOfBirth'));
  if (!read.success) {
    return { problem: read.error.issues[0]?.message ?? 'Date of birth must be a real date' };
  }
  return read.data !== null && read.data >= today
    ? { problem: 'Date of birth must be in the past' }
    : { day: read.data };
}

/**
 * The professional referral form's schema. It is built for the day it checks against, since a date of
 * birth must be in the past.
 *
 * @param today - today, 'YYYY-MM-DD' in UK time.
 * @returns the schema; its output is the referral ready to save.
 */
export function professionalReferralForm(today: string) {
  return z
    .object({
      referrerName: text(),
      referrerRole: text(),
      referrerOrganisation: text(),
      referrerEmail: text(),
      referrerPhone: text(),
      source: text(),
      consent: checkboxList(z.string()),
      name: text(),
      preferredName: text(),
      'dateOfBirth-day': text(),
      'dateOfBirth-month': text(),
      'dateOfBirth-year': text(),
      phone: text(),
      email: text(),
      postalAddress: text(),
      postcode: text(),
      nhsNumber: text(),
      gpPractice: text(),
      contactMethods: checkboxList(z.string()),
      safeToLeaveMessage: text(),
      communicationNeeds: checkboxList(z.string()),
      preferredLanguage: text(),
      communicationNeedsOther: text(),
      ownWords: text(),
      hopes: text(),
      safetyInformation: text(),
    })
    .transform((form, ctx) => {
      const issues: Issue[] = [];
      const check = (path: string, message: string | undefined) => {
        if (message) {
          issues.push({ path, message });
        }
      };

      // About the referrer.
      check(
        'referrerName',
        textProblem(form.referrerName, {
          max: 200,
          missing: 'Enter your name',
          tooLong: 'Your name must be 200 characters or fewer',
        }),
      );
      check(
        'referrerRole',
        textProblem(form.referrerRole, { max: 200, tooLong: 'Your role must be 200 characters or fewer' }),
      );
      check(
        'referrerOrganisation',
        textProblem(form.referrerOrganisation, {
          max: 200,
          tooLong: 'Your organisation must be 200 characters or fewer',
        }),
      );
      if (!form.referrerEmail && !form.referrerPhone) {
        check('referrerEmail', 'Enter your email address or phone number');
      }
      if (form.referrerEmail && !looksLikeEmailAddress(form.referrerEmail)) {
        check('referrerEmail', EMAIL_FORMAT);
      }
      if (form.referrerPhone && !tidyPhoneNumber(form.referrerPhone)) {
        check('referrerPhone', PHONE_FORMAT);
      }
      const source = Object.hasOwn(REFERRAL_SOURCE_LABELS, form.source)
        ? (form.source as ProfessionalSource)
        : undefined;
      if (!source) {
        check('source', 'Select where the referral is from');
      }

      // About the person.
      check(
        'name',
        textProblem(form.name, {
          max: 200,
          missing: "Enter the person's full name",
          tooLong: 'Full name must be 200 characters or fewer',
        }),
      );
      check(
        'preferredName',
        textProblem(form.preferredName, {
          max: 200,
          tooLong: 'The name they would like us to use must be 200 characters or fewer',
        }),
      );
      const born = readDateOfBirth(form, today);
      if ('problem' in born) {
        check('dateOfBirth', born.problem);
      }
      const nhsNumber = form.nhsNumber ? normaliseNhsNumber(form.nhsNumber) : undefined;
      if (form.nhsNumber && !nhsNumber) {
        check('nhsNumber', nhsNumberProblem(form.nhsNumber));
      }
      check(
        'gpPractice',
        textProblem(form.gpPractice, {
          max: 200,
          tooLong: 'GP practice name must be 200 characters or fewer',
        }),
      );

      // How to contact them.
      const methods = form.contactMethods.filter((m): m is ContactMethod =>
        Object.hasOwn(CONTACT_METHODS, m),
      );
      if (methods.length === 0 || methods.length !== form.contactMethods.length) {
        check('contactMethods', 'Select how we can contact the person');
      }
      const chosen = new Set(methods);
      if (!form.phone && (chosen.has('phone') || chosen.has('text'))) {
        check('phone', "Enter the person's phone number");
      } else if (form.phone && !tidyPhoneNumber(form.phone)) {
        check('phone', PHONE_FORMAT);
      }
      if (!form.email && chosen.has('email')) {
        check('email', "Enter the person's email address");
      } else if (form.email && !looksLikeEmailAddress(form.email)) {
        check('email', EMAIL_FORMAT);
      }
      check(
        'postalAddress',
        textProblem(form.postalAddress, {
          max: 500,
          missing: chosen.has('letter') ? "Enter the person's address" : undefined,
          tooLong: 'Address must be 500 characters or fewer',
        }),
      );
      const postcode = form.postcode ? normalisePostcode(form.postcode) : undefined;
      if (form.postcode && !postcode) {
        check('postcode', 'Enter a real postcode, like LS1 4AP');
      }
      if (!['', 'yes', 'no'].includes(form.safeToLeaveMessage)) {
        check('safeToLeaveMessage', 'Select yes if it is safe to leave them a message');
      }

      // Communication needs.
      const needs = form.communicationNeeds.filter((n): n is CommunicationNeed =>
        Object.hasOwn(COMMUNICATION_NEEDS, n),
      );
      if (needs.length !== form.communicationNeeds.length) {
        check('communicationNeeds', 'Select their communication needs from the list');
      }
      check(
        'preferredLanguage',
        textProblem(form.preferredLanguage, {
          max: 100,
          missing: needs.includes('another_language')
            ? 'Enter the language they would like to use'
            : undefined,
          tooLong: 'Language must be 100 characters or fewer',
        }),
      );
      check(
        'communicationNeedsOther',
        textProblem(form.communicationNeedsOther, {
          max: 500,
          missing: needs.includes('other') ? 'Enter what they need' : undefined,
          tooLong: 'What they need must be 500 characters or fewer',
        }),
      );

      // The referral itself.
      check(
        'ownWords',
        textProblem(form.ownWords, {
          max: 5000,
          missing: 'Enter the reason for the referral',
          tooLong: 'The reason for the referral must be 5,000 characters or fewer',
        }),
      );
      check(
        'hopes',
        textProblem(form.hopes, {
          max: 5000,
          tooLong: 'What the person would like must be 5,000 characters or fewer',
        }),
      );
      check(
        'safetyInformation',
        textProblem(form.safetyInformation, {
          max: 5000,
          tooLong: 'What the team should know to keep people safe must be 5,000 characters or fewer',
        }),
      );
      if (!form.consent.includes('yes')) {
        check('consent', 'Confirm the person agrees to be referred');
      }

      if (issues.length > 0 || !source || 'problem' in born) {
        for (const issue of issues) {
          ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
        }
        return z.NEVER;
      }
      const orNull = (value: string) => value || null;
      const byPhone = chosen.has('phone') || chosen.has('text');
      return {
        referrer: {
          name: form.referrerName,
          role: orNull(form.referrerRole),
          organisation: orNull(form.referrerOrganisation),
          email: orNull(form.referrerEmail),
          phone: form.referrerPhone ? (tidyPhoneNumber(form.referrerPhone) ?? null) : null,
        },
        source,
        person: {
          name: form.name,
          preferredName: orNull(form.preferredName),
          dateOfBirth: born.day,
          phone: form.phone ? (tidyPhoneNumber(form.phone) ?? null) : null,
          email: orNull(form.email),
          postalAddress: orNull(form.postalAddress),
          postcode: postcode ?? null,
          nhsNumber: nhsNumber ?? null,
          gpPractice: orNull(form.gpPractice),
          contactMethods: methods,
          // Asked only about phone calls and texts: for letters and emails it does not apply.
          safeToLeaveMessage: byPhone && form.safeToLeaveMessage ? form.safeToLeaveMessage === 'yes' : null,
          communicationNeeds: needs,
          preferredLanguage: needs.includes('another_language') ? form.preferredLanguage : null,
          communicationNeedsOther: needs.includes('other') ? form.communicationNeedsOther : null,
        },
        ownWords: form.ownWords,
        hopes: form.hopes,
        safetyInformation: orNull(form.safetyInformation),
      };
    });
}

/** A professional referral, checked and tidied, ready to save. */
export type ProfessionalReferralInput = z.output<ReturnType<typeof professionalReferralForm>>;
