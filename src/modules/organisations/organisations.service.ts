import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import type { Db } from '../../database.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../platform/errors.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import {
  authorize,
  can,
  isStaff,
  type Action,
  type Actor,
  type PartnershipRecord,
  type StaffActor,
} from '../../policy/index.ts';
import { agreementStatus, type AgreementStatus } from './agreement.ts';
import * as agreementsRepo from './agreements.repo.ts';
import * as repo from './organisations.repo.ts';
import type { OrganisationKind } from './organisations.tables.ts';
import * as servicesRepo from './services.repo.ts';

export type { Organisation } from './organisations.repo.ts';

// Shared by this module's use cases.

/**
 * The acting administrator, once the policy allows the action at all.
 *
 * @param actor - who is acting.
 * @param action - what they want to do.
 * @returns the actor, as staff.
 * @throws Forbidden when their role never allows it.
 */
export function actingStaff(actor: Actor, action: Action): StaffActor {
  authorize(actor, action);
  if (!isStaff(actor)) {
    throw new Forbidden('policy.forbidden', `${action} is for staff`);
  }
  return actor;
}

/** A name already in use: the InvalidInput's code and the message for the name field. */
type NameTaken = { code: string; fieldErrors: Record<string, string> };

/**
 * Runs a change in a transaction. A unique index refusing a duplicate name (SQLSTATE 23505), which
 * the name check inside the change can still meet when two people save at once, becomes the same
 * InvalidInput that check gives.
 *
 * @param ctx - the request context.
 * @param taken - what to say when the name is already in use.
 * @param change - the change, given the transaction.
 * @returns what the change returns.
 */
async function changeWithUniqueName<T>(
  ctx: Ctx,
  taken: NameTaken,
  change: (tx: Db) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(change);
  } catch (error) {
    throw (error as { code?: unknown } | undefined)?.code === '23505'
      ? new InvalidInput(taken.code, taken.fieldErrors)
      : error;
  }
}

/**
 * The fields whose values differ, by name, for the audit trail (names only, never the values).
 *
 * @param before - the old values.
 * @param after - the new values.
 * @returns the names of the fields that changed.
 */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): string[] {
  return Object.keys(after).filter((key) => before[key] !== after[key]);
}

const organisationRecord = (organisation: { id: string }): PartnershipRecord => ({
  organisationIds: [organisation.id],
});

async function findOrganisation(
  db: Db,
  actor: StaffActor,
  organisationId: string,
  action: 'organisation.read' | 'organisation.edit',
): Promise<repo.Organisation> {
  const organisation = await repo.findOrganisationById(db, organisationId);
  if (!organisation) {
    throw new NotFound('organisation.not_found');
  }
  authorize(actor, action, organisationRecord(organisation));
  return organisation;
}

// Organisations.

export type OrganisationInput = { name: string; kind: OrganisationKind; odsCode?: string | undefined };

const NAME_TAKEN: NameTaken = {
  code: 'organisation.name_taken',
  fieldErrors: { name: 'An organisation with this name already exists' },
};

/**
 * Lists the organisations the actor may see: all of them for the host organisation's administrators,
 * only their own for a partner's.
 *
 * @param ctx - the request context.
 * @returns the organisations, by name.
 */
export async function listOrganisations(ctx: Ctx): Promise<repo.Organisation[]> {
  const actor = actingStaff(ctx.actor, 'organisation.list');
  const organisations = await repo.listOrganisationsInScope(ctx.db, actor);
  return organisations.filter((organisation) =>
    can(actor, 'organisation.read', organisationRecord(organisation)),
  );
}

/**
 * Adds a partner organisation (never a second host).
 *
 * @param ctx - the request context.
 * @param input - its name, type and ODS code.
 * @returns the new organisation.
 * @throws InvalidInput when an organisation already has the name (ignoring case).
 */
