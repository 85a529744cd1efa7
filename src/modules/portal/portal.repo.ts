import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import { updateIfVersion } from '../../platform/db/update-if-version.ts';
import type { CommunicationNeed, ContactMethod } from '../members/index.ts';
import type { SignInChannel } from './portal.tables.ts';

// Sign-in attempts.

export type NewSignInAttempt = {
  id: string;
  attemptTokenHash: string;
  memberId: string | null;
  channel: SignInChannel;
  codeHash: string;
  linkTokenHash: string;
  expiresAt: Date;
};

/**
 * Writes a sign-in attempt.
 *
 * @param db - a transaction.
 * @param attempt - the attempt, with its code and link already hashed.
 * @param now - the time.
 */
export async function insertSignInAttempt(db: Db, attempt: NewSignInAttempt, now: Date): Promise<void> {
  await db
    .insertInto('member_sign_in_attempts')
    .values({
      id: attempt.id,
      attempt_token_hash: attempt.attemptTokenHash,
      member_id: attempt.memberId,
      channel: attempt.channel,
      code_hash: attempt.codeHash,
      link_token_hash: attempt.linkTokenHash,
      created_at: now,
      expires_at: attempt.expiresAt,
      used_at: null,
      locked_at: null,
    })
    .execute();
}

/**
 * Finds a sign-in attempt still open for a code, locking its row so two guesses at once are counted one
 * after the other.
 *
 * @param db - a transaction.
 * @param attemptTokenHash - the hash of the token in the browser's cookie.
 * @param now - the time.
 * @returns the attempt, or undefined when it is unknown, used, locked or expired.
 */
