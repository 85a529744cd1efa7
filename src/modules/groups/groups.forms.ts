import { z } from 'zod';
import { datePartsOf, requiredDate } from '../../platform/forms/date-input.ts';
import { optionalText, requiredText, versionField, type FormErrors } from '../../platform/forms/forms.ts';
import { timeOfDayField } from '../../platform/forms/time-of-day.ts';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import { londonMoment, type TimeOfDay } from '../../platform/time/london-time.ts';
import { normalisePostcode } from '../organisations/index.ts';
import { GROUP_TYPES, SESSION_ROLES } from './facilitation.ts';
import type { GroupMode, GroupType, SessionRole } from './groups.tables.ts';

/**
 * The forms of the venue, group and session pages. Messages follow the NHS service manual's error
 * message guidance: say what to do, in plain words.
 */

/** A whole number typed in a box, within limits. */
const wholeNumber = (missing: string, invalid: string, max: number) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(/^\d+$/, invalid)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, invalid);

/** A choice from a select whose empty option means "none". */
export const optionalId = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || UUID_PATTERN.test(value), message);

// Venues and rooms.

export const venueForm = z.object({
  name: requiredText(
    { missing: 'Enter the name of the venue', tooLong: 'Name must be 200 characters or fewer' },
    200,
  ),
  address: requiredText(
    { missing: 'Enter the address of the venue', tooLong: 'Address must be 500 characters or fewer' },
    500,
  ),
  postcode: z
    .string({ error: 'Enter the postcode' })
    .trim()
    .min(1, 'Enter the postcode')
    .transform((typed, ctx) => {
      const postcode = normalisePostcode(typed);
      if (!postcode) {
        ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like ME4 4AA' });
        return z.NEVER;
      }
      return postcode;
    }),
  accessibility: optionalText('Accessibility details must be 2,000 characters or fewer', 2000),
});

export type VenueInput = z.output<typeof venueForm>;

export const roomForm = z.object({
  name: requiredText(
    { missing: 'Enter the name of the room', tooLong: 'Name must be 100 characters or fewer' },
    100,
  ),
  capacity: wholeNumber(
    'Enter how many people the room holds',
    'How many people the room holds must be a whole number from 1 to 500',
    500,
  ),
});

export type RoomInput = z.output<typeof roomForm>;

// Group programmes.

/** Where a group meets, in words. */
export const GROUP_MODES: Record<GroupMode, string> = {
  in_person: 'In person',
  online: 'Online',
  hybrid: 'Hybrid (in person and online at once)',
};

const groupFields = {
  name: requiredText(
    { missing: 'Enter the name of the group', tooLong: 'Name must be 200 characters or fewer' },
    200,
  ),
  type: z.enum(Object.keys(GROUP_TYPES) as [GroupType, ...GroupType[]], {
    error: 'Select the type of group',
  }),
  serviceId: optionalId('Select a service from the list'),
  audience: optionalText('Who the group is for must be 200 characters or fewer', 200),
  capacity: wholeNumber(
    'Enter how many people the group can take',
    'How many people the group can take must be a whole number from 1 to 500',
    500,
  ),
  mode: z.enum(Object.keys(GROUP_MODES) as [GroupMode, ...GroupMode[]], {
    error: 'Select how the group meets',
  }),
  defaultRoomId: optionalId('Select a room from the list'),
};

const groupRules = <T extends { mode: GroupMode; defaultRoomId: string | null }>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.mode !== 'online' && value.defaultRoomId === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'Select the room where the group usually meets',
      path: ['defaultRoomId'],
    });
  }
};

const onlineHasNoRoom = <T extends { mode: GroupMode; defaultRoomId: string | null }>(value: T) => ({
  ...value,
  defaultRoomId: value.mode === 'online' ? null : value.defaultRoomId,
  audience: (value as { audience?: string }).audience ?? null,
});

export const newGroupForm = z.object(groupFields).superRefine(groupRules).transform(onlineHasNoRoom);

export type GroupInput = z.output<typeof newGroupForm>;

export const changeGroupForm = z
  .object({ ...groupFields, version: versionField })
  .superRefine(groupRules)
  .transform(onlineHasNoRoom);

export type ChangeGroupInput = z.output<typeof changeGroupForm>;

// Sessions.

/** How many facilitators the session form offers. */
export const FACILITATOR_SLOTS = [1, 2, 3, 4] as const;

export const facilitatorField = optionalId('Select a facilitator from the list');

export const timeField = (missing: string) =>
  z.string({ error: missing }).trim().min(1, missing).pipe(timeOfDayField);

export const sessionRoleField = z
  .string()
  .optional()
  .transform((value) => (value ? value : null))
  .refine((value) => value === null || Object.hasOwn(SESSION_ROLES, value), 'Select a role from the list')
  .transform((value) => value as SessionRole | null);

/**
 * A web address for an online session: in full, and https only, so members' details are never sent
 * over an unencrypted link.
 *
 * @param typed - what was typed.
 * @returns true when it is an https address with a host.
 */
