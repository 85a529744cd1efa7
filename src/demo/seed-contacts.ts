import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { ContactMode, ContactType } from '../modules/contacts/contacts.tables.ts';
import { dayInLondon } from '../platform/time/day-in-london.ts';
import { londonMoment } from '../platform/time/london-time.ts';

/**
 * The demo's one-to-one support: a fortnight of contacts with the people being supported, by their key
 * workers and others, with next steps (one done, some open), contacts booked for this week, one that
 * did not happen, and one person (Kieran, whose calls go unanswered) overdue for a contact on Grace's
 * caseload. Every person and every word here is invented.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who the demo's contacts need: the charity, four of its workers and the three people it supports. */
export type ContactsCast = {
  organisationId: string;
  workers: { tom: string; grace: string; sam: string; hannah: string };
  /** The member records of the people supported (seed-front-door.ts): Ruth Okonjo, Kieran Doyle, Peggy Oyelaran. */
  members: { ruth: string; kieran: string; peggy: string };
};

type DemoContact = {
  member: string;
  type: ContactType;
  mode: ContactMode;
  /** Days from now: negative for past contacts, positive for booked ones. */
  day: number;
  time: [number, number];
  minutes: number | null;
  place?: string;
  workers: string[];
  status?: 'happened' | 'planned' | 'did_not_happen';
  notes?: string;
  reason?: string;
  nextSteps?: { what: string; who: string; dueInDays: number | null; doneDaysAgo?: number }[];
};

/**
 * Seeds the demo's one-to-one contacts in the caller's transaction, each linked to the person's active
 * episode of support.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, workers and members.
 * @param now - the time: days are relative to it, so there is always something booked this week and someone overdue.
 */
