import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';
import { authorize, can } from '../../policy/index.ts';
import * as episodesRepo from './episodes.repo.ts';
import * as repo from './members.repo.ts';
import type { CommunicationNeed, ContactMethod } from './members.tables.ts';

/**
 * The organisations whose members the actor may see: their own, and partners' under an agreement that
 * grants personal and contact details.
 *
 * @param ctx - the request context.
 * @returns the organisations' ids; none for anyone but staff.
 */
export function memberOrganisationsVisibleTo(ctx: Ctx): string[] {
  if (ctx.actor.kind !== 'staff') {
    return [];
  }
  const shared = ctx.actor.sharing
    .filter((grant) => grant.category === 'member_details')
    .map((grant) => grant.fromOrganisationId);
  return [...new Set([ctx.actor.organisationId, ...shared])];
}

/**
 * Looks for people already known who may be the person arriving, within what the actor may see, and
 * records in the audit trail whose details were shown.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param probe - what is known of the person arriving.
 * @param about - what the search was for, for the audit row (e.g. the referral).
 * @param about.type - the subject's type.
 * @param about.id - the subject's id.
 * @returns the possible duplicates, strongest first.
 */
export async function findPossibleDuplicates(
  tx: Db,
  ctx: Ctx,
  probe: repo.DuplicateProbe,
  about: { type: string; id: string },
): Promise<repo.PossibleDuplicate[]> {
  authorize(ctx.actor, 'member.list');
  const candidates = await repo.findPossibleDuplicates(tx, memberOrganisationsVisibleTo(ctx), probe);
  await audit(tx, ctx, {
    action: 'member.possible_duplicates_read',
    subject: about,
    details: { memberIds: candidates.map((c) => c.id) },
  });
  return candidates;
}

/**
 * Creates a member's record in the caller's transaction, held by the actor's organisation.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param member - the details, without an id or organisation.
 * @returns the new member's id.
 */
export async function createMember(
  tx: Db,
  ctx: Ctx,
  member: Omit<repo.NewMember, 'id' | 'organisationId'> & { organisationId: string },
): Promise<string> {
  authorize(ctx.actor, 'member.edit', { organisationId: member.organisationId });
  const id = randomUUID();
  await repo.insertMember(tx, { ...member, id }, ctx.clock.now());
  await audit(tx, ctx, { action: 'member.created', subject: { type: 'Member', id } });
  return id;
}

/**
 * Loads a member for another module's use case, checking the actor may see them.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member's row, or undefined when there is none the actor may see.
 */
export async function findVisibleMember(tx: Db, ctx: Ctx, memberId: string) {
  const member = await repo.findMember(tx, memberId);
  if (!member || !memberOrganisationsVisibleTo(ctx).includes(member.organisation_id)) {
    return undefined;
  }
  return member;
}

/**
 * Starts an episode of support in the caller's transaction, unless the member already has one active
 * in that service (then that one is returned: accepting twice starts nothing new). An episode that
 * carries on from a recent discharge keeps that episode's key workers as well.
 *
 * @param tx - the caller's transaction.
 * @param ctx - the request context.
 * @param episode - the member, organisation, service, start day, anticipated end, review day and key workers.
 * @returns the episode's id, and whether it was started now.
 */
export async function startEpisode(
  tx: Db,
  ctx: Ctx,
  episode: Omit<episodesRepo.NewEpisode, 'id'>,
): Promise<{ id: string; started: boolean }> {
  authorize(ctx.actor, 'episode.manage', { organisationId: episode.organisationId });
  const active = await episodesRepo.findActiveEpisode(tx, episode.memberId, episode.serviceId);
  if (active) {
    return { id: active.id, started: false };
  }
  const id = randomUUID();
  // Carrying on after a recent discharge keeps the same key workers: the person does not start over.
  const keyWorkerIds = episode.continuesEpisodeId
    ? [
        ...new Set([
          ...episode.keyWorkerIds,
          ...(await episodesRepo.findKeyWorkerIds(tx, episode.continuesEpisodeId)),
        ]),
      ]
    : episode.keyWorkerIds;
  await episodesRepo.insertEpisode(tx, { ...episode, keyWorkerIds, id }, ctx.clock.now());
  await audit(tx, ctx, {
    action: 'episode.started',
    subject: { type: 'Episode', id },
    details: {
      memberId: episode.memberId,
      serviceId: episode.serviceId,
      continuesEpisodeId: episode.continuesEpisodeId ?? null,
    },
  });
  return { id, started: true };
}

