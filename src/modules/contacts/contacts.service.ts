import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize, can, isStaff, type StaffActor } from '../../policy/index.ts';
import { listActiveStaffOf } from '../accounts/index.ts';
import { contactDue, contactIntervalDays, type ContactDue } from './contact-due.ts';
import type {
  ChangeHappenedContactInput,
  ChangePlannedContactInput,
  ContactOutcomeInput,
  NextStepDoneInput,
  NextStepInput,
  PlanContactInput,
  RecordContactInput,
} from './contacts.forms.ts';
import * as repo from './contacts.repo.ts';

export type { CaseloadSize, Contact, ContactMember, NextStep, OpenNextStep } from './contacts.repo.ts';

type ContactAction = 'contact.list' | 'contact.read' | 'contact.record';

function actingStaff(ctx: Ctx): StaffActor {
  if (!isStaff(ctx.actor)) {
    throw new Forbidden('policy.forbidden', 'contacts are for staff');
  }
  return ctx.actor;
}

/**
 * Loads a member the actor may take the action on. One the actor may not see, an id that is not a
 * UUID and a member that does not exist all answer the same NotFound.
 */
async function loadMember(db: Db, ctx: Ctx, memberId: string, action: ContactAction) {
  authorize(ctx.actor, action);
  const member = await repo.findMember(db, memberId);
  if (!member) {
    throw new NotFound('member.not_found');
  }
  authorize(ctx.actor, action, member);
  return member;
}

/** The member as a page shows them: their name only to someone who may read their record. */
export type MemberOnPage = repo.ContactMember & { nameVisible: boolean };

const onPage = (ctx: Ctx, member: repo.ContactMember): MemberOnPage => ({
  ...member,
  nameVisible: can(ctx.actor, 'member.read', member),
});

async function loadContact(db: Db, memberId: string, contactId: string, withNotes: boolean) {
  const contact = await repo.findContact(db, memberId, contactId, withNotes);
  if (!contact) {
    throw new NotFound('contact.not_found');
  }
  return contact;
}

/** What the contact forms offer: the organisation's active staff and venues. */
export type ContactChoices = {
  member: MemberOnPage;
  staff: { id: string; fullName: string }[];
  venues: { id: string; name: string }[];
};

async function choicesFor(db: Db, ctx: Ctx, member: repo.ContactMember): Promise<ContactChoices> {
  return {
    member: onPage(ctx, member),
    staff: await listActiveStaffOf(db, member.organisationId),
    venues: await repo.listVenueChoices(db, member.organisationId),
  };
}

/**
 * What the record-a-contact and book-a-contact forms offer.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member, and the staff and venues to choose from.
 * @throws NotFound when there is no such member the actor may record contacts for.
 */
export async function contactChoices(ctx: Ctx, memberId: string): Promise<ContactChoices> {
  const member = await loadMember(ctx.db, ctx, memberId, 'contact.record');
  return choicesFor(ctx.db, ctx, member);
}

type Problems = Record<string, string>;

/** Checks the workers, venue and assignee chosen are the organisation's own, adding any problem. */
async function checkChoices(
  db: Db,
  organisationId: string,
  input: { workerIds: string[]; venueId: string | null; nextStepAssignee?: string | null },
  problems: Problems,
): Promise<void> {
  const staff = new Set((await listActiveStaffOf(db, organisationId)).map((s) => s.id));
  if (input.workerIds.some((id) => !staff.has(id))) {
    problems.workerIds = 'Select workers from the list';
  }
  if (input.venueId !== null) {
    const venues = await repo.listVenueChoices(db, organisationId);
    if (!venues.some((v) => v.id === input.venueId)) {
      problems.venueId = 'Select a venue from the list';
    }
  }
  if (input.nextStepAssignee && !staff.has(input.nextStepAssignee)) {
    problems.nextStepAssignee = 'Select who will do the next step from the list';
  }
}