export async function seedContacts(tx: Db, cast: ContactsCast, now: Date): Promise<void> {
  const { tom, grace, sam, hannah } = cast.workers;
  const { ruth, kieran, peggy } = cast.members;
  const dayOf = (days: number) => dayInLondon(new Date(now.getTime() + days * DAY_MS));
  const at = (days: number, [hours, minutes]: [number, number]) =>
    londonMoment(dayOf(days), { hours, minutes });

  const contacts: DemoContact[] = [
    // Ruth: weekly peer support with Tom, a check-in call between, and an accompanied GP appointment.
    {
      member: ruth,
      type: 'peer_support',
      mode: 'in_person',
      day: -13,
      time: [10, 30],
      minutes: 60,
      place: 'The Lantern Café, Harbour Street',
      workers: [tom],
      notes:
        'Ruth talked about how the move has unsettled her sleep. We looked at the Tuesday walking group together.\nShe would like someone with her at the GP next week.',
      nextSteps: [
        {
          what: 'Book a double appointment at Harbour Surgery with Ruth',
          who: tom,
          dueInDays: -11,
          doneDaysAgo: 12,
        },
      ],
    },
    {
      member: ruth,
      type: 'check_in_call',
      mode: 'phone',
      day: -9,
      time: [16, 0],
      minutes: 15,
      workers: [tom],
      notes: 'Short call. Ruth is nervous about the appointment but still wants to go.',
    },
    {
      member: ruth,
      type: 'accompanied_appointment',
      mode: 'in_person',
      day: -6,
      time: [9, 40],
      minutes: 90,
      place: 'Harbour Surgery',
      workers: [tom, sam],
      notes:
        'Went with Ruth to see her GP about her sleep and medication. Ruth spoke for herself and asked for a review of her prescription.',
      nextSteps: [
        { what: 'Ring the surgery about the prescription review date', who: tom, dueInDays: 1 },
        { what: 'Send Ruth the sleep and wellbeing leaflet in the post', who: sam, dueInDays: null },
      ],
    },
    {
      member: ruth,
      type: 'peer_support',
      mode: 'video',
      day: -1,
      time: [11, 0],
      minutes: 45,
      workers: [tom],
      notes: 'Ruth went to the walking group on Tuesday and enjoyed it. Sleeping a little better.',
    },
    {
      member: ruth,
      type: 'check_in_call',
      mode: 'phone',
      day: 2,
      time: [14, 0],
      minutes: 15,
      workers: [tom],
      status: 'planned',
    },
    // Kieran: quiet for weeks; Grace's calls go unanswered, so he is due a contact on her caseload.
    {
      member: kieran,
      type: 'peer_support',
      mode: 'in_person',
      day: -40,
      time: [13, 0],
      minutes: 50,
      place: 'Eastwold Library, community room',
      workers: [grace],
      notes: 'Kieran said work has been hard and he may miss some groups.',
    },
    {
      member: kieran,
      type: 'follow_up_after_non_attendance',
      mode: 'phone',
      day: -7,
      time: [17, 30],
      minutes: null,
      workers: [grace],
      status: 'did_not_happen',
      reason: 'No answer. Left a voicemail asking him to ring back.',
    },
    {
      member: kieran,
      type: 'check_in_call',
      mode: 'phone',
      day: 1,
      time: [18, 0],
      minutes: 15,
      workers: [grace],
      status: 'planned',
    },
    // Peggy: phone first (her communication needs), signposting to a lunch club, a memory clinic visit booked.
    {
      member: peggy,
      type: 'welcome_conversation',
      mode: 'phone',
      day: -11,
      time: [10, 0],
      minutes: 30,
      workers: [hannah],
      notes:
        'Peggy prefers phone calls in the morning and letters in large print. She misses company since her husband died.',
    },
    {
      member: peggy,
      type: 'signposting_conversation',
      mode: 'in_person',
      day: -4,
      time: [11, 15],
      minutes: 40,
      place: 'Peggy’s home',
      workers: [hannah],
      notes:
        'Talked about the Tuesday lunch club at St Mary’s hall. Peggy would like to try it if someone goes with her the first time.',
      nextSteps: [
        { what: 'Send Peggy the lunch club timetable in large print', who: hannah, dueInDays: 2 },
        { what: 'Ask a volunteer to go with Peggy to her first lunch club', who: hannah, dueInDays: 5 },
      ],
    },
    {
      member: peggy,
      type: 'accompanied_appointment',
      mode: 'in_person',
      day: 3,
      time: [10, 30],
      minutes: 90,
      place: 'Eastwold Memory Clinic',
      workers: [hannah],
      status: 'planned',
    },
  ];

  const episodes = new Map<string, string | null>();
  const episodeOf = async (memberId: string) => {
    if (!episodes.has(memberId)) {
      const row = await tx
        .selectFrom('episodes')
        .select('id')
        .where('member_id', '=', memberId)
        .where('status', '=', 'active')
        .orderBy('started_on', 'desc')
        .executeTakeFirst();
      episodes.set(memberId, row?.id ?? null);
    }
    return episodes.get(memberId) ?? null;
  };

  for (const c of contacts) {
    const id = randomUUID();
    const occurredAt = at(c.day, c.time);
    const recordedAt = c.day < 0 ? new Date(occurredAt.getTime() + 2 * 60 * 60 * 1000) : at(-1, [9, 0]);
    const status = c.status ?? 'happened';
    await tx
      .insertInto('contacts')
      .values({
        id,
        organisation_id: cast.organisationId,
        member_id: c.member,
        episode_id: await episodeOf(c.member),
        contact_type: c.type,
        mode: c.mode,
        occurred_at: occurredAt,
        duration_minutes: c.minutes,
        venue_id: null,
        place: c.place ?? null,
        status,
        not_happened_reason: status === 'did_not_happen' ? (c.reason ?? 'It did not happen') : null,
        notes: c.notes ?? null,
        submission_key: null,
        recorded_by: c.workers[0] ?? tom,
        created_at: recordedAt,
        updated_at: recordedAt,
      })
      .execute();
    await tx
      .insertInto('contact_workers')
      .values(c.workers.map((staffId) => ({ contact_id: id, staff_id: staffId })))
      .execute();
    for (const step of c.nextSteps ?? []) {
      const done = step.doneDaysAgo === undefined ? null : at(-step.doneDaysAgo, [15, 0]);
      await tx
        .insertInto('contact_next_steps')
        .values({
          id: randomUUID(),
          contact_id: id,
          description: step.what,
          assigned_to: step.who,
          due_on: step.dueInDays === null ? null : dayOf(step.dueInDays),
          done_at: done,
          done_by: done ? step.who : null,
          created_at: recordedAt,
          created_by: c.workers[0] ?? tom,
        })
        .execute();
    }
  }
}
