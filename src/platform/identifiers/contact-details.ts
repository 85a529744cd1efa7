import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Contact details as people type them. Phone numbers ("07700 900982", "+44 7700 900 982",
 * "(0113) 496-0000") are read with libphonenumber-js (Google's libphonenumber metadata), UK numbers
 * by default.
 *
 * Only the length and shape are checked ("possible"), not that the number is in service: Ofcom's
 * drama range (07700 900000 to 900999), used throughout our demo and tests, is possible but never
 * valid, and a real person's new number must not be refused either.
 */

/** How a phone number problem is worded, with examples in the format people know. */
export const PHONE_NUMBER_EXAMPLE = 'like 07700 900 982 or 0113 496 0000';

/**
 * Tidies a typed phone number into the form it is shown in: UK numbers as dialled in the UK
 * ("07700 900982"), others in international form ("+33 1 23 45 67 89").
 *
 * @param typed - what was typed.
 * @returns the number in its display form, or undefined when it cannot be a phone number.
 */
export function tidyPhoneNumber(typed: string): string | undefined {
  const number = parsePhoneNumberFromString(typed.trim(), 'GB');
  if (!number?.isPossible()) {
    return undefined;
  }
  return number.countryCallingCode === '44' ? number.formatNational() : number.formatInternational();
}

/** An email address's shape: something, an @, and a domain with a dot. The mail server says the rest. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Whether text has the shape of an email address (at most 254 characters, RFC 5321's limit).
 *
 * @param typed - what was typed, trimmed.
 * @returns true when it looks like an email address.
 */
export function looksLikeEmailAddress(typed: string): boolean {
  return typed.length <= 254 && EMAIL_SHAPE.test(typed);
}
