import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Ctx } from '../../context.ts';
import { Forbidden } from '../../platform/errors.ts';
import type { StaffActor } from '../../policy/index.ts';
import { buildAdministrator } from '../../testing/builders/accounts.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { changeAgreement, createAgreement } from './agreements.service.ts';
import { sharingGrantsFor } from './index.ts';

const sorted = (grants: { fromOrganisationId: string; category: string }[]) =>
  grants.map((g) => `${g.fromOrganisationId}:${g.category}`).sort();

describe('sharingGrantsFor', () => {
  let database: TestDatabase;
  let ctx: Ctx;
  let a: string;
  let b: string;
  let c: string;
  let outsider: string;
  let agreementId: string;

  before(async () => {
    database = await createTestDatabase();
    const host = await hostOrganisation(database.db);
    const admin = await buildAdministrator(database.db, { organisationId: host.id });
    const actor: StaffActor = {
      kind: 'staff',
      id: admin.id,
      organisationId: host.id,
      hostOrganisation: true,
      roles: ['administrator'],
      sharing: [],
    };
    ctx = { db: database.db, actor, origin: {}, clock: new TestClock() };
    a = host.id;
    b = (await buildOrganisation(database.db)).id;
    c = (await buildOrganisation(database.db)).id;
    outsider = (await buildOrganisation(database.db)).id;
    agreementId = await createAgreement(ctx, {
      name: 'Three-way agreement',
      startsOn: '2026-04-01',
      endsOn: '2026-09-30',
      parties: [a, b, c],
      grants: { [a]: ['referrals', 'outcomes'], [b]: ['support_plans'] },
    });
  });
  after(() => database.drop());

  it('gives each party exactly its granted categories of every other party, from the first day to the last', async () => {
    for (const day of ['2026-04-01', '2026-06-15', '2026-09-30']) {
      assert.deepEqual(
        sorted(await sharingGrantsFor(database.db, a, day)),
        [`${b}:outcomes`, `${b}:referrals`, `${c}:outcomes`, `${c}:referrals`].sort(),
        day,
      );
      assert.deepEqual(
        sorted(await sharingGrantsFor(database.db, b, day)),
        [`${a}:support_plans`, `${c}:support_plans`].sort(),
        day,
      );
      assert.deepEqual(
        await sharingGrantsFor(database.db, c, day),
        [],
        'a party with nothing ticked sees nothing',
      );
    }
    const grant = (await sharingGrantsFor(database.db, a, '2026-04-01'))[0];
    assert.equal(grant?.agreementId, agreementId);
  });

  it('gives nothing before the agreement starts or after it ends', async () => {
    for (const day of ['2026-03-31', '2026-10-01', '2025-06-01']) {
      for (const organisation of [a, b, c]) {
        assert.deepEqual(await sharingGrantsFor(database.db, organisation, day), [], `${day}`);
      }
    }
  });

  it('gives nothing to an organisation outside the agreement', async () => {
    assert.deepEqual(await sharingGrantsFor(database.db, outsider, '2026-06-15'), []);
  });

  it('follows a change at once: an unticked category stops being shared', async () => {
    await changeAgreement(ctx, agreementId, {
      name: 'Three-way agreement',
      startsOn: '2026-04-01',
      endsOn: null,
      parties: [a, b, c],
      grants: { [a]: ['outcomes'] },
      version: 1,
    });
    assert.deepEqual(
      sorted(await sharingGrantsFor(database.db, a, '2027-06-15')),
      [`${b}:outcomes`, `${c}:outcomes`].sort(),
    );
    assert.deepEqual(await sharingGrantsFor(database.db, b, '2026-06-15'), []);
  });

  it("refuses a partner's administrator making an agreement, writing nothing", async () => {
    const partnerAdmin = await buildAdministrator(database.db, { organisationId: b });
    const partnerCtx: Ctx = {
      ...ctx,
      actor: {
        kind: 'staff',
        id: partnerAdmin.id,
        organisationId: b,
        hostOrganisation: false,
        roles: ['administrator'],
        sharing: [],
      },
    };
    await assert.rejects(
      createAgreement(partnerCtx, {
        name: 'Self-serve',
        startsOn: '2026-01-01',
        endsOn: null,
        parties: [a, b],
        grants: { [b]: ['safeguarding'] },
      }),
      Forbidden,
    );
    assert.deepEqual(await sharingGrantsFor(database.db, b, '2026-06-15'), []);
  });
});
