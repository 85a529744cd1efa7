import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildMember } from '../../testing/builders/members.ts';
import {
  buildAgreement,
  buildOrganisation,
  buildService,
  hostOrganisation,
} from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { startTestApp, type Agent, type TestApp, signedInAgent } from '../../testing/test-app.ts';

/** Every page about one member, with a person and a consent choice of theirs. */
const memberPages = (memberId: string, personId: string, consentId: string): Page[] => [
  ['GET', `/members/${memberId}`],
  ['GET', `/members/${memberId}/details`],
  ['POST', `/members/${memberId}/details`],
  ['GET', `/members/${memberId}/contact`],
  ['POST', `/members/${memberId}/contact`],
  ['GET', `/members/${memberId}/emergency-contact`],
  ['POST', `/members/${memberId}/emergency-contact`],
  ['GET', `/members/${memberId}/equality`],
  ['POST', `/members/${memberId}/equality`],
  ['GET', `/members/${memberId}/people/new`],
  ['POST', `/members/${memberId}/people/new`],
  ['GET', `/members/${memberId}/people/${personId}`],
  ['POST', `/members/${memberId}/people/${personId}`],
  ['GET', `/members/${memberId}/consents/new`],
  ['POST', `/members/${memberId}/consents/new`],
  ['GET', `/members/${memberId}/consents/${consentId}/withdraw`],
  ['POST', `/members/${memberId}/consents/${consentId}/withdraw`],
];

const EDIT_PAGES = (memberId: string, personId: string, consentId: string) =>
  memberPages(memberId, personId, consentId).slice(1);

/** Fields that would change something on every form, were the save allowed. */
const TAKEOVER = {
  legalName: 'Taken Over',
  contactMethods: 'email',
  email: 'taken@example.org',
  emergencyContactName: 'Taken Over',
  emergencyContactPhone: '07700900111',
  ethnicCategory: 'A',
  name: 'Taken Over',
  relationship: 'Friend',
  isCarer: 'no',
  mayContact: 'no',
  about: 'Taken over',
  withWhom: 'Anyone',
  given: 'given',
  version: '1',
};

type Cast = {
  t: TestApp;
  hostId: string;
  worker: Agent;
  workerStaff: BuiltStaff;
  memberId: string;
  personId: string;
  consentId: string;
};

/** A member held by the host organisation, with one person and one consent choice, and a worker there. */
async function startMemberApp(): Promise<Cast> {
  const t = await startTestApp();
  const host = await hostOrganisation(t.db);
  const workerStaff = await buildStaff(t.db, { organisationId: host.id, fullName: 'Priya Worker' });
  const member = await buildMember(t.db, {
    organisationId: host.id,
    legalName: 'Morgan Example',
    preferredName: 'Mo',
    pronouns: 'they/them',
    nhsNumber: '9434765919',
    postcode: 'ME4 4AA',
    phone: '07700900123',
    gpPractice: 'Harbour Surgery',
    communicationNeeds: ['easy_read', 'another_language'],
    preferredLanguage: 'Polish',
    safeToLeaveMessage: false,
  });
  const personId = randomUUID();
  await t.db
    .insertInto('member_people')
    .values({
      id: personId,
      member_id: member.id,
      name: 'Sam Carer',
      relationship: 'Sister',
      is_carer: true,
      phone: '07700900456',
      email: null,
      may_contact: true,
      created_at: new Date('2026-01-10T10:00:00Z'),
      updated_at: new Date('2026-01-10T10:00:00Z'),
    })
    .execute();
  const consentId = randomUUID();
  await t.db
    .insertInto('member_consents')
    .values({
      id: consentId,
      member_id: member.id,
      about: 'Sharing their support plan',
      with_whom: 'Their GP',
      given: true,
      recorded_at: new Date('2026-01-12T10:00:00Z'),
      recorded_by: workerStaff.id,
      withdrawn_at: null,
      withdrawn_by: null,
    })
    .execute();
  return {
    t,
    hostId: host.id,
    worker: await signedInAgent(t, workerStaff),
    workerStaff,
    memberId: member.id,
    personId,
    consentId,
  };
}

