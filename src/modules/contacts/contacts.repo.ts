import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { MemberName } from '../members/index.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import type { StaffRole } from '../../policy/index.ts';
import type { ContactMode, ContactStatus, ContactType } from './contacts.tables.ts';

// Members, as this module needs them.

/** A member as this module's pages name them (the members module finds them). */
export type ContactMember = MemberName;

export { findMemberName as findMember } from '../members/index.ts';

/**
 * The member's current episode of support: the active one started most recently.
 *
 * @param db - any connection.
 * @param memberId - the member.
 * @returns the episode's id, or undefined when they have none active.
 */
export async function findCurrentEpisodeId(db: Db, memberId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('episodes')
    .select('id')
    .where('member_id', '=', memberId)
    .where('status', '=', 'active')
    .orderBy('started_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/**
 * The venues of an organisation, for "where was it".
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns each venue's id and name, by name.
 */
export async function listVenueChoices(
  db: Db,
  organisationId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('venues')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`lower(name)`)
    .execute();
}

// Contacts.

/** A contact as the pages show it. `notes` is filled only when the caller asked for it. */
export type Contact = {
  id: string;
  organisationId: string;
  memberId: string;
  episodeId: string | null;
  contactType: ContactType;
  mode: ContactMode;
  occurredAt: Date;
  durationMinutes: number | null;
  venueId: string | null;
  venueName: string | null;
  place: string | null;
  status: ContactStatus;
  notHappenedReason: string | null;
  hasNotes: boolean;
  notes: string | null;
  version: number;
  workers: { id: string; fullName: string }[];
};

function contactQuery(db: Db, withNotes: boolean) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('venues as v', 'v.id', 'c.venue_id')
    .select([
      'c.id',
      'c.organisation_id as organisationId',
      'c.member_id as memberId',
      'c.episode_id as episodeId',
      'c.contact_type as contactType',
      'c.mode',
      'c.occurred_at as occurredAt',
      'c.duration_minutes as durationMinutes',
      'c.venue_id as venueId',
      'v.name as venueName',
      'c.place',
      'c.status',
      'c.not_happened_reason as notHappenedReason',
      sql<boolean>`c.notes IS NOT NULL`.as('hasNotes'),
      // Notes leave the database only for a caller that may read them (and audits that it did).
      (withNotes ? sql<string | null>`c.notes` : sql<string | null>`NULL::text`).as('notes'),
      'c.version',
      sql<{ id: string; fullName: string }[]>`coalesce((
        SELECT json_agg(json_build_object('id', st.id, 'fullName', st.full_name) ORDER BY st.full_name)
        FROM contact_workers w JOIN staff st ON st.id = w.staff_id WHERE w.contact_id = c.id), '[]')`.as(
        'workers',
      ),
    ]);
}

const withDates = (row: Omit<Contact, 'occurredAt'> & { occurredAt: Date | string }): Contact => ({
  ...row,
  occurredAt: new Date(row.occurredAt),
});

/**
 * Lists a member's contacts, the latest first, without their notes.
 *
 * @param db - any connection.
 * @param memberId - the member.
 * @returns the contacts.
 */
export async function listContactsOfMember(db: Db, memberId: string): Promise<Contact[]> {
  const rows = await contactQuery(db, false)
    .where('c.member_id', '=', memberId)
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id')
    .execute();
  return rows.map(withDates);
}

/**
 * Finds one contact of a member.
 *
 * @param db - any connection.
 * @param memberId - the member it must belong to.
 * @param id - the contact; anything that is not an id finds nothing.
 * @param withNotes - whether to read its notes.
 * @returns the contact, or undefined.
 */
export async function findContact(
  db: Db,
  memberId: string,
  id: string,
  withNotes: boolean,
): Promise<Contact | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  const row = await contactQuery(db, withNotes)
    .where('c.id', '=', id)
    .where('c.member_id', '=', memberId)
    .executeTakeFirst();
  return row && withDates(row);
}