/**
 * The member's most recent discharge, for "the door stays open".
 *
 * @param tx - the caller's transaction.
 * @param memberId - the member.
 * @returns the discharged episode, or undefined.
 */
export function latestDischarge(tx: Db, memberId: string) {
  return episodesRepo.findLatestDischarge(tx, memberId);
}

// The member record for staff: finding a person, reading their record, and changing it.

export type {
  MemberConsent,
  MemberEpisode,
  MemberPerson,
  MemberRow,
  MemberSearch,
  MemberSummary,
} from './members.repo.ts';

/**
 * Who is acting, as staff: every record page is for staff, and the route's policy check has already
 * turned anyone else away.
 *
 * @param ctx - the request context.
 * @returns the acting member of staff's id.
 * @throws Forbidden for anyone who is not staff.
 */
function actingStaffId(ctx: Ctx): string {
  if (ctx.actor.kind !== 'staff') {
    throw new Forbidden('policy.forbidden', 'member records are for staff');
  }
  return ctx.actor.id;
}

/**
 * Loads a member the actor may take the action on. A member the actor may not see, an id that is not
 * a UUID and a member that does not exist all answer the same NotFound.
 *
 * @param tx - a connection or transaction.
 * @param ctx - the request context.
 * @param memberId - the member, from the URL.
 * @param action - 'member.read' or 'member.edit'.
 * @returns the member's row.
 */
async function loadMember(
  tx: Db,
  ctx: Ctx,
  memberId: string,
  action: 'member.read' | 'member.edit',
): Promise<repo.MemberRow> {
  authorize(ctx.actor, action);
  const member = isUuid(memberId) ? await repo.findMember(tx, memberId) : undefined;
  if (!member) {
    throw new NotFound('member.not_found');
  }
  authorize(ctx.actor, action, { organisationId: member.organisation_id });
  return member;
}

/**
 * The names of the fields a change gives a new value (names only, never values, for the audit trail).
 *
 * @param before - the row as it was.
 * @param change - the new values.
 * @returns the changed columns' names.
 */
function changedFields(before: Record<string, unknown>, change: Record<string, unknown>): string[] {
  return Object.keys(change).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(change[key]));
}

/**
 * Finds people by name (close or partial) and date of birth among the members the actor may see:
 * their own organisation's, and partners' under an agreement granting personal and contact details.
 * With neither, the 50 most recently updated. The read is audited with the count only.
 *
 * @param ctx - the request context.
 * @param search - the name and date of birth, either or both.
 * @returns the people found.
 */
export async function searchMembers(ctx: Ctx, search: repo.MemberSearch): Promise<repo.MemberSummary[]> {
  authorize(ctx.actor, 'member.list');
  return ctx.db.transaction().execute(async (tx) => {
    const found = await repo.searchMembers(tx, memberOrganisationsVisibleTo(ctx), search);
    await audit(tx, ctx, {
      action: 'member.list_read',
      subject: { type: 'Member' },
      details: { count: found.length },
    });
    return found;
  });
}

/** One event in a member's timeline, built from the record's own rows (not the audit trail). */
export type TimelineEvent = {
  /** A moment, or a calendar day ('YYYY-MM-DD') for episodes, which are kept by the day. */
  at: Date | string;
  text: string;
  by?: string | undefined;
};

/** What a partner sees under an agreement granting personal and contact details. */
export type SharedMember = Omit<
  repo.MemberRow,
  'emergency_contact_name' | 'emergency_contact_phone' | 'emergency_contact_relationship' | 'ethnic_category'
>;

/** A member's record as the record page shows it. */
export type MemberRecord =
  | {
      /** The holding organisation: the whole record, and it may change it. */
      whole: true;
      member: repo.MemberRow;
      people: repo.MemberPerson[];
      consents: repo.MemberConsent[];
      episodes: repo.MemberEpisode[];
      timeline: TimelineEvent[];
    }
  | { whole: false; member: SharedMember };

/**
 * The timeline of a member's record, newest first: created, people added, consent choices recorded
 * and withdrawn, episodes started and ended.
 *
 * @param member - the member's row.
 * @param people - the people around them.
 * @param consents - their consent choices.
 * @param episodes - their episodes of support.
 * @returns the events, newest first.
 */