async function memberRow(t: TestApp, id: string) {
  return t.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('who may use the member record pages', () => {
  let c: Cast;
  let partner: Agent;
  let stranger: Agent;
  before(async () => {
    c = await startMemberApp();
    const partnerOrganisation = await buildOrganisation(c.t.db, { name: 'Medway Peer Partnership' });
    await buildAgreement(c.t.db, [
      { organisationId: c.hostId, categories: [] },
      { organisationId: partnerOrganisation.id, categories: ['member_details'] },
    ]);
    partner = await signedInAgent(c.t, await buildStaff(c.t.db, { organisationId: partnerOrganisation.id }));
    const strangerOrganisation = await buildOrganisation(c.t.db, { name: 'Unrelated Trust' });
    stranger = await signedInAgent(
      c.t,
      await buildStaff(c.t.db, { organisationId: strangerOrganisation.id }),
    );
  });
  after(() => c.t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(c.t.agent(), [
      ['GET', '/members'],
      ['POST', '/members'],
      ...memberPages(c.memberId, c.personId, c.consentId),
    ]);
  });

  it('refuses a commissioner (totals only) every page with 403, changing nothing', async () => {
    const before = await memberRow(c.t, c.memberId);
    const commissioner = await signedInAgent(
      c.t,
      await buildStaff(c.t.db, { organisationId: c.hostId, roles: ['commissioner'] }),
    );
    await assertEachForbidden(
      commissioner,
      [['GET', '/members'], ['POST', '/members'], ...memberPages(c.memberId, c.personId, c.consentId)],
      TAKEOVER,
    );
    assert.deepEqual(await memberRow(c.t, c.memberId), before);
  });

  it('answers another organisation without an agreement with 404 on every page, exactly as for no such member', async () => {
    const before = await memberRow(c.t, c.memberId);
    const real = memberPages(c.memberId, c.personId, c.consentId);
    const missing = memberPages(MISSING_ID, MISSING_ID, MISSING_ID);
    for (const [i, [method, url]] of real.entries()) {
      const other = await send(stranger, method, url, TAKEOVER);
      const none = await send(stranger, method, missing[i]![1], TAKEOVER);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(none.status, 404, `${method} ${missing[i]![1]}`);
      assert.equal(
        withoutPerResponseValues(other.body),
        withoutPerResponseValues(none.body),
        `${method} ${url}`,
      );
    }
    assert.deepEqual(await memberRow(c.t, c.memberId), before);
    const list = await stranger.get('/members');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /Morgan Example/);
    const search = await stranger.post('/members', { name: 'Morgan' });
    assert.doesNotMatch(search.body, /Morgan Example/);
    assert.equal((await stranger.get('/members/not-an-id')).status, 404);
  });

  it('answers an id that is not a UUID, or a person or consent of someone else, with 404', async () => {
    for (const url of [
      '/members/not-an-id',
      `/members/${c.memberId}/people/not-an-id`,
      `/members/${c.memberId}/people/${MISSING_ID}`,
      `/members/${c.memberId}/consents/${MISSING_ID}/withdraw`,
    ]) {
      const response = await c.worker.get(url);
      assert.equal(response.status, 404, url);
      assert.match(response.body, /Page not found/);
    }
  });

  it('shows a partner under a member_details agreement the personal and contact details only, read-only', async () => {
    const list = await partner.get('/members');
    assert.match(list.body, /Morgan Example/);
    const page = await partner.get(`/members/${c.memberId}`);
    assert.equal(page.status, 200);
    for (const text of [
      'Personal details',
      'Morgan Example',
      '943 476 5919',
      'Contact details and preferences',
      'Easy Read',
    ]) {
      assert.ok(page.body.includes(text), text);
    }
    assert.match(page.body, /under an information-sharing agreement/);
    assert.doesNotMatch(page.body, />Change</);
    for (const hidden of [
      'Sam Carer',
      'Sharing their support plan',
      'Equality monitoring',
      'Emergency contact',
      'Timeline',
    ]) {
      assert.ok(!page.body.includes(hidden), hidden);
    }
    const reads = await auditRows(c.t, c.memberId);
    assert.deepEqual(reads.at(-1)?.details, { scope: 'member_details' });
    const before = await memberRow(c.t, c.memberId);
    for (const [method, url] of EDIT_PAGES(c.memberId, c.personId, c.consentId)) {
      const response = await send(partner, method, url, TAKEOVER);
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    assert.deepEqual(await memberRow(c.t, c.memberId), before);
    const consent = await c.t.db
      .selectFrom('member_consents')
      .select('withdrawn_at')
      .where('id', '=', c.consentId)
      .executeTakeFirstOrThrow();
    assert.equal(consent.withdrawn_at, null);
  });

  it('puts People in the header for workers', async () => {
    const page = await c.worker.get('/members');
    assert.match(page.body, /href="\/members"[^>]*>(<strong[^>]*>)?People</);
  });
});