function throwIfAny(code: string, problems: Problems): void {
  if (Object.keys(problems).length > 0) {
    throw new InvalidInput(code, problems);
  }
}

/** What the record and book forms have in common. */
type NewContactInput = Pick<
  RecordContactInput,
  | 'contactType'
  | 'mode'
  | 'occurredAt'
  | 'durationMinutes'
  | 'venueId'
  | 'place'
  | 'workerIds'
  | 'submissionKey'
>;

/**
 * Inserts a contact, linked to the member's current episode of support when they have one, or finds
 * the one the same form already recorded (a double submission).
 *
 * @returns the contact's id and whether it was recorded now.
 */
async function insertOnce(
  tx: Db,
  written: {
    member: repo.ContactMember;
    recordedBy: string;
    status: 'planned' | 'happened';
    notes: string | null;
    now: Date;
  },
  input: NewContactInput,
): Promise<{ id: string; fresh: boolean }> {
  const contact: repo.NewContact = {
    id: randomUUID(),
    organisationId: written.member.organisationId,
    memberId: written.member.id,
    episodeId: (await repo.findCurrentEpisodeId(tx, written.member.id)) ?? null,
    contactType: input.contactType,
    mode: input.mode,
    occurredAt: input.occurredAt,
    durationMinutes: input.durationMinutes,
    venueId: input.venueId,
    place: input.place ?? null,
    status: written.status,
    notes: written.notes,
    submissionKey: input.submissionKey ?? null,
    recordedBy: written.recordedBy,
    workerIds: input.workerIds,
  };
  if (await repo.insertContact(tx, contact, written.now)) {
    return { id: contact.id, fresh: true };
  }
  const earlier = contact.submissionKey
    ? await repo.findBySubmissionKey(tx, contact.organisationId, contact.submissionKey)
    : undefined;
  if (!earlier || earlier.memberId !== contact.memberId) {
    throw new Conflict('contact.submission_key_reused');
  }
  return { id: earlier.id, fresh: false };
}

/**
 * Records a contact that happened, linked to the member's current episode of support when they have
 * one, with an optional first next step. A form sent twice records it once.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - the contact and the next step.
 * @returns the contact's id.
 * @throws NotFound when there is no such member the actor may record contacts for.
 * @throws InvalidInput when it is in the future, or a worker, venue or assignee is not the organisation's.
 */
export async function recordContact(ctx: Ctx, memberId: string, input: RecordContactInput): Promise<string> {
  const actor = actingStaff(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const problems: Problems = {};
    if (input.occurredAt > now) {
      problems.date = 'The date and time of the contact must be now or in the past';
    }
    await checkChoices(tx, member.organisationId, input, problems);
    if (input.nextStep && input.nextStepDue !== null && input.nextStepDue < input.date) {
      problems.nextStepDue = 'The next step date must be on or after the day of the contact';
    }
    throwIfAny('contact.invalid', problems);

    const { id, fresh } = await insertOnce(
      tx,
      { member, recordedBy: actor.id, status: 'happened', notes: input.notes ?? null, now },
      input,
    );
    if (!fresh) {
      return id;
    }
    if (input.nextStep && input.nextStepAssignee) {
      await repo.insertNextStep(
        tx,
        {
          id: randomUUID(),
          contactId: id,
          description: input.nextStep,
          assignedTo: input.nextStepAssignee,
          dueOn: input.nextStepDue,
          createdBy: actor.id,
        },
        now,
      );
    }
    await audit(tx, ctx, {
      action: 'contact.recorded',
      subject: { type: 'Contact', id },
      details: {
        memberId: member.id,
        contactType: input.contactType,
        mode: input.mode,
        workers: input.workerIds.length,
        nextSteps: input.nextStep ? 1 : 0,
      },
      at: now,
    });
    return id;
  });
}

/**
 * Books a contact for later ("a check-in call on Thursday"), to be recorded as happened or not.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param input - what, how, when and who.
 * @returns the contact's id.
 * @throws NotFound when there is no such member the actor may record contacts for.
 * @throws InvalidInput when it is not in the future, or a worker or venue is not the organisation's.
 */
