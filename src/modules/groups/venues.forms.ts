import { z } from 'zod';
import { roomForm, venueForm } from './groups.forms.ts';

/** The forms that change a venue or a room: the adding forms with the version the worker saw. */

const version = z.coerce.number().int();

export const changeVenueForm = venueForm.extend({ version });

export type ChangeVenueInput = z.output<typeof changeVenueForm>;

export const changeRoomForm = roomForm.extend({ version });

export type ChangeRoomInput = z.output<typeof changeRoomForm>;

export const retireRoomForm = z.object({ version });