describe('finding a person', () => {
  let c: Cast;
  before(async () => {
    c = await startMemberApp();
    await buildMember(c.t.db, {
      organisationId: c.hostId,
      legalName: 'Jordan Smith',
      dateOfBirth: '1985-07-01',
    });
    await buildMember(c.t.db, {
      organisationId: c.hostId,
      legalName: 'Jordan Smithson',
      dateOfBirth: '1990-02-02',
    });
  });
  after(() => c.t.close());

  it('shows the most recently updated records when nothing is searched, preferred name first, and audits the count', async () => {
    const page = await c.worker.get('/members');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>People<\/h1>/);
    assert.match(
      page.body,
      />Mo<\/a><br><span class="nhsuk-u-secondary-text-colour">Legal name: Morgan Example</,
    );
    assert.match(page.body, /12 April 1990/);
    assert.match(page.body, /ME4 4AA/);
    const row = await c.t.db
      .selectFrom('audit_events')
      .select(['details', 'subject_id'])
      .where('action', '=', 'member.list_read')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(row.details, { count: 3 });
    assert.equal(row.subject_id, null);
  });

  it('finds people by a close or partial name, and narrows by date of birth', async () => {
    const close = await c.worker.post('/members', { name: 'Jordon Smyth' });
    assert.equal(close.status, 200);
    assert.match(close.body, /Jordan Smith</);
    assert.doesNotMatch(close.body, /Morgan Example/);
    const partial = await c.worker.post('/members', { name: 'organ' });
    assert.match(partial.body, /Legal name: Morgan Example/);
    const preferred = await c.worker.post('/members', { name: 'mo' });
    assert.match(preferred.body, /Morgan Example/);
    const byBirth = await c.worker.post('/members', {
      name: 'Jordan',
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1990',
    });
    assert.match(byBirth.body, /Jordan Smithson/);
    assert.doesNotMatch(byBirth.body, /Jordan Smith</);
    const none = await c.worker.post('/members', { name: 'Nobody Atall' });
    assert.match(none.body, /No one found/);
    const wildcard = await c.worker.post('/members', { name: '%' });
    assert.match(wildcard.body, /No one found/);
  });

  it('keeps the search and explains a date of birth that is not a real date', async () => {
    const response = await c.worker.post('/members', {
      name: 'Jordan',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1990',
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /<a href="#dateOfBirth-day">Date of birth must be a real date<\/a>/);
    assert.match(response.body, /name="name"[^>]*value="Jordan"/);
    assert.match(response.body, /name="dateOfBirth-day"[^>]*value="31"/);
  });
});

