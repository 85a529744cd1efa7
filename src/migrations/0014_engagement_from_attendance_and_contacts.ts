import { sql, type Kysely } from 'kysely';

/**
 * The non-engagement worklist (members/engagement.repo.ts) reads one view, episode_engagement. Until
 * now only a follow-up call that reached the person counted as being in touch; from here on, so do a
 * group session they came to (attended, late or left early: they were there) and a one-to-one
 * contact that happened since this episode began. A planned contact, a booking, or a session they missed
 * is not contact.
 *
 * A contact counts for every active episode the person has with the organisation that recorded it,
 * whichever episode it was filed under (or none): someone supported by two of its services who talks
 * to their worker is in touch, as the caseload page also sees it.
 *
 * Attendance at any organisation's group counts: in a partnership run as one team a member may go to
 * a group the NHS partner runs, and the view says only when, never where.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE OR REPLACE VIEW episode_engagement AS
    SELECT e.id AS episode_id, e.member_id, e.organisation_id, e.service_id, e.started_on,
      greatest(e.started_on::timestamptz,
        (SELECT max(f.at) FROM engagement_follow_ups f WHERE f.episode_id = e.id AND f.outcome = 'spoke'),
        (SELECT max(c.occurred_at) FROM contacts c
          WHERE c.member_id = e.member_id AND c.organisation_id = e.organisation_id AND c.status = 'happened'
            AND c.occurred_at >= e.started_on::timestamptz),
        (SELECT max(s.starts_at) FROM session_attendance a JOIN group_sessions s ON s.id = a.session_id
          WHERE a.member_id = e.member_id AND a.status IN ('attended', 'late', 'left_early')
            AND s.starts_at >= e.started_on::timestamptz)
      ) AS last_engaged_at
    FROM episodes e
    WHERE e.status = 'active'`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
