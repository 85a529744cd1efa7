import { z } from 'zod';
import { requiredText } from '../../platform/forms/forms.ts';

/** The session note, its signature and the incident flag. */

export const noteForm = z.object({
  body: requiredText(
    { missing: 'Enter the session note', tooLong: 'The note must be 10,000 characters or fewer' },
    10_000,
  ),
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
});
export type NoteInput = z.output<typeof noteForm>;

export const signForm = z.object({
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(1),
});
export type SignInput = z.output<typeof signForm>;

export const incidentForm = z.object({
  description: requiredText(
    {
      missing: 'Enter a short description of the incident',
      tooLong: 'The description must be 500 characters or fewer',
    },
    500,
  ),
});
export type IncidentInput = z.output<typeof incidentForm>;
