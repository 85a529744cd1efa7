import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildService } from '../../testing/builders/organisations.ts';
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

async function serviceRow(t: TestApp, id: string) {
  const service = await t.db
    .selectFrom('services')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const organisations = await t.db
    .selectFrom('service_organisations')
    .select('organisation_id')
    .where('service_id', '=', id)
    .orderBy('organisation_id')
    .execute();
  return { ...service, organisationIds: organisations.map((o) => o.organisation_id).sort() };
}

const ALL_PAGES = (id: string): Page[] => [
  ['GET', '/services'],
  ['GET', '/services/new'],
  ['POST', '/services/new'],
  ['GET', `/services/${id}`],
  ['GET', `/services/${id}/edit`],
  ['POST', `/services/${id}/edit`],
];

describe('who may use the service pages', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  let partnerService: { id: string; name: string };
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
    partnerService = await buildService(t.db, [cast.host.id, cast.partner.id], { name: 'SUN Medway' });
    await buildService(t.db, [cast.host.id], { name: 'Host Only Drop-in' });
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(cast.visitor, ALL_PAGES(partnerService.id));
  });

  it('refuses a peer support worker every page with 403', async () => {
    await assertEachForbidden(cast.worker.agent, ALL_PAGES(partnerService.id), { name: 'Taken over' });
    assert.equal((await serviceRow(t, partnerService.id)).name, 'SUN Medway');
  });

  it('answers a service another organisation delivers with 404, exactly as for one that does not exist', async () => {
    const other = await cast.strangerAdmin.agent.get(`/services/${partnerService.id}`);
    const missing = await cast.strangerAdmin.agent.get(`/services/${MISSING_ID}`);
    assert.equal(other.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(withoutPerResponseValues(other.body), withoutPerResponseValues(missing.body));
    const notAnId = await cast.hostAdmin.agent.get('/services/not-an-id');
    assert.equal(notAnId.status, 404);
  });

  it("keeps adding and changing services with the host organisation: a partner's administrator gets 403", async () => {
    const pages: Page[] = [
      ['GET', '/services/new'],
      ['POST', '/services/new'],
      ['GET', `/services/${partnerService.id}/edit`],
      ['POST', `/services/${partnerService.id}/edit`],
    ];
    await assertEachForbidden(cast.partnerAdmin.agent, pages, { name: 'Taken over', version: '1' });
    assert.equal((await serviceRow(t, partnerService.id)).version, 1);
  });

  it("shows a partner's administrator only the services their organisation delivers", async () => {
    const { agent } = cast.partnerAdmin;
    const list = await agent.get('/services');
    assert.equal(list.status, 200);
    assert.match(list.body, /SUN Medway/);
    assert.doesNotMatch(list.body, /Host Only Drop-in/);
    assert.doesNotMatch(list.body, /Add a service/);
    const page = await agent.get(`/services/${partnerService.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>SUN Medway<\/h1>/);
    assert.doesNotMatch(page.body, /Change this service/);
    // Their own organisation links to its page; the host's does not, because they cannot open it.
    assert.match(page.body, new RegExp(`href="/organisations/${cast.partner.id}"`));
    assert.doesNotMatch(page.body, new RegExp(`href="/organisations/${cast.host.id}"`));
  });
});

describe('adding and changing services', () => {
  let t: TestApp;
  let cast: PartnershipCast;
  before(async () => {
    ({ t, cast } = await startPartnershipApp());
  });
  after(() => t.close());

  it('adds a service delivered by the lead and the organisations ticked, and records it', async () => {
    const { agent, staff } = cast.hostAdmin;
    const form = await agent.get('/services/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1[^>]*>Add a service<\/h1>/);
    assert.match(form.body, /name="firstContactWorkingDays"[^>]*value="5"/);
    assert.match(form.body, /Weeks without contact before someone shows as not engaging/);
    assert.match(form.body, /name="nonEngagementWeeks"[^>]*value="4"/);
    assert.match(form.body, /Weeks a discharged person&#39;s history is picked up again if they come back/);
    assert.match(form.body, /name="doorOpenWeeks"[^>]*value="26"/);

    const response = await agent.post('/services/new', {
      name: 'Peer support for complex emotional needs',
      description: 'One-to-one and group peer support.',
      leadOrganisationId: cast.host.id,
      organisationIds: [cast.partner.id],
      firstContactWorkingDays: '10',
      nonEngagementWeeks: '6',
      doorOpenWeeks: '0',
    });
    assert.equal(response.status, 303);
    const id = /^\/services\/([0-9a-f-]{36})$/.exec(String(response.headers.location))?.[1];
    assert.ok(id);

    const row = await serviceRow(t, id);
    assert.equal(row.name, 'Peer support for complex emotional needs');
    assert.equal(row.description, 'One-to-one and group peer support.');
    assert.equal(row.lead_organisation_id, cast.host.id);
    assert.equal(row.first_contact_working_days, 10);
    assert.equal(row.non_engagement_weeks, 6);
    assert.equal(row.door_open_weeks, 0);
    assert.deepEqual(
      row.organisationIds,
      [cast.host.id, cast.partner.id].sort(),
      'the lead always delivers it',
    );
    const audit = await auditRows(t, id);
    assert.equal(audit[0]?.action, 'service.created');
    assert.equal(audit[0]?.actor_id, staff.id);
    assert.equal(audit[0]?.details.lead_organisation_id, cast.host.id);
    assert.deepEqual(audit[0]?.details.organisation_ids, [cast.host.id, cast.partner.id]);

    const page = await agent.get(`/services/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Peer support for complex emotional needs<\/h1>/);
    assert.match(page.body, /10 working days/);
    assert.match(page.body, /6 weeks without contact/);
    assert.match(page.body, /0 weeks of a discharge/);
    assert.match(page.body, /Medway Peer Partnership/);
    assert.match(page.body, /Change this service/);
    assert.equal((await auditRows(t, id)).at(-1)?.action, 'service.read');

    const list = await agent.get('/services');
    assert.match(list.body, /Peer support for complex emotional needs/);
  });

  it('shows every problem at once with status 400, keeping what was typed', async () => {
    const { agent } = cast.hostAdmin;
    const before = await t.db.selectFrom('services').selectAll().execute();
    const empty = await agent.post('/services/new', {
      firstContactWorkingDays: '',
      nonEngagementWeeks: '',
      doorOpenWeeks: '',
    });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#name">Enter the name of the service/);
    assert.match(empty.body, /href="#leadOrganisationId">Select the lead organisation/);
    assert.match(
      empty.body,
      /href="#organisationIds">Select at least one organisation that delivers the service/,
    );
    assert.match(empty.body, /href="#firstContactWorkingDays">Enter how many working days/);
    assert.match(
      empty.body,
      /href="#nonEngagementWeeks">Enter how many weeks without contact before someone shows as not engaging/,
    );
    assert.match(empty.body, /href="#doorOpenWeeks">Enter how many weeks a discharged person&#39;s history/);

    const tooLong = await agent.post('/services/new', {
      name: 'Living well workshops',
      leadOrganisationId: cast.partner.id,
      organisationIds: [cast.partner.id],
      firstContactWorkingDays: '61',
      nonEngagementWeeks: '53',
      doorOpenWeeks: '105',
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body, /First contact must be between 1 and 60 working days/);
    assert.match(tooLong.body, /value="Living well workshops"/);
    assert.match(tooLong.body, /value="61"/);
    assert.match(tooLong.body, /Weeks without contact must be between 1 and 52/);
    assert.match(tooLong.body, /name="nonEngagementWeeks"[^>]*value="53"/);
    assert.match(tooLong.body, /Weeks the door stays open must be between 0 and 104/);
    assert.match(tooLong.body, /name="doorOpenWeeks"[^>]*value="105"/);
    assert.match(tooLong.body, new RegExp(`<option value="${cast.partner.id}" selected>`));
    assert.match(tooLong.body, new RegExp(`value="${cast.partner.id}" checked`));
    assert.equal((await t.db.selectFrom('services').selectAll().execute()).length, before.length);
  });

  it('refuses an organisation that was not offered', async () => {
    const response = await cast.hostAdmin.agent.post('/services/new', {
      name: 'Sneaky',
      leadOrganisationId: '00000000-0000-4000-8000-000000000000',
      organisationIds: [cast.partner.id],
      firstContactWorkingDays: '5',
      nonEngagementWeeks: '4',
      doorOpenWeeks: '26',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /Select the lead organisation/);
    assert.equal(
      (await t.db.selectFrom('services').selectAll().where('name', '=', 'Sneaky').execute()).length,
      0,
    );
  });

  it('changes a service and records which organisations joined and left', async () => {
    const { agent, staff } = cast.hostAdmin;
    const service = await buildService(t.db, [cast.host.id, cast.partner.id], {
      name: 'Drop-in',
      firstContactWorkingDays: 5,
    });
    const form = await agent.get(`/services/${service.id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Drop-in"/);
    assert.match(form.body, /name="version" value="1"/);
    assert.match(form.body, /name="nonEngagementWeeks"[^>]*value="4"/);
    assert.match(form.body, /name="doorOpenWeeks"[^>]*value="26"/);

    const response = await agent.post(`/services/${service.id}/edit`, {
      name: 'Evening drop-in',
      description: '',
      leadOrganisationId: cast.host.id,
      organisationIds: [cast.host.id, cast.stranger.id],
      firstContactWorkingDays: '3',
      nonEngagementWeeks: '8',
      doorOpenWeeks: '26',
      version: '1',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/services/${service.id}`);
    const row = await serviceRow(t, service.id);
    assert.equal(row.name, 'Evening drop-in');
    assert.equal(row.first_contact_working_days, 3);
    assert.equal(row.non_engagement_weeks, 8);
    assert.equal(row.version, 2);
    assert.deepEqual(row.organisationIds, [cast.host.id, cast.stranger.id].sort());
    const audit = (await auditRows(t, service.id)).at(-1);
    assert.equal(audit?.action, 'service.changed');
    assert.equal(audit?.actor_id, staff.id);
    assert.deepEqual(audit?.details, {
      fields: ['name', 'first_contact_working_days', 'non_engagement_weeks'],
      organisations_added: [cast.stranger.id],
      organisations_removed: [cast.partner.id],
    });
  });

  it('refuses a stale version with a conflict page and changes nothing', async () => {
    const service = await buildService(t.db, [cast.host.id], { name: 'Social peer support' });
    await t.db.updateTable('services').set({ version: 2 }).where('id', '=', service.id).execute();
    const before = await serviceRow(t, service.id);
    const response = await cast.hostAdmin.agent.post(`/services/${service.id}/edit`, {
      name: 'Overwritten',
      leadOrganisationId: cast.host.id,
      organisationIds: [cast.partner.id],
      firstContactWorkingDays: '5',
      nonEngagementWeeks: '4',
      doorOpenWeeks: '26',
      version: '1',
    });
    assert.equal(response.status, 409);
    assert.match(response.body, /Someone else changed this record/);
    assert.deepEqual(await serviceRow(t, service.id), before);
    assert.deepEqual(await auditRows(t, service.id), []);
  });

  it('shows problems on the change page with status 400', async () => {
    const service = await buildService(t.db, [cast.host.id], { name: 'Workshops' });
    const response = await cast.hostAdmin.agent.post(`/services/${service.id}/edit`, {
      name: 'Workshops',
      leadOrganisationId: cast.host.id,
      organisationIds: [cast.host.id],
      firstContactWorkingDays: 'five',
      nonEngagementWeeks: 'four',
      doorOpenWeeks: '26',
      version: '1',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /First contact must be a whole number of working days, like 5/);
    assert.match(response.body, /value="five"/);
    assert.match(response.body, /Weeks without contact must be a whole number of weeks, like 4/);
    assert.match(response.body, /value="four"/);
    assert.equal((await serviceRow(t, service.id)).version, 1);
  });
});
