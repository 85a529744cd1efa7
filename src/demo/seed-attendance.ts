import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { AttendanceStatus, ConductMethod } from '../modules/groups/attendance.tables.ts';
import { dayInLondon } from '../platform/time/day-in-london.ts';

/**
 * The demo's bookings and registers: regulars in each weekly group (booked from its first session,
 * having agreed the code of conduct before it), the past weeks' registers taken (mostly there, some
 * late, one or two who did not come, one who rang to cancel), walk-ins at the drop-in, a session
 * note for each past session signed by every facilitator, one incident flagged, a one-off booking and
 * someone on the waiting list for next week. Every person here is invented.
 */

/** Who the demo's bookings need. */
export type AttendanceCast = {
  organisationId: string;
  /** Front-line workers who book members and record the code of conduct. */
  bookers: string[];
  /** The demo's groups (their sessions and facilitators are read from the database). */
  groupIds: string[];
  /** People already supported by the service, who come to groups too. */
  memberIds: string[];
};

const DAY_MS = 86_400_000;

/** More people who come to groups, so a SUN group has a realistic circle. */
const GROUP_MEMBERS = [
  'Aisha Rahman',
  'Ben Carter',
  'Chloe Dawson',
  'Dev Patel',
  'Erin Walsh',
  'Femi Adebayo',
  'Gemma Lloyd',
  'Harry Brooks',
  'Isla Morgan',
  'Joel Turner',
];

const METHODS: ConductMethod[] = [
  'read_together_in_person',
  'agreed_by_phone',
  'read_together_in_person',
  'easy_read_version_in_person',
  'agreed_by_video',
];

const NOTES = [
  'A settled group. We shared what has helped with sleep, and two members offered to bring ideas next week.',
  'A quieter week. We talked about getting through difficult anniversaries and how to ask for help early.',
  'Lively discussion about managing urges and what distraction looks like in practice. Everyone checked out calm.',
  'We revisited the group agreement together and welcomed a returning member back.',
];

/**
 * Seeds bookings, registers, signed session notes and the code of conduct in the caller's transaction.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, its bookers, its groups and the people already supported.
 * @param now - the time: sessions before it get registers and notes, the next ones bookings.
 */
