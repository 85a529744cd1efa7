/**
 * NHS numbers: 10 digits, the last a Modulus 11 check digit (NHS Data Dictionary, "NHS Number";
 * shared/reference/standards.md section 4.1). The check catches almost every single mistyped digit and
 * swapped pair of digits, so a person can be told straight away that the number needs checking.
 *
 * Typed forms accepted: the 10 digits alone, or grouped 3-3-4 with single spaces ("943 476 5919", the
 * display format) or single hyphens ("943-476-5919"), as NHS letters and apps print it. Nothing else is
 * tidied away: a number with letters, dots or other groupings is refused rather than guessed at.
 */
const TYPED_NHS_NUMBER = /^(\d{3})([ -]?)(\d{3})\2(\d{4})$/;

/** Weights for digits 1 to 9, from the NHS Data Dictionary's Modulus 11 algorithm. */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * A valid NHS number to show people as an example. It passes the check (standards.md 4.1 lists it among
 * the numbers verified valid). The "485 777 3456" often shown as an example of the format does not pass:
 * the check digit of 485 777 345 is 7, and a person copying the example should not be told it is wrong.
 */
export const EXAMPLE_NHS_NUMBER = '943 476 5919';

/** The messages a form shows, in the NHS service manual's style: say what to do, plainly. */
export const NHS_NUMBER_MESSAGES = {
  wrongLength: 'Enter a 10-digit NHS number',
  wrongCharacters: `Enter a valid NHS number, like ${EXAMPLE_NHS_NUMBER}`,
  failsCheck: 'This NHS number is not valid. Check the number and enter it again',
} as const;

/**
 * Reads the 10 digits out of an accepted typed form, without checking the check digit.
 *
 * @param raw - what was typed; spaces around it are ignored.
 * @returns the 10 digits, or undefined when the shape is not one of the accepted forms.
 */
function digitsOf(raw: string): string | undefined {
  const match = TYPED_NHS_NUMBER.exec(raw.trim());
  return match ? `${match[1]}${match[3]}${match[4]}` : undefined;
}

/**
 * Applies the Modulus 11 rule exactly as the NHS Data Dictionary gives it.
 *
 * @param digits - exactly 10 digits.
 * @returns whether the 10th digit is the check digit of the first 9.
 */
function passesModulus11(digits: string): boolean {
  let total = 0;
  WEIGHTS.forEach((weight, i) => {
    total += Number(digits[i]) * weight;
  });
  const remainder = total % 11;
  const check = 11 - remainder;
  // An 11 means a check digit of 0. A 10 cannot be written as one digit, so the Data Dictionary says
  // no valid NHS number has that first nine: every 10th digit is refused.
  if (check === 10) {
    return false;
  }
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/**
 * Whether what was typed is a valid NHS number.
 *
 * @param raw - what was typed: 10 digits, or 3-3-4 with spaces or hyphens.
 * @returns true only for an accepted form whose check digit is right.
 */
export function isValidNhsNumber(raw: string): boolean {
  const digits = digitsOf(raw);
  return digits !== undefined && passesModulus11(digits);
}

/**
 * The 10 digits to store for a valid NHS number, whatever spaces or hyphens it was typed with.
 *
 * @param raw - what was typed.
 * @returns the 10 digits, or undefined when it is not a valid NHS number, so an invalid number can never
 *   be stored by mistake.
 */
export function normaliseNhsNumber(raw: string): string | undefined {
  const digits = digitsOf(raw);
  return digits !== undefined && passesModulus11(digits) ? digits : undefined;
}

/**
 * Shows an NHS number in the format the NHS uses on screen and in letters, "XXX XXX XXXX" (standards.md
 * 4.1; the NHS digital service manual's content style guide spaces it the same way).
 *
 * @param digits - the stored 10 digits (a spaced or hyphenated form is accepted too).
 * @returns the number grouped 3-3-4 with spaces; anything that is not 10 digits is returned as it was
 *   given, because a page showing a record must not fail over one odd value.
 */
export function formatNhsNumber(digits: string): string {
  const found = digitsOf(digits);
  if (found === undefined) {
    return digits;
  }
  return `${found.slice(0, 3)} ${found.slice(3, 6)} ${found.slice(6)}`;
}

/**
 * What is wrong with a typed NHS number, as the message a form shows beside the field.
 *
 * Whether the field may be left empty is the form's decision (it is optional in a self-referral), so an
 * empty answer here gets the same message as a short one.
 *
 * @param raw - what was typed.
 * @returns the message, or undefined when the number is valid.
 */
export function nhsNumberProblem(raw: string): string | undefined {
  const digits = digitsOf(raw);
  if (digits !== undefined) {
    return passesModulus11(digits) ? undefined : NHS_NUMBER_MESSAGES.failsCheck;
  }
  // Only digits, spaces and hyphens, but not 10 digits: the likely mistake is a missing or extra digit.
  if (/^[\d\s-]*$/.test(raw) && raw.replace(/\D/g, '').length !== 10) {
    return NHS_NUMBER_MESSAGES.wrongLength;
  }
  return NHS_NUMBER_MESSAGES.wrongCharacters;
}
