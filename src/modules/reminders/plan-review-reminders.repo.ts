import { sql, type RawBuilder } from 'kysely';
import type { Database, Db } from '../../database.ts';
import { emailRefused, textRefused, type ReminderRecipient } from './reminders.repo.ts';

type PlanKind = Database['plans']['kind'];
type StaffRole = Database['staff']['roles'][number];

/**
 * The SQL behind plan review reminders. It reads the plans tables straight, as the session reminders
 * read the sessions tables: the reminder round is a reader of those records, not a change to them.
 *
 * A plan is due a reminder when its current version has a review date from yesterday to a week ahead
 * (UK calendar days, worked out by the caller), and nobody has looked at it since the reminder's day.
 * "Looked at" means a version saved on or after the day a week before the review date, other than the
 * version that set that date: the member and their worker changing the plan in that week is the
 * review (or most of it), so a reminder would only be noise. A version that set the date itself (say,
 * a date three days away) is the start of the wait, not a review, so it does not count.
 */

/** A plan whose review date is near, with whose it is. */
type DuePlan = {
  planId: string;
  kind: PlanKind;
  /** 'YYYY-MM-DD'. */
  reviewOn: string;
  memberId: string;
  organisationId: string;
  shareWithTeam: boolean;
};

/** The member of a due plan, with how to reach them. */
export type DueMemberReminder = DuePlan & ReminderRecipient;

/** A key worker of a due plan's member, with what the email needs. */
export type DueStaffReminder = DuePlan & {
  staffId: string;
  staffEmail: string;
  staffRoles: StaffRole[];
  memberLegalName: string;
  memberPreferredName: string | null;
};

/** The days a round looks at: review dates from `from` to `until`, both 'YYYY-MM-DD'. */
export type ReviewWindow = { from: string; until: string };

/**
 * The dedupe keys of plan review reminders, made the same way here (to skip those already queued)
 * and in the round (to queue them): once per recipient per plan per review date.
 */
const PLAN_REVIEW_KEY_PREFIX = 'plan-review:';
export const planReviewMemberKey = (planId: string, reviewOn: string) =>
  `${PLAN_REVIEW_KEY_PREFIX}${planId}:${reviewOn}:member`;
export const planReviewStaffKey = (planId: string, reviewOn: string, staffId: string) =>
  `${PLAN_REVIEW_KEY_PREFIX}${planId}:${reviewOn}:staff:${staffId}`;

/**
 * The due plans, as a common table expression. The first step keeps only well-formed dates in the
 * window, and is MATERIALIZED so PostgreSQL applies that filter before the second step casts the
 * date (it may otherwise reorder conditions, and a cast of a malformed value would fail the round).
 */
function duePlans(window: ReviewWindow): RawBuilder<unknown> {
  return sql`
    candidate AS MATERIALIZED (
      SELECT p.id AS plan_id, p.kind, p.member_id, p.organisation_id, p.share_with_team,
             v.content->>'reviewOn' AS review_on
        FROM plans p
        JOIN plan_versions v ON v.plan_id = p.id AND v.number = p.current_version
       WHERE p.current_version > 0
         AND v.content->>'reviewOn' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
         AND v.content->>'reviewOn' BETWEEN ${window.from} AND ${window.until}
    ),
    due AS (
      SELECT c.* FROM candidate c
       WHERE NOT EXISTS (
         SELECT 1 FROM plan_versions later
          WHERE later.plan_id = c.plan_id
            AND later.number > 1 + coalesce((
                  SELECT max(o.number) FROM plan_versions o
                   WHERE o.plan_id = c.plan_id
                     AND (o.content->>'reviewOn') IS DISTINCT FROM c.review_on), 0)
            AND later.created_at >= ((c.review_on::date - 7)::timestamp AT TIME ZONE 'Europe/London'))
    )`;
}

type PlanRow = {
  plan_id: string;
  kind: PlanKind;
  review_on: string;
  member_id: string;
  organisation_id: string;
  share_with_team: boolean;
};

const toPlan = (row: PlanRow): DuePlan => ({
  planId: row.plan_id,
  kind: row.kind,
  reviewOn: row.review_on,
  memberId: row.member_id,
  organisationId: row.organisation_id,
  shareWithTeam: row.share_with_team,
});