export async function seedAttendance(tx: Db, cast: AttendanceCast, now: Date): Promise<void> {
  if (cast.groupIds.length === 0 || cast.bookers.length === 0) {
    return;
  }
  const booker = (i: number) => cast.bookers[i % cast.bookers.length]!;

  const extra: string[] = [];
  for (const [i, name] of GROUP_MEMBERS.entries()) {
    const id = randomUUID();
    const createdAt = new Date(now.getTime() - (60 + i) * DAY_MS);
    await tx
      .insertInto('members')
      .values({
        id,
        organisation_id: cast.organisationId,
        legal_name: name,
        preferred_name: null,
        pronouns: null,
        date_of_birth: `19${70 + i}-0${(i % 9) + 1}-1${i % 9}`,
        email: null,
        phone: `07700 9005${String(i).padStart(2, '0')}`,
        postal_address: null,
        postcode: null,
        nhs_number: null,
        gp_practice: null,
        contact_methods: ['phone'],
        safe_to_leave_message: true,
        best_times: null,
        communication_needs: [],
        preferred_language: null,
        communication_needs_other: null,
        emergency_contact_name: null,
        emergency_contact_phone: null,
        emergency_contact_relationship: null,
        ethnic_category: null,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    extra.push(id);
  }
  const pool = [...cast.memberIds, ...extra];

  const groups = await tx
    .selectFrom('group_programmes')
    .select(['id', 'group_type as type', 'capacity'])
    .where('id', 'in', cast.groupIds)
    .where('organisation_id', '=', cast.organisationId)
    .orderBy('name')
    .execute();

  const agreed = new Set<string>();
  const agree = async (memberId: string, before: Date, i: number) => {
    if (agreed.has(memberId)) {
      return;
    }
    agreed.add(memberId);
    const at = new Date(before.getTime() - 2 * DAY_MS);
    await tx
      .insertInto('conduct_acknowledgements')
      .values({
        member_id: memberId,
        method: METHODS[i % METHODS.length]!,
        acknowledged_at: at,
        recorded_by: booker(i),
        recorded_at: at,
      })
      .execute();
  };

  let incidentFlagged = false;
  for (const [g, group] of groups.entries()) {
    const sessions = await tx
      .selectFrom('group_sessions')
      .select(['id', 'starts_at as startsAt', 'ends_at as endsAt'])
      .where('group_id', '=', group.id)
      .where('status', '=', 'scheduled')
      .orderBy('starts_at')
      .execute();
    if (sessions.length === 0) {
      continue;
    }
    const facilitators = await tx
      .selectFrom('group_session_facilitators')
      .select(['session_id as sessionId', 'staff_id as staffId'])
      .where(
        'session_id',
        'in',
        sessions.map((s) => s.id),
      )
      .orderBy('session_role')
      .execute();
    const facilitatorsOf = (sessionId: string) =>
      facilitators.filter((f) => f.sessionId === sessionId).map((f) => f.staffId);
    const past = sessions.filter((s) => s.endsAt < now);
    const upcoming = sessions.filter((s) => s.startsAt > now);
    const dropIn = group.type === 'drop_in';

    // Regulars: a circle of up to six, different people in each group.
    const regulars = dropIn
      ? []
      : Array.from(
          { length: Math.min(6, group.capacity - 2, pool.length) },
          (_, i) => pool[(g * 3 + i) % pool.length]!,
        );
    const first = sessions[0]!;
    for (const [i, memberId] of regulars.entries()) {
      await agree(memberId, first.startsAt, g + i);
      await tx
        .insertInto('group_memberships')
        .values({
          id: randomUUID(),
          group_id: group.id,
          member_id: memberId,
          from_date: dayInLondon(first.startsAt),
          ended_on: null,
          ended_by_whom: null,
          end_reason: null,
          created_by: booker(i),
          created_at: new Date(first.startsAt.getTime() - 3 * DAY_MS),
        })
        .execute();
    }

    for (const [week, session] of past.entries()) {
      const savedBy = facilitatorsOf(session.id)[0] ?? booker(week);
      const rows: { memberId: string; status: AttendanceStatus; walkIn: boolean }[] = [];
      for (const [i, memberId] of regulars.entries()) {
        const turn = (i + week * 2 + g) % 9;
        if (turn === 4) {
          // Rang the service the day before: a cancellation for this one session.
          await tx
            .insertInto('session_bookings')
            .values({
              id: randomUUID(),
              session_id: session.id,
              member_id: memberId,
              status: 'cancelled_by_member',
              cancel_reason: 'Rang to say they had a hospital appointment',
              booked_by: booker(i),
              booked_at: new Date(session.startsAt.getTime() - DAY_MS),
              cancelled_by: booker(i),
              cancelled_at: new Date(session.startsAt.getTime() - DAY_MS),
            })
            .execute();
          rows.push({ memberId, status: 'cancelled_by_member', walkIn: false });
        } else {
          const status: AttendanceStatus =
            turn === 7
              ? 'did_not_attend'
              : turn === 2
                ? 'late'
                : turn === 5 && week % 2 === 0
                  ? 'left_early'
                  : 'attended';
          rows.push({ memberId, status, walkIn: false });
        }
      }
      const walkIns = dropIn ? 3 + (week % 2) : week % 3 === 1 ? 1 : 0;
      for (let w = 0; w < walkIns; w += 1) {
        const memberId = pool[(g * 5 + week + w * 4 + 7) % pool.length]!;
        if (rows.some((r) => r.memberId === memberId)) {
          continue;
        }
        await agree(memberId, session.startsAt, week + w);
        rows.push({ memberId, status: 'attended', walkIn: true });
      }
      if (rows.length > 0) {
        await tx
          .insertInto('session_attendance')
          .values(
            rows.map((r) => ({
              session_id: session.id,
              member_id: r.memberId,
              status: r.status,
              walk_in: r.walkIn,
              recorded_by: savedBy,
              recorded_at: session.endsAt,
            })),
          )
          .execute();
      }
      await tx
        .insertInto('session_registers')
        .values({ session_id: session.id, version: 1, saved_by: savedBy, saved_at: session.endsAt })
        .execute();

      const team = facilitatorsOf(session.id);
      if (team.length > 0) {
        const written = new Date(session.endsAt.getTime() + 30 * 60_000);
        await tx
          .insertInto('session_notes')
          .values({
            session_id: session.id,
            body: NOTES[(week + g) % NOTES.length]!,
            drafted_by: team[0]!,
            drafted_at: written,
            updated_by: team[0]!,
            updated_at: written,
          })
          .execute();
        await tx
          .insertInto('session_note_signatures')
          .values(
            team.map((staffId, i) => ({
              session_id: session.id,
              staff_id: staffId,
              note_version: 1,
              signed_at: new Date(written.getTime() + (i + 1) * 20 * 60_000),
            })),
          )
          .execute();
        if (!incidentFlagged && group.type === 'sun_group' && week === past.length - 1) {
          incidentFlagged = true;
          await tx
            .insertInto('session_incidents')
            .values({
              id: randomUUID(),
              session_id: session.id,
              description:
                'A member became distressed and left early; the lived experience facilitator phoned them that afternoon and they are safe.',
              flagged_by: team[team.length - 1]!,
              flagged_at: written,
            })
            .execute();
        }
      }
    }

    // Next week: a one-off booking (a taster) and someone waiting for a regular place.
    const next = upcoming[0];
    if (next && !dropIn) {
      const outsiders = pool.filter((id) => !regulars.includes(id));
      const taster = outsiders[g % outsiders.length];
      const waiting = outsiders[(g + 1) % outsiders.length];
      if (taster) {
        await tx
          .insertInto('session_bookings')
          .values({
            id: randomUUID(),
            session_id: next.id,
            member_id: taster,
            status: 'booked',
            cancel_reason: null,
            booked_by: booker(g),
            booked_at: new Date(now.getTime() - DAY_MS),
            cancelled_by: null,
            cancelled_at: null,
          })
          .execute();
      }
      if (waiting && waiting !== taster && g === 0) {
        await tx
          .insertInto('waiting_list_entries')
          .values({
            id: randomUUID(),
            group_id: group.id,
            session_id: null,
            member_id: waiting,
            added_by: booker(g + 1),
            added_at: new Date(now.getTime() - 2 * DAY_MS),
            offered_by: null,
            offered_at: null,
            closed_at: null,
          })
          .execute();
      }
    }
  }
}