export function memberTimeline(
  member: Pick<repo.MemberRow, 'created_at'>,
  people: readonly repo.MemberPerson[],
  consents: readonly repo.MemberConsent[],
  episodes: readonly repo.MemberEpisode[],
): TimelineEvent[] {
  const events: TimelineEvent[] = [{ at: member.created_at, text: 'Record created' }];
  for (const person of people) {
    events.push({ at: person.createdAt, text: `${person.name} added (${person.relationship})` });
  }
  for (const consent of consents) {
    const what = `${consent.about}, with ${consent.withWhom}`;
    events.push({
      at: consent.recordedAt,
      text: `${consent.given ? 'Consent given' : 'Consent refused'}: ${what}`,
      by: consent.recordedByName,
    });
    if (consent.withdrawnAt) {
      events.push({
        at: consent.withdrawnAt,
        text: `Consent withdrawn: ${what}`,
        by: consent.withdrawnByName ?? undefined,
      });
    }
  }
  for (const episode of episodes) {
    const service = episode.serviceName ?? 'no particular service';
    events.push({ at: episode.startedOn, text: `Episode of support started: ${service}` });
    if (episode.dischargedOn) {
      events.push({ at: episode.dischargedOn, text: `Discharged: ${service}` });
    }
  }
  // A calendar day sorts as its midday, as formatDate reads it.
  const time = (at: Date | string) => (typeof at === 'string' ? Date.parse(`${at}T12:00:00Z`) : at.getTime());
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => time(b.event.at) - time(a.event.at) || b.index - a.index)
    .map(({ event }) => event);
}

/**
 * Opens a member's record, and records the read in the same transaction.
 *
 * The organisation that holds the record sees all of it. A partner organisation whose agreement
 * grants "personal and contact details" (member_details) sees only what that category names: personal
 * details, contact details and preferences, and communication needs. Not the emergency contact or the
 * people around them (other people's details), consent choices, equality monitoring, or episodes of
 * support, which the agreement does not cover; and it changes nothing.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the record, whole or as shared.
 * @throws NotFound when there is no such member the actor may see.
 */
export async function viewMemberRecord(ctx: Ctx, memberId: string): Promise<MemberRecord> {
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.read');
    const whole = can(ctx.actor, 'member.edit', { organisationId: member.organisation_id });
    let record: MemberRecord;
    if (whole) {
      const people = await repo.listPeople(tx, member.id);
      const consents = await repo.listConsents(tx, member.id);
      const episodes = await repo.listEpisodesOfMember(tx, member.id);
      record = {
        whole: true,
        member,
        people,
        consents,
        episodes,
        timeline: memberTimeline(member, people, consents, episodes),
      };
    } else {
      const {
        emergency_contact_name: _name,
        emergency_contact_phone: _phone,
        emergency_contact_relationship: _relationship,
        ethnic_category: _ethnic,
        ...shared
      } = member;
      record = { whole: false, member: shared };
    }
    await audit(tx, ctx, {
      action: 'member.read',
      subject: { type: 'Member', id: member.id },
      details: { scope: whole ? 'whole' : 'member_details' },
    });
    return record;
  });
}

/**
 * Loads a member for one of the record's change pages.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member's row.
 * @throws NotFound when there is no such member the actor may change (a partner's view is read-only).
 */
export async function memberForChange(ctx: Ctx, memberId: string): Promise<repo.MemberRow> {
  return loadMember(ctx.db, ctx, memberId, 'member.edit');
}

/**
 * Applies a change to a member's row if it is still at the version the worker saw, and records the
 * names of the fields that changed. A save that changes nothing writes nothing.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param version - the version the worker saw.
 * @param change - the new values.
 * @throws NotFound when there is no such member the actor may change.
 * @throws Conflict when someone else changed the record since (nothing is changed).
 */
async function changeMember(
  ctx: Ctx,
  memberId: string,
  version: number,
  change: repo.MemberChange,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.edit');
    if (member.version !== version) {
      throw new Conflict('member.version_mismatch');
    }
    const fields = changedFields(member, change);
    if (fields.length === 0) {
      return;
    }
    if (!(await repo.updateMemberIfVersion(tx, member.id, change, version, now))) {
      throw new Conflict('member.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'member.updated',
      subject: { type: 'Member', id: member.id },
      details: { fields },
      at: now,
    });
  });
}