export async function addPartnerOrganisation(ctx: Ctx, input: OrganisationInput): Promise<repo.Organisation> {
  actingStaff(ctx.actor, 'organisation.create');
  const now = ctx.clock.now();
  return changeWithUniqueName(ctx, NAME_TAKEN, async (tx) => {
    if (await repo.organisationNameTaken(tx, input.name)) {
      throw new InvalidInput(NAME_TAKEN.code, NAME_TAKEN.fieldErrors);
    }
    const organisation = await repo.insertOrganisation(
      tx,
      {
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        odsCode: input.odsCode ?? null,
        isHost: false,
      },
      now,
    );
    await audit(tx, ctx, {
      action: 'organisation.created',
      subject: { type: 'Organisation', id: organisation.id },
      details: { host: false, kind: organisation.kind },
      at: now,
    });
    return organisation;
  });
}

export type OrganisationView = {
  organisation: repo.Organisation;
  localities: repo.Locality[];
  bases: repo.Base[];
  services: servicesRepo.Service[];
  agreements: (agreementsRepo.Agreement & { status: AgreementStatus })[];
};

/**
 * Opens an organisation's page: its details, localities, bases, the services it delivers and the
 * agreements it is party to (and records that it was read).
 *
 * @param ctx - the request context.
 * @param organisationId - the organisation.
 * @returns everything the page shows.
 * @throws NotFound when there is no such organisation, or the actor may not see it.
 */
export async function viewOrganisation(ctx: Ctx, organisationId: string): Promise<OrganisationView> {
  const actor = actingStaff(ctx.actor, 'organisation.read');
  return ctx.db.transaction().execute(async (tx) => {
    const organisation = await findOrganisation(tx, actor, organisationId, 'organisation.read');
    const today = dayInLondon(ctx.clock.now());
    const view = {
      organisation,
      localities: await repo.listLocalities(tx, organisation.id),
      bases: await repo.listBases(tx, organisation.id),
      services: await servicesRepo.listServicesInvolving(tx, organisation.id),
      agreements: (await agreementsRepo.listAgreementsInvolving(tx, organisation.id)).map((agreement) => ({
        ...agreement,
        status: agreementStatus(agreement, today),
      })),
    };
    await audit(tx, ctx, {
      action: 'organisation.read',
      subject: { type: 'Organisation', id: organisation.id },
    });
    return view;
  });
}

/**
 * Loads an organisation for one of its change pages (details, a new locality, a new base).
 *
 * @param ctx - the request context.
 * @param organisationId - the organisation.
 * @returns the organisation and its localities (to choose a base's locality from).
 * @throws NotFound when there is no such organisation, or the actor may not change it.
 */
export async function organisationForChange(
  ctx: Ctx,
  organisationId: string,
): Promise<{ organisation: repo.Organisation; localities: repo.Locality[] }> {
  const actor = actingStaff(ctx.actor, 'organisation.edit');
  const organisation = await findOrganisation(ctx.db, actor, organisationId, 'organisation.edit');
  return { organisation, localities: await repo.listLocalities(ctx.db, organisation.id) };
}

/**
 * Changes an organisation's name, type and ODS code.
 *
 * @param ctx - the request context.
 * @param organisationId - the organisation.
 * @param input - the new details, and the version the administrator saw.
 * @throws NotFound when there is no such organisation, or the actor may not change it.
 * @throws Conflict when someone else changed it since.
 * @throws InvalidInput when another organisation already has the name.
 */
export async function changeOrganisationDetails(
  ctx: Ctx,
  organisationId: string,
  input: OrganisationInput & { version: number },
): Promise<void> {
  const actor = actingStaff(ctx.actor, 'organisation.edit');
  const now = ctx.clock.now();
  await changeWithUniqueName(ctx, NAME_TAKEN, async (tx) => {
    const organisation = await findOrganisation(tx, actor, organisationId, 'organisation.edit');
    if (organisation.version !== input.version) {
      throw new Conflict('organisation.version_mismatch');
    }
    if (await repo.organisationNameTaken(tx, input.name, organisation.id)) {
      throw new InvalidInput(NAME_TAKEN.code, NAME_TAKEN.fieldErrors);
    }
    const change = { name: input.name, kind: input.kind, odsCode: input.odsCode ?? null };
    if (!(await repo.updateOrganisationIfVersion(tx, organisation.id, change, input.version, now))) {
      throw new Conflict('organisation.version_mismatch');
    }
    await audit(tx, ctx, {
      action: 'organisation.changed',
      subject: { type: 'Organisation', id: organisation.id },
      details: {
        fields: changedFields(
          { name: organisation.name, kind: organisation.kind, ods_code: organisation.odsCode },
          { name: change.name, kind: change.kind, ods_code: change.odsCode },
        ),
      },
      at: now,
    });
  });
}

