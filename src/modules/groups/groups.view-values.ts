import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { GROUP_TYPES, SESSION_ROLES, sessionRolesFor } from './facilitation.ts';
import { FACILITATOR_SLOTS } from './groups.forms.ts';
import type { Group } from './groups.service.ts';
import { facilitatorChoiceText, type FacilitatorChoice } from './session-changes.checks.ts';

type Values = Record<string, unknown>;

/** The value a form field was given, for re-showing a choice; '' when none was. */
export const selected = (values: Values, name: string): string =>
  typeof values[name] === 'string' ? values[name] : '';

/** A session's day and times in words, in UK time: "Tuesday 3 March 2026, 10:00 to 12:00". */
export function sessionWhen(session: { startsAt: Date; endsAt: Date }): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(
    session.startsAt,
  );
  return `${weekday} ${formatDate(dayInLondon(session.startsAt))}, ${timeInLondon(session.startsAt)} to ${timeInLondon(session.endsAt)}`;
}

/** The rooms and people a session-shaped form may offer, for one group. */
export type SessionFormChoices = {
  group: Group;
  rooms: { id: string; text: string }[];
  staff: FacilitatorChoice[];
};

/** What every session-shaped form shows: the room list, the facilitator slots, the group's rule. */
export function sessionFormParts(choices: SessionFormChoices, values: Values) {
  const { group } = choices;
  const roles = sessionRolesFor(group.type);
  return {
    group,
    typeText: GROUP_TYPES[group.type],
    needsRoom: group.mode !== 'online',
    needsLink: group.mode !== 'in_person',
    roomItems: [
      { value: '', text: choices.rooms.length ? 'Choose a room' : 'No rooms have been added yet' },
      ...choices.rooms.map((r) => ({
        value: r.id,
        text: r.text,
        selected: selected(values, 'roomId') === r.id,
      })),
    ],
    slots: FACILITATOR_SLOTS.map((n) => ({
      n,
      staffItems: [
        { value: '', text: 'No one' },
        ...choices.staff.map((s) => ({
          value: s.id,
          text: facilitatorChoiceText(s),
          selected: selected(values, `facilitator${n}`) === s.id,
        })),
      ],
      roleItems: [
        { value: '', text: 'Choose a role' },
        ...roles.map((r) => ({
          value: r,
          text: SESSION_ROLES[r],
          selected: selected(values, `role${n}`) === r,
        })),
      ],
    })),
  };
}
