import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { AnyDb } from '../../platform/db/database.ts';
import { mayFacilitate } from '../organisations/index.ts';

/** Whose calendar a feed is: one member of staff's, or one group's. */
export type FeedOwner = { staffId: string } | { groupId: string };

/** A live feed, found by its token's hash. */
export type LiveFeed = { id: string; organisationId: string; staffId: string | null; groupId: string | null };

const ownedBy = (owner: FeedOwner) =>
  'staffId' in owner ? (['staff_id', owner.staffId] as const) : (['group_id', owner.groupId] as const);

/**
 * The live feed with this token hash, if its owner can still have one (a member of staff still active).
 *
 * @param db - the database.
 * @param tokenHash - SHA-256 of the token, in hex.
 * @returns the feed, or undefined.
 */
export async function findLiveFeed(db: Db, tokenHash: string): Promise<LiveFeed | undefined> {
  const row = await db
    .selectFrom('calendar_feeds as f')
    .leftJoin('staff as s', 's.id', 'f.staff_id')
    .select(['f.id', 'f.organisation_id', 'f.staff_id', 'f.group_id', 's.status as staff_status'])
    .where('f.token_hash', '=', tokenHash)
    .where('f.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || (row.staff_id !== null && row.staff_status !== 'active')) {
    return undefined;
  }
  return { id: row.id, organisationId: row.organisation_id, staffId: row.staff_id, groupId: row.group_id };
}

/**
 * When the owner's live feed was made, if they have one.
 *
 * @param db - the database.
 * @param owner - whose feed.
 * @returns its id and creation time, or undefined.
 */