describe('the member record', () => {
  let c: Cast;
  let episodeId: string;
  before(async () => {
    c = await startMemberApp();
    const service = await buildService(c.t.db, [c.hostId], { name: 'Peer Support Medway' });
    episodeId = randomUUID();
    await c.t.db
      .insertInto('episodes')
      .values({
        id: episodeId,
        member_id: c.memberId,
        organisation_id: c.hostId,
        service_id: service.id,
        started_on: '2026-01-20',
        anticipated_end_on: '2026-07-20',
        review_on: '2026-04-20',
        discharged_on: null,
        discharge_reason: null,
        created_at: new Date('2026-01-20T10:00:00Z'),
        updated_at: new Date('2026-01-20T10:00:00Z'),
      })
      .execute();
    await c.t.db
      .updateTable('members')
      .set({
        ethnic_category: 'Z',
        emergency_contact_name: 'Ali Friend',
        emergency_contact_phone: '07700900789',
      })
      .where('id', '=', c.memberId)
      .execute();
  });
  after(() => c.t.close());

  it('shows every section, with the communication needs banner at the top, and audits the read', async () => {
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Mo<\/h1><p class="nhsuk-lede-text">Legal name: Morgan Example<\/p>/);
    const banner = page.body.indexOf('Communication needs');
    assert.ok(banner > 0 && banner < page.body.indexOf('Personal details'), 'banner before the details');
    for (const text of [
      'Send information in Easy Read',
      'Use Polish: book an interpreter or send translated information',
      'Do not leave a voicemail or text message: it is not safe',
      'they/them',
      '12 April 1990',
      '943 476 5919',
      'Harbour Surgery',
      'How to contact them',
      'Phone call',
      'Ali Friend',
      'Prefer not to say / not stated',
      'Sam Carer',
      'Sister',
      'Sharing their support plan',
      'Their GP',
      '12 January 2026 at 10am by Priya Worker',
      'Peer Support Medway',
      '20 July 2026',
      '20 April 2026',
    ]) {
      assert.ok(page.body.includes(text), text);
    }
    assert.ok(page.body.includes(`href="/members/${c.memberId}/episodes/${episodeId}"`));
    assert.ok(page.body.includes(`href="/members/${c.memberId}/details"`));
    assert.ok(page.body.includes(`href="/members/${c.memberId}/consents/${c.consentId}/withdraw"`));
    for (const part of ['plans', 'plans/crisis', 'contacts']) {
      assert.ok(page.body.includes(`href="/members/${c.memberId}/${part}"`), part);
    }
    // The timeline, newest first: the episode, the consent, the person, then the record itself.
    const timeline = page.body.slice(page.body.indexOf('id="timeline"'));
    const order = [
      'Episode of support started: Peer Support Medway',
      'Consent given: Sharing their support plan, with Their GP',
      'Sam Carer added (Sister)',
      'Record created',
    ].map((text) => timeline.indexOf(text));
    assert.ok(
      order.every((at) => at > 0),
      String(order),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );

    const rows = await auditRows(c.t, c.memberId);
    assert.deepEqual(
      rows.filter((r) => r.action === 'member.read').map((r) => [r.subject_type, r.details]),
      [['Member', { scope: 'whole' }]],
    );
  });

  it('shows no banner for someone with no communication needs who may be left a message', async () => {
    const plain = await buildMember(c.t.db, { organisationId: c.hostId, legalName: 'Plain Person' });
    const page = await c.worker.get(`/members/${plain.id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /alongside-communication-banner/);
    assert.match(page.body, /None recorded/);
    assert.match(page.body, /Not asked/);
  });
});

describe('changing personal details', () => {
  let c: Cast;
  before(async () => {
    c = await startMemberApp();
  });
  after(() => c.t.close());

  const valid = {
    legalName: 'Morgan Example-Jones',
    preferredName: 'Mo',
    pronouns: 'she/her',
    'dateOfBirth-day': '3',
    'dateOfBirth-month': '11',
    'dateOfBirth-year': '1988',
    nhsNumber: '943 476 5919',
    gpPractice: 'Harbour Surgery',
  };

  it('shows the form with what is recorded now, and saves a change with the changed field names audited', async () => {
    const form = await c.worker.get(`/members/${c.memberId}/details`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="legalName"[^>]*value="Morgan Example"/);
    assert.match(form.body, /name="nhsNumber"[^>]*value="943 476 5919"/);
    assert.match(form.body, /name="dateOfBirth-year"[^>]*value="1990"/);
    assert.match(form.body, /name="version" value="1"/);

    const response = await c.worker.post(`/members/${c.memberId}/details`, { ...valid, version: '1' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/members/${c.memberId}#personal-details`);
    const row = await memberRow(c.t, c.memberId);
    assert.equal(row.legal_name, 'Morgan Example-Jones');
    assert.equal(row.pronouns, 'she/her');
    assert.equal(row.date_of_birth, '1988-11-03');
    assert.equal(row.nhs_number, '9434765919');
    assert.equal(row.version, 2);
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.updated');
    assert.deepEqual(audit.at(-1)?.details, { fields: ['legal_name', 'pronouns', 'date_of_birth'] });
    assert.equal(audit.at(-1)?.actor_id, c.workerStaff.id);
    assert.doesNotMatch(JSON.stringify(audit), /Jones|she\/her|1988/);
  });

  it('refuses a stale save with 409 and changes nothing', async () => {
    const before = await memberRow(c.t, c.memberId);
    const response = await c.worker.post(`/members/${c.memberId}/details`, {
      ...valid,
      legalName: 'Someone Else',
      version: '1',
    });
    assert.equal(response.status, 409);
    assert.match(response.body, /Someone else changed this record/);
    assert.deepEqual(await memberRow(c.t, c.memberId), before);
  });

  const problems: [string, Record<string, string>, string, string][] = [
    ['legalName', { legalName: '' }, 'Enter their full name', 'legalName'],
    ['legalName', { legalName: 'x'.repeat(201) }, 'Full name must be 200 characters or fewer', 'legalName'],
    [
      'preferredName',
      { preferredName: 'x'.repeat(201) },
      'Preferred name must be 200 characters or fewer',
      'preferredName',
    ],
    ['pronouns', { pronouns: 'x'.repeat(51) }, 'Pronouns must be 50 characters or fewer', 'pronouns'],
    [
      'dateOfBirth',
      { 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' },
      'Date of birth must be a real date',
      'dateOfBirth-day',
    ],
    [
      'dateOfBirth',
      { 'dateOfBirth-year': '2026', 'dateOfBirth-month': '3', 'dateOfBirth-day': '2' },
      'Date of birth must be in the past',
      'dateOfBirth-day',
    ],
    ['dateOfBirth', { 'dateOfBirth-month': '' }, 'Date of birth must include a month', 'dateOfBirth-day'],
    ['dateOfBirth', { 'dateOfBirth-year': '88' }, 'Year must include 4 numbers', 'dateOfBirth-day'],
    [
      'nhsNumber',
      { nhsNumber: '943 476 5918' },
      'This NHS number is not valid. Check the number and enter it again',
      'nhsNumber',
    ],
    ['nhsNumber', { nhsNumber: '12345' }, 'Enter a 10-digit NHS number', 'nhsNumber'],
    [
      'gpPractice',
      { gpPractice: 'x'.repeat(201) },
      'GP practice must be 200 characters or fewer',
      'gpPractice',
    ],
  ];
  for (const [field, change, message, href] of problems) {
    it(`shows "${message}" for ${field}, keeping what was typed, and saves nothing`, async () => {
      const before = await memberRow(c.t, c.memberId);
      const response = await c.worker.post(`/members/${c.memberId}/details`, {
        ...valid,
        ...change,
        version: String(before.version),
      });
      assert.equal(response.status, 400);
      assert.ok(
        response.body.includes(`<a href="#${href}">${message}</a>`),
        response.body.slice(0, 0) + message,
      );
      assert.match(response.body, /<title>Error: /);
      const kept = Object.entries({ ...valid, ...change }).find(([, v]) => v !== '');
      assert.ok(kept && response.body.includes(`value="${kept[1]}"`), 'input kept');
      assert.deepEqual(await memberRow(c.t, c.memberId), before);
    });
  }
});

