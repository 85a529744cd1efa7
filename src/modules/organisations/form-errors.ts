import type { FormErrors } from '../../platform/forms/forms.ts';

/**
 * Points the error summary's links for date inputs at their first box (the day), which is what
 * the NHS date input pattern asks: the fieldset itself cannot take focus.
 *
 * @param errors - the page's errors.
 * @param fields - the date inputs' ids.
 * @returns the errors with those links changed.
 */
export function linkDateInputs(errors: FormErrors, fields: readonly string[]): FormErrors {
  return {
    ...errors,
    errorList: errors.errorList.map((item) =>
      fields.includes(item.href.slice(1)) ? { ...item, href: `${item.href}-day` } : item,
    ),
  };
}
