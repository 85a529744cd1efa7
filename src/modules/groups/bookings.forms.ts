import { z } from 'zod';
import { requiredText } from '../../platform/forms/forms.ts';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import type { ConductMethod } from './attendance.tables.ts';

/**
 * The forms of the booking, waiting list and code of conduct pages. Messages follow the NHS service
 * manual's error message guidance: say what to do, in plain words.
 */

const memberId = z
  .string({ error: 'Choose who to book' })
  .trim()
  .regex(UUID_PATTERN, 'Choose who to book from the list');

/** Booking onto this session only, or a regular place every week from this session on. */
export const bookingForm = z.object({
  memberId,
  kind: z.enum(['session', 'weekly'], { error: 'Choose whether to book this session or every week' }),
});
export type BookingInput = z.output<typeof bookingForm>;

export const waitingListForm = bookingForm;

export const BOOKING_CANCELLERS = { member: 'The member', service: 'The service' } as const;

export const cancelBookingForm = z.object({
  byWhom: z.enum(['member', 'service'], { error: 'Choose who cancelled' }),
  scope: z.enum(['this_session', 'from_this_session']).default('this_session'),
  reason: requiredText(
    { missing: 'Enter why the booking is cancelled', tooLong: 'Reason must be 500 characters or fewer' },
    500,
  ),
});
export type CancelBookingInput = z.output<typeof cancelBookingForm>;

/** How a member can agree to the code of conduct, in the words a facilitator would use. */
export const CONDUCT_METHODS: Record<ConductMethod, string> = {
  read_together_in_person: 'Read together in person',
  easy_read_version_in_person: 'Read the easy read version together in person',
  agreed_by_phone: 'Agreed by phone',
  agreed_by_video: 'Agreed on a video call',
  agreed_in_writing: 'Agreed in writing (letter or email)',
};

export const conductMethod = z.enum(Object.keys(CONDUCT_METHODS) as [ConductMethod, ...ConductMethod[]], {
  error: 'Choose how they agreed to the code of conduct',
});

export const conductForm = z.object({ method: conductMethod });
export type ConductInput = z.output<typeof conductForm>;