describe('changing contact details, emergency contact and equality monitoring', () => {
  let c: Cast;
  before(async () => {
    c = await startMemberApp();
  });
  after(() => c.t.close());

  const contact = {
    contactMethods: ['phone', 'email'],
    phone: '07700 900 321',
    email: 'mo@example.org',
    postalAddress: '1 High Street\nChatham',
    postcode: 'me58ab',
    safeToLeaveMessage: 'yes',
    bestTimes: 'Weekday mornings',
    communicationNeeds: ['large_print', 'other'],
    preferredLanguage: 'Polish',
    communicationNeedsOther: 'Extra time to answer',
  };

  it('saves contact details and communication needs, and the banner follows them', async () => {
    const form = await c.worker.get(`/members/${c.memberId}/contact`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="easy_read" checked/);
    const version = String((await memberRow(c.t, c.memberId)).version);
    const response = await c.worker.post(`/members/${c.memberId}/contact`, { ...contact, version });
    assert.equal(response.status, 303);
    const row = await memberRow(c.t, c.memberId);
    assert.deepEqual(row.contact_methods, ['phone', 'email']);
    assert.equal(row.phone, '07700 900321');
    assert.equal(row.postcode, 'ME5 8AB');
    assert.equal(row.safe_to_leave_message, true);
    assert.deepEqual(row.communication_needs, ['large_print', 'other']);
    assert.equal(row.preferred_language, null);
    assert.equal(row.communication_needs_other, 'Extra time to answer');
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.updated').at(-1);
    assert.deepEqual(audit?.details, {
      fields: [
        'contact_methods',
        'phone',
        'email',
        'postal_address',
        'postcode',
        'safe_to_leave_message',
        'best_times',
        'communication_needs',
        'preferred_language',
        'communication_needs_other',
      ],
    });
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.match(page.body, /Send information in large print/);
    assert.match(page.body, /Extra time to answer/);
    assert.doesNotMatch(page.body, /it is not safe/);
  });

  const problems: [Record<string, string | string[]>, string, string][] = [
    [
      { phone: '12345' },
      'Enter a phone number in the correct format, like 07700 900 982 or 0113 496 0000',
      'phone',
    ],
    [
      { email: 'mo.example.org' },
      'Enter an email address in the correct format, like name@example.com',
      'email',
    ],
    [{ postcode: 'NOT A CODE' }, 'Enter a real postcode, like LS1 4AP', 'postcode'],
    [
      { contactMethods: ['letter'], postalAddress: '' },
      'Enter their address, or untick letter',
      'postalAddress',
    ],
    [{ bestTimes: 'x'.repeat(501) }, 'Best times must be 500 characters or fewer', 'bestTimes'],
    [{ postalAddress: 'x'.repeat(501) }, 'Address must be 500 characters or fewer', 'postalAddress'],
    [
      { communicationNeeds: ['another_language'], preferredLanguage: '' },
      'Enter the language they would like to use',
      'preferredLanguage',
    ],
    [
      { communicationNeeds: ['other'], communicationNeedsOther: '' },
      'Enter what they need',
      'communicationNeedsOther',
    ],
    [{ contactMethods: ['pigeon'] }, 'Select how to contact them from the list', 'contactMethods'],
  ];
  for (const [change, message, href] of problems) {
    it(`shows "${message}" on the contact form, keeping what was typed`, async () => {
      const before = await memberRow(c.t, c.memberId);
      const response = await c.worker.post(`/members/${c.memberId}/contact`, {
        ...contact,
        ...change,
        version: String(before.version),
      });
      assert.equal(response.status, 400);
      assert.ok(response.body.includes(`<a href="#${href}">${message}</a>`), message);
      assert.ok(response.body.includes('value="Weekday mornings"') || 'bestTimes' in change, 'input kept');
      assert.deepEqual(await memberRow(c.t, c.memberId), before);
    });
  }

  it('saves an emergency contact, and asks for a name when only a number is given', async () => {
    const version = String((await memberRow(c.t, c.memberId)).version);
    const missing = await c.worker.post(`/members/${c.memberId}/emergency-contact`, {
      emergencyContactName: '',
      emergencyContactRelationship: 'Brother',
      emergencyContactPhone: '07700900999',
      version,
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<a href="#emergencyContactName">Enter the emergency contact’s name<\/a>/);
    assert.match(missing.body, /value="Brother"/);
    const saved = await c.worker.post(`/members/${c.memberId}/emergency-contact`, {
      emergencyContactName: 'Chris Brother',
      emergencyContactRelationship: 'Brother',
      emergencyContactPhone: '07700900999',
      version,
    });
    assert.equal(saved.status, 303);
    const row = await memberRow(c.t, c.memberId);
    assert.equal(row.emergency_contact_name, 'Chris Brother');
    assert.equal(row.emergency_contact_phone, '07700 900999');
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.updated').at(-1);
    assert.deepEqual(audit?.details, {
      fields: ['emergency_contact_name', 'emergency_contact_relationship', 'emergency_contact_phone'],
    });
  });

  it('records equality monitoring, with "Prefer not to say" as an answer, and refuses a code not offered', async () => {
    const form = await c.worker.get(`/members/${c.memberId}/equality`);
    assert.equal(form.status, 200);
    assert.match(form.body, /White – British/);
    assert.match(form.body, /Prefer not to say/);
    const version = String((await memberRow(c.t, c.memberId)).version);
    const wrong = await c.worker.post(`/members/${c.memberId}/equality`, { ethnicCategory: '99', version });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /<a href="#ethnicCategory">Select an ethnic group from the list<\/a>/);
    const saved = await c.worker.post(`/members/${c.memberId}/equality`, { ethnicCategory: 'Z', version });
    assert.equal(saved.status, 303);
    assert.equal((await memberRow(c.t, c.memberId)).ethnic_category, 'Z');
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.match(page.body, /Prefer not to say \/ not stated/);
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.updated').at(-1);
    assert.deepEqual(audit?.details, { fields: ['ethnic_category'] });
  });

  it('refuses a stale save of the contact form with 409 and changes nothing', async () => {
    const before = await memberRow(c.t, c.memberId);
    const response = await c.worker.post(`/members/${c.memberId}/contact`, {
      ...contact,
      email: 'someone@example.org',
      version: String(before.version - 1),
    });
    assert.equal(response.status, 409);
    assert.deepEqual(await memberRow(c.t, c.memberId), before);
  });
});

