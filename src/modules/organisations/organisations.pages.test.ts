import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildAgreement, buildOrganisation, buildService } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  startPartnershipApp,
  withoutPerResponseValues,
  type Page,
  type PartnershipCast,
} from '../../testing/builders/partnership.ts';
import type { TestApp } from '../../testing/test-app.ts';

async function organisationRow(t: TestApp, id: string) {
  return t.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function localityNamed(t: TestApp, name: string) {
  return t.db.selectFrom('localities').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
}

/** Every organisation page, for an organisation. */
const pagesOf = (id: string): Page[] => [
  ['GET', `/organisations/${id}`],
  ['GET', `/organisations/${id}/edit`],
  ['POST', `/organisations/${id}/edit`],
  ['GET', `/organisations/${id}/add-locality`],
  ['POST', `/organisations/${id}/add-locality`],
  ['GET', `/organisations/${id}/add-base`],
  ['POST', `/organisations/${id}/add-base`],
];

const ALL_PAGES = (id: string): Page[] => [
  ['GET', '/organisations'],
  ['GET', '/organisations/new'],
  ['POST', '/organisations/new'],
  ...pagesOf(id),
];

describe('who may use the organisation pages', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(cast.visitor, ALL_PAGES(cast.partner.id));
  });

  it('refuses a peer support worker every page with 403, changing nothing', async () => {
    const before = await organisationRow(t, cast.host.id);
    for (const [method, url] of ALL_PAGES(cast.host.id)) {
      const response = await send(cast.worker.agent, method, url, {
        name: 'Taken over',
        kind: 'other',
        version: '1',
      });
      assert.equal(response.status, 403, `${method} ${url}`);
      assert.match(response.body, /You do not have permission to see this page/);
    }
    assert.deepEqual(await organisationRow(t, cast.host.id), before);
    assert.equal((await t.db.selectFrom('localities').selectAll().execute()).length, 0);
  });

  it("answers another organisation's pages with 404, exactly as for an organisation that does not exist", async () => {
    const { agent } = cast.strangerAdmin;
    const fields = {
      name: 'Taken over',
      kind: 'other',
      version: '1',
      address: '1 High Street',
      postcode: 'ME4 4AA',
    };
    for (const [[method, url], [, missingUrl]] of pagesOf(cast.partner.id).map(
      (page, i) => [page, pagesOf(MISSING_ID)[i]!] as const,
    )) {
      const other = await send(agent, method, url, fields);
      const missing = await send(agent, method, missingUrl, fields);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(missing.status, 404, `${method} ${missingUrl}`);
      assert.equal(
        withoutPerResponseValues(other.body),
        withoutPerResponseValues(missing.body),
        `${method} ${url}`,
      );
    }
    assert.equal((await organisationRow(t, cast.partner.id)).name, 'Medway Peer Partnership');
    assert.equal((await t.db.selectFrom('bases').selectAll().execute()).length, 0);
  });

  it('answers an address that is not an id with 404, not an error', async () => {
    const response = await cast.hostAdmin.agent.get('/organisations/not-an-id');
    assert.equal(response.status, 404);
    assert.match(response.body, /Page not found/);
  });

  it('lets only the host organisation add partners: a partner administrator gets 403', async () => {
    const pages: Page[] = [
      ['GET', '/organisations/new'],
      ['POST', '/organisations/new'],
    ];
    await assertEachForbidden(cast.partnerAdmin.agent, pages, { name: 'Another', kind: 'charity' });
    assert.equal(
      (await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Another').execute()).length,
      0,
    );
  });

  it("shows a partner's administrators only their own organisation", async () => {
    const list = await cast.partnerAdmin.agent.get('/organisations');
    assert.equal(list.status, 200);
    assert.match(list.body, /Medway Peer Partnership/);
    assert.doesNotMatch(list.body, /Unrelated Trust/);
    assert.doesNotMatch(list.body, new RegExp(cast.host.name));
    assert.doesNotMatch(list.body, /Add a partner organisation/);
  });
});

