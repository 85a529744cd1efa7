import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Ctx } from '../../context.ts';
import type { StaffActor } from '../../policy/index.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildAgreement, buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { buildReferral } from '../../testing/builders/referrals.ts';
import { signIn, startTestApp, type Agent, type Response, type TestApp } from '../../testing/test-app.ts';
import { REFERRAL_SOURCE_LABELS } from './referral-sources.ts';
import { readSafetyInformation } from './safety-information.service.ts';

const CRISIS = /If you need help now.*Call 111 and choose option 2.*116 123/;

/** A referral a GP might send, with every field filled in. */
const GOOD: Record<string, string | string[]> = {
  referrerName: 'Dr Alex Example',
  referrerRole: 'GP',
  referrerOrganisation: 'Riverside Surgery',
  referrerEmail: 'alex.example@example.nhs.uk',
  referrerPhone: '0113 496 0000',
  source: 'gp',
  name: 'Casey Synthetic',
  preferredName: 'Case',
  'dateOfBirth-day': '7',
  'dateOfBirth-month': '11',
  'dateOfBirth-year': '1990',
  nhsNumber: '943 476 5919',
  gpPractice: 'Riverside Surgery, Leeds',
  contactMethods: ['phone', 'letter'],
  phone: '07700 900982',
  email: '',
  postalAddress: '1 Example Street, Leeds',
  postcode: 'ls1 4ap',
  safeToLeaveMessage: 'no',
  communicationNeeds: ['easy_read'],
  preferredLanguage: '',
  communicationNeedsOther: '',
  ownWords: 'Casey has been isolated since leaving hospital and would like company.',
  hopes: 'A walking group.',
  safetyInformation: 'Visit in pairs: a dog at the address.',
  consent: 'yes',
  website: '',
};

const escaped = (text: string) => text.replace(/'/g, '&#39;');
const submissionKeyOf = (response: Response) =>
  /name="submissionKey" value="([^"]+)"/.exec(response.body)?.[1] ?? '';

/**
 * Opens the form and sends it, with the key the page gave unless the fields carry their own.
 *
 * @param agent - the browser.
 * @param fields - what to change from the good answers.
 * @returns the response to the send.
 */
async function send(agent: Agent, fields: Record<string, string | string[]> = {}): Promise<Response> {
  const page = await agent.get('/refer/professional');
  return agent.post('/refer/professional', { ...GOOD, submissionKey: submissionKeyOf(page), ...fields });
}

function assertCrisisHelp(response: Response, where: string) {
  assert.match(response.body, CRISIS, `crisis help on ${where}`);
  assert.match(response.body, /href="tel:999"/, `999 on ${where}`);
}

