import { z } from 'zod';
import type { TimeOfDay } from '../time/london-time.ts';

/**
 * A time of day as people type it: "14:30", "2:30pm", "2pm", "9.15am".
 *
 * @param typed - what was typed.
 * @returns hours and minutes on the 24-hour clock, or undefined when it is not clearly a time.
 */
export function readTimeOfDay(typed: string): TimeOfDay | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(typed.trim());
  if (!match) {
    return undefined;
  }
  let hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3]?.toLowerCase();
  if (minutes > 59) {
    return undefined;
  }
  if (half) {
    if (hours < 1 || hours > 12) {
      return undefined;
    }
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  } else if (match[2] === undefined || hours > 23) {
    // Without am or pm, only the 24-hour clock with minutes is clear ("14:30", not "2").
    return undefined;
  }
  return { hours, minutes };
}

/** A required time-of-day field, with the message the service uses everywhere. */
export const timeOfDayField = z
  .string({ error: 'Enter the time' })
  .trim()
  .min(1, 'Enter the time')
  .transform((typed, ctx): TimeOfDay => {
    const time = readTimeOfDay(typed);
    if (!time) {
      ctx.addIssue({ code: 'custom', message: 'Enter a time like 14:30 or 2:30pm' });
      return z.NEVER;
    }
    return time;
  });
