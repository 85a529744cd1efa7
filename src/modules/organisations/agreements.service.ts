import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.ts';
import {
  authorize,
  can,
  type PartnershipRecord,
  type SharingCategory,
  type StaffActor,
} from '../../policy/index.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { agreementStatus, type AgreementStatus } from './agreement.ts';
import * as repo from './agreements.repo.ts';
import * as organisationsRepo from './organisations.repo.ts';
import { actingStaff, changedFields } from './organisations.service.ts';

export type { Agreement } from './agreements.repo.ts';

/** What the agreement form sends, once validated. */
export type AgreementInput = {
  name: string;
  startsOn: string;
  endsOn: string | null;
  parties: string[];
  /** For each organisation, the categories of the other parties' records it may see. */
  grants: Record<string, SharingCategory[]>;
};

export type AgreementView = repo.Agreement & { status: AgreementStatus };

const agreementRecord = (agreement: repo.Agreement): PartnershipRecord => ({
  organisationIds: agreement.parties.map((party) => party.organisationId),
});

const withStatus = (ctx: Ctx, agreement: repo.Agreement): AgreementView => ({
  ...agreement,
  status: agreementStatus(agreement, dayInLondon(ctx.clock.now())),
});

/**
 * Lists the agreements the actor may see: every one for the host organisation's administrators, only
 * those their organisation is party to for a partner's.
 *
 * @param ctx - the request context.
 * @returns the agreements, latest start first, each with whether it is in force today.
 */
export async function listAgreements(ctx: Ctx): Promise<AgreementView[]> {
  const actor = actingStaff(ctx.actor, 'agreement.list');
  const agreements = await repo.listAgreementsInScope(ctx.db, actor);
  return agreements
    .filter((agreement) => can(actor, 'agreement.read', agreementRecord(agreement)))
    .map((agreement) => withStatus(ctx, agreement));
}

async function findAgreement(
  ctx: Ctx,
  actor: StaffActor,
  agreementId: string,
  action: 'agreement.read' | 'agreement.manage',
): Promise<repo.Agreement> {
  const agreement = await repo.findAgreementById(ctx.db, agreementId);
  if (!agreement) {
    throw new NotFound('agreement.not_found');
  }
  authorize(actor, action, agreementRecord(agreement));
  return agreement;
}

/**
 * Opens an agreement's page (and records that it was read).
 *
 * @param ctx - the request context.
 * @param agreementId - the agreement.
 * @returns the agreement, with whether it is in force today.
 * @throws NotFound when there is no such agreement, or the actor's organisation is not party to it.
 */
export async function viewAgreement(ctx: Ctx, agreementId: string): Promise<AgreementView> {
  const actor = actingStaff(ctx.actor, 'agreement.read');
  return ctx.db.transaction().execute(async (tx) => {
    const agreement = await findAgreement({ ...ctx, db: tx }, actor, agreementId, 'agreement.read');
    await audit(tx, ctx, {
      action: 'agreement.read',
      subject: { type: 'SharingAgreement', id: agreement.id },
    });
    return withStatus(ctx, agreement);
  });
}

/**
 * The organisations that can be party to an agreement, for the form.
 *
 * @param ctx - the request context.
 * @returns the organisations the actor may choose from, by name.
 */
export async function agreementOrganisationChoices(ctx: Ctx): Promise<organisationsRepo.Organisation[]> {
  const actor = actingStaff(ctx.actor, 'agreement.manage');
  return organisationsRepo.listOrganisationsInScope(ctx.db, actor);
}

/**
 * Loads an agreement for its change page.
 *
 * @param ctx - the request context.
 * @param agreementId - the agreement.
 * @returns the agreement.
 * @throws NotFound when there is no such agreement, or the actor may not manage it.
 */
export async function agreementForChange(ctx: Ctx, agreementId: string): Promise<AgreementView> {
  const agreement = await findAgreement(
    ctx,
    actingStaff(ctx.actor, 'agreement.manage'),
    agreementId,
    'agreement.manage',
  );
  return withStatus(ctx, agreement);
}

/**
 * Checks the parties are organisations the actor may choose, and that only parties are given
 * anything to see; turns the form's grants into one entry per party. A party with nothing ticked
 * sees nothing.
 */