// Localities and bases.

const LOCALITY_TAKEN: NameTaken = {
  code: 'locality.name_taken',
  fieldErrors: { name: 'This organisation already has a locality with this name' },
};
const BASE_TAKEN: NameTaken = {
  code: 'base.name_taken',
  fieldErrors: { name: 'This organisation already has a base with this name' },
};

/**
 * Adds a locality (an area the organisation works in) to an organisation.
 *
 * @param ctx - the request context.
 * @param organisationId - the organisation.
 * @param input - the locality's name.
 * @param input.name - the name.
 * @returns the new locality's id.
 * @throws NotFound when there is no such organisation, or the actor may not change it.
 * @throws InvalidInput when the organisation already has a locality with the name.
 */
export async function addLocality(
  ctx: Ctx,
  organisationId: string,
  input: { name: string },
): Promise<string> {
  const actor = actingStaff(ctx.actor, 'organisation.edit');
  const now = ctx.clock.now();
  const id = randomUUID();
  await changeWithUniqueName(ctx, LOCALITY_TAKEN, async (tx) => {
    const organisation = await findOrganisation(tx, actor, organisationId, 'organisation.edit');
    if (await repo.localityNameTaken(tx, organisation.id, input.name)) {
      throw new InvalidInput(LOCALITY_TAKEN.code, LOCALITY_TAKEN.fieldErrors);
    }
    await repo.insertLocality(tx, { id, organisationId: organisation.id, name: input.name }, now);
    await audit(tx, ctx, {
      action: 'organisation.locality_added',
      subject: { type: 'Organisation', id: organisation.id },
      details: { locality_id: id },
      at: now,
    });
  });
  return id;
}

export type BaseInput = { name: string; address: string; postcode: string; localityId?: string | undefined };

/**
 * Adds a base (an office or venue staff work from) to an organisation.
 *
 * @param ctx - the request context.
 * @param organisationId - the organisation.
 * @param input - the base's name, address, postcode and (optionally) locality.
 * @returns the new base's id.
 * @throws NotFound when there is no such organisation, or the actor may not change it.
 * @throws InvalidInput when the name is taken or the locality is not one of the organisation's.
 */
export async function addBase(ctx: Ctx, organisationId: string, input: BaseInput): Promise<string> {
  const actor = actingStaff(ctx.actor, 'organisation.edit');
  const now = ctx.clock.now();
  const id = randomUUID();
  await changeWithUniqueName(ctx, BASE_TAKEN, async (tx) => {
    const organisation = await findOrganisation(tx, actor, organisationId, 'organisation.edit');
    const problems: Record<string, string> = {};
    if (await repo.baseNameTaken(tx, organisation.id, input.name)) {
      Object.assign(problems, BASE_TAKEN.fieldErrors);
    }
    const localities = await repo.listLocalities(tx, organisation.id);
    if (input.localityId !== undefined && !localities.some((locality) => locality.id === input.localityId)) {
      problems.localityId = 'Select a locality from the list';
    }
    if (Object.keys(problems).length > 0) {
      throw new InvalidInput('base.invalid', problems);
    }
    await repo.insertBase(
      tx,
      {
        id,
        organisationId: organisation.id,
        localityId: input.localityId ?? null,
        name: input.name,
        address: input.address,
        postcode: input.postcode,
      },
      now,
    );
    await audit(tx, ctx, {
      action: 'organisation.base_added',
      subject: { type: 'Organisation', id: organisation.id },
      details: { base_id: id, locality_id: input.localityId ?? null },
      at: now,
    });
  });
  return id;
}