/** Personal details as the worker changes them. */
export type PersonalDetailsInput = {
  legalName: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  gpPractice: string | null;
  version: number;
};

/**
 * Changes a member's names, pronouns, date of birth, NHS number and GP practice.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - the details, and the version the worker saw.
 * @throws NotFound when there is no such member the actor may change.
 * @throws Conflict when someone else changed the record since.
 */
export function changePersonalDetails(
  ctx: Ctx,
  memberId: string,
  input: PersonalDetailsInput,
): Promise<void> {
  return changeMember(ctx, memberId, input.version, {
    legal_name: input.legalName,
    preferred_name: input.preferredName,
    pronouns: input.pronouns,
    date_of_birth: input.dateOfBirth,
    nhs_number: input.nhsNumber,
    gp_practice: input.gpPractice,
  });
}

/** Contact details, preferences and communication needs as the worker changes them. */
export type ContactDetailsInput = {
  contactMethods: ContactMethod[];
  phone: string | null;
  email: string | null;
  postalAddress: string | null;
  postcode: string | null;
  safeToLeaveMessage: boolean | null;
  bestTimes: string | null;
  communicationNeeds: CommunicationNeed[];
  preferredLanguage: string | null;
  communicationNeedsOther: string | null;
  version: number;
};

/**
 * Changes how to contact a member and their communication needs (Accessible Information Standard).
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - the details, and the version the worker saw.
 * @throws NotFound when there is no such member the actor may change.
 * @throws Conflict when someone else changed the record since.
 */
export function changeContactDetails(ctx: Ctx, memberId: string, input: ContactDetailsInput): Promise<void> {
  return changeMember(ctx, memberId, input.version, {
    contact_methods: input.contactMethods,
    phone: input.phone,
    email: input.email,
    postal_address: input.postalAddress,
    postcode: input.postcode,
    safe_to_leave_message: input.safeToLeaveMessage,
    best_times: input.bestTimes,
    communication_needs: input.communicationNeeds,
    preferred_language: input.preferredLanguage,
    communication_needs_other: input.communicationNeedsOther,
  });
}

/**
 * Changes (or, with every field empty, removes) a member's emergency contact.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - the contact's name, relationship and phone, and the version the worker saw.
 * @param input.emergencyContactName - their name.
 * @param input.emergencyContactRelationship - how they know the member.
 * @param input.emergencyContactPhone - their phone number.
 * @param input.version - the version the worker saw.
 * @throws NotFound when there is no such member the actor may change.
 * @throws Conflict when someone else changed the record since.
 */
export function changeEmergencyContact(
  ctx: Ctx,
  memberId: string,
  input: {
    emergencyContactName: string | null;
    emergencyContactRelationship: string | null;
    emergencyContactPhone: string | null;
    version: number;
  },
): Promise<void> {
  return changeMember(ctx, memberId, input.version, {
    emergency_contact_name: input.emergencyContactName,
    emergency_contact_relationship: input.emergencyContactRelationship,
    emergency_contact_phone: input.emergencyContactPhone,
  });
}

/**
 * Records a member's answer to equality monitoring (optional: null clears it, 'Z' is "prefer not to say").
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - the NHS ethnic category code, and the version the worker saw.
 * @param input.ethnicCategory - the code, or null.
 * @param input.version - the version the worker saw.
 * @throws NotFound when there is no such member the actor may change.
 * @throws Conflict when someone else changed the record since.
 */
export function changeEqualityMonitoring(
  ctx: Ctx,
  memberId: string,
  input: { ethnicCategory: string | null; version: number },
): Promise<void> {
  return changeMember(ctx, memberId, input.version, { ethnic_category: input.ethnicCategory });
}

/**
 * Loads one of the people around a member, to change their details.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param personId - the person.
 * @returns the member and the person.
 * @throws NotFound when there is no such member the actor may change, or no such person of theirs.
 */
export async function personForChange(
  ctx: Ctx,
  memberId: string,
  personId: string,
): Promise<{ member: repo.MemberRow; person: repo.MemberPerson }> {
  const member = await loadMember(ctx.db, ctx, memberId, 'member.edit');
  const person = isUuid(personId) ? await repo.findPerson(ctx.db, member.id, personId) : undefined;
  if (!person) {
    throw new NotFound('member.person_not_found');
  }
  return { member, person };
}