describe('the professional referral form', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await hostOrganisation(t.db);
  });
  after(() => t.close());

  const referralCount = async () => (await t.db.selectFrom('referrals').select('id').execute()).length;
  const submittedAudits = async () =>
    t.db.selectFrom('audit_events').selectAll().where('action', '=', 'referral.submitted').execute();

  it('is linked from the start page, and shows one form with crisis help, no account needed', async () => {
    const start = await t.agent().get('/refer');
    assert.match(
      start.body,
      /Are you a professional referring someone\?<a href="\/refer\/professional">Use the professional referral form<\/a>/,
    );
    const page = await t.agent().get('/refer/professional');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Refer someone for peer support<\/h1>/);
    assertCrisisHelp(page, 'the form');
    assert.match(page.body, /may not see this referral straight away/);
    for (const label of Object.values(REFERRAL_SOURCE_LABELS)) {
      assert.ok(page.body.includes(`>${label}</label>`), `the source "${label}" can be chosen`);
    }
    assert.doesNotMatch(page.body, /value="self"/, 'a professional cannot choose a self-referral');
    assert.match(page.body, /I confirm the person agrees to this referral/);
    assert.match(page.body, /name="submissionKey" value="[A-Za-z0-9_-]{32}"/);
    assert.match(page.body, /<div class="nhsuk-u-visually-hidden" aria-hidden="true"><label for="website">/);
    assert.match(page.body, /id="dateOfBirth-day"/);
    assert.doesNotMatch(page.body, /name="[^"]*diagnos/i, 'no diagnosis is asked for');
  });

  it('says what is missing for every required field, in page order, with crisis help', async () => {
    const agent = t.agent();
    await agent.get('/refer/professional');
    const response = await agent.post('/refer/professional', { website: '' });
    assert.equal(response.status, 400);
    assert.match(response.body, /There is a problem/);
    const expected: [string, string][] = [
      ['referrerName', 'Enter your name'],
      ['referrerEmail', 'Enter your email address or phone number'],
      ['source', 'Select where the referral is from'],
      ['name', "Enter the person's full name"],
      ['contactMethods', 'Select how we can contact the person'],
      ['ownWords', 'Enter the reason for the referral'],
      ['consent', 'Confirm the person agrees to be referred'],
    ];
    let last = -1;
    for (const [field, message] of expected) {
      const link = `<a href="#${field}">${escaped(message)}</a>`;
      const at = response.body.indexOf(link);
      assert.ok(at > -1, `error summary links "${message}" to #${field}`);
      assert.ok(at > last, `"${message}" comes after the one before it`);
      last = at;
      assert.ok(
        response.body.includes(`<span class="nhsuk-u-visually-hidden">Error:</span>${escaped(message)}`),
        `"${message}" is shown by its field too`,
      );
    }
    assertCrisisHelp(response, 'the form with errors');

    // A way to reach the person is needed for each way chosen.
    const unreachable = await agent.post('/refer/professional', {
      ...GOOD,
      contactMethods: ['phone', 'email', 'letter'],
      phone: '',
      email: '',
      postalAddress: '',
    });
    assert.equal(unreachable.status, 400);
    for (const [field, message] of [
      ['phone', "Enter the person's phone number"],
      ['email', "Enter the person's email address"],
      ['postalAddress', "Enter the person's address"],
    ]) {
      assert.ok(unreachable.body.includes(`<a href="#${field}">${escaped(message ?? '')}</a>`), message);
    }
    assert.equal(await referralCount(), 0);
  });

  it('explains each wrong answer and keeps what was typed', async () => {
    const agent = t.agent();
    const mistakes: [Record<string, string>, string, string, string][] = [
      [
        { nhsNumber: '943 476 5918' },
        'nhsNumber',
        'This NHS number is not valid. Check the number and enter it again',
        'value="943 476 5918"',
      ],
      [
        { 'dateOfBirth-day': '3', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2026' },
        'dateOfBirth',
        'Date of birth must be in the past',
        'value="2026"',
      ],
      [
        { 'dateOfBirth-day': '31', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1990' },
        'dateOfBirth',
        'Date of birth must be a real date',
        'value="31"',
      ],
      [
        { 'dateOfBirth-day': '', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1990' },
        'dateOfBirth',
        'Date of birth must include a day',
        'value="1990"',
      ],
      [{ postcode: 'LS1 4A' }, 'postcode', 'Enter a real postcode, like LS1 4AP', 'value="LS1 4A"'],
      [
        { ownWords: 'o'.repeat(5001) },
        'ownWords',
        'The reason for the referral must be 5,000 characters or fewer',
        'o'.repeat(5001),
      ],
      [
        { safetyInformation: 's'.repeat(5001) },
        'safetyInformation',
        'What the team should know to keep people safe must be 5,000 characters or fewer',
        's'.repeat(5001),
      ],
      [
        { referrerEmail: 'alex.example.nhs.uk' },
        'referrerEmail',
        'Enter an email address in the correct format, like name@example.com',
        'value="alex.example.nhs.uk"',
      ],
    ];
    for (const [fields, field, message, kept] of mistakes) {
      const response = await send(agent, fields);
      assert.equal(response.status, 400, message);
      assert.ok(
        response.body.includes(`<a href="#${field}">${message}</a>`),
        `"${message}" links to #${field}`,
      );
      assert.ok(response.body.includes(kept), `what was typed is kept for ${field}`);
      // Everything else typed is kept too.
      assert.ok(response.body.includes('value="Casey Synthetic"'), `the name is kept after ${field}`);
      assert.ok(
        response.body.includes('Visit in pairs: a dog at the address.') || field === 'safetyInformation',
      );
      assert.match(response.body, /value="gp" checked/);
      assert.match(response.body, /value="easy_read" checked/);
      assert.match(response.body, /value="yes" checked/);
      assertCrisisHelp(response, field);
    }
    assert.equal(await referralCount(), 0);
  });

  it('sends a referral: one row with the referrer and the person, one audit row, and a confirmation without their details', async () => {
    const host = await hostOrganisation(t.db);
    const agent = t.agent();
    const auditsBefore = (await submittedAudits()).length;
    const sent = await send(agent);
    assert.equal(sent.status, 303, sent.body.slice(0, 500));
    assert.equal(sent.headers.location, '/refer/professional/sent');

    const confirmation = await agent.get('/refer/professional/sent');
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.body, /Referral sent/);
    const reference = /The reference number is (R[A-HJ-NP-Z2-9]{8})/.exec(confirmation.body)?.[1];
    assert.ok(reference, 'a reference is shown');
    // Received on Monday 2 March 2026: 5 working days later.
    assert.match(confirmation.body, /We will contact the person by Monday 9 March 2026/);
    assertCrisisHelp(confirmation, 'the confirmation');
    for (const detail of ['Casey', 'Synthetic', '9434765919', '943 476 5919', 'LS1 4AP', 'isolated', 'dog']) {
      assert.ok(!confirmation.body.includes(detail), `the public confirmation does not show "${detail}"`);
    }

    const rows = await t.db.selectFrom('referrals').selectAll().where('reference', '=', reference).execute();
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.organisation_id, host.id);
    assert.equal(row.service_id, null);
    assert.equal(row.source, 'gp');
    assert.equal(row.status, 'new');
    assert.equal(row.first_contact_due, '2026-03-09');
    assert.equal(row.referrer_name, 'Dr Alex Example');
    assert.equal(row.referrer_role, 'GP');
    assert.equal(row.referrer_organisation, 'Riverside Surgery');
    assert.equal(row.referrer_email, 'alex.example@example.nhs.uk');
    assert.equal(row.referrer_phone, '0113 496 0000');
    assert.equal(row.name, 'Casey Synthetic');
    assert.equal(row.preferred_name, 'Case');
    assert.equal(row.date_of_birth, '1990-11-07');
    assert.equal(row.nhs_number, '9434765919');
    assert.equal(row.gp_practice, 'Riverside Surgery, Leeds');
    assert.deepEqual(row.contact_methods, ['phone', 'letter']);
    assert.equal(row.phone, '07700 900982');
    assert.equal(row.email, null);
    assert.equal(row.postal_address, '1 Example Street, Leeds');
    assert.equal(row.postcode, 'LS1 4AP');
    assert.equal(row.safe_to_leave_message, false);
    assert.deepEqual(row.communication_needs, ['easy_read']);
    assert.equal(row.own_words, 'Casey has been isolated since leaving hospital and would like company.');
    assert.equal(row.hopes, 'A walking group.');
    assert.equal(row.safety_information, 'Visit in pairs: a dog at the address.');
    assert.equal(row.consent_to_referral, true);
    assert.match(row.submission_key ?? '', /^[A-Za-z0-9_-]{32}$/);

    const audits = await submittedAudits();
    assert.equal(audits.length, auditsBefore + 1);
    const mine = audits.filter((a) => a.subject_id === row.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.actor_type, 'anonymous');
    assert.deepEqual(mine[0]?.details, { source: 'gp', organisationId: host.id });
    assert.doesNotMatch(JSON.stringify(mine[0]), /Casey|Alex|9434765919|LS1|dog|isolated/);
  });

  it('makes one referral when the same form is sent twice', async () => {
    const agent = t.agent();
    const page = await agent.get('/refer/professional');
    const key = submissionKeyOf(page);
    const before = await referralCount();
    const auditsBefore = (await submittedAudits()).length;
    const [first, second] = await Promise.all([
      agent.post('/refer/professional', { ...GOOD, submissionKey: key }),
      agent.post('/refer/professional', { ...GOOD, submissionKey: key }),
    ]);
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    const third = await agent.post('/refer/professional', { ...GOOD, submissionKey: key });
    assert.equal(third.status, 303);
    assert.equal(await referralCount(), before + 1);
    assert.equal((await submittedAudits()).length, auditsBefore + 1);
    const again = await agent.get('/refer/professional/sent');
    const row = await t.db
      .selectFrom('referrals')
      .select('reference')
      .where('submission_key', '=', key)
      .executeTakeFirstOrThrow();
    assert.ok(again.body.includes(`The reference number is ${row.reference}`));
  });

  it('shows a confirmation but saves nothing when the hidden honeypot field is filled in', async () => {
    const before = await referralCount();
    const auditsBefore = (await submittedAudits()).length;
    const caught = await send(t.agent(), { website: 'http://spam.example' });
    assert.equal(caught.status, 200);
    assert.match(caught.body, /Referral sent/);
    assert.match(caught.body, /The reference number is R[A-Z0-9]{8}/);
    assert.equal(await referralCount(), before);
    assert.equal((await submittedAudits()).length, auditsBefore);
  });

  it('sends a visitor with no referral just sent back to the form', async () => {
    const response = await t.agent().get('/refer/professional/sent');
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/refer/professional');
  });
});

