import { z } from 'zod';

/**
 * Dates typed into the NHS date input component: three boxes named `<field>-day`, `<field>-month` and
 * `<field>-year`, with the messages the design system's date input pattern gives
 * (service-manual.nhs.uk/design-system/components/date-input).
 */

export type DateParts = { day?: unknown; month?: unknown; year?: unknown };

/**
 * Reads a date typed into the NHS date input (day, month, year), with the date input pattern's
 * messages: what is missing, or that it must be a real date.
 *
 * @param parts - what was typed in each box.
 * @param label - how the date is named in messages, e.g. "Start date".
 * @param ctx - where to report a problem.
 * @returns 'YYYY-MM-DD'; null when all three boxes are empty; undefined after reporting a problem.
 */
export function readDate(parts: DateParts, label: string, ctx: z.RefinementCtx): string | null | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const day = text(parts.day);
  const month = text(parts.month);
  const year = text(parts.year);
  if (!day && !month && !year) {
    return null;
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(
    (part): part is string => !!part,
  );
  if (missing.length > 0) {
    ctx.addIssue({ code: 'custom', message: `${label} must include a ${missing.join(' and ')}` });
    return undefined;
  }
  if (!/^\d{4}$/.test(year)) {
    ctx.addIssue({ code: 'custom', message: 'Year must include 4 numbers' });
    return undefined;
  }
  const d = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const m = /^\d{1,2}$/.test(month) ? Number(month) : NaN;
  const y = Number(year);
  // A real date: the calendar must give back the same day, so 31 June and 29 February 2027 fail.
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    y > 2199 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  ) {
    ctx.addIssue({ code: 'custom', message: `${label} must be a real date` });
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/**
 * A required date from the NHS date input, as 'YYYY-MM-DD'.
 *
 * @param label - how the date is named in messages, e.g. "Start date".
 * @returns the schema, reading `{ day, month, year }` (see datePartsOf).
 */
export const requiredDate = (label: string) =>
  z.custom<DateParts>().transform((parts, ctx): string => {
    const date = readDate(parts, label, ctx);
    if (date === null) {
      ctx.addIssue({ code: 'custom', message: `Enter the ${label.toLowerCase()}` });
    }
    return date ?? z.NEVER;
  });

/**
 * An optional date from the NHS date input: 'YYYY-MM-DD', or null when all three boxes are empty.
 *
 * @param label - how the date is named in messages, e.g. "End date".
 * @returns the schema, reading `{ day, month, year }` (see datePartsOf).
 */
export const optionalDate = (label: string) =>
  z.custom<DateParts>().transform((parts, ctx): string | null => {
    const date = readDate(parts, label, ctx);
    return date === undefined ? z.NEVER : date;
  });

/**
 * Gathers the three boxes of a date input from a submitted form, for requiredDate or optionalDate.
 *
 * @param values - the submitted form.
 * @param name - the field's name, e.g. "dateOfBirth" for `dateOfBirth-day` and so on.
 * @returns what was typed in each box.
 */
export function datePartsOf(values: Record<string, unknown>, name: string): DateParts {
  return { day: values[`${name}-day`], month: values[`${name}-month`], year: values[`${name}-year`] };
}