export async function findOpenAttemptForUpdate(db: Db, attemptTokenHash: string, now: Date) {
  return db
    .selectFrom('member_sign_in_attempts')
    .select(['id', 'member_id', 'code_hash', 'wrong_codes'])
    .where('attempt_token_hash', '=', attemptTokenHash)
    .where('used_at', 'is', null)
    .where('locked_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Whether a sign-in link is still usable (for the page that asks the member to press "Sign in").
 *
 * @param db - any connection.
 * @param linkTokenHash - the hash of the link's token.
 * @param now - the time.
 * @returns true when the link works.
 */
export async function linkUsable(db: Db, linkTokenHash: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('member_sign_in_attempts')
    .select('id')
    .where('link_token_hash', '=', linkTokenHash)
    .where('member_id', 'is not', null)
    .where('used_at', 'is', null)
    .where('locked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Uses a sign-in link: marks its attempt used, once, if it still works.
 *
 * @param db - a transaction.
 * @param linkTokenHash - the hash of the link's token.
 * @param now - the time.
 * @returns the attempt's id and member, or undefined when the link does not work.
 */
export async function useLink(db: Db, linkTokenHash: string, now: Date) {
  return db
    .updateTable('member_sign_in_attempts')
    .set({ used_at: now })
    .where('link_token_hash', '=', linkTokenHash)
    .where('member_id', 'is not', null)
    .where('used_at', 'is', null)
    .where('locked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'member_id'])
    .executeTakeFirst();
}

/**
 * Marks an attempt used (the right code was given).
 *
 * @param db - a transaction.
 * @param id - the attempt.
 * @param now - the time.
 */
export async function markAttemptUsed(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('member_sign_in_attempts').set({ used_at: now }).where('id', '=', id).execute();
}

/**
 * Counts a wrong code against an attempt, locking it when it reaches the limit.
 *
 * @param db - a transaction.
 * @param id - the attempt.
 * @param lock - whether this wrong code is the last one allowed.
 * @param now - the time.
 */
export async function countWrongCode(db: Db, id: string, lock: boolean, now: Date): Promise<void> {
  await db
    .updateTable('member_sign_in_attempts')
    .set({ wrong_codes: sql`wrong_codes + 1`, locked_at: lock ? now : null })
    .where('id', '=', id)
    .execute();
}

/**
 * Ends every other open attempt of a member once they have signed in, so an older code cannot be used.
 *
 * @param db - a transaction.
 * @param memberId - the member.
 * @param now - the time.
 */
export async function closeOpenAttempts(db: Db, memberId: string, now: Date): Promise<void> {
  await db
    .updateTable('member_sign_in_attempts')
    .set({ used_at: now })
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .execute();
}

// Finding the member who asked.

/**
 * The member records reached by an email address or a phone number, newest record first. Phone
 * numbers are compared by their digits, as the duplicate check does (index members_phone_digits).
 *
 * @param db - any connection.
 * @param contact - an email address (lower case) or a phone number's digits.
 * @returns each record's id, organisation and email address on record.
 */
export async function findMembersByContact(
  db: Db,
  contact: { email: string } | { phoneDigits: string },
): Promise<{ id: string; organisationId: string; email: string | null; phone: string | null }[]> {
  let query = db.selectFrom('members').select(['id', 'organisation_id', 'email', 'phone']);
  query =
    'email' in contact
      ? query.where(sql<string>`lower(email)`, '=', contact.email)
      : query.where(sql<string>`regexp_replace(phone, '[^0-9]', '', 'g')`, '=', contact.phoneDigits);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(5).execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, email: r.email, phone: r.phone }));
}

// Sessions.

/**
 * Starts a member session.
 *
 * @param db - a transaction.
 * @param idHash - the hash of the session cookie's token.
 * @param memberId - the member.
 * @param now - the time.
 */
export async function insertMemberSession(
  db: Db,
  idHash: string,
  memberId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('member_sessions')
    .values({ id_hash: idHash, member_id: memberId, created_at: now, last_seen_at: now })
    .execute();
}

/**
 * Finds a member session with the member it belongs to.
 *
 * @param db - any connection.
 * @param idHash - the hash of the cookie's token.
 * @returns the session with the member's organisation and the names to greet them by, or undefined.
 */
export async function findMemberSession(db: Db, idHash: string) {
  const row = await db
    .selectFrom('member_sessions')
    .innerJoin('members', 'members.id', 'member_sessions.member_id')
    .select([
      'member_sessions.member_id',
      'member_sessions.created_at',
      'member_sessions.last_seen_at',
      'members.organisation_id',
      'members.legal_name',
      'members.preferred_name',
    ])
    .where('member_sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  return (
    row && {
      memberId: row.member_id,
      organisationId: row.organisation_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      name: row.preferred_name ?? row.legal_name,
    }
  );
}

export async function touchMemberSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db.updateTable('member_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteMemberSession(db: Db, idHash: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('member_sessions')
    .where('id_hash', '=', idHash)
    .returning('member_id')
    .executeTakeFirst();
  return row?.member_id;
}

// The member's own record.

/**
 * The parts of a member's record the portal shows them.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the row's portal columns, or undefined.
 */
export async function findOwnRecord(db: Db, memberId: string) {
  return db
    .selectFrom('members')
    .select([
      'id',
      'organisation_id',
      'legal_name',
      'preferred_name',
      'pronouns',
      'email',
      'phone',
      'postal_address',
      'contact_methods',
      'safe_to_leave_message',
      'communication_needs',
      'preferred_language',
      'communication_needs_other',
      'version',
    ])
    .where('id', '=', memberId)
    .executeTakeFirst();
}

export type OwnRecord = NonNullable<Awaited<ReturnType<typeof findOwnRecord>>>;

/** A group session the member is expected at. */
export type UpcomingSession = {
  sessionId: string;
  groupName: string;
  startsAt: Date;
  endsAt: Date;
  venueName: string | null;
  roomName: string | null;
  online: boolean;
};

/**
 * The member's upcoming group sessions, soonest first, from the bookings' view of who is expected at
 * each scheduled session (a booking of one session, or a regular place in the group).
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param now - the time: sessions that have not ended yet are upcoming.
 * @param limit - the most to list.
 * @returns the sessions.
 */
export async function listUpcomingSessions(
  db: Db,
  memberId: string,
  now: Date,
  limit = 20,
): Promise<UpcomingSession[]> {
  const rows = await db
    .selectFrom('session_expected_members as e')
    .innerJoin('group_sessions as s', 's.id', 'e.session_id')
    .innerJoin('group_programmes as g', 'g.id', 's.group_id')
    .leftJoin('venue_rooms as r', 'r.id', 's.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      's.id as session_id',
      'g.name as group_name',
      's.starts_at',
      's.ends_at',
      'v.name as venue_name',
      'r.name as room_name',
      's.online_link',
    ])
    .where('e.member_id', '=', memberId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    sessionId: r.session_id,
    groupName: r.group_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    venueName: r.venue_name,
    roomName: r.room_name,
    online: r.online_link !== null,
  }));
}

