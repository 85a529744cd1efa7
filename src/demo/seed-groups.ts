import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { GroupMode, GroupType, SessionRole } from '../modules/groups/groups.tables.ts';
import { occurrencesOf, ruleText, type Weekday } from '../modules/groups/schedules-occurrences.ts';
import { dayInLondon } from '../platform/time/day-in-london.ts';

/**
 * The demo's groups: a realistic week of the SUN partnership, from a month ago to two months ahead.
 * Two SUN groups, each co-facilitated by a clinical facilitator from the NHS trust and a lived
 * experience facilitator from the charity; a weekly peer support group with a bank worker; a drop-in;
 * an evening online group and a Saturday social (out of hours). One online session still needs its
 * link, and one SUN session has lost its lived experience facilitator, so the needing-attention list
 * has something to show. Every venue and name is invented.
 */

/** Who the demo's groups need: the charity, the service and the facilitators by name. */
export type GroupsCast = {
  organisationId: string;
  serviceId: string;
  staff: {
    /** Clinical facilitator, from the trust. */
    amara: string;
    /** Psychological wellbeing practitioner, from the trust. */
    ellie: string;
    /** Lived experience practitioner, from the charity. */
    sam: string;
    /** Advanced lived experience practitioner, from the charity. */
    ruth: string;
    /** Peer support worker, from the charity. */
    tom: string;
    /** Senior peer support worker, from the charity. */
    grace: string;
    /** Peer bank worker, from the charity. */
    jamie: string;
  };
};

const DAY_MS = 86_400_000;

type DemoGroup = {
  name: string;
  type: GroupType;
  mode: GroupMode;
  capacity: number;
  audience?: string;
  room?: 'hall' | 'garden' | 'library';
  weekdays: Weekday[];
  start: [number, number];
  end: [number, number];
  link?: string;
  facilitators: [keyof GroupsCast['staff'], SessionRole][];
};

/**
 * Seeds the demo's venues, groups, weekly schedules and their sessions in the caller's transaction.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, service and facilitators.
 * @param now - the time: sessions run from four weeks before it to nine weeks after.
 */