export async function planContact(ctx: Ctx, memberId: string, input: PlanContactInput): Promise<string> {
  const actor = actingStaff(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const problems: Problems = {};
    if (input.occurredAt <= now) {
      problems.date = 'The date and time of a planned contact must be in the future';
    }
    await checkChoices(tx, member.organisationId, input, problems);
    throwIfAny('contact.invalid', problems);
    const { id, fresh } = await insertOnce(
      tx,
      { member, recordedBy: actor.id, status: 'planned', notes: null, now },
      input,
    );
    if (fresh) {
      await audit(tx, ctx, {
        action: 'contact.planned',
        subject: { type: 'Contact', id },
        details: { memberId: member.id, contactType: input.contactType, mode: input.mode },
        at: now,
      });
    }
    return id;
  });
}

/**
 * A member's contacts, latest first, without notes; reading the list (a person's name and their
 * support) is audited.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @returns the member, their contacts, and whether the actor may record more.
 * @throws NotFound when there is no such member whose contacts the actor may see.
 */
export async function listMemberContacts(
  ctx: Ctx,
  memberId: string,
): Promise<{ member: MemberOnPage; contacts: repo.Contact[]; canRecord: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.list');
    const contacts = await repo.listContactsOfMember(tx, member.id);
    await audit(tx, ctx, {
      action: 'contact.list_read',
      subject: { type: 'Member', id: member.id },
      details: { contacts: contacts.length },
      at: now,
    });
    return { member: onPage(ctx, member), contacts, canRecord: can(ctx.actor, 'contact.record', member) };
  });
}

/** A contact's own page. */
export type ContactView = {
  member: MemberOnPage;
  contact: repo.Contact;
  nextSteps: repo.NextStep[];
  notesShown: boolean;
  canRecord: boolean;
  staff: { id: string; fullName: string }[];
};

/**
 * Opens a contact: its details, workers and next steps, and its notes when the actor may read them.
 * Every opening is audited, and an opening that showed the notes says so in its own audit action.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @returns the contact's page.
 * @throws NotFound when there is no such contact of a member the actor may see.
 */
export async function viewContact(ctx: Ctx, memberId: string, contactId: string): Promise<ContactView> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.read');
    const notesShown = can(ctx.actor, 'contact.read_notes', member);
    const contact = await loadContact(tx, member.id, contactId, notesShown);
    const canRecord = can(ctx.actor, 'contact.record', member);
    await audit(tx, ctx, {
      action: notesShown && contact.hasNotes ? 'contact.notes_read' : 'contact.read',
      subject: { type: 'Contact', id: contact.id },
      details: { memberId: member.id },
      at: now,
    });
    return {
      member: onPage(ctx, member),
      contact,
      nextSteps: await repo.listNextStepsOfContact(tx, contact.id),
      notesShown,
      canRecord,
      staff: canRecord ? await listActiveStaffOf(tx, member.organisationId) : [],
    };
  });
}

/**
 * Loads a contact for a page that changes it (its details, or what became of a booked one), with the
 * choices the form offers. The change page shows the notes, so opening it with them is audited as a
 * read of them; the outcome page does not ask for them.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @param withNotes - whether the page shows the notes.
 * @returns the contact and the choices.
 * @throws NotFound when there is no such contact the actor may change.
 */
export async function contactForChange(
  ctx: Ctx,
  memberId: string,
  contactId: string,
  withNotes: boolean,
): Promise<ContactChoices & { contact: repo.Contact }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const contact = await loadContact(tx, member.id, contactId, withNotes);
    if (withNotes && contact.hasNotes) {
      await audit(tx, ctx, {
        action: 'contact.notes_read',
        subject: { type: 'Contact', id: contact.id },
        details: { memberId: member.id, page: 'change' },
        at: now,
      });
    }
    return { ...(await choicesFor(tx, ctx, member)), contact };
  });
}

