/**
 * UK postcodes, as Royal Mail defines them (Royal Mail, "Programmers' Guide to PAF", postcode format;
 * the same six formats are listed in the ONS Postcode Directory user guide).
 *
 * A postcode is an outward code (area and district) and an inward code (sector and unit):
 *
 *   A9 9AA   A99 9AA   A9A 9AA   AA9 9AA   AA99 9AA   AA9A 9AA
 *
 * where A is a letter and 9 a digit. The inward code is always a digit then two letters. This checks
 * the shape only, not that the postcode is in use: a new estate's postcode must not be refused.
 */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/**
 * Tidies a postcode as typed into the form Royal Mail prints: capitals, one space before the inward code.
 *
 * @param typed - what was typed, e.g. " sw1a1aa ".
 * @returns the postcode, e.g. "SW1A 1AA", or undefined when it is not a UK postcode.
 */
export function normalisePostcode(typed: string): string | undefined {
  const compact = typed.toUpperCase().replace(/\s+/g, '');
  const match = POSTCODE.exec(compact);
  return match ? `${match[1]} ${match[2]}` : undefined;
}