/**
 * The contact a form with this submission key already recorded, if any.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @param submissionKey - the key the form carried.
 * @returns the contact's id and member, or undefined.
 */
export async function findBySubmissionKey(
  db: Db,
  organisationId: string,
  submissionKey: string,
): Promise<{ id: string; memberId: string } | undefined> {
  return db
    .selectFrom('contacts')
    .select(['id', 'member_id as memberId'])
    .where('organisation_id', '=', organisationId)
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst();
}

/** A contact as a new one is written. */
export type NewContact = {
  id: string;
  organisationId: string;
  memberId: string;
  episodeId: string | null;
  contactType: ContactType;
  mode: ContactMode;
  occurredAt: Date;
  durationMinutes: number | null;
  venueId: string | null;
  place: string | null;
  status: 'planned' | 'happened';
  notes: string | null;
  submissionKey: string | null;
  recordedBy: string;
  workerIds: string[];
};

/**
 * Inserts a contact with its workers, unless a contact with the same submission key exists (a form
 * sent twice, even at the same moment).
 *
 * @param db - a transaction.
 * @param contact - the contact.
 * @param now - the time.
 * @returns true when inserted; false when the submission key was already used.
 */
export async function insertContact(db: Db, contact: NewContact, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('contacts')
    .values({
      id: contact.id,
      organisation_id: contact.organisationId,
      member_id: contact.memberId,
      episode_id: contact.episodeId,
      contact_type: contact.contactType,
      mode: contact.mode,
      occurred_at: contact.occurredAt,
      duration_minutes: contact.durationMinutes,
      venue_id: contact.venueId,
      place: contact.place,
      status: contact.status,
      not_happened_reason: null,
      notes: contact.notes,
      submission_key: contact.submissionKey,
      recorded_by: contact.recordedBy,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) {
    return false;
  }
  await db
    .insertInto('contact_workers')
    .values(contact.workerIds.map((staffId) => ({ contact_id: contact.id, staff_id: staffId })))
    .execute();
  return true;
}

/** What a change to a contact sets. */
export type ContactChange = {
  contactType: ContactType;
  mode: ContactMode;
  occurredAt: Date;
  durationMinutes: number | null;
  venueId: string | null;
  place: string | null;
  status: ContactStatus;
  notHappenedReason: string | null;
  /** Undefined leaves the notes as they are. */
  notes?: string | null;
  workerIds: string[];
};

/**
 * Changes a contact if it is still at the version the worker saw, replacing its workers.
 *
 * @param db - a transaction.
 * @param id - the contact.
 * @param change - the new values.
 * @param expectedVersion - the version the change was based on.
 * @param now - the time.
 * @returns true when changed; false when the version was stale.
 */
export async function updateContactIfVersion(
  db: Db,
  id: string,
  change: ContactChange,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('contacts')
    .set({
      contact_type: change.contactType,
      mode: change.mode,
      occurred_at: change.occurredAt,
      duration_minutes: change.durationMinutes,
      venue_id: change.venueId,
      place: change.place,
      status: change.status,
      not_happened_reason: change.notHappenedReason,
      ...(change.notes !== undefined && { notes: change.notes }),
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    return false;
  }
  await db.deleteFrom('contact_workers').where('contact_id', '=', id).execute();
  await db
    .insertInto('contact_workers')
    .values(change.workerIds.map((staffId) => ({ contact_id: id, staff_id: staffId })))
    .execute();
  return true;
}

// Next steps.

/** A next step as the pages show it. */
export type NextStep = {
  id: string;
  contactId: string;
  description: string;
  assignedTo: string;
  assigneeName: string;
  dueOn: string | null;
  doneAt: Date | null;
  doneByName: string | null;
  version: number;
};

function nextStepQuery(db: Db) {
  return db
    .selectFrom('contact_next_steps as n')
    .innerJoin('staff as a', 'a.id', 'n.assigned_to')
    .leftJoin('staff as d', 'd.id', 'n.done_by')
    .select([
      'n.id',
      'n.contact_id as contactId',
      'n.description',
      'n.assigned_to as assignedTo',
      'a.full_name as assigneeName',
      'n.due_on as dueOn',
      'n.done_at as doneAt',
      'd.full_name as doneByName',
      'n.version',
    ]);
}

/**
 * Lists a contact's next steps, open ones first, then by the day they are due.
 *
 * @param db - any connection.
 * @param contactId - the contact.
 * @returns the next steps.
 */
export async function listNextStepsOfContact(db: Db, contactId: string): Promise<NextStep[]> {
  return nextStepQuery(db)
    .where('n.contact_id', '=', contactId)
    .orderBy(sql`n.done_at IS NOT NULL`)
    .orderBy(sql`n.due_on NULLS LAST`)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}

/**
 * Finds a next step of a contact.
 *
 * @param db - any connection.
 * @param contactId - the contact it must belong to.
 * @param id - the next step; anything that is not an id finds nothing.
 * @returns the next step, or undefined.
 */
export async function findNextStep(db: Db, contactId: string, id: string): Promise<NextStep | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return nextStepQuery(db).where('n.id', '=', id).where('n.contact_id', '=', contactId).executeTakeFirst();
}

/** A next step as a new one is written. */
export type NewNextStep = {
  id: string;
  contactId: string;
  description: string;
  assignedTo: string;
  dueOn: string | null;
  createdBy: string;
};

/**
 * Inserts a next step.
 *
 * @param db - a transaction.
 * @param step - the next step.
 * @param now - the time.
 */
export async function insertNextStep(db: Db, step: NewNextStep, now: Date): Promise<void> {
  await db
    .insertInto('contact_next_steps')
    .values({
      id: step.id,
      contact_id: step.contactId,
      description: step.description,
      assigned_to: step.assignedTo,
      due_on: step.dueOn,
      done_at: null,
      done_by: null,
      created_at: now,
      created_by: step.createdBy,
    })
    .execute();
}

/**
 * Ticks a next step off, if it is still open and at the version the worker saw.
 *
 * @param db - a transaction.
 * @param id - the next step.
 * @param doneBy - who ticked it off.
 * @param expectedVersion - the version the worker saw.
 * @param now - the time.
 * @returns true when ticked off; false when it was changed or already done.
 */
export async function markNextStepDoneIfVersion(
  db: Db,
  id: string,
  doneBy: string,
  expectedVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('contact_next_steps')
    .set({ done_at: now, done_by: doneBy, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// Caseloads.

/** One person on a worker's caseload. */
export type CaseloadRow = {
  memberId: string;
  name: string;
  episodeId: string;
  startedOn: string;
  serviceName: string | null;
  nonEngagementWeeks: number | null;
  lastContactAt: Date | null;
  nextPlannedAt: Date | null;
  openNextSteps: number;
};

/**
 * The people a worker is key worker for on an active episode of support in one organisation, with
 * their last contact that happened, their next booked contact (the earliest not yet recorded, which
 * may be past), and the next steps still open on their contacts. The organisation is applied inside
 * the query.
 *
 * @param db - any connection.
 * @param scope - whose caseload.
 * @param scope.organisationId - the organisation that holds the episodes.
 * @param scope.staffId - the key worker.
 * @returns the caseload, unsorted.
 */
export async function listCaseload(
  db: Db,
  scope: { organisationId: string; staffId: string },
): Promise<CaseloadRow[]> {
  const rows = await db
    .selectFrom('episode_key_workers as k')
    .innerJoin('episodes as e', 'e.id', 'k.episode_id')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .leftJoin('services as s', 's.id', 'e.service_id')
    .select([
      'm.id as memberId',
      sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('name'),
      'e.id as episodeId',
      'e.started_on as startedOn',
      's.name as serviceName',
      's.non_engagement_weeks as nonEngagementWeeks',
      sql<Date | null>`(SELECT max(c.occurred_at) FROM contacts c
        WHERE c.member_id = m.id AND c.organisation_id = e.organisation_id AND c.status = 'happened')`.as(
        'lastContactAt',
      ),
      sql<Date | null>`(SELECT min(c.occurred_at) FROM contacts c
        WHERE c.member_id = m.id AND c.organisation_id = e.organisation_id AND c.status = 'planned')`.as(
        'nextPlannedAt',
      ),
      sql<number>`(SELECT count(*)::int FROM contact_next_steps n JOIN contacts c ON c.id = n.contact_id
        WHERE c.member_id = m.id AND c.organisation_id = e.organisation_id AND n.done_at IS NULL)`.as(
        'openNextSteps',
      ),
    ])
    .where('k.staff_id', '=', scope.staffId)
    .where('e.organisation_id', '=', scope.organisationId)
    .where('e.status', '=', 'active')
    .execute();
  return rows.map((row) => ({
    ...row,
    lastContactAt: row.lastContactAt && new Date(row.lastContactAt),
    nextPlannedAt: row.nextPlannedAt && new Date(row.nextPlannedAt),
  }));
}

/** An open next step assigned to a worker, with whose contact it came from. */
export type OpenNextStep = NextStep & { memberId: string; memberName: string };

/**
 * The next steps still open that are assigned to a worker, on contacts of one organisation, soonest
 * due first (those with no date last).
 *
 * @param db - any connection.
 * @param scope - whose next steps.
 * @param scope.organisationId - the organisation that holds the contacts.
 * @param scope.staffId - the worker.
 * @returns the next steps.
 */
export async function listOpenNextStepsOf(
  db: Db,
  scope: { organisationId: string; staffId: string },
): Promise<OpenNextStep[]> {
  return nextStepQuery(db)
    .innerJoin('contacts as c', 'c.id', 'n.contact_id')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .select(['m.id as memberId', sql<string>`coalesce(m.preferred_name, m.legal_name)`.as('memberName')])
    .where('n.assigned_to', '=', scope.staffId)
    .where('n.done_at', 'is', null)
    .where('c.organisation_id', '=', scope.organisationId)
    .orderBy(sql`n.due_on NULLS LAST`)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}

/** One worker's caseload size. */
export type CaseloadSize = { staffId: string; fullName: string; roles: StaffRole[]; people: number };

/**
 * How many people each active member of staff of an organisation is key worker for on an active
 * episode.
 *
 * @param db - any connection.
 * @param organisationId - the organisation.
 * @returns each worker's count and roles, largest count first, then by name.
 */
export async function listCaseloadSizes(db: Db, organisationId: string): Promise<CaseloadSize[]> {
  const rows = await db
    .selectFrom('staff as st')
    .select([
      'st.id as staffId',
      'st.full_name as fullName',
      'st.roles',
      sql<number>`(SELECT count(DISTINCT e.member_id)::int FROM episode_key_workers k
        JOIN episodes e ON e.id = k.episode_id
        WHERE k.staff_id = st.id AND e.status = 'active' AND e.organisation_id = st.organisation_id)`.as(
        'people',
      ),
    ])
    .where('st.organisation_id', '=', organisationId)
    .where('st.status', '=', 'active')
    .execute();
  return rows.sort((a, b) => b.people - a.people || a.fullName.localeCompare(b.fullName));
}

/**
 * Finds an active member of staff.
 *
 * @param db - any connection.
 * @param id - the member of staff; anything that is not an id finds nothing.
 * @returns their id, name and organisation, or undefined.
 */
export async function findActiveStaff(
  db: Db,
  id: string,
): Promise<{ id: string; fullName: string; organisationId: string } | undefined> {
  if (!isUuid(id)) {
    return undefined;
  }
  return db
    .selectFrom('staff')
    .select(['id', 'full_name as fullName', 'organisation_id as organisationId'])
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
}