/**
 * Whether a contact is planned, happened or did not happen, for choosing which change form applies;
 * reads nothing personal.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @returns its status.
 * @throws NotFound when there is no such contact the actor may change.
 */
export async function contactStatusForChange(ctx: Ctx, memberId: string, contactId: string) {
  const member = await loadMember(ctx.db, ctx, memberId, 'contact.record');
  return (await loadContact(ctx.db, member.id, contactId, false)).status;
}

/** The names of the fields a change gives a new value (names only, for the audit trail). */
function changedFields(before: repo.Contact, after: repo.ContactChange): string[] {
  const workers = (ids: string[]) => [...ids].sort().join(',');
  const changes: [string, boolean][] = [
    ['contactType', before.contactType !== after.contactType],
    ['mode', before.mode !== after.mode],
    ['occurredAt', before.occurredAt.getTime() !== after.occurredAt.getTime()],
    ['durationMinutes', before.durationMinutes !== after.durationMinutes],
    ['place', before.venueId !== after.venueId || before.place !== after.place],
    ['notes', after.notes !== undefined && before.notes !== after.notes],
    ['workers', workers(before.workers.map((w) => w.id)) !== workers(after.workerIds)],
  ];
  return changes.filter(([, changed]) => changed).map(([field]) => field);
}

/**
 * Changes a contact's details. A contact that happened keeps a time now or in the past; a planned one
 * moved to another time must move to the future. A stale save changes nothing.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @param input - the details and the version the worker saw; `kind` says which form it came from.
 * @throws NotFound when there is no such contact the actor may change.
 * @throws Conflict when someone else changed it since, or its status moved on from the form's.
 * @throws InvalidInput when the time or a choice breaks a rule.
 */
export async function changeContact(
  ctx: Ctx,
  memberId: string,
  contactId: string,
  input:
    ({ kind: 'happened' } & ChangeHappenedContactInput) | ({ kind: 'planned' } & ChangePlannedContactInput),
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const contact = await loadContact(tx, member.id, contactId, true);
    if (contact.version !== input.version || contact.status !== input.kind) {
      throw new Conflict('contact.version_mismatch');
    }
    const problems: Problems = {};
    if (input.kind === 'happened' && input.occurredAt > now) {
      problems.date = 'The date and time of the contact must be now or in the past';
    }
    if (
      input.kind === 'planned' &&
      input.occurredAt.getTime() !== contact.occurredAt.getTime() &&
      input.occurredAt <= now
    ) {
      problems.date = 'The date and time of a planned contact must be in the future';
    }
    await checkChoices(tx, member.organisationId, input, problems);
    throwIfAny('contact.invalid', problems);
    const change: repo.ContactChange = {
      contactType: input.contactType,
      mode: input.mode,
      occurredAt: input.occurredAt,
      durationMinutes: input.durationMinutes,
      venueId: input.venueId,
      place: input.place ?? null,
      status: contact.status,
      notHappenedReason: contact.notHappenedReason,
      notes: input.kind === 'happened' ? (input.notes ?? null) : undefined,
      workerIds: input.workerIds,
    };
    if (!(await repo.updateContactIfVersion(tx, contact.id, change, input.version, now))) {
      throw new Conflict('contact.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'contact.changed',
      subject: { type: 'Contact', id: contact.id },
      details: { memberId: member.id, fields: changedFields(contact, change) },
      at: now,
    });
  });
}

/**
 * Records what became of a planned contact: it happened (when, how long, notes), or it did not (why).
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the planned contact.
 * @param input - the outcome and the version the worker saw.
 * @throws NotFound when there is no such contact the actor may change.
 * @throws Conflict when it is no longer planned, or someone else changed it since.
 * @throws InvalidInput when a contact that happened is given a time in the future.
 */