describe('the referral page for staff, for a referral from a professional', () => {
  let t: TestApp;
  let referralId: string;
  let hostId: string;
  let partnerId: string;
  let agreementId: string;
  const SAFETY = 'Visit in pairs: a dog at the address.';

  before(async () => {
    t = await startTestApp();
    const host = await hostOrganisation(t.db);
    hostId = host.id;
    referralId = randomUUID();
    await buildReferral(t.db, {
      id: referralId,
      organisationId: host.id,
      source: 'step_down',
      referrerName: 'Robin Referrer',
      referrerRole: 'Care coordinator',
      referrerOrganisation: 'Example Community Mental Health Team',
      referrerEmail: 'robin@example.nhs.uk',
      referrerPhone: '01134960000',
      dateOfBirth: '1990-11-07',
      postcode: 'LS1 4AP',
      safetyInformation: SAFETY,
    });
    const partner = await buildOrganisation(t.db, { kind: 'nhs_trust' });
    partnerId = partner.id;
    agreementId = (
      await buildAgreement(t.db, [
        { organisationId: host.id, categories: [] },
        { organisationId: partner.id, categories: ['referrals'] },
      ])
    ).id;
  });
  after(() => t.close());

  const signedIn = async (organisationId: string, roles: StaffActor['roles'][number][]) => {
    const agent = t.agent();
    await signIn(agent, await buildStaff(t.db, { organisationId, roles: [...roles] }), t.clock);
    return agent;
  };
  const safetyReads = async () =>
    t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'referral.safety_information_read')
      .where('subject_id', '=', referralId)
      .execute();

  it('shows who referred them, their date of birth and postcode, but not the safety information to a partner with only referrals shared', async () => {
    const partnerWorker = await signedIn(partnerId, ['peer_support_worker']);
    const page = await partnerWorker.get(`/referrals/${referralId}`);
    assert.equal(page.status, 200);
    for (const text of [
      'Who referred them',
      'Step-down from an NHS team',
      'Robin Referrer',
      'Care coordinator',
      'Example Community Mental Health Team',
      'robin@example.nhs.uk',
      '01134960000',
      '7 November 1990',
      'LS1 4AP',
    ]) {
      assert.ok(page.body.includes(text), text);
    }
    assert.ok(!page.body.includes(SAFETY), 'the safety information is not shown');
    assert.ok(!page.body.includes('keeping people safe'), 'nor its heading');
    assert.equal((await safetyReads()).length, 0);
  });

  it('names every source in the words the form uses', async () => {
    const worker = await signedIn(hostId, ['peer_support_worker']);
    for (const [source, label] of Object.entries(REFERRAL_SOURCE_LABELS)) {
      const id = randomUUID();
      await buildReferral(t.db, {
        id,
        organisationId: hostId,
        reference: `R${'ABCDEFGHJ'[Object.keys(REFERRAL_SOURCE_LABELS).indexOf(source)]}TESTAB2`,
        source: source as keyof typeof REFERRAL_SOURCE_LABELS,
        referrerName: 'Robin Referrer',
      });
      const page = await worker.get(`/referrals/${id}`);
      assert.ok(
        page.body.includes(`Where the referral is from</dt><dd class="nhsuk-summary-list__value">${label}<`),
        label,
      );
    }
  });

  it('gives the safety information only to those allowed, and records each read', async () => {
    const ctxAs = (actor: StaffActor): Ctx => ({
      db: t.db,
      clock: t.clock,
      actor,
      origin: { requestId: 'test', ip: '127.0.0.1' },
    });
    const staff = (organisationId: string, sharing: StaffActor['sharing']): StaffActor => ({
      kind: 'staff',
      id: randomUUID(),
      organisationId,
      hostOrganisation: organisationId === hostId,
      roles: ['peer_support_worker'],
      sharing,
    });
    const referral = { id: referralId, organisation_id: hostId };
    const before = (await safetyReads()).length;

    assert.equal(await readSafetyInformation(ctxAs(staff(hostId, [])), referral), SAFETY);
    assert.equal((await safetyReads()).length, before + 1);

    const referralsOnly = staff(partnerId, [
      { fromOrganisationId: hostId, category: 'referrals', agreementId },
    ]);
    assert.equal(await readSafetyInformation(ctxAs(referralsOnly), referral), undefined);
    const safeguarding = staff(partnerId, [
      { fromOrganisationId: hostId, category: 'safeguarding', agreementId },
    ]);
    assert.equal(await readSafetyInformation(ctxAs(safeguarding), referral), SAFETY);
    const commissioner = { ...staff(hostId, []), roles: ['commissioner'] as const };
    assert.equal(await readSafetyInformation(ctxAs(commissioner), referral), undefined);

    const reads = await safetyReads();
    assert.equal(reads.length, before + 2, 'only the reads that returned the text are recorded');
    assert.ok(reads.every((r) => r.actor_type === 'staff' && !JSON.stringify(r.details).includes('dog')));
  });

  it('shows the safety information on the referral page to a peer support worker of the holding organisation', async () => {
    const worker = await signedIn(hostId, ['peer_support_worker']);
    const page = await worker.get(`/referrals/${referralId}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('What the referrer said about keeping people safe'));
    assert.ok(page.body.includes(SAFETY));
  });
});

describe('the limit on referrals sent from one address', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await hostOrganisation(t.db);
  });
  after(() => t.close());

  it('refuses the 21st referral from one address within an hour, keeping what was typed, and allows it after the hour', async () => {
    const sender = t.agent();
    await sender.get('/refer/professional');
    for (let i = 0; i < 20; i += 1) {
      const sent = await sender.post('/refer/professional', {
        ...GOOD,
        submissionKey: `limit-test-key-${i}`,
      });
      assert.equal(sent.status, 303, `referral ${i + 1}`);
    }
    const agent = t.agent();
    const refused = await send(agent, { name: 'Twenty One' });
    assert.equal(refused.status, 429);
    assert.match(refused.body, /Your referral has not been sent yet/);
    assert.match(
      refused.body,
      /Too many referrals have been sent from this internet connection in the last hour/,
    );
    assert.match(refused.body, /What you typed is still here\. Wait 60 minutes, then send it again\./);
    assert.equal(refused.headers['retry-after'], '3600');
    assert.ok(refused.body.includes('value="Twenty One"'));
    assert.ok(refused.body.includes('Visit in pairs: a dog at the address.'));
    assertCrisisHelp(refused, 'the refusal');
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 20);

    // The same page, sent again once the hour has passed.
    t.clock.advance(60 * 60_000);
    const allowed = await agent.post('/refer/professional', {
      ...GOOD,
      name: 'Twenty One',
      submissionKey: submissionKeyOf(refused),
    });
    assert.equal(allowed.status, 303);
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 21);
  });
});