/**
 * Members of due plans who are still being supported (an active episode in the organisation holding
 * the plan), can be reached by a channel they chose and have not refused, and have no reminder for
 * this plan and date yet.
 *
 * @param db - the database.
 * @param window - the review dates to look at.
 * @param limit - the most to return at once.
 * @returns the reminders to queue, soonest review first.
 */
export async function listDueMemberReminders(
  db: Db,
  window: ReviewWindow,
  limit: number,
): Promise<DueMemberReminder[]> {
  const result = await sql<
    PlanRow & {
      phone: string | null;
      email: string | null;
      contact_methods: ReminderRecipient['contactMethods'];
      safe_to_leave_message: boolean | null;
      text_refused: boolean;
      email_refused: boolean;
    }
  >`
    WITH ${duePlans(window)},
    reachable AS (
      SELECT d.*, m.phone, m.email, m.contact_methods, m.safe_to_leave_message,
             ${textRefused(sql.ref<string>('m.id'))} AS text_refused,
             ${emailRefused(sql.ref<string>('m.id'))} AS email_refused
        FROM due d
        JOIN members m ON m.id = d.member_id
       WHERE EXISTS (SELECT 1 FROM episodes e
                      WHERE e.member_id = d.member_id AND e.organisation_id = d.organisation_id
                        AND e.status = 'active')
         AND NOT EXISTS (SELECT 1 FROM outbox_messages o
                          WHERE o.dedupe_key = ${PLAN_REVIEW_KEY_PREFIX} || d.plan_id || ':' || d.review_on || ':member')
    )
    SELECT * FROM reachable r
     WHERE ('text' = ANY (r.contact_methods) AND r.phone IS NOT NULL AND NOT r.text_refused)
        OR ('email' = ANY (r.contact_methods) AND r.email IS NOT NULL AND NOT r.email_refused)
     ORDER BY r.review_on, r.plan_id
     LIMIT ${limit}`.execute(db);
  return result.rows.map((row) => ({
    ...toPlan(row),
    phone: row.phone,
    email: row.email,
    contactMethods: row.contact_methods,
    safeToLeaveMessage: row.safe_to_leave_message,
    textRefused: row.text_refused,
    emailRefused: row.email_refused,
  }));
}

/**
 * Key workers of due plans: active staff of the holding organisation on the member's active episodes,
 * for plans the member shares with their team, who have no email about this plan and date yet.
 * Whether each may see the plan is still the policy's decision (the round asks it); sharing is
 * filtered here too only to keep the list short.
 *
 * @param db - the database.
 * @param window - the review dates to look at.
 * @param limit - the most to return at once.
 * @returns the emails to queue, soonest review first.
 */
export async function listDueStaffReminders(
  db: Db,
  window: ReviewWindow,
  limit: number,
): Promise<DueStaffReminder[]> {
  const result = await sql<
    PlanRow & {
      staff_id: string;
      staff_email: string;
      staff_roles: StaffRole[];
      legal_name: string;
      preferred_name: string | null;
    }
  >`
    WITH ${duePlans(window)}
    SELECT DISTINCT d.*, s.id AS staff_id, s.email AS staff_email, s.roles AS staff_roles,
           m.legal_name, m.preferred_name
      FROM due d
      JOIN members m ON m.id = d.member_id
      JOIN episodes e ON e.member_id = d.member_id AND e.organisation_id = d.organisation_id
                     AND e.status = 'active'
      JOIN episode_key_workers k ON k.episode_id = e.id
      JOIN staff s ON s.id = k.staff_id AND s.organisation_id = d.organisation_id AND s.status = 'active'
     WHERE d.share_with_team
       AND NOT EXISTS (SELECT 1 FROM outbox_messages o
                        WHERE o.dedupe_key = ${PLAN_REVIEW_KEY_PREFIX} || d.plan_id || ':' || d.review_on
                                             || ':staff:' || s.id)
     ORDER BY d.review_on, d.plan_id, s.id
     LIMIT ${limit}`.execute(db);
  return result.rows.map((row) => ({
    ...toPlan(row),
    staffId: row.staff_id,
    staffEmail: row.staff_email,
    staffRoles: row.staff_roles,
    memberLegalName: row.legal_name,
    memberPreferredName: row.preferred_name,
  }));
}
