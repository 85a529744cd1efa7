import { sql } from 'kysely';
import type { Db } from '../src/database.ts';
import { buildOrganisation } from '../src/testing/builders/organisations.ts';

/**
 * The groups' measurements for npm run bench: the register page and the month view with a region's
 * worth of attendance history in the database (2,000,000 rows), so a query that scans attendance or
 * sessions instead of using an index shows up as a ratio, not as a feeling.
 *
 * The shape: the measured organisation runs 20 weekly groups, and 180 more groups of another
 * organisation in the same database make up the region. Every group has met weekly for 200 weeks (to
 * this week) with 50 people each time: 200 groups x 200 sessions x 50 = 2,000,000 attendance rows.
 * Every session of the measured organisation has a clinical and a lived experience facilitator, as a
 * SUN group needs.
 */
export const GROUPS = 200;
export const OWN_GROUPS = 20;
export const WEEKS = 200;
export const PER_SESSION = 50;

export type SeededGroups = {
  /** A session of the measured organisation last week, with its 50 people on the register. */
  registerPath: string;
  /** The month view of this month. */
  monthPath: string;
  /** How many sessions of the measured organisation fall in this month (the month view's rows). */
  sessionsThisMonth: number;
  attendanceRows: number;
  seedMs: number;
};

/**
 * Seeds the groups, sessions, facilitators and attendance by SQL, deterministically.
 *
 * @param db - the database (the bench's application connection).
 * @param scope - the measured organisation, its facilitators and the people who attend.
 * @param scope.organisationId - the measured organisation.
 * @param scope.clinicalId - a clinical facilitator of that organisation.
 * @param scope.livedExperienceId - a lived experience facilitator of that organisation.
 * @returns where to point the load generator, and what the seeding made.
 */
export async function seedGroupsAndAttendance(
  db: Db,
  scope: { organisationId: string; clinicalId: string; livedExperienceId: string },
): Promise<SeededGroups> {
  const started = performance.now();
  const region = await buildOrganisation(db, { name: 'Bench Regional Partner' });
  const venueId = crypto.randomUUID();
  await sql`INSERT INTO venues (id, organisation_id, name, address, postcode, created_at, updated_at)
    VALUES (${venueId}, ${scope.organisationId}, 'Bench Community Centre', '1 Bench Street, Eastwold',
      'EW1 1AA', now(), now())`.execute(db);
  // One room per group, so no two sessions share a room at once.
  await sql`INSERT INTO venue_rooms (id, venue_id, name, capacity, created_at)
    SELECT gen_random_uuid(), ${venueId}::uuid, 'Room ' || g, 60, now() FROM generate_series(1, ${GROUPS}::int) g`.execute(
    db,
  );
  await sql`INSERT INTO group_programmes (id, organisation_id, name, group_type, capacity, mode,
      default_room_id, created_at, updated_at)
    SELECT gen_random_uuid(), CASE WHEN g <= ${OWN_GROUPS} THEN ${scope.organisationId}::uuid ELSE ${region.id}::uuid END,
      'Bench group ' || g, 'sun_group', 60, 'in_person',
      (SELECT r.id FROM venue_rooms r WHERE r.venue_id = ${venueId}::uuid AND r.name = 'Room ' || g), now(), now()
    FROM generate_series(1, ${GROUPS}::int) g`.execute(db);
  // Weekly, Monday to Friday by group, 10:00 or 14:00 UK time, the last of them this week.
  await sql`INSERT INTO group_sessions (id, group_id, starts_at, ends_at, room_id, status, created_at, updated_at)
    SELECT gen_random_uuid(), p.id, t.starts_at, t.starts_at + interval '2 hours', p.default_room_id,
      'scheduled', now(), now()
    FROM group_programmes p
    CROSS JOIN LATERAL (SELECT substring(p.name FROM '[0-9]+$')::int AS g) n
    CROSS JOIN generate_series(0, ${WEEKS - 1}::int) w
    CROSS JOIN LATERAL (SELECT ((date_trunc('week', now() AT TIME ZONE 'Europe/London') - w * interval '1 week'
        + (n.g % 5) * interval '1 day' + CASE WHEN n.g % 2 = 0 THEN interval '10 hours' ELSE interval '14 hours' END)
        AT TIME ZONE 'Europe/London') AS starts_at) t
    WHERE p.name LIKE 'Bench group %'`.execute(db);
  await sql`INSERT INTO group_session_facilitators (session_id, staff_id, session_role)
    SELECT s.id, f.staff_id, f.session_role
    FROM group_sessions s JOIN group_programmes p ON p.id = s.group_id
    CROSS JOIN (VALUES (${scope.clinicalId}::uuid, 'clinical'), (${scope.livedExperienceId}::uuid, 'lived_experience'))
      AS f (staff_id, session_role)
    WHERE p.organisation_id = ${scope.organisationId}::uuid`.execute(db);
  // 50 different people at each session, drawn in turn from everyone in the measured organisation.
  // One bulk load of 2,000,000 rows takes longer than the service's statement timeout allows a page.
  const { total } = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .where('organisation_id', '=', scope.organisationId)
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    // The number of people is a constant here, so the join below is a plain equality (a hash join).
    await sql`WITH people AS (
      SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
      FROM members WHERE organisation_id = ${scope.organisationId}::uuid
    ), numbered AS (
      SELECT s.id, row_number() OVER (ORDER BY s.id) - 1 AS n
      FROM group_sessions s JOIN group_programmes p ON p.id = s.group_id WHERE p.name LIKE 'Bench group %'
    )
    INSERT INTO session_attendance (session_id, member_id, status, walk_in, recorded_by, recorded_at)
    SELECT numbered.id, people.id,
      (ARRAY['attended', 'attended', 'attended', 'late', 'left_early', 'did_not_attend', 'cancelled_by_member'])[1 + (numbered.n + k) % 7],
      k = 49, ${scope.clinicalId}::uuid, now()
    FROM numbered CROSS JOIN generate_series(0, ${PER_SESSION - 1}::int) k
    JOIN people ON people.i = (numbered.n * ${PER_SESSION} + k) % ${Number(total)}::bigint`.execute(tx);
  });

  const counts = await sql<{ attendance: string; this_month: string; session_id: string; group_id: string }>`
    SELECT (SELECT count(*) FROM session_attendance) AS attendance,
      (SELECT count(*) FROM group_sessions s JOIN group_programmes p ON p.id = s.group_id
        WHERE p.organisation_id = ${scope.organisationId}::uuid
          AND date_trunc('month', s.starts_at AT TIME ZONE 'Europe/London')
            = date_trunc('month', now() AT TIME ZONE 'Europe/London')) AS this_month,
      s.id AS session_id, s.group_id
    FROM group_sessions s JOIN group_programmes p ON p.id = s.group_id
    WHERE p.organisation_id = ${scope.organisationId}::uuid AND s.starts_at < now() - interval '1 day'
    ORDER BY s.starts_at DESC LIMIT 1`.execute(db);
  const row = counts.rows[0];
  if (!row) {
    throw new Error('no sessions were seeded');
  }
  const month = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
  })
    .format(new Date())
    .slice(0, 7);
  return {
    registerPath: `/groups/${row.group_id}/sessions/${row.session_id}/register`,
    monthPath: `/groups/calendar?month=${month}`,
    sessionsThisMonth: Number(row.this_month),
    attendanceRows: Number(row.attendance),
    seedMs: performance.now() - started,
  };
}