export async function recordOutcome(
  ctx: Ctx,
  memberId: string,
  contactId: string,
  input: ContactOutcomeInput,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const contact = await loadContact(tx, member.id, contactId, false);
    if (contact.status !== 'planned' || contact.version !== input.version) {
      throw new Conflict('contact.version_mismatch');
    }
    if (input.outcome === 'happened' && input.occurredAt > now) {
      throw new InvalidInput('contact.invalid', {
        date: 'The date and time of the contact must be now or in the past',
      });
    }
    const base = {
      contactType: contact.contactType,
      mode: contact.mode,
      venueId: contact.venueId,
      place: contact.place,
      workerIds: contact.workers.map((w) => w.id),
    };
    const change: repo.ContactChange =
      input.outcome === 'happened'
        ? {
            ...base,
            occurredAt: input.occurredAt,
            durationMinutes: input.durationMinutes,
            status: 'happened',
            notHappenedReason: null,
            notes: input.notes ?? null,
          }
        : {
            ...base,
            occurredAt: contact.occurredAt,
            durationMinutes: contact.durationMinutes,
            status: 'did_not_happen',
            notHappenedReason: input.reason,
          };
    if (
      contact.contactType === 'accompanied_appointment' &&
      change.status === 'happened' &&
      !contact.venueId &&
      !contact.place
    ) {
      throw new InvalidInput('contact.invalid', {
        outcome: 'Change the contact to say where the appointment was first',
      });
    }
    if (!(await repo.updateContactIfVersion(tx, contact.id, change, input.version, now))) {
      throw new Conflict('contact.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'contact.outcome_recorded',
      subject: { type: 'Contact', id: contact.id },
      details: { memberId: member.id, outcome: input.outcome },
      at: now,
    });
  });
}

/**
 * Adds a next step to a contact.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @param input - what, who and by when.
 * @throws NotFound when there is no such contact the actor may change.
 * @throws InvalidInput when the person is not one of the organisation's active staff, or the day is past.
 */
export async function addNextStep(
  ctx: Ctx,
  memberId: string,
  contactId: string,
  input: NextStepInput,
): Promise<void> {
  const actor = actingStaff(ctx);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const contact = await loadContact(tx, member.id, contactId, false);
    const staff = await listActiveStaffOf(tx, member.organisationId);
    const problems: Problems = {};
    if (!input.assignedTo || !staff.some((s) => s.id === input.assignedTo)) {
      problems.assignedTo = 'Select who will do it from the list';
    }
    if (input.dueOn !== null && input.dueOn < dayInLondon(now)) {
      problems.dueOn = 'The date must be today or in the future';
    }
    throwIfAny('next_step.invalid', problems);
    const id = randomUUID();
    await repo.insertNextStep(
      tx,
      {
        id,
        contactId: contact.id,
        description: input.description,
        assignedTo: input.assignedTo ?? '',
        dueOn: input.dueOn,
        createdBy: actor.id,
      },
      now,
    );
    await audit(tx, ctx, {
      action: 'contact.next_step_added',
      subject: { type: 'Contact', id: contact.id },
      details: { memberId: member.id, nextStepId: id },
      at: now,
    });
  });
}

/**
 * Ticks a next step off as done.
 *
 * @param ctx - the request context.
 * @param memberId - the member.
 * @param contactId - the contact.
 * @param stepId - the next step.
 * @param input - the version the worker saw.
 * @throws NotFound when there is no such next step the actor may change.
 * @throws Conflict when it was already done or changed since.
 */
export async function completeNextStep(
  ctx: Ctx,
  memberId: string,
  contactId: string,
  stepId: string,
  input: NextStepDoneInput,
): Promise<void> {
  const actor = actingStaff(ctx);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const member = await loadMember(tx, ctx, memberId, 'contact.record');
    const contact = await loadContact(tx, member.id, contactId, false);
    const step = await repo.findNextStep(tx, contact.id, stepId);
    if (!step) {
      throw new NotFound('next_step.not_found');
    }
    if (!(await repo.markNextStepDoneIfVersion(tx, step.id, actor.id, input.version, now))) {
      throw new Conflict('next_step.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'contact.next_step_done',
      subject: { type: 'Contact', id: contact.id },
      details: { memberId: member.id, nextStepId: step.id },
      at: now,
    });
  });
}

