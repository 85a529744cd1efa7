/**
 * Ethnic category, as the NHS Data Dictionary codes it ("Ethnic Category", the 2001 census categories
 * used across NHS England data sets; the same codes are UK Core's CodeSystem
 * `UKCore-EthnicCategoryEngland` and NHS Talking Therapies' data set: shared/reference/standards.md
 * section 6). Equality monitoring is optional for the person: "Z" (Not stated) is how the Data
 * Dictionary records that they chose not to say, and is shown as "Prefer not to say"; "99" (Not known)
 * is for a record where the answer is not known. A member with no answer at all has never been asked.
 */

/** One ethnic category: its NHS code, its group and its own words. */
export type EthnicCategory = { code: string; group: string; text: string };

/** The categories people may choose from, in the Data Dictionary's order. */
export const ETHNIC_CATEGORIES: readonly EthnicCategory[] = [
  { code: 'A', group: 'White', text: 'British' },
  { code: 'B', group: 'White', text: 'Irish' },
  { code: 'C', group: 'White', text: 'Any other White background' },
  { code: 'D', group: 'Mixed', text: 'White and Black Caribbean' },
  { code: 'E', group: 'Mixed', text: 'White and Black African' },
  { code: 'F', group: 'Mixed', text: 'White and Asian' },
  { code: 'G', group: 'Mixed', text: 'Any other mixed background' },
  { code: 'H', group: 'Asian or Asian British', text: 'Indian' },
  { code: 'J', group: 'Asian or Asian British', text: 'Pakistani' },
  { code: 'K', group: 'Asian or Asian British', text: 'Bangladeshi' },
  { code: 'L', group: 'Asian or Asian British', text: 'Any other Asian background' },
  { code: 'M', group: 'Black or Black British', text: 'Caribbean' },
  { code: 'N', group: 'Black or Black British', text: 'African' },
  { code: 'P', group: 'Black or Black British', text: 'Any other Black background' },
  { code: 'R', group: 'Other ethnic groups', text: 'Chinese' },
  { code: 'S', group: 'Other ethnic groups', text: 'Any other ethnic group' },
];

/** "Not stated": the person chose not to say. */
export const PREFER_NOT_TO_SAY = 'Z';

/** "Not known": no answer is known (kept for records imported with it; the form does not offer it). */
export const NOT_KNOWN = '99';

/** The codes the equality monitoring form accepts: the categories and "Prefer not to say". */
export const CHOOSABLE_ETHNIC_CODES: readonly string[] = [
  ...ETHNIC_CATEGORIES.map((category) => category.code),
  PREFER_NOT_TO_SAY,
];

/**
 * The words shown for a stored ethnic category code.
 *
 * @param code - the stored code, or null when the person has not been asked.
 * @returns e.g. "White – British", "Prefer not to say / not stated", or "Not asked".
 */
export function ethnicCategoryLabel(code: string | null): string {
  if (code === null) {
    return 'Not asked';
  }
  if (code === PREFER_NOT_TO_SAY) {
    return 'Prefer not to say / not stated';
  }
  if (code === NOT_KNOWN) {
    return 'Not known';
  }
  const category = ETHNIC_CATEGORIES.find((c) => c.code === code);
  return category ? `${category.group} – ${category.text}` : code;
}
