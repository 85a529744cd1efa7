import { sql } from 'kysely';
import type { Db } from '../../database.ts';
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
 * each session. Until that view exists (migration 0009 creates it) nobody is booked on anything, so
 * the list is empty rather than guessed.
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
  const view = await sql<{
    exists: boolean;
  }>`SELECT to_regclass('session_expected_members') IS NOT NULL AS exists`.execute(db);
  if (!view.rows[0]?.exists) {
    return [];
  }
  const rows = await sql<{
    session_id: string;
    group_name: string;
    starts_at: Date;
    ends_at: Date;
    venue_name: string | null;
    room_name: string | null;
    online_link: string | null;
  }>`SELECT s.id AS session_id, g.name AS group_name, s.starts_at, s.ends_at,
        v.name AS venue_name, r.name AS room_name, s.online_link
      FROM session_expected_members e
      JOIN group_sessions s ON s.id = e.session_id
      JOIN group_programmes g ON g.id = s.group_id
      LEFT JOIN venue_rooms r ON r.id = s.room_id
      LEFT JOIN venues v ON v.id = r.venue_id
      WHERE e.member_id = ${memberId} AND s.status = 'scheduled' AND s.ends_at > ${now}
      ORDER BY s.starts_at, s.id
      LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    sessionId: r.session_id,
    groupName: r.group_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    venueName: r.venue_name,
    roomName: r.room_name,
    online: r.online_link !== null,
  }));
}