/** The columns of their record a member may change themselves. */
export type OwnDetailsChange = {
  preferred_name: string | null;
  pronouns: string | null;
  contact_methods: ContactMethod[];
  safe_to_leave_message: boolean | null;
  communication_needs: CommunicationNeed[];
  preferred_language: string | null;
  communication_needs_other: string | null;
};

/**
 * Changes the details a member owns if their record is still at the version they saw.
 *
 * @param db - a transaction.
 * @param memberId - the member.
 * @param change - the new values.
 * @param expectedVersion - the version the member's form was based on.
 * @param now - the time.
 * @returns true when it changed; false when the version was stale (nothing changes).
 */
export async function updateOwnDetailsIfVersion(
  db: Db,
  memberId: string,
  change: OwnDetailsChange,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  return updateIfVersion(db, 'members', memberId, change, expectedVersion, now);
}

/** One time someone at the service looked at the member's record, as the member is shown it. */
export type RecordLook = {
  at: Date;
  action: string;
  role: string | null;
  organisationName: string | null;
};

/**
 * The times staff read the member's record or something about them, newest first, from the audit
 * trail: rows whose subject is the member, rows about one of their records (a plan, an episode, a
 * contact) that name them in `details.memberId`, and lists that showed them among others (a register,
 * a caseload, the duplicate check) naming them in `details.memberIds`, as the other modules write them. Only reads count
 * (actions ending "read"); only staff (never the member themselves, a partner system or anonymous).
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param limit - the most to list.
 * @returns each look's time, what was read, the reader's roles and organisation; never who by name.
 */
export async function listLooksAtRecord(db: Db, memberId: string, limit = 100): Promise<RecordLook[]> {
  const rows = await sql<{
    occurred_at: Date;
    action: string;
    actor_role: string | null;
    organisation_name: string | null;
  }>`SELECT a.occurred_at, a.action, a.actor_role, o.name AS organisation_name
      FROM (
        SELECT * FROM audit_events WHERE subject_type = 'Member' AND subject_id = ${memberId}
        UNION
        SELECT * FROM audit_events WHERE (details ->> 'memberId') = ${memberId}
        UNION
        SELECT * FROM audit_events WHERE (details -> 'memberIds') ? ${memberId}
      ) a
      LEFT JOIN organisations o ON o.id = a.actor_organisation_id
      WHERE a.actor_type = 'staff' AND a.action ~ '[._]read$'
      ORDER BY a.seq DESC
      LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    at: r.occurred_at,
    action: r.action,
    role: r.actor_role,
    organisationName: r.organisation_name,
  }));
}

/** A notice to the member, e.g. that someone opened their crisis plan in an emergency. */
export type MemberNotice = { id: string; kind: string; text: string; at: Date };

/**
 * The notices the plans module wrote for the member (break-glass openings of their crisis view).
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @returns the notices, newest first.
 */
export async function listNotices(db: Db, memberId: string): Promise<MemberNotice[]> {
  const rows = await db
    .selectFrom('member_notices')
    .select(['id', 'kind', 'text', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, text: r.text, at: r.created_at }));
}

/**
 * The member's plans of the given kinds (the plans module's table), for the offline copies.
 *
 * @param db - a connection or transaction.
 * @param memberId - the member.
 * @param kinds - the kinds of plan.
 * @returns the plans' ids.
 */
export async function listPlanIdsOfKinds(
  db: Db,
  memberId: string,
  kinds: readonly OfflinePlanKind[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('plans')
    .select('id')
    .where('member_id', '=', memberId)
    .where('kind', 'in', [...kinds])
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The kinds of plan a member can read offline (the plans module's names for them). */
export type OfflinePlanKind = 'safety' | 'resource_and_support';
