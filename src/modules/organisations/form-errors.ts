import type { FastifyRequest } from 'fastify';
import { InvalidInput } from '../../platform/errors.ts';
import { formErrors, type FormErrors } from '../../platform/forms/forms.ts';

/** A request whose URL carries the named ids. */
export type Params<K extends string> = FastifyRequest<{ Params: Record<K, string> }>;

/**
 * Turns a service's InvalidInput into the page's error summary; anything else is re-thrown for the
 * error handler (NotFound as 404, Conflict as 409).
 *
 * @param error - what the service threw.
 * @returns the errors for the page.
 */
export function errorsFrom(error: unknown): FormErrors {
  if (error instanceof InvalidInput) {
    return formErrors(Object.entries(error.fieldErrors).map(([field, message]) => ({ field, message })));
  }
  throw error;
}

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