async function partiesOf(
  ctx: Ctx,
  actor: StaffActor,
  input: AgreementInput,
): Promise<{ organisationId: string; categories: SharingCategory[] }[]> {
  const choices = new Map(
    (await organisationsRepo.listOrganisationsInScope(ctx.db, actor)).map((o) => [o.id, o]),
  );
  const problems: Record<string, string> = {};
  if (!input.parties.every((id) => choices.has(id))) {
    problems.parties = 'Select organisations from the list';
  }
  for (const [organisationId, categories] of Object.entries(input.grants)) {
    if (categories.length === 0 || input.parties.includes(organisationId)) {
      continue;
    }
    const organisation = choices.get(organisationId);
    problems[`grants-${organisationId}`] = organisation
      ? `Select ${organisation.name} as a party to the agreement, or untick what it may see`
      : 'Select organisations from the list';
  }
  if (Object.keys(problems).length > 0) {
    throw new InvalidInput('agreement.invalid', problems);
  }
  return input.parties.map((organisationId) => ({
    organisationId,
    categories: input.grants[organisationId] ?? [],
  }));
}

const grantKeys = (parties: readonly { organisationId: string; categories: readonly string[] }[]) =>
  parties.flatMap((party) => party.categories.map((category) => `${party.organisationId}:${category}`));

/**
 * Makes an information-sharing agreement: its parties, dates, and what each party may see of the
 * others' records. Nothing is shared that is not granted here.
 *
 * @param ctx - the request context.
 * @param input - the agreement.
 * @returns the new agreement's id.
 * @throws InvalidInput when a party is not one the actor may choose, or a non-party is given something to see.
 */
export async function createAgreement(ctx: Ctx, input: AgreementInput): Promise<string> {
  const actor = actingStaff(ctx.actor, 'agreement.manage');
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const parties = await partiesOf({ ...ctx, db: tx }, actor, input);
    await repo.insertAgreement(
      tx,
      id,
      { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn },
      parties,
      now,
    );
    await audit(tx, ctx, {
      action: 'agreement.created',
      subject: { type: 'SharingAgreement', id },
      details: {
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        party_ids: parties.map((party) => party.organisationId),
        grants: grantKeys(parties),
      },
      at: now,
    });
  });
  return id;
}

/**
 * Changes an agreement: its name, dates, parties and what each may see.
 *
 * @param ctx - the request context.
 * @param agreementId - the agreement.
 * @param input - the agreement as it should now be, and the version the administrator saw.
 * @throws NotFound when there is no such agreement, or the actor may not manage it.
 * @throws Conflict when someone else changed it since.
 * @throws InvalidInput when a party is not one the actor may choose, or a non-party is given something to see.
 */
export async function changeAgreement(
  ctx: Ctx,
  agreementId: string,
  input: AgreementInput & { version: number },
): Promise<void> {
  const actor = actingStaff(ctx.actor, 'agreement.manage');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const agreement = await findAgreement({ ...ctx, db: tx }, actor, agreementId, 'agreement.manage');
    if (agreement.version !== input.version) {
      throw new Conflict('agreement.version_mismatch');
    }
    const parties = await partiesOf({ ...ctx, db: tx }, actor, input);
    const fields = { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn };
    if (!(await repo.updateAgreementIfVersion(tx, agreement.id, fields, input.version, now))) {
      throw new Conflict('agreement.version_mismatch');
    }
    await repo.replaceAgreementParties(tx, agreement.id, parties);
    const partiesBefore = agreement.parties.map((party) => party.organisationId);
    const partiesAfter = parties.map((party) => party.organisationId);
    const grantsBefore = grantKeys(agreement.parties);
    const grantsAfter = grantKeys(parties);
    await audit(tx, ctx, {
      action: 'agreement.changed',
      subject: { type: 'SharingAgreement', id: agreement.id },
      details: {
        fields: changedFields(
          { name: agreement.name, starts_on: agreement.startsOn, ends_on: agreement.endsOn },
          { name: fields.name, starts_on: fields.startsOn, ends_on: fields.endsOn },
        ),
        parties_added: partiesAfter.filter((id) => !partiesBefore.includes(id)),
        parties_removed: partiesBefore.filter((id) => !partiesAfter.includes(id)),
        grants_added: grantsAfter.filter((grant) => !grantsBefore.includes(grant)),
        grants_removed: grantsBefore.filter((grant) => !grantsAfter.includes(grant)),
      },
      at: now,
    });
  });
}