export async function liveFeedOf(
  db: AnyDb,
  owner: FeedOwner,
): Promise<{ id: string; createdAt: Date } | undefined> {
  const [column, id] = ownedBy(owner);
  const row = await (db as Db)
    .selectFrom('calendar_feeds')
    .select(['id', 'created_at'])
    .where(column, '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, createdAt: row.created_at };
}

/**
 * Makes anyone else changing the same owner's feed wait until this transaction ends, so two
 * "replace" requests at once run one after the other (the second replacing the first) instead of
 * both inserting a live feed.
 *
 * @param tx - the transaction.
 * @param owner - whose feed.
 */
export async function lockFeedsOf(tx: AnyDb, owner: FeedOwner): Promise<void> {
  const [, id] = ownedBy(owner);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`calendar_feed:${id}`}, 0))`.execute(tx);
}

/**
 * Stops the owner's live feed, if any.
 *
 * @param tx - the transaction.
 * @param owner - whose feed.
 * @param by - the member of staff stopping it.
 * @param at - when.
 * @returns the stopped feed's id, or undefined when there was none.
 */
export async function revokeLiveFeed(
  tx: AnyDb,
  owner: FeedOwner,
  by: string,
  at: Date,
): Promise<string | undefined> {
  const [column, id] = ownedBy(owner);
  const row = await (tx as Db)
    .updateTable('calendar_feeds')
    .set({ revoked_at: at, revoked_by: by })
    .where(column, '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Adds a live feed. The owner's earlier feed must be stopped first in the same transaction; a
 * unique index refuses a second live one (two tabs creating at once: one wins).
 *
 * @param tx - the transaction.
 * @param feed - the new feed.
 * @param feed.id - its id.
 * @param feed.organisationId - the owner's organisation.
 * @param feed.owner - whose feed.
 * @param feed.tokenHash - SHA-256 of its token.
 * @param feed.by - who made it.
 * @param feed.at - when.
 */
export async function insertFeed(
  tx: AnyDb,
  feed: { id: string; organisationId: string; owner: FeedOwner; tokenHash: string; by: string; at: Date },
): Promise<void> {
  await (tx as Db)
    .insertInto('calendar_feeds')
    .values({
      id: feed.id,
      organisation_id: feed.organisationId,
      staff_id: 'staffId' in feed.owner ? feed.owner.staffId : null,
      group_id: 'groupId' in feed.owner ? feed.owner.groupId : null,
      token_hash: feed.tokenHash,
      created_at: feed.at,
      created_by: feed.by,
      revoked_at: null,
      revoked_by: null,
    })
    .execute();
}

/** A group session as a feed shows it. */
export type FeedSession = {
  id: string;
  groupId: string;
  groupName: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  venueName: string | null;
  venueAddress: string | null;
  venuePostcode: string | null;
  roomName: string | null;
  onlineLink: string | null;
  version: number;
  updatedAt: Date;
};

function sessionsQuery(db: Db, from: Date, until: Date) {
  return db
    .selectFrom('group_sessions as s')
    .innerJoin('group_programmes as g', 'g.id', 's.group_id')
    .leftJoin('venue_rooms as r', 'r.id', 's.room_id')
    .leftJoin('venues as v', 'v.id', 'r.venue_id')
    .select([
      's.id',
      's.group_id',
      'g.name as group_name',
      's.starts_at',
      's.ends_at',
      's.status',
      'v.name as venue_name',
      'v.address as venue_address',
      'v.postcode as venue_postcode',
      'r.name as room_name',
      's.online_link',
      's.version',
      's.updated_at',
    ])
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', until)
    .orderBy('s.starts_at')
    .limit(2_000);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionsQuery>['execute']>>[number];

const toSession = (row: SessionRow): FeedSession => ({
  id: row.id,
  groupId: row.group_id,
  groupName: row.group_name,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  status: row.status,
  venueName: row.venue_name,
  venueAddress: row.venue_address,
  venuePostcode: row.venue_postcode,
  roomName: row.room_name,
  onlineLink: row.online_link,
  version: row.version,
  updatedAt: row.updated_at,
});

/**
 * The sessions a member of staff facilitates in a period: their own organisation's, and a partner's
 * while an agreement in force today lets their organisation facilitate the group (partnerMayFacilitate
 * in the organisations module), as their month view shows them.
 *
 * @param db - the database.
 * @param staffId - the member of staff.
 * @param from - the period's start.
 * @param until - its end.
 * @param today - the day, 'YYYY-MM-DD' in UK time.
 * @returns the sessions, earliest first.
 */
export async function sessionsFacilitatedBy(
  db: Db,
  staffId: string,
  from: Date,
  until: Date,
  today: string,
): Promise<FeedSession[]> {
  const rows = await sessionsQuery(db, from, until)
    .innerJoin('group_session_facilitators as f', 'f.session_id', 's.id')
    .innerJoin('staff as st', 'st.id', 'f.staff_id')
    .where('f.staff_id', '=', staffId)
    .where(
      mayFacilitate({
        staffOrganisation: sql.ref('st.organisation_id'),
        group: sql.ref('g.organisation_id'),
        service: sql.ref('g.service_id'),
        day: sql`${today}`,
      }),
    )
    .execute();
  return rows.map(toSession);
}

/**
 * A group's sessions in a period.
 *
 * @param db - the database.
 * @param groupId - the group.
 * @param from - the period's start.
 * @param until - its end.
 * @returns the sessions, earliest first.
 */
export async function sessionsOfGroup(
  db: Db,
  groupId: string,
  from: Date,
  until: Date,
): Promise<FeedSession[]> {
  return (await sessionsQuery(db, from, until).where('s.group_id', '=', groupId).execute()).map(toSession);
}

/** A one-to-one contact as a staff feed shows it: the member by initials only. */
export type FeedContact = {
  id: string;
  memberId: string;
  occurredAt: Date;
  durationMinutes: number | null;
  mode: string;
  status: string;
  venueName: string | null;
  memberName: string;
  version: number;
  updatedAt: Date;
};

/**
 * The one-to-one contacts a member of staff works on in a period.
 *
 * @param db - the database.
 * @param staffId - the member of staff.
 * @param from - the period's start.
 * @param until - its end.
 * @returns the contacts, earliest first, with the member's preferred (or legal) name for initials.
 */
export async function contactsWorkedBy(
  db: Db,
  staffId: string,
  from: Date,
  until: Date,
): Promise<FeedContact[]> {
  const rows = await db
    .selectFrom('contacts as c')
    .innerJoin('contact_workers as w', 'w.contact_id', 'c.id')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .leftJoin('venues as v', 'v.id', 'c.venue_id')
    .select([
      'c.id',
      'c.member_id',
      'c.occurred_at',
      'c.duration_minutes',
      'c.mode',
      'c.status',
      'v.name as venue_name',
      'm.preferred_name',
      'm.legal_name',
      'c.version',
      'c.updated_at',
    ])
    .where('w.staff_id', '=', staffId)
    .where('c.occurred_at', '>=', from)
    .where('c.occurred_at', '<', until)
    .orderBy('c.occurred_at')
    .limit(2_000)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    memberId: row.member_id,
    occurredAt: row.occurred_at,
    durationMinutes: row.duration_minutes,
    mode: row.mode,
    status: row.status,
    venueName: row.venue_name,
    memberName: row.preferred_name ?? row.legal_name,
    version: row.version,
    updatedAt: row.updated_at,
  }));
}

/**
 * A group's organisation and name, for its feed.
 *
 * @param db - the database.
 * @param groupId - the group.
 * @returns the group, or undefined.
 */
export async function findGroup(
  db: AnyDb,
  groupId: string,
): Promise<{ id: string; organisationId: string; name: string } | undefined> {
  const row = await (db as Db)
    .selectFrom('group_programmes')
    .select(['id', 'organisation_id', 'name'])
    .where('id', '=', groupId)
    .executeTakeFirst();
  return row && { id: row.id, organisationId: row.organisation_id, name: row.name };
}
