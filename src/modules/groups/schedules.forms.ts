import { z } from 'zod';
import { datePartsOf, optionalDate, requiredDate } from '../../platform/forms/date-input.ts';
import { checkboxList, requiredText, versionField } from '../../platform/forms/forms.ts';
import {
  checkFacilitatorSlots,
  checkTimes,
  facilitatorFields,
  facilitatorsOf,
  onlineLinkField,
  optionalId,
  timeField,
} from './groups.forms.ts';
import { WEEKDAYS, type Weekday } from './schedules-occurrences.ts';

/**
 * The forms of the schedule pages. A schedule runs for at most 26 weeks (half a year) so that every
 * session it makes is in the diary at once, checked and visible; a group that carries on gets its next
 * schedule set up nearer the time, when rooms and rotas are known.
 */

/** The longest a schedule may run, in weeks. */
export const LONGEST_SCHEDULE_WEEKS = 26;

/** The most sessions a schedule may make: twice a week for 26 weeks. */
export const MOST_SESSIONS = 52;

const weekdayField = z.enum(Object.keys(WEEKDAYS) as [Weekday, ...Weekday[]], {
  error: 'Select the days from the list',
});

export const scheduleForm = z.preprocess(
  (body: unknown) => {
    const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return { ...values, startsOn: datePartsOf(values, 'startsOn'), until: datePartsOf(values, 'until') };
  },
  z
    .object({
      startsOn: requiredDate('First day'),
      weekdays: checkboxList(weekdayField).refine(
        (days) => days.length > 0,
        'Select the days the group meets',
      ),
      everyWeeks: z.enum(['1', '2'], { error: 'Select how often the group meets' }),
      endsAfter: z.enum(['sessions', 'until'], { error: 'Select when the schedule ends' }),
      sessions: z.string().trim().optional(),
      until: optionalDate('Last day'),
      startTime: timeField('Enter the start time'),
      endTime: timeField('Enter the end time'),
      roomId: optionalId('Select a room from the list'),
      onlineLink: onlineLinkField,
      ...facilitatorFields,
    })
    .superRefine((value, ctx) => {
      if (value.endsAfter === 'sessions') {
        const n = /^\d+$/.test(value.sessions ?? '') ? Number(value.sessions) : NaN;
        if (!value.sessions) {
          ctx.addIssue({ code: 'custom', message: 'Enter how many sessions', path: ['sessions'] });
        } else if (!(n >= 1 && n <= MOST_SESSIONS)) {
          ctx.addIssue({
            code: 'custom',
            message: `How many sessions must be a whole number from 1 to ${MOST_SESSIONS}`,
            path: ['sessions'],
          });
        }
      }
      if (value.endsAfter === 'until') {
        if (value.until === null) {
          ctx.addIssue({ code: 'custom', message: 'Enter the last day', path: ['until'] });
        } else if (value.until < value.startsOn) {
          ctx.addIssue({
            code: 'custom',
            message: 'The last day must be the same as or after the first day',
            path: ['until'],
          });
        }
      }
      checkTimes(value, ctx);
      checkFacilitatorSlots(value, ctx);
    })
    .transform((value) => ({
      startsOn: value.startsOn,
      weekdays: (Object.keys(WEEKDAYS) as Weekday[]).filter((d) => value.weekdays.includes(d)),
      everyWeeks: value.everyWeeks === '2' ? (2 as const) : (1 as const),
      end: (value.endsAfter === 'sessions'
        ? { sessions: Number(value.sessions) }
        : { until: value.until ?? value.startsOn }) as { sessions: number } | { until: string },
      startTime: value.startTime,
      endTime: value.endTime,
      roomId: value.roomId,
      onlineLink: value.onlineLink ?? null,
      facilitators: facilitatorsOf(value),
    })),
);

export type ScheduleInput = z.output<typeof scheduleForm>;

export const endScheduleForm = z.object({
  reason: requiredText(
    {
      missing: 'Enter why the schedule is ending',
      tooLong: 'The reason must be 500 characters or fewer',
    },
    500,
  ),
  version: versionField,
});

export type EndScheduleInput = z.output<typeof endScheduleForm>;

export const outOfHoursForm = z.object({
  eveningsFrom: z
    .string()
    .trim()
    .optional()
    .transform((typed, ctx) => {
      if (!typed) {
        return null;
      }
      const parsed = timeField('Enter the time').safeParse(typed);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'Enter a time like 17:00 or 5pm, or leave it empty' });
        return z.NEVER;
      }
      return parsed.data;
    }),
  days: checkboxList(
    z.enum(['saturdays', 'sundays', 'bank_holidays'], { error: 'Select the days from the list' }),
  ),
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
});

export type OutOfHoursInput = z.output<typeof outOfHoursForm>;