/**
 * Adds a carer or another person in a member's life to their record.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param person - their name, relationship, whether they are a carer, phone, email, and whether we may contact them.
 * @returns the new person's id.
 * @throws NotFound when there is no such member the actor may change.
 */
export async function addPerson(ctx: Ctx, memberId: string, person: repo.PersonDetails): Promise<string> {
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.edit');
    await repo.insertPerson(tx, { ...person, id, memberId: member.id }, now);
    await audit(tx, ctx, {
      action: 'member.person_added',
      subject: { type: 'Member', id: member.id },
      details: { personId: id, carer: person.isCarer },
      at: now,
    });
  });
  return id;
}

/**
 * Changes the details of one of the people around a member, if unchanged since the worker loaded them.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param personId - the person.
 * @param input - their details, and the version the worker saw.
 * @throws NotFound when there is no such member the actor may change, or no such person of theirs.
 * @throws Conflict when someone else changed the person's details since.
 */
export async function changePerson(
  ctx: Ctx,
  memberId: string,
  personId: string,
  input: repo.PersonDetails & { version: number },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.edit');
    const person = isUuid(personId) ? await repo.findPerson(tx, member.id, personId) : undefined;
    if (!person) {
      throw new NotFound('member.person_not_found');
    }
    const { version, ...details } = input;
    if (
      person.version !== version ||
      !(await repo.updatePersonIfVersion(tx, person.id, details, version, now))
    ) {
      throw new Conflict('member.person_version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'member.person_updated',
      subject: { type: 'Member', id: member.id },
      details: { personId: person.id, fields: changedFields({ ...person }, details) },
      at: now,
    });
  });
}

/**
 * Records a consent or information-sharing choice: what it is about, with whom, and whether the
 * member gave or refused it. Who recorded it and when are kept with it.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param consent - what, with whom, and whether given.
 * @param consent.about - what the choice is about.
 * @param consent.withWhom - who the information would be shared with.
 * @param consent.given - true when given, false when refused.
 * @returns the choice's id.
 * @throws NotFound when there is no such member the actor may change.
 */
export async function recordConsent(
  ctx: Ctx,
  memberId: string,
  consent: { about: string; withWhom: string; given: boolean },
): Promise<string> {
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.edit');
    await repo.insertConsent(tx, { ...consent, id, memberId: member.id }, actingStaffId(ctx), now);
    await audit(tx, ctx, {
      action: 'member.consent_recorded',
      subject: { type: 'Member', id: member.id },
      details: { consentId: id, given: consent.given },
      at: now,
    });
  });
  return id;
}

/**
 * Loads a consent choice to confirm its withdrawal.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param consentId - the choice.
 * @returns the member and the choice.
 * @throws NotFound when there is no such member the actor may change, or no such choice of theirs.
 */
export async function consentForWithdrawal(
  ctx: Ctx,
  memberId: string,
  consentId: string,
): Promise<{ member: repo.MemberRow; consent: repo.MemberConsent }> {
  const member = await loadMember(ctx.db, ctx, memberId, 'member.edit');
  const consent = isUuid(consentId) ? await repo.findConsent(ctx.db, member.id, consentId) : undefined;
  if (!consent) {
    throw new NotFound('member.consent_not_found');
  }
  return { member, consent };
}

/**
 * Records that a member withdrew a consent choice, with who recorded it and when. The choice is kept.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param consentId - the choice.
 * @throws NotFound when there is no such member the actor may change, or no such choice of theirs.
 * @throws Conflict when it had already been withdrawn (by someone else, or in another tab).
 */
export async function withdrawConsent(ctx: Ctx, memberId: string, consentId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'member.edit');
    const consent = isUuid(consentId) ? await repo.findConsent(tx, member.id, consentId) : undefined;
    if (!consent) {
      throw new NotFound('member.consent_not_found');
    }
    if (!(await repo.withdrawConsentIfStanding(tx, consent.id, actingStaffId(ctx), now))) {
      throw new Conflict('member.consent_already_withdrawn');
    }
    await audit(tx, ctx, {
      action: 'member.consent_withdrawn',
      subject: { type: 'Member', id: member.id },
      details: { consentId: consent.id },
      at: now,
    });
  });
}