describe('listing and adding organisations', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('lists every organisation for the host organisation, with a way to add a partner', async () => {
    const list = await cast.hostAdmin.agent.get('/organisations');
    assert.equal(list.status, 200);
    for (const name of [cast.host.name, 'Medway Peer Partnership', 'Unrelated Trust']) {
      assert.match(list.body, new RegExp(name));
    }
    assert.match(list.body, /RZZ/);
    assert.match(list.body, /href="\/organisations\/new"[^>]*>Add a partner organisation/);
  });

  it('adds a partner organisation and records who did it', async () => {
    const { agent, staff } = cast.hostAdmin;
    const form = await agent.get('/organisations/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Add a partner organisation<\/h1>/);

    const response = await agent.post('/organisations/new', {
      name: 'Swale Mind',
      kind: 'nhs_trust',
      odsCode: 'rx1 ',
    });
    assert.equal(response.status, 303);
    const id = /^\/organisations\/([0-9a-f-]{36})$/.exec(String(response.headers.location))?.[1];
    assert.ok(id, String(response.headers.location));

    const row = await organisationRow(t, id);
    assert.equal(row.name, 'Swale Mind');
    assert.equal(row.kind, 'nhs_trust');
    assert.equal(row.ods_code, 'RX1');
    assert.equal(row.is_host, false);
    assert.equal(row.version, 1);
    const audit = await auditRows(t, id);
    assert.equal(audit[0]?.action, 'organisation.created');
    assert.equal(audit[0]?.actor_id, staff.id);
    assert.deepEqual(audit[0]?.details, { host: false, kind: 'nhs_trust' });

    const page = await agent.get(`/organisations/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Swale Mind<\/h1>/);
    assert.match(page.body, /NHS trust/);
  });

  it('shows every problem at once, keeping what was typed', async () => {
    const { agent } = cast.hostAdmin;
    const empty = await agent.post('/organisations/new', {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#name">Enter the name of the organisation/);
    assert.match(empty.body, /href="#kind">Select the type of organisation/);

    const badCode = await agent.post('/organisations/new', {
      name: 'Sittingbourne Hub',
      kind: 'other',
      odsCode: 'A!',
    });
    assert.equal(badCode.status, 400);
    assert.match(badCode.body, /ODS code must be letters and numbers only, like RXY or G7H8J/);
    assert.match(badCode.body, /value="Sittingbourne Hub"/);
    assert.match(badCode.body, /value="other" checked/);
    assert.equal(
      (await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Sittingbourne Hub').execute())
        .length,
      0,
    );
  });

  it('refuses a name already in use, whatever its capitals, on the same page', async () => {
    const before = await t.db.selectFrom('organisations').selectAll().execute();
    const response = await cast.hostAdmin.agent.post('/organisations/new', {
      name: 'MEDWAY peer partnership',
      kind: 'charity',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#name">An organisation with this name already exists/);
    assert.match(response.body, /value="MEDWAY peer partnership"/);
    assert.equal((await t.db.selectFrom('organisations').selectAll().execute()).length, before.length);
  });
});

describe("an organisation's page", () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('shows its details, localities, bases, services and agreements, and records the read', async () => {
    const { agent, staff } = cast.hostAdmin;
    await agent.post(`/organisations/${cast.partner.id}/add-locality`, { name: 'Chatham' });
    const locality = await localityNamed(t, 'Chatham');
    await agent.post(`/organisations/${cast.partner.id}/add-base`, {
      name: 'Riverside Centre',
      address: '12 Dock Road',
      postcode: 'me4 4tz',
      localityId: locality.id,
    });
    const service = await buildService(t.db, [cast.partner.id, cast.host.id], { name: 'SUN Medway' });
    await buildService(t.db, [cast.stranger.id], { name: 'Elsewhere Service' });
    await buildAgreement(t.db, [{ organisationId: cast.partner.id }, { organisationId: cast.host.id }], {
      name: 'Medway ISA',
    });

    const page = await agent.get(`/organisations/${cast.partner.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Medway Peer Partnership<\/h1>/);
    assert.match(page.body, /Charity or voluntary organisation/);
    assert.match(page.body, /<li>Chatham<\/li>/);
    assert.match(page.body, /Riverside Centre/);
    assert.match(page.body, /12 Dock Road, ME4 4TZ/);
    assert.match(
      page.body,
      new RegExp(`href="/services/${service.id}">SUN Medway</a>\\s?\\(lead organisation\\)`),
    );
    assert.doesNotMatch(page.body, /Elsewhere Service/);
    assert.match(page.body, /Medway ISA/);
    assert.match(page.body, /In force/);
    assert.match(page.body, new RegExp(`href="/organisations/${cast.partner.id}/edit"`));

    const audit = await auditRows(t, cast.partner.id);
    assert.equal(audit.at(-1)?.action, 'organisation.read');
    assert.equal(audit.at(-1)?.actor_id, staff.id);
  });

  it("lets a partner's administrator open and keep their own organisation", async () => {
    const { agent, staff } = cast.partnerAdmin;
    const page = await agent.get(`/organisations/${cast.partner.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Add a locality/);
    const added = await agent.post(`/organisations/${cast.partner.id}/add-locality`, { name: 'Gillingham' });
    assert.equal(added.status, 303);
    const audit = await auditRows(t, cast.partner.id);
    assert.equal(audit.at(-1)?.action, 'organisation.locality_added');
    assert.equal(audit.at(-1)?.actor_id, staff.id);
  });
});

describe("changing an organisation's details", () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('saves the change, moves the version on and records which fields changed', async () => {
    const { agent, staff } = cast.hostAdmin;
    const organisation = await buildOrganisation(t.db, { name: 'Faversham Friends', kind: 'charity' });
    const form = await agent.get(`/organisations/${organisation.id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Faversham Friends"/);
    assert.match(form.body, /name="version" value="1"/);

    const response = await agent.post(`/organisations/${organisation.id}/edit`, {
      name: 'Faversham Friends Together',
      kind: 'charity',
      odsCode: 'ab123',
      version: '1',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/organisations/${organisation.id}`);
    const row = await organisationRow(t, organisation.id);
    assert.equal(row.name, 'Faversham Friends Together');
    assert.equal(row.ods_code, 'AB123');
    assert.equal(row.version, 2);
    const audit = await auditRows(t, organisation.id);
    assert.equal(audit.at(-1)?.action, 'organisation.changed');
    assert.equal(audit.at(-1)?.actor_id, staff.id);
    assert.deepEqual(audit.at(-1)?.details, { fields: ['name', 'ods_code'] });
  });

  it('refuses a stale version with a conflict page and changes nothing', async () => {
    const { agent } = cast.hostAdmin;
    const organisation = await buildOrganisation(t.db, { name: 'Whitstable Wellbeing' });
    await t.db.updateTable('organisations').set({ version: 2 }).where('id', '=', organisation.id).execute();
    const before = await organisationRow(t, organisation.id);
    const response = await agent.post(`/organisations/${organisation.id}/edit`, {
      name: 'Overwritten',
      kind: 'other',
      version: '1',
    });
    assert.equal(response.status, 409);
    assert.match(response.body, /Someone else changed this record/);
    assert.deepEqual(await organisationRow(t, organisation.id), before);
    assert.deepEqual(await auditRows(t, organisation.id), []);
  });

  it('shows problems on the same page with status 400, keeping what was typed', async () => {
    const { agent } = cast.hostAdmin;
    const response = await agent.post(`/organisations/${cast.partner.id}/edit`, {
      name: '',
      kind: 'nhs_trust',
      odsCode: 'TOOLONGCODE1',
      version: '1',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /Enter the name of the organisation/);
    assert.match(response.body, /ODS code must be 9 characters or fewer/);
    assert.match(response.body, /value="TOOLONGCODE1"/);
    assert.match(response.body, /value="nhs_trust" checked/);
  });

  it('refuses the name of another organisation', async () => {
    const response = await cast.hostAdmin.agent.post(`/organisations/${cast.partner.id}/edit`, {
      name: 'unrelated trust',
      kind: 'charity',
      version: '1',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /An organisation with this name already exists/);
    assert.equal((await organisationRow(t, cast.partner.id)).name, 'Medway Peer Partnership');
  });
});

describe('adding localities and bases', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('adds a locality and records it against the organisation', async () => {
    const { agent, staff } = cast.hostAdmin;
    const form = await agent.get(`/organisations/${cast.partner.id}/add-locality`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Add a locality<\/h1>/);
    const response = await agent.post(`/organisations/${cast.partner.id}/add-locality`, { name: 'Swale' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/organisations/${cast.partner.id}#localities`);
    const locality = await t.db
      .selectFrom('localities')
      .selectAll()
      .where('organisation_id', '=', cast.partner.id)
      .executeTakeFirstOrThrow();
    assert.equal(locality.name, 'Swale');
    const audit = await auditRows(t, cast.partner.id);
    assert.equal(audit.at(-1)?.action, 'organisation.locality_added');
    assert.equal(audit.at(-1)?.actor_id, staff.id);
    assert.deepEqual(audit.at(-1)?.details, { locality_id: locality.id });
  });

  it('refuses a locality name the organisation already has, and an empty one', async () => {
    const { agent } = cast.hostAdmin;
    await agent.post(`/organisations/${cast.partner.id}/add-locality`, { name: 'Maidstone' });
    const duplicate = await agent.post(`/organisations/${cast.partner.id}/add-locality`, {
      name: 'MAIDSTONE',
    });
    assert.equal(duplicate.status, 400);
    assert.match(duplicate.body, /This organisation already has a locality with this name/);
    assert.match(duplicate.body, /value="MAIDSTONE"/);
    const empty = await agent.post(`/organisations/${cast.partner.id}/add-locality`, { name: ' ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /href="#name">Enter the name of the locality/);
    const names = await t.db
      .selectFrom('localities')
      .select('name')
      .where('organisation_id', '=', cast.partner.id)
      .execute();
    assert.equal(names.filter((n) => n.name.toLowerCase() === 'maidstone').length, 1);
  });

  it('adds a base with a tidied postcode and its locality', async () => {
    const { agent, staff } = cast.hostAdmin;
    await agent.post(`/organisations/${cast.stranger.id}/add-locality`, { name: 'Dartford' });
    const locality = await localityNamed(t, 'Dartford');
    const form = await agent.get(`/organisations/${cast.stranger.id}/add-base`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<option value="[^"]*">Dartford<\/option>/);

    const response = await agent.post(`/organisations/${cast.stranger.id}/add-base`, {
      name: 'Orchard House',
      address: 'Orchard House\r\n\r\n  4 Market Street ',
      postcode: ' da11ab',
      localityId: locality.id,
    });
    assert.equal(response.status, 303);
    const base = await t.db
      .selectFrom('bases')
      .selectAll()
      .where('name', '=', 'Orchard House')
      .executeTakeFirstOrThrow();
    assert.equal(base.organisation_id, cast.stranger.id);
    assert.equal(base.postcode, 'DA1 1AB');
    assert.equal(base.address, 'Orchard House\n4 Market Street');
    assert.equal(base.locality_id, locality.id);
    const audit = await auditRows(t, cast.stranger.id);
    assert.equal(audit.at(-1)?.action, 'organisation.base_added');
    assert.equal(audit.at(-1)?.actor_id, staff.id);
    assert.deepEqual(audit.at(-1)?.details, { base_id: base.id, locality_id: locality.id });
  });

  it('refuses a postcode that is not a UK postcode, keeping what was typed', async () => {
    const response = await cast.hostAdmin.agent.post(`/organisations/${cast.partner.id}/add-base`, {
      name: 'Nowhere',
      address: '1 Test Street',
      postcode: '90210',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#postcode">Enter a real postcode, like LS1 4AP/);
    assert.match(response.body, /value="90210"/);
    assert.match(response.body, /1 Test Street/);
    assert.equal(
      (await t.db.selectFrom('bases').selectAll().where('name', '=', 'Nowhere').execute()).length,
      0,
    );
  });

  it("refuses another organisation's locality for a base", async () => {
    const { agent } = cast.hostAdmin;
    await agent.post(`/organisations/${cast.host.id}/add-locality`, { name: 'Canterbury' });
    const elsewhere = await localityNamed(t, 'Canterbury');
    const response = await agent.post(`/organisations/${cast.partner.id}/add-base`, {
      name: 'Borrowed',
      address: '2 Test Street',
      postcode: 'CT1 2AA',
      localityId: elsewhere.id,
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /Select a locality from the list/);
    assert.equal(
      (await t.db.selectFrom('bases').selectAll().where('name', '=', 'Borrowed').execute()).length,
      0,
    );
  });
});