export async function seedGroups(tx: Db, cast: GroupsCast, now: Date): Promise<void> {
  const venues = [
    {
      key: 'riverside',
      name: 'Riverside Community Centre',
      address: '12 Dock Road\nEastwold',
      postcode: 'ME4 4AA',
      accessibility:
        'Step-free entrance, hearing loop in the main hall, accessible toilet on the ground floor',
      rooms: [
        { key: 'hall', name: 'Main hall', capacity: 20 },
        { key: 'garden', name: 'Garden room', capacity: 12 },
      ],
    },
    {
      key: 'library',
      name: 'Eastwold Library',
      address: '3 Market Street\nEastwold',
      postcode: 'ME4 6QR',
      accessibility: 'Lift to the first floor; bus stop outside',
      rooms: [{ key: 'library', name: 'Community room', capacity: 14 }],
    },
  ];
  const rooms = new Map<string, string>();
  for (const venue of venues) {
    const venueId = randomUUID();
    await tx
      .insertInto('venues')
      .values({
        id: venueId,
        organisation_id: cast.organisationId,
        name: venue.name,
        address: venue.address,
        postcode: venue.postcode,
        accessibility: venue.accessibility,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const room of venue.rooms) {
      const id = randomUUID();
      rooms.set(room.key, id);
      await tx
        .insertInto('venue_rooms')
        .values({ id, venue_id: venueId, name: room.name, capacity: room.capacity, created_at: now })
        .execute();
    }
  }

  const groups: DemoGroup[] = [
    {
      name: 'Tuesday SUN group',
      type: 'sun_group',
      mode: 'in_person',
      capacity: 12,
      room: 'hall',
      weekdays: ['TU'],
      start: [10, 0],
      end: [12, 0],
      facilitators: [
        ['amara', 'clinical'],
        ['sam', 'lived_experience'],
      ],
    },
    {
      name: 'Thursday SUN group',
      type: 'sun_group',
      mode: 'hybrid',
      capacity: 14,
      room: 'library',
      weekdays: ['TH'],
      start: [13, 30],
      end: [15, 30],
      link: 'https://meet.example.org/thursday-sun',
      facilitators: [
        ['ellie', 'clinical'],
        ['ruth', 'lived_experience'],
      ],
    },
    {
      name: 'Wednesday peer support group',
      type: 'peer_support_group',
      mode: 'in_person',
      capacity: 10,
      room: 'garden',
      weekdays: ['WE'],
      start: [14, 0],
      end: [15, 30],
      facilitators: [
        ['tom', 'peer_worker'],
        ['jamie', 'peer_bank_worker'],
      ],
    },
    {
      name: 'Friday drop-in',
      type: 'drop_in',
      mode: 'in_person',
      capacity: 20,
      room: 'hall',
      weekdays: ['FR'],
      start: [11, 0],
      end: [14, 0],
      facilitators: [['grace', 'peer_worker']],
    },
    {
      name: 'Monday evening peer group (online)',
      type: 'peer_support_group',
      mode: 'online',
      capacity: 10,
      weekdays: ['MO'],
      start: [18, 30],
      end: [20, 0],
      link: 'https://meet.example.org/monday-evening',
      facilitators: [['tom', 'peer_worker']],
    },
    {
      name: 'Saturday walk and coffee',
      type: 'social_activity',
      mode: 'in_person',
      capacity: 12,
      audience: 'Anyone, including carers',
      room: 'garden',
      weekdays: ['SA'],
      start: [10, 30],
      end: [12, 30],
      facilitators: [
        ['grace', 'peer_worker'],
        ['jamie', 'peer_bank_worker'],
      ],
    },
  ];

  const firstDay = dayInLondon(new Date(now.getTime() - 28 * DAY_MS));
  const lastDay = dayInLondon(new Date(now.getTime() + 63 * DAY_MS));
  const clock = ([h, m]: [number, number]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  let firstComingOnline: string | undefined;
  let firstComingSun: string | undefined;
  for (const g of groups) {
    const groupId = randomUUID();
    const roomId = g.room ? (rooms.get(g.room) ?? null) : null;
    await tx
      .insertInto('group_programmes')
      .values({
        id: groupId,
        organisation_id: cast.organisationId,
        service_id: cast.serviceId,
        name: g.name,
        group_type: g.type,
        audience: g.audience ?? null,
        capacity: g.capacity,
        mode: g.mode,
        default_room_id: roomId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const startTime = { hours: g.start[0], minutes: g.start[1] };
    const rrule = ruleText({
      startsOn: firstDay,
      weekdays: g.weekdays,
      everyWeeks: 1,
      end: { until: lastDay },
      startTime,
    });
    const sessions = occurrencesOf(
      rrule,
      { start: startTime, end: { hours: g.end[0], minutes: g.end[1] } },
      lastDay,
    ).map((o) => ({ ...o, id: randomUUID() }));
    const scheduleId = randomUUID();
    await tx
      .insertInto('group_schedules')
      .values({
        id: scheduleId,
        group_id: groupId,
        rrule,
        starts_on: firstDay,
        start_time: clock(g.start),
        end_time: clock(g.end),
        room_id: roomId,
        online_link: g.link ?? null,
        end_reason: null,
        ended_at: null,
        materialised_until: sessions.at(-1)?.day ?? firstDay,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('group_schedule_facilitators')
      .values(
        g.facilitators.map(([who, role]) => ({
          schedule_id: scheduleId,
          staff_id: cast.staff[who],
          session_role: role,
        })),
      )
      .execute();
    await tx
      .insertInto('group_sessions')
      .values(
        sessions.map((s) => ({
          id: s.id,
          group_id: groupId,
          schedule_id: scheduleId,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          room_id: roomId,
          online_link: g.link ?? null,
          cancel_reason: null,
          cancelled_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await tx
      .insertInto('group_session_facilitators')
      .values(
        sessions.flatMap((s) =>
          g.facilitators.map(([who, role]) => ({
            session_id: s.id,
            staff_id: cast.staff[who],
            session_role: role,
          })),
        ),
      )
      .execute();
    const coming = sessions.find((s) => s.startsAt > now);
    if (g.mode === 'online' && coming) {
      firstComingOnline = coming.id;
    }
    if (g.name === 'Tuesday SUN group' && coming) {
      firstComingSun = sessions[sessions.indexOf(coming) + 1]?.id;
    }
  }

  // Things to put right: a link not yet set up, and a SUN session whose lived experience facilitator
  // can no longer come (so the session shows as needing one).
  if (firstComingOnline) {
    await tx
      .updateTable('group_sessions')
      .set({ online_link: null })
      .where('id', '=', firstComingOnline)
      .execute();
  }
  if (firstComingSun) {
    await tx
      .deleteFrom('group_session_facilitators')
      .where('session_id', '=', firstComingSun)
      .where('staff_id', '=', cast.staff.sam)
      .execute();
  }
  // One session a fortnight ago was cancelled: the hall was flooded.
  const cancelled = await tx
    .selectFrom('group_sessions')
    .innerJoin('group_programmes', 'group_programmes.id', 'group_sessions.group_id')
    .select('group_sessions.id')
    .where('group_programmes.name', '=', 'Friday drop-in')
    .where('group_sessions.starts_at', '<', new Date(now.getTime() - 10 * DAY_MS))
    .orderBy('group_sessions.starts_at', 'desc')
    .executeTakeFirst();
  if (cancelled) {
    await tx
      .updateTable('group_sessions')
      .set({ status: 'cancelled', cancel_reason: 'The hall was flooded', cancelled_at: now })
      .where('id', '=', cancelled.id)
      .execute();
  }
}
