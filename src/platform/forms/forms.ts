import { z } from 'zod';
import { InvalidInput } from '../errors.ts';

/** What an NHS error summary and the fields' error messages need. */
export type FormErrors = {
  errors: Record<string, { text: string }>;
  errorList: { text: string; href: string }[];
};

export type FormResult<T> = ({ ok: true; data: T } | ({ ok: false } & FormErrors)) & {
  values: Record<string, unknown>;
};

/**
 * Validates a submitted form against its schema.
 *
 * Errors come back in the shape the NHS error summary and field macros take, one message per field
 * (the first), in the order the fields appear, each linking to the field's id (which is its name).
 *
 * @param schema - the form's zod schema, with plain-English messages.
 * @param body - the parsed request body.
 * @returns the typed data, or the errors; always the submitted values so the page can keep them.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const parsed = schema.safeParse(values);
  if (parsed.success) {
    return { ok: true, data: parsed.data, values };
  }
  return {
    ok: false,
    values,
    ...formErrors(parsed.error.issues.map((i) => ({ field: i.path.join('-'), message: i.message }))),
  };
}

/**
 * Builds the error summary for messages that come from the service rather than the schema.
 *
 * @param problems - field names and messages, in page order.
 * @returns the errors for the page.
 */
export function formErrors(problems: { field: string; message: string }[]): FormErrors {
  const errors: FormErrors['errors'] = {};
  const errorList: FormErrors['errorList'] = [];
  for (const { field, message } of problems) {
    if (!errors[field]) {
      errors[field] = { text: message };
      errorList.push({ text: message, href: `#${field}` });
    }
  }
  return { errors, errorList };
}

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

/** What came of a submitted form: the use case's result, or the errors to show with what was typed. */
export type Submission<D, R> =
  { ok: true; data: D; result: R } | { ok: false; values: Record<string, unknown>; errors: FormErrors };

/**
 * Validates a submitted form and, when it passes, runs the use case with its data. The schema's
 * errors and the use case's InvalidInput both come back for the page to show on the same request;
 * anything else the use case throws is re-thrown for the error handler.
 *
 * @param schema - the form's zod schema.
 * @param body - the parsed request body.
 * @param act - the use case, given the validated data.
 * @returns the data and the use case's result, or the errors and the submitted values.
 */
export async function submitForm<S extends z.ZodType, R>(
  schema: S,
  body: unknown,
  act: (data: z.output<S>) => Promise<R>,
): Promise<Submission<z.output<S>, R>> {
  const form = parseForm(schema, body);
  if (!form.ok) {
    // The parse result is passed on whole, as pages have always spread it: errors and values typed.
    return { ok: false, values: form.values, errors: form };
  }
  try {
    return { ok: true, data: form.data, result: await act(form.data) };
  } catch (error) {
    return { ok: false, values: form.values, errors: errorsFrom(error) };
  }
}

/**
 * A required line of text: trimmed, with the NHS-style messages for missing and too long.
 *
 * @param messages - what to say when it is missing or too long.
 * @param messages.missing - shown when the field is empty.
 * @param messages.tooLong - shown when it is longer than max.
 * @param max - the most characters allowed.
 * @returns the schema.
 */
export function requiredText(messages: { missing: string; tooLong: string }, max: number) {
  return z.string({ error: messages.missing }).trim().min(1, messages.missing).max(max, messages.tooLong);
}

/**
 * An optional line of text: empty becomes undefined.
 *
 * @param tooLong - shown when it is longer than max.
 * @param max - the most characters allowed.
 * @returns the schema.
 */
export function optionalText(tooLong: string, max: number) {
  return z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((value) => (value ? value : undefined));
}

/**
 * A set of ticked checkboxes: a browser sends nothing, one value, or several.
 *
 * @param item - the schema for one ticked value.
 * @returns the schema for the list.
 */
export function checkboxList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value: unknown): unknown[] =>
      value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value],
    z.array(item),
  );
}

/** The hidden version field every edit form carries, so a stale save is detected, not applied. */
export const versionField = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1);
