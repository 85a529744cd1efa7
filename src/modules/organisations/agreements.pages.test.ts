import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildAgreement } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  startPartnershipApp,
  withoutPerResponseValues,
  type Page,
  type PartnershipCast,
} from '../../testing/builders/partnership.ts';
import type { TestApp } from '../../testing/test-app.ts';

async function agreementRow(t: TestApp, id: string) {
  const agreement = await t.db
    .selectFrom('sharing_agreements')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const parties = await t.db
    .selectFrom('sharing_agreement_parties')
    .select('organisation_id')
    .where('agreement_id', '=', id)
    .orderBy('organisation_id')
    .execute();
  const grants = await t.db
    .selectFrom('sharing_agreement_grants')
    .select(['organisation_id', 'category'])
    .where('agreement_id', '=', id)
    .orderBy('organisation_id')
    .orderBy('category')
    .execute();
  return {
    ...agreement,
    parties: parties.map((p) => p.organisation_id).sort(),
    grants: grants.map((g) => `${g.organisation_id}:${g.category}`).sort(),
  };
}

const ALL_PAGES = (id: string): Page[] => [
  ['GET', '/agreements'],
  ['GET', '/agreements/new'],
  ['POST', '/agreements/new'],
  ['GET', `/agreements/${id}`],
  ['GET', `/agreements/${id}/edit`],
  ['POST', `/agreements/${id}/edit`],
];

/** The form fields for an agreement, as a browser sends them. */
function agreementFields(values: {
  name: string;
  startsOn: [string, string, string];
  endsOn?: [string, string, string];
  parties: string[];
  grants?: Record<string, string[]>;
  version?: number;
}): Record<string, string | string[]> {
  const [endDay = '', endMonth = '', endYear = ''] = values.endsOn ?? [];
  return {
    name: values.name,
    'startsOn-day': values.startsOn[0],
    'startsOn-month': values.startsOn[1],
    'startsOn-year': values.startsOn[2],
    'endsOn-day': endDay,
    'endsOn-month': endMonth,
    'endsOn-year': endYear,
    parties: values.parties,
    ...Object.fromEntries(
      Object.entries(values.grants ?? {}).map(([id, categories]) => [`grants-${id}`, categories]),
    ),
    ...(values.version !== undefined && { version: String(values.version) }),
  };
}