// Caseloads.

/** One person on a caseload, with when they are due a contact. */
export type CaseloadEntry = repo.CaseloadRow & ContactDue & { intervalDays: number; plannedOverdue: boolean };

/** A worker's caseload page. */
export type Caseload = {
  worker: { id: string; fullName: string };
  mine: boolean;
  people: CaseloadEntry[];
  nextSteps: repo.OpenNextStep[];
};

/**
 * A worker's caseload: the people they are key worker for on an active episode, with their last and
 * next contact, open next steps and whether they are due a contact, the most overdue first; and the
 * worker's own open next steps. Reading it (people's names) is audited.
 *
 * @param ctx - the request context.
 * @param staffId - whose caseload; undefined for the actor's own.
 * @returns the caseload.
 * @throws Forbidden when the actor may not see another worker's caseload.
 * @throws NotFound when there is no such active worker in the actor's organisation.
 */
export async function viewCaseload(ctx: Ctx, staffId: string | undefined): Promise<Caseload> {
  const actor = actingStaff(ctx);
  const now = ctx.clock.now();
  const mine = staffId === undefined || staffId === actor.id;
  authorize(ctx.actor, mine ? 'caseload.read_own' : 'caseload.read_any');
  return ctx.db.transaction().execute(async (tx) => {
    const worker = await repo.findActiveStaff(tx, staffId ?? actor.id);
    // A worker of another organisation looks like no worker at all.
    if (!worker || (!mine && !can(ctx.actor, 'caseload.read_any', worker))) {
      throw new NotFound('staff.not_found');
    }
    const scope = { organisationId: actor.organisationId, staffId: worker.id };
    const rows = await repo.listCaseload(tx, scope);
    const entries = rows
      .map((row): CaseloadEntry => {
        const intervalDays = contactIntervalDays(row.nonEngagementWeeks);
        return {
          ...row,
          intervalDays,
          plannedOverdue: row.nextPlannedAt !== null && row.nextPlannedAt < now,
          ...contactDue(row.lastContactAt ?? undefined, row.startedOn, intervalDays, now),
        };
      })
      // The most overdue first: the earliest day someone became due, then by name.
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.name.localeCompare(b.name));
    // Someone in two services with the same key worker is one person on the caseload: the episode
    // that makes them due soonest speaks for both (it sorts first).
    const seen = new Set<string>();
    const people = entries.filter((entry) => !seen.has(entry.memberId) && seen.add(entry.memberId));
    const nextSteps = await repo.listOpenNextStepsOf(tx, scope);
    await audit(tx, ctx, {
      action: 'caseload.read',
      subject: { type: 'Staff', id: worker.id },
      details: {
        memberIds: [...new Set([...people.map((p) => p.memberId), ...nextSteps.map((s) => s.memberId)])],
      },
      at: now,
    });
    return { worker: { id: worker.id, fullName: worker.fullName }, mine, people, nextSteps };
  });
}

/**
 * How many people each worker of the manager's organisation is key worker for: everyone whose role
 * holds a caseload (by the policy's own rule), and anyone else who is somehow key worker to someone.
 *
 * @param ctx - the request context.
 * @returns each worker's count, largest first.
 * @throws Forbidden when the actor may not see other workers' caseloads.
 */
export async function caseloadSizes(ctx: Ctx): Promise<repo.CaseloadSize[]> {
  const actor = actingStaff(ctx);
  authorize(ctx.actor, 'caseload.read_any', actor);
  const sizes = await repo.listCaseloadSizes(ctx.db, actor.organisationId);
  return sizes.filter(
    (s) => s.people > 0 || can({ ...actor, id: s.staffId, roles: s.roles, sharing: [] }, 'caseload.read_own'),
  );
}