export function isSecureLink(typed: string): boolean {
  try {
    const url = new URL(typed);
    return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The four facilitator slots of a session or schedule form: who, and their role in the session. */
export const facilitatorFields = {
  facilitator1: facilitatorField,
  role1: sessionRoleField,
  facilitator2: facilitatorField,
  role2: sessionRoleField,
  facilitator3: facilitatorField,
  role3: sessionRoleField,
  facilitator4: facilitatorField,
  role4: sessionRoleField,
};

/** The online link of a session or schedule form: optional here, required by the service by mode. */
export const onlineLinkField = optionalText('The online link must be 500 characters or fewer', 500).refine(
  (value) => value === undefined || isSecureLink(value),
  'Enter the online link in full, starting with https://',
);

/**
 * Checks the facilitator slots: each chosen person has a role, each role a person, no one twice.
 *
 * @param value - the parsed form.
 * @param ctx - where to report problems.
 */
export function checkFacilitatorSlots(value: object, ctx: z.RefinementCtx): void {
  const v = value as Record<string, unknown>;
  const seen = new Set<string>();
  for (const n of FACILITATOR_SLOTS) {
    const staffId = v[`facilitator${n}`] as string | null;
    const role = v[`role${n}`] as SessionRole | null;
    if (staffId && !role) {
      ctx.addIssue({ code: 'custom', message: `Select the role of facilitator ${n}`, path: [`role${n}`] });
    }
    if (role && !staffId) {
      ctx.addIssue({
        code: 'custom',
        message: `Select who facilitator ${n} is, or leave their role empty`,
        path: [`facilitator${n}`],
      });
    }
    if (staffId && seen.has(staffId)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Choose each facilitator only once',
        path: [`facilitator${n}`],
      });
    }
    if (staffId) {
      seen.add(staffId);
    }
  }
}

/**
 * The end time must come after the start time, the same day.
 *
 * @param value - the parsed times.
 * @param value.startTime - the start.
 * @param value.endTime - the end.
 * @param ctx - where to report a problem.
 */
export function checkTimes(value: { startTime: TimeOfDay; endTime: TimeOfDay }, ctx: z.RefinementCtx): void {
  const start = value.startTime.hours * 60 + value.startTime.minutes;
  const end = value.endTime.hours * 60 + value.endTime.minutes;
  if (end <= start) {
    ctx.addIssue({ code: 'custom', message: 'The end time must be after the start time', path: ['endTime'] });
  }
}

/**
 * The facilitators chosen in the slots, with the slot each came from.
 *
 * @param value - the parsed form.
 * @returns each facilitator with a person and a role.
 */
export function facilitatorsOf(value: object): { slot: number; staffId: string; sessionRole: SessionRole }[] {
  const v = value as Record<string, unknown>;
  return FACILITATOR_SLOTS.flatMap((n) => {
    const staffId = v[`facilitator${n}`] as string | null;
    const sessionRole = v[`role${n}`] as SessionRole | null;
    return staffId && sessionRole ? [{ slot: n, staffId, sessionRole }] : [];
  });
}

const sessionFields = {
  date: requiredDate('Date of the session'),
  startTime: timeField('Enter the start time'),
  endTime: timeField('Enter the end time'),
  roomId: optionalId('Select a room from the list'),
  onlineLink: onlineLinkField,
  ...facilitatorFields,
};

const withDate = (body: unknown) => {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return { ...values, date: datePartsOf(values, 'date') };
};

const sessionOf = <T extends z.output<z.ZodObject<typeof sessionFields>>>(value: T) => ({
  date: value.date,
  startsAt: londonMoment(value.date, value.startTime),
  endsAt: londonMoment(value.date, value.endTime),
  roomId: value.roomId,
  onlineLink: value.onlineLink ?? null,
  facilitators: facilitatorsOf(value),
});

export const sessionForm = z.preprocess(
  withDate,
  z
    .object(sessionFields)
    .superRefine((value, ctx) => {
      checkFacilitatorSlots(value, ctx);
      checkTimes(value, ctx);
    })
    .transform(sessionOf),
);

/** Changing one session: the same fields as scheduling one, and the version the manager saw. */
export const changeSessionForm = z.preprocess(
  withDate,
  z
    .object({ ...sessionFields, version: versionField })
    .superRefine((value, ctx) => {
      checkFacilitatorSlots(value, ctx);
      checkTimes(value, ctx);
    })
    .transform((value) => ({ ...sessionOf(value), version: value.version })),
);

export type ChangeSessionInput = z.output<typeof changeSessionForm>;

export type SessionInput = z.output<typeof sessionForm>;

export const cancelSessionForm = z.object({
  reason: requiredText(
    { missing: 'Enter why the session is cancelled', tooLong: 'The reason must be 500 characters or fewer' },
    500,
  ),
  version: versionField,
});

export type CancelSessionInput = z.output<typeof cancelSessionForm>;

/**
 * Points the error summary's link for the date at its first box (the day), as the NHS date input
 * pattern asks.
 *
 * @param errors - the page's errors.
 * @returns the errors with that link changed.
 */
export function linkDateInput(errors: FormErrors): FormErrors {
  return {
    ...errors,
    errorList: errors.errorList.map((item) =>
      item.href === '#date' ? { ...item, href: '#date-day' } : item,
    ),
  };
}