describe('people around them, and consent choices', () => {
  let c: Cast;
  before(async () => {
    c = await startMemberApp();
  });
  after(() => c.t.close());

  it('adds a carer, and shows them on the record', async () => {
    const form = await c.worker.get(`/members/${c.memberId}/people/new`);
    assert.equal(form.status, 200);
    const response = await c.worker.post(`/members/${c.memberId}/people/new`, {
      name: 'Pat Neighbour',
      relationship: 'Neighbour',
      isCarer: 'yes',
      phone: '0113 496 0000',
      email: 'pat@example.org',
      mayContact: 'no',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/members/${c.memberId}#people`);
    const row = await c.t.db
      .selectFrom('member_people')
      .selectAll()
      .where('name', '=', 'Pat Neighbour')
      .executeTakeFirstOrThrow();
    assert.equal(row.member_id, c.memberId);
    assert.equal(row.is_carer, true);
    assert.equal(row.may_contact, false);
    assert.equal(row.phone, '0113 496 0000');
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.person_added');
    assert.deepEqual(audit.at(-1)?.details, { personId: row.id, carer: true });
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.match(
      page.body,
      /Pat Neighbour<\/td><td class="nhsuk-table__cell">Neighbour<\/td><td class="nhsuk-table__cell">Yes/,
    );
    assert.match(page.body, /Pat Neighbour added \(Neighbour\)/);
  });

  it('shows each problem with a person, keeping what was typed', async () => {
    const response = await c.worker.post(`/members/${c.memberId}/people/new`, {
      name: '',
      relationship: 'x'.repeat(101),
      phone: 'call me',
      email: 'nope',
    });
    assert.equal(response.status, 400);
    for (const [href, message] of [
      ['name', 'Enter their name'],
      ['relationship', 'Relationship must be 100 characters or fewer'],
      ['isCarer', 'Select yes if they are a carer'],
      ['phone', 'Enter a phone number in the correct format, like 07700 900 982 or 0113 496 0000'],
      ['email', 'Enter an email address in the correct format, like name@example.com'],
      ['mayContact', 'Select yes if we may contact them'],
    ]) {
      assert.ok(response.body.includes(`<a href="#${href}">${message}</a>`), message);
    }
    assert.match(response.body, /value="call me"/);
  });

  it('changes a person, and refuses a stale save with 409', async () => {
    const form = await c.worker.get(`/members/${c.memberId}/people/${c.personId}`);
    assert.equal(form.status, 200);
    assert.match(form.body, /value="Sam Carer"/);
    const fields = {
      name: 'Sam Carer',
      relationship: 'Sister',
      isCarer: 'yes',
      phone: '',
      email: '',
      mayContact: 'no',
    };
    const saved = await c.worker.post(`/members/${c.memberId}/people/${c.personId}`, {
      ...fields,
      version: '1',
    });
    assert.equal(saved.status, 303);
    const row = await c.t.db
      .selectFrom('member_people')
      .selectAll()
      .where('id', '=', c.personId)
      .executeTakeFirstOrThrow();
    assert.equal(row.may_contact, false);
    assert.equal(row.phone, null);
    assert.equal(row.version, 2);
    const audit = (await auditRows(c.t, c.memberId))
      .filter((r) => r.action === 'member.person_updated')
      .at(-1);
    assert.deepEqual(audit?.details, { personId: c.personId, fields: ['phone', 'mayContact'] });
    const stale = await c.worker.post(`/members/${c.memberId}/people/${c.personId}`, {
      ...fields,
      name: 'Someone Else',
      version: '1',
    });
    assert.equal(stale.status, 409);
    const after = await c.t.db
      .selectFrom('member_people')
      .selectAll()
      .where('id', '=', c.personId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, row);
  });

  it('records a refused consent choice with who recorded it and when', async () => {
    const missing = await c.worker.post(`/members/${c.memberId}/consents/new`, {
      about: '',
      withWhom: 'x'.repeat(201),
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<a href="#about">Enter what the choice is about<\/a>/);
    assert.match(missing.body, /<a href="#withWhom">Who with must be 200 characters or fewer<\/a>/);
    assert.match(missing.body, /<a href="#given">Select whether they gave or refused consent<\/a>/);
    const response = await c.worker.post(`/members/${c.memberId}/consents/new`, {
      about: 'Sharing their crisis plan',
      withWhom: 'Their mother',
      given: 'refused',
    });
    assert.equal(response.status, 303);
    const row = await c.t.db
      .selectFrom('member_consents')
      .selectAll()
      .where('about', '=', 'Sharing their crisis plan')
      .executeTakeFirstOrThrow();
    assert.equal(row.given, false);
    assert.equal(row.recorded_by, c.workerStaff.id);
    assert.deepEqual(row.recorded_at, c.t.clock.now());
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.consent_recorded');
    assert.deepEqual(audit.at(-1)?.details, { consentId: row.id, given: false });
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.match(page.body, /Consent refused: Sharing their crisis plan, with Their mother/);
  });

  it('asks to confirm a withdrawal, records it on the same row, and refuses a second one with 409', async () => {
    const confirm = await c.worker.get(`/members/${c.memberId}/consents/${c.consentId}/withdraw`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Sharing their support plan/);
    assert.match(confirm.body, /Yes, record that it is withdrawn/);
    c.t.clock.advance(60_000);
    const response = await c.worker.post(`/members/${c.memberId}/consents/${c.consentId}/withdraw`);
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, `/members/${c.memberId}#consent`);
    const row = await c.t.db
      .selectFrom('member_consents')
      .selectAll()
      .where('id', '=', c.consentId)
      .executeTakeFirstOrThrow();
    assert.equal(row.withdrawn_by, c.workerStaff.id);
    assert.deepEqual(row.withdrawn_at, c.t.clock.now());
    assert.equal(row.given, true);
    const audit = (await auditRows(c.t, c.memberId)).filter((r) => r.action === 'member.consent_withdrawn');
    assert.deepEqual(
      audit.map((r) => r.details),
      [{ consentId: c.consentId }],
    );
    const page = await c.worker.get(`/members/${c.memberId}`);
    assert.match(page.body, /Consent withdrawn: Sharing their support plan, with Their GP/);
    assert.match(page.body, /2 March 2026 at 10:01am by Priya Worker/);
    const again = await c.worker.post(`/members/${c.memberId}/consents/${c.consentId}/withdraw`);
    assert.equal(again.status, 409);
    const unchanged = await c.t.db
      .selectFrom('member_consents')
      .selectAll()
      .where('id', '=', c.consentId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(unchanged, row);
  });
});