describe('who may use the sharing agreement pages', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  let partnerAgreement: { id: string; name: string };
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
    partnerAgreement = await buildAgreement(
      t.db,
      [{ organisationId: cast.host.id, categories: ['referrals'] }, { organisationId: cast.partner.id }],
      { name: 'Medway agreement' },
    );
    await buildAgreement(t.db, [{ organisationId: cast.host.id }, { organisationId: cast.stranger.id }], {
      name: 'Unrelated agreement',
    });
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(cast.visitor, ALL_PAGES(partnerAgreement.id));
  });

  it('refuses a peer support worker every page with 403', async () => {
    await assertEachForbidden(cast.worker.agent, ALL_PAGES(partnerAgreement.id), { name: 'Taken over' });
  });

  it('answers an agreement the organisation is not party to with 404, exactly as for one that does not exist', async () => {
    const other = await cast.strangerAdmin.agent.get(`/agreements/${partnerAgreement.id}`);
    const missing = await cast.strangerAdmin.agent.get(`/agreements/${MISSING_ID}`);
    assert.equal(other.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(missing.body));
    assert.equal((await cast.hostAdmin.agent.get('/agreements/not-an-id')).status, 404);
  });

  it("keeps making and changing agreements with the host organisation: a party's administrator gets 403", async () => {
    const pages: Page[] = [
      ['GET', '/agreements/new'],
      ['POST', '/agreements/new'],
      ['GET', `/agreements/${partnerAgreement.id}/edit`],
      ['POST', `/agreements/${partnerAgreement.id}/edit`],
    ];
    const fields = agreementFields({
      name: 'Grab everything',
      startsOn: ['1', '1', '2026'],
      parties: [cast.partner.id, cast.host.id],
      grants: { [cast.partner.id]: ['member_details', 'safeguarding'] },
      version: 1,
    });
    await assertEachForbidden(cast.partnerAdmin.agent, pages, fields);
    const row = await agreementRow(t, partnerAgreement.id);
    assert.equal(row.version, 1);
    assert.deepEqual(row.grants, [`${cast.host.id}:referrals`]);
  });

  it("shows a party's administrator the agreements their organisation is party to, and no others", async () => {
    const { agent } = cast.partnerAdmin;
    const list = await agent.get('/agreements');
    assert.equal(list.status, 200);
    assert.match(list.body, /Medway agreement/);
    assert.doesNotMatch(list.body, /Unrelated agreement/);
    assert.doesNotMatch(list.body, /Make a sharing agreement/);
    const page = await agent.get(`/agreements/${partnerAgreement.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Medway agreement<\/h1>/);
    assert.doesNotMatch(page.body, /Change this agreement/);
  });
});

describe('making and changing sharing agreements', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('says plainly that nothing is shared unless it is ticked', async () => {
    const form = await cast.hostAdmin.agent.get('/agreements/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Make a sharing agreement<\/h1>/);
    assert.match(form.body, /Nothing is shared unless it is ticked here\./);
    assert.match(form.body, /What Medway Peer Partnership may see/);
    assert.match(form.body, /Crisis and safety plans/);
  });

  it('makes an agreement with exactly the grants ticked, and records it', async () => {
    const { agent, staff } = cast.hostAdmin;
    const response = await agent.post(
      '/agreements/new',
      agreementFields({
        name: 'Medway information-sharing agreement',
        startsOn: ['1', '3', '2026'],
        endsOn: ['31', '3', '2027'],
        parties: [cast.host.id, cast.partner.id],
        grants: { [cast.partner.id]: ['referrals', 'crisis_plans'], [cast.host.id]: [] },
      }),
    );
    assert.equal(response.status, 303);
    const id = /^\/agreements\/([0-9a-f-]{36})$/.exec(String(response.headers.location))?.[1];
    assert.ok(id);

    const row = await agreementRow(t, id);
    assert.equal(row.name, 'Medway information-sharing agreement');
    assert.equal(row.starts_on, '2026-03-01');
    assert.equal(row.ends_on, '2027-03-31');
    assert.deepEqual(row.parties, [cast.host.id, cast.partner.id].sort());
    assert.deepEqual(row.grants, [`${cast.partner.id}:crisis_plans`, `${cast.partner.id}:referrals`]);
    const audit = await auditRows(t, id);
    assert.equal(audit[0]?.action, 'agreement.created');
    assert.equal(audit[0]?.subject_type, 'SharingAgreement');
    assert.equal(audit[0]?.actor_id, staff.id);
    assert.deepEqual(audit[0]?.details, {
      starts_on: '2026-03-01',
      ends_on: '2027-03-31',
      party_ids: [cast.host.id, cast.partner.id],
      grants: [`${cast.partner.id}:referrals`, `${cast.partner.id}:crisis_plans`],
    });

    const page = await agent.get(`/agreements/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Medway information-sharing agreement<\/h1>/);
    assert.match(page.body, /1 March 2026/);
    assert.match(page.body, /31 March 2027/);
    assert.match(page.body, /In force/);
    assert.match(
      page.body,
      /<h3>Medway Peer Partnership<\/h3><ul[^>]*><li>Referrals<\/li><li>Crisis and safety plans<\/li><\/ul>/,
    );
    assert.match(
      page.body,
      new RegExp(`<h3>${cast.host.name}</h3><p>Nothing: this party sees none of the other parties`),
    );
    assert.equal((await auditRows(t, id)).at(-1)?.action, 'agreement.read');
  });

  it('checks the dates are real and in order, and that there are two parties, keeping what was typed', async () => {
    const { agent } = cast.hostAdmin;
    const before = await t.db.selectFrom('sharing_agreements').selectAll().execute();
    const empty = await agent.post('/agreements/new', {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#name">Enter the name of the agreement/);
    assert.match(empty.body, /href="#startsOn-day">Enter the start date/);
    assert.match(
      empty.body,
      /href="#parties">Select at least 2 organisations that are party to the agreement/,
    );

    const unreal = await agent.post(
      '/agreements/new',
      agreementFields({
        name: 'Leap',
        startsOn: ['31', '2', '2026'],
        endsOn: ['', '6', '2026'],
        parties: [cast.host.id],
      }),
    );
    assert.equal(unreal.status, 400);
    assert.match(unreal.body, /href="#startsOn-day">Start date must be a real date/);
    assert.match(unreal.body, /href="#endsOn-day">End date must include a day/);
    assert.match(unreal.body, /value="Leap"/);
    assert.match(unreal.body, /id="startsOn-day" name="startsOn-day" type="text" value="31"/);
    assert.match(unreal.body, new RegExp(`value="${cast.host.id}" checked`));

    const backwards = await agent.post(
      '/agreements/new',
      agreementFields({
        name: 'Backwards',
        startsOn: ['1', '4', '2026'],
        endsOn: ['31', '3', '2026'],
        parties: [cast.host.id, cast.partner.id],
        grants: { [cast.partner.id]: ['outcomes'] },
      }),
    );
    assert.equal(backwards.status, 400);
    assert.match(backwards.body, /href="#endsOn-day">End date must be the same as or after the start date/);
    assert.match(backwards.body, /value="outcomes" checked/);
    assert.equal((await t.db.selectFrom('sharing_agreements').selectAll().execute()).length, before.length);
  });

  it('refuses to give anything to an organisation that is not a party', async () => {
    const response = await cast.hostAdmin.agent.post(
      '/agreements/new',
      agreementFields({
        name: 'Leaky',
        startsOn: ['1', '4', '2026'],
        parties: [cast.host.id, cast.partner.id],
        grants: { [cast.stranger.id]: ['safeguarding'] },
      }),
    );
    assert.equal(response.status, 400);
    assert.match(
      response.body,
      new RegExp(
        `href="#grants-${cast.stranger.id}">Select Unrelated Trust as a party to the agreement, or untick what it may see`,
      ),
    );
    assert.equal(
      (await t.db.selectFrom('sharing_agreements').selectAll().where('name', '=', 'Leaky').execute()).length,
      0,
    );
  });

  it('changes the parties, dates and grants, and records what was added and removed', async () => {
    const { agent, staff } = cast.hostAdmin;
    const agreement = await buildAgreement(
      t.db,
      [
        { organisationId: cast.host.id, categories: ['referrals'] },
        { organisationId: cast.partner.id, categories: ['outcomes', 'support_plans'] },
      ],
      { name: 'Kent agreement', startsOn: '2026-01-01' },
    );
    const form = await agent.get(`/agreements/${agreement.id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Kent agreement"/);
    assert.match(form.body, /name="version" value="1"/);
    assert.match(form.body, /id="startsOn-year" name="startsOn-year" type="text" value="2026"/);

    const response = await agent.post(
      `/agreements/${agreement.id}/edit`,
      agreementFields({
        name: 'Kent agreement',
        startsOn: ['1', '1', '2026'],
        endsOn: ['31', '12', '2026'],
        parties: [cast.host.id, cast.partner.id, cast.stranger.id],
        grants: {
          [cast.host.id]: ['referrals'],
          [cast.partner.id]: ['outcomes'],
          [cast.stranger.id]: ['referrals'],
        },
        version: 1,
      }),
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/agreements/${agreement.id}`);
    const row = await agreementRow(t, agreement.id);
    assert.equal(row.version, 2);
    assert.equal(row.ends_on, '2026-12-31');
    assert.deepEqual(row.parties, [cast.host.id, cast.partner.id, cast.stranger.id].sort());
    assert.deepEqual(
      row.grants,
      [`${cast.host.id}:referrals`, `${cast.partner.id}:outcomes`, `${cast.stranger.id}:referrals`].sort(),
    );
    const audit = (await auditRows(t, agreement.id)).at(-1);
    assert.equal(audit?.action, 'agreement.changed');
    assert.equal(audit?.actor_id, staff.id);
    assert.deepEqual(audit?.details, {
      fields: ['ends_on'],
      parties_added: [cast.stranger.id],
      parties_removed: [],
      grants_added: [`${cast.stranger.id}:referrals`],
      grants_removed: [`${cast.partner.id}:support_plans`],
    });
  });

  it('refuses a stale version with a conflict page and changes nothing', async () => {
    const agreement = await buildAgreement(t.db, [
      { organisationId: cast.host.id },
      { organisationId: cast.partner.id, categories: ['referrals'] },
    ]);
    await t.db.updateTable('sharing_agreements').set({ version: 2 }).where('id', '=', agreement.id).execute();
    const before = await agreementRow(t, agreement.id);
    const response = await cast.hostAdmin.agent.post(
      `/agreements/${agreement.id}/edit`,
      agreementFields({
        name: 'Overwritten',
        startsOn: ['1', '1', '2026'],
        parties: [cast.host.id, cast.partner.id],
        grants: { [cast.partner.id]: ['referrals', 'safeguarding'] },
        version: 1,
      }),
    );
    assert.equal(response.status, 409);
    assert.match(response.body, /Someone else changed this record/);
    assert.deepEqual(await agreementRow(t, agreement.id), before);
    assert.deepEqual(await auditRows(t, agreement.id), []);
  });

  it('lists every agreement for the host organisation with its status', async () => {
    await buildAgreement(t.db, [{ organisationId: cast.host.id }, { organisationId: cast.partner.id }], {
      name: 'Next year',
      startsOn: '2027-01-01',
    });
    await buildAgreement(t.db, [{ organisationId: cast.host.id }, { organisationId: cast.stranger.id }], {
      name: 'Last year',
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });
    const list = await cast.hostAdmin.agent.get('/agreements');
    assert.equal(list.status, 200);
    assert.match(
      list.body,
      /Next year<\/a><\/td><td[^>]*>[^<]*<\/td><td[^>]*>From 1 January 2027, no end date<\/td><td[^>]*><strong[^>]*>Not started/,
    );
    assert.match(
      list.body,
      /Last year<\/a><\/td><td[^>]*>[^<]*<\/td><td[^>]*>1 January 2025 to 31 December 2025<\/td><td[^>]*><strong[^>]*>Ended/,
    );
    assert.match(list.body, /Make a sharing agreement/);
  });
});
