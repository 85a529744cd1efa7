import { z } from 'zod';
import { looksLikeEmailAddress, tidyPhoneNumber } from '../../platform/identifiers/contact-details.ts';
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
