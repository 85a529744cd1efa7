import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOrganisation, buildService, hostOrganisation } from '../../testing/builders/organisations.ts';
import { startTestApp, type Agent, type Response, type TestApp } from '../../testing/test-app.ts';

/** Good answers for every question page, in the order a person meets them. */
const GOOD_ANSWERS: [string, Record<string, string | string[]>][] = [
  ['what-is-happening', { ownWords: 'I have been feeling low and I am not sleeping.' }],
  ['what-you-would-like', { hopes: 'Someone to talk to, and maybe a walking group.' }],
  ['your-name', { name: 'Sam Synthetic', preferredName: 'Sam' }],
  ['date-of-birth', { 'dateOfBirth-day': '15', 'dateOfBirth-month': '3', 'dateOfBirth-year': '1984' }],
  [
    'how-to-contact-you',
    {
      contactMethods: ['phone', 'email'],
      phone: '07700 900982',
      email: 'sam@example.org',
      postalAddress: '',
      postcode: 'ls1 4ap',
      safeToLeaveMessage: 'yes',
      bestTimes: 'Weekday mornings',
    },
  ],
  [
    'communication-needs',
    { communicationNeeds: ['large_print', 'another_language'], preferredLanguage: 'Polish' },
  ],
  ['nhs-number', { nhsNumber: '943 476 5919' }],
  ['gp-practice', { gpPractice: 'Riverside Surgery, Leeds' }],
  ['consent', { consent: ['referral', 'contact'] }],
];

const CRISIS = /If you need help now.*Call 111 and choose option 2.*116 123/;

function assertCrisisHelp(response: Response, where: string) {
  assert.match(response.body, CRISIS, `crisis help on ${where}`);
  assert.match(response.body, /href="tel:999"/, `999 on ${where}`);
}

async function start(agent: Agent, needHelpNow: 'yes' | 'no' = 'no') {
  await agent.get('/refer');
  return agent.post('/refer', { needHelpNow });
}

async function answerAll(agent: Agent) {
  await start(agent);
  for (const [slug, fields] of GOOD_ANSWERS) {
    await agent.get(`/refer/${slug}`);
    const response = await agent.post(`/refer/${slug}`, fields);
    assert.equal(response.status, 303, `${slug}: ${response.body.slice(0, 300)}`);
  }
}

const submissionKeyOf = (response: Response) =>
  /name="submissionKey" value="([^"]+)"/.exec(response.body)?.[1] ?? '';

describe('the self-referral journey', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await hostOrganisation(t.db);
  });
  after(() => t.close());

  const referralCount = async () => (await t.db.selectFrom('referrals').select('id').execute()).length;
  const submittedAudits = async () =>
    t.db.selectFrom('audit_events').selectAll().where('action', '=', 'referral.submitted').execute();

  it('starts with what the service is, that no diagnosis is needed, and asks if help is needed now', async () => {
    const agent = t.agent();
    const page = await agent.get('/refer');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Refer yourself for peer support<\/h1>/);
    assert.match(page.body, /You do not need a diagnosis, and we will not ask you for one/);
    assert.match(page.body, /Do you need help right now\?/);
    assertCrisisHelp(page, '/refer');

    const missing = await agent.post('/refer', {});
    assert.equal(missing.status, 400);
    assert.match(missing.body, /There is a problem/);
    assert.match(missing.body, /<a href="#needHelpNow">Select yes if you need help right now<\/a>/);
    assertCrisisHelp(missing, '/refer with an error');
  });

  it('shows crisis help first to someone who needs help now, with a way to carry on', async () => {
    const agent = t.agent();
    const answered = await start(agent, 'yes');
    assert.equal(answered.status, 303);
    assert.equal(answered.headers.location, '/refer/help-now');
    const help = await agent.get('/refer/help-now');
    assert.equal(help.status, 200);
    assert.match(help.body, /<h1>If you need help now<\/h1>/);
    assert.match(help.body, /Call 999 or go to A&amp;E/);
    assert.match(help.body, /Call 111 and choose option 2/);
    assert.match(help.body, /Text SHOUT to 85258/);
    assert.match(help.body, /<a href="\/refer\/what-is-happening"[^>]*>Carry on with your referral<\/a>/);
    assert.equal((await agent.get('/refer/what-is-happening')).status, 200);
  });

  it('keeps the draft in a signed, HttpOnly, SameSite=Lax cookie holding only its id', async () => {
    const agent = t.agent();
    const answered = await start(agent);
    const cookie = [answered.headers['set-cookie'] ?? []]
      .flat()
      .map(String)
      .find((line) => line.startsWith('alongside-referral='));
    assert.ok(cookie, 'a draft cookie is set');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const value = decodeURIComponent(/^alongside-referral=([^;]*)/.exec(cookie)?.[1] ?? '');
    assert.match(value, /^[0-9a-f-]{36}\.[A-Za-z0-9+/_-]+$/, 'a draft id and its signature, nothing else');

    // A cookie changed by hand is not trusted: the journey starts again.
    agent.setCookie('alongside-referral', `${value.slice(0, 36)}.forged`);
    const forged = await agent.get('/refer/what-is-happening');
    assert.equal(forged.status, 303);
    assert.equal(forged.headers.location, '/refer');
  });

  it('sends a visitor with no referral in progress back to the start', async () => {
    for (const path of ['/refer/your-name', '/refer/check-your-answers', '/refer/sent']) {
      const response = await t.agent().get(path);
      assert.equal(response.status, 303, path);
      assert.equal(response.headers.location, '/refer', path);
    }
  });

  it('explains each mistake with the NHS error summary, keeps what was typed, and shows crisis help', async () => {
    const agent = t.agent();
    await start(agent);
    const mistakes: [string, Record<string, string | string[]>, string, string][] = [
      ['what-is-happening', { ownWords: '  ' }, 'ownWords', 'Tell us what is happening for you'],
      [
        'what-is-happening',
        { ownWords: 'x'.repeat(5001) },
        'ownWords',
        'What is happening must be 5,000 characters or fewer',
      ],
      [
        'what-you-would-like',
        { hopes: '' },
        'hopes',
        'Tell us what you would like from us, or say if you are not sure',
      ],
      ['your-name', { name: '', preferredName: 'Kept preferred' }, 'name', 'Enter your name'],
      ['how-to-contact-you', {}, 'contactMethods', 'Select how we can contact you'],
      [
        'how-to-contact-you',
        { contactMethods: ['phone'], phone: '12345', safeToLeaveMessage: 'no' },
        'phone',
        'Enter a phone number in the correct format, like 07700 900 982 or 0113 496 0000',
      ],
      [
        'how-to-contact-you',
        { contactMethods: ['email'], email: 'sam.example.org' },
        'email',
        'Enter an email address in the correct format, like name@example.com',
      ],
      [
        'how-to-contact-you',
        { contactMethods: ['phone'], phone: '07700 900982' },
        'safeToLeaveMessage',
        'Select yes if it is safe to leave you a message',
      ],
      ['how-to-contact-you', { contactMethods: ['letter'] }, 'postalAddress', 'Enter your address'],
      [
        'communication-needs',
        { communicationNeeds: ['another_language'] },
        'preferredLanguage',
        'Enter the language you would like to use',
      ],
      [
        'communication-needs',
        { communicationNeeds: ['other'] },
        'communicationNeedsOther',
        'Tell us what you need',
      ],
      [
        'nhs-number',
        { nhsNumber: '943 476 5918' },
        'nhsNumber',
        'This NHS number is not valid. Check the number and enter it again',
      ],
      ['nhs-number', { nhsNumber: '943 476 591' }, 'nhsNumber', 'Enter a 10-digit NHS number'],
      [
        'nhs-number',
        { nhsNumber: '943 476 591O' },
        'nhsNumber',
        'Enter a valid NHS number, like 943 476 5919',
      ],
      [
        'gp-practice',
        { gpPractice: 'g'.repeat(201) },
        'gpPractice',
        'GP surgery name must be 200 characters or fewer',
      ],
      ['consent', {}, 'consent', 'Select that you agree to us receiving your referral'],
      ['consent', { consent: 'referral' }, 'consent', 'Select that you agree to us contacting you'],
    ];
    for (const [slug, fields, field, message] of mistakes) {
      await agent.get(`/refer/${slug}`);
      const response = await agent.post(`/refer/${slug}`, fields);
      assert.equal(response.status, 400, `${slug} ${field}`);
      assert.match(response.body, /There is a problem/, slug);
      assert.ok(
        response.body.includes(`<a href="#${field}">${message}</a>`),
        `${slug}: error summary links "${message}" to #${field}`,
      );
      assertCrisisHelp(response, slug);
    }
    // What was typed is kept on the page.
    const kept = await agent.post('/refer/your-name', { name: '', preferredName: 'Kept preferred' });
    assert.match(kept.body, /value="Kept preferred"/);
    const keptPhone = await agent.post('/refer/how-to-contact-you', {
      contactMethods: ['phone'],
      phone: '12345',
    });
    assert.match(keptPhone.body, /value="12345"/);
    assert.match(keptPhone.body, /value="phone" checked/);
    assert.equal(await referralCount(), 0);
  });

  it('explains each mistake in a date of birth or postcode, keeps what was typed, and accepts the edges', async () => {
    const agent = t.agent();
    await start(agent);
    const born = (day: string, month: string, year: string) => ({
      'dateOfBirth-day': day,
      'dateOfBirth-month': month,
      'dateOfBirth-year': year,
    });
    // Today is Monday 2 March 2026 on the test clock.
    const mistakes: [string, Record<string, string | string[]>, string, string, string[]][] = [
      [
        'date-of-birth',
        born('3', '3', '2026'),
        'dateOfBirth',
        'Date of birth must be in the past',
        ['value="3"', 'value="2026"'],
      ],
      [
        'date-of-birth',
        born('2', '3', '2026'),
        'dateOfBirth',
        'Date of birth must be in the past',
        ['value="2"', 'value="2026"'],
      ],
      [
        'date-of-birth',
        born('31', '6', '1990'),
        'dateOfBirth',
        'Date of birth must be a real date',
        ['value="31"', 'value="6"', 'value="1990"'],
      ],
      [
        'date-of-birth',
        born('1', '3', '1906'),
        'dateOfBirth',
        'Check the year of your date of birth',
        ['value="1"', 'value="3"', 'value="1906"'],
      ],
      [
        'date-of-birth',
        born('15', '3', '1884'),
        'dateOfBirth',
        'Date of birth must be a real date',
        ['value="15"', 'value="1884"'],
      ],
      [
        'date-of-birth',
        born('', '6', '1990'),
        'dateOfBirth',
        'Date of birth must include a day',
        ['value="6"', 'value="1990"'],
      ],
      [
        'how-to-contact-you',
        { contactMethods: ['letter'], postalAddress: '1 Example Street, Leeds', postcode: 'LS1 4A' },
        'postcode',
        'Enter a real postcode, like SW1A 1AA',
        ['value="LS1 4A"', '1 Example Street, Leeds'],
      ],
      [
        'how-to-contact-you',
        { contactMethods: ['email'], email: 'sam@example.org', postcode: 'not a postcode' },
        'postcode',
        'Enter a real postcode, like SW1A 1AA',
        ['value="not a postcode"', 'value="sam@example.org"'],
      ],
    ];
    for (const [slug, fields, field, message, kept] of mistakes) {
      const response = await agent.post(`/refer/${slug}`, fields);
      const what = `${slug} ${JSON.stringify(fields)}`;
      assert.equal(response.status, 400, what);
      assert.match(response.body, /There is a problem/, what);
      assert.ok(
        response.body.includes(`<a href="#${field}">${message}</a>`),
        `${what}: error summary links "${message}" to #${field}`,
      );
      assert.ok(response.body.includes(`${message}</span>`), `${what}: the message is by the field`);
      for (const value of kept) {
        assert.ok(response.body.includes(value), `${what}: keeps ${value}`);
      }
      assertCrisisHelp(response, slug);
    }

    // A wrong postcode is reported with the other mistakes on the page, in page order.
    const both = await agent.post('/refer/how-to-contact-you', {
      contactMethods: ['letter'],
      postcode: 'LS1 4A',
    });
    assert.equal(both.status, 400);
    assert.match(
      both.body,
      /<a href="#postalAddress">Enter your address<\/a><\/li><li><a href="#postcode">Enter a real postcode, like SW1A 1AA<\/a>/,
    );

    // The page asks with the NHS date input, and says it can be left blank.
    const page = await agent.get('/refer/date-of-birth');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>What is your date of birth\?<\/h1>/);
    assert.match(page.body, /For example, 15 3 1984\. You can leave this blank\./);
    for (const box of ['day', 'month', 'year']) {
      assert.match(page.body, new RegExp(`id="dateOfBirth-${box}" name="dateOfBirth-${box}"`));
    }
    assert.match(page.body, /href="\/refer\/your-name"/, 'back goes to the name page');

    // Exactly 120 years ago, yesterday, and nothing at all are all fine; the name page leads here.
    for (const fields of [born('2', '3', '1906'), born('1', '3', '2026'), born('', '', '')]) {
      const response = await agent.post('/refer/date-of-birth', fields);
      assert.equal(response.status, 303, JSON.stringify(fields));
      assert.equal(response.headers.location, '/refer/how-to-contact-you');
    }
    const named = await agent.post('/refer/your-name', { name: 'Sam Synthetic', preferredName: '' });
    assert.equal(named.headers.location, '/refer/date-of-birth');
    assert.equal(await referralCount(), 0);
  });

  it('checks a saved date of birth and postcode again before sending, and sends none when left blank', async () => {
    const agent = t.agent();
    await answerAll(agent);
    // Saved as typed, a mistake included: check answers sends the person back to put it right.
    const saved = await agent.post('/refer/date-of-birth', {
      ...{ 'dateOfBirth-day': '3', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2026' },
      action: 'save',
    });
    assert.equal(saved.status, 200);
    const check = await agent.get('/refer/check-your-answers');
    assert.equal(check.status, 303);
    assert.equal(check.headers.location, '/refer/date-of-birth');
    const send = await agent.post('/refer/check-your-answers', { submissionKey: 'b'.repeat(32) });
    assert.equal(send.status, 303);
    assert.equal(send.headers.location, '/refer/date-of-birth');
    const kept = await agent.get('/refer/date-of-birth');
    assert.match(
      kept.body,
      /name="dateOfBirth-year" type="text" value="2026"/,
      'the draft keeps it as typed',
    );

    await agent.post('/refer/date-of-birth', {
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
    });
    const contact = GOOD_ANSWERS.find(([slug]) => slug === 'how-to-contact-you')?.[1] ?? {};
    await agent.post('/refer/how-to-contact-you', { ...contact, postcode: 'LS1 4A', action: 'save' });
    const again = await agent.get('/refer/check-your-answers');
    assert.equal(again.headers.location, '/refer/how-to-contact-you');

    await agent.post('/refer/how-to-contact-you', { ...contact, postcode: '' });
    const ready = await agent.get('/refer/check-your-answers');
    assert.equal(ready.status, 200);
    assert.match(ready.body, /Date of birth\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Not given/);
    assert.match(ready.body, /Postcode\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Not given/);
    assert.ok(ready.body.includes('href="/refer/date-of-birth?change=yes"'));
    const sent = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(ready) });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.location, '/refer/sent');
    const confirmation = await agent.get('/refer/sent');
    const reference = /Your reference number is (R[A-Z0-9]{8})/.exec(confirmation.body)?.[1] ?? '';
    const row = await t.db
      .selectFrom('referrals')
      .select(['date_of_birth', 'postcode'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { date_of_birth: null, postcode: null });
  });

  it('never asks for a diagnosis on any page', async () => {
    const agent = t.agent();
    await start(agent);
    for (const [slug] of GOOD_ANSWERS) {
      const page = await agent.get(`/refer/${slug}`);
      assert.equal(page.status, 200, slug);
      assert.doesNotMatch(page.body, /name="[^"]*diagnos/i, slug);
      assertCrisisHelp(page, slug);
    }
  });

  it('takes a person from start to confirmation, with check answers, change links, the row and its audit row', async () => {
    const agent = t.agent();
    const host = await hostOrganisation(t.db);
    await answerAll(agent);

    const check = await agent.get('/refer/check-your-answers');
    assert.equal(check.status, 200);
    assert.match(check.body, /<h1>Check your answers before sending your referral<\/h1>/);
    assertCrisisHelp(check, 'check your answers');
    for (const text of [
      'I have been feeling low and I am not sleeping.',
      'Sam Synthetic',
      '15 March 1984',
      'LS1 4AP',
      'Phone call, Email',
      '07700 900982',
      'sam@example.org',
      'Large print, Information in another language, or an interpreter: Polish',
      '943 476 5919',
      'Riverside Surgery, Leeds',
    ]) {
      assert.ok(check.body.includes(text), `check answers shows ${text}`);
    }
    for (const [slug] of GOOD_ANSWERS) {
      assert.ok(check.body.includes(`href="/refer/${slug}?change=yes"`), `a Change link to ${slug}`);
    }

    // Changing an answer goes back to check answers.
    const change = await agent.get('/refer/your-name?change=yes');
    assert.match(change.body, /value="Sam Synthetic"/);
    assert.match(change.body, /href="\/refer\/check-your-answers"/, 'back goes to check answers');
    const changed = await agent.post('/refer/your-name?change=yes', {
      name: 'Samira Synthetic',
      preferredName: '',
    });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.location, '/refer/check-your-answers');
    const rechecked = await agent.get('/refer/check-your-answers');
    assert.ok(rechecked.body.includes('Samira Synthetic'));
    assert.doesNotMatch(rechecked.body, /website[^>]*tabindex="0"/);
    assert.match(rechecked.body, /<div class="nhsuk-u-visually-hidden" aria-hidden="true">/);

    const sent = await agent.post('/refer/check-your-answers', {
      submissionKey: submissionKeyOf(rechecked),
      website: '',
    });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.location, '/refer/sent');
    assert.equal(agent.cookie('alongside-referral'), undefined, 'the draft cookie is cleared');

    const confirmation = await agent.get('/refer/sent');
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.body, /Referral sent/);
    const reference = /Your reference number is (R[A-Z0-9]{8})/.exec(confirmation.body)?.[1];
    assert.ok(reference, 'a reference is shown');
    assert.match(reference, /^R[A-HJ-NP-Z2-9]{8}$/, 'no 0, O, 1 or I');
    // Received on Monday 2 March 2026: 5 working days later.
    assert.match(confirmation.body, /We will contact you by Monday 9 March 2026/);
    assertCrisisHelp(confirmation, 'the confirmation');

    const row = await t.db
      .selectFrom('referrals')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, host.id);
    assert.equal(row.service_id, null);
    assert.equal(row.source, 'self');
    assert.equal(row.status, 'new');
    assert.equal(row.first_contact_due, '2026-03-09');
    assert.equal(row.received_at.toISOString(), '2026-03-02T10:00:00.000Z');
    assert.equal(row.name, 'Samira Synthetic');
    assert.equal(row.preferred_name, null);
    assert.equal(row.email, 'sam@example.org');
    assert.equal(row.phone, '07700 900982');
    assert.deepEqual(row.contact_methods, ['phone', 'email']);
    assert.equal(row.safe_to_leave_message, true);
    assert.deepEqual(row.communication_needs, ['large_print', 'another_language']);
    assert.equal(row.preferred_language, 'Polish');
    assert.equal(row.nhs_number, '9434765919');
    assert.equal(row.gp_practice, 'Riverside Surgery, Leeds');
    assert.equal(row.consent_to_referral, true);
    assert.equal(row.consent_to_contact, true);
    assert.equal(row.date_of_birth, '1984-03-15');
    assert.equal(row.postcode, 'LS1 4AP');

    const audits = (await submittedAudits()).filter((a) => a.subject_id === row.id);
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.actor_type, 'anonymous');
    assert.equal(audits[0]?.subject_type, 'Referral');
    const details = JSON.stringify(audits[0]?.details);
    assert.doesNotMatch(details, /Samira|sam@example|9434765919|feeling low/, 'ids only in the audit row');
    assert.equal(
      (await t.db.selectFrom('referral_drafts').selectAll().execute()).filter((d) =>
        JSON.stringify(d.answers).includes('Samira'),
      ).length,
      0,
      'the draft is deleted',
    );
  });

  it('creates one referral when the same form is sent twice, and shows the same confirmation', async () => {
    const agent = t.agent();
    await answerAll(agent);
    const check = await agent.get('/refer/check-your-answers');
    const key = submissionKeyOf(check);
    const before = await referralCount();
    const auditsBefore = (await submittedAudits()).length;
    const first = await agent.post('/refer/check-your-answers', { submissionKey: key });
    const firstPage = await agent.get('/refer/sent');
    const second = await agent.post('/refer/check-your-answers', { submissionKey: key });
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    assert.equal(second.headers.location, '/refer/sent');
    const secondPage = await agent.get('/refer/sent');
    const referenceOf = (r: Response) => /Your reference number is (R[A-Z0-9]{8})/.exec(r.body)?.[1];
    assert.ok(referenceOf(firstPage));
    assert.equal(referenceOf(secondPage), referenceOf(firstPage));
    assert.equal(await referralCount(), before + 1);
    assert.equal((await submittedAudits()).length, auditsBefore + 1);
  });

  it('saves answers with a resume code that brings them back in another browser', async () => {
    const first = t.agent();
    await start(first);
    for (const [slug, fields] of GOOD_ANSWERS.slice(0, 2)) {
      await first.get(`/refer/${slug}`);
      await first.post(`/refer/${slug}`, fields);
    }
    await first.get('/refer/your-name');
    const saved = await first.post('/refer/your-name', {
      name: 'Robin Resumed',
      preferredName: '',
      action: 'save',
    });
    assert.equal(saved.status, 200);
    assert.match(saved.body, /Your answers have been saved/);
    assert.match(saved.body, /The code works for 7 days, until 9 March 2026/);
    assertCrisisHelp(saved, 'the saved page');
    const code = /id="resume-code">([A-Z0-9]{4}-[A-Z0-9]{4})</.exec(saved.body)?.[1];
    assert.ok(code, 'a code is shown');
    assert.match(code, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const drafts = await t.db.selectFrom('referral_drafts').select('code_hash').execute();
    assert.ok(
      drafts.every((d) => d.code_hash === null || /^[0-9a-f]{64}$/.test(d.code_hash)),
      'only a hash is kept',
    );
    assert.ok(!JSON.stringify(drafts).includes(code.replace('-', '')));

    const second = t.agent();
    const resume = await second.get('/refer/resume');
    assertCrisisHelp(resume, 'resume');
    const empty = await second.post('/refer/resume', { code: '' });
    assert.equal(empty.status, 400);
    assert.ok(empty.body.includes('<a href="#code">Enter the code you were given</a>'));
    const wrong = await second.post('/refer/resume', { code: 'ZZZZ-ZZZZ' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /This code is not right or has expired/);
    assert.match(wrong.body, /value="ZZZZ-ZZZZ"/);

    const resumed = await second.post('/refer/resume', { code: code.toLowerCase().replace('-', ' ') });
    assert.equal(resumed.status, 303);
    // The name page was saved as typed but not yet continued: that is where they carry on.
    assert.equal(resumed.headers.location, '/refer/date-of-birth');
    const namePage = await second.get('/refer/your-name');
    assert.match(namePage.body, /value="Robin Resumed"/);
    const ownWords = await second.get('/refer/what-is-happening');
    assert.ok(ownWords.body.includes('I have been feeling low and I am not sleeping.'));

    // After 7 days the code no longer works.
    t.clock.advance(8 * 24 * 3600 * 1000);
    try {
      const expired = await t.agent().post('/refer/resume', { code });
      assert.equal(expired.status, 400);
    } finally {
      t.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it('shows a confirmation but saves nothing when the hidden honeypot field is filled in', async () => {
    const agent = t.agent();
    await answerAll(agent);
    const check = await agent.get('/refer/check-your-answers');
    const before = await referralCount();
    const auditsBefore = (await submittedAudits()).length;
    const caught = await agent.post('/refer/check-your-answers', {
      submissionKey: submissionKeyOf(check),
      website: 'http://spam.example',
    });
    assert.equal(caught.status, 200);
    assert.match(caught.body, /Referral sent/);
    assert.match(caught.body, /Your reference number is R[A-Z0-9]{8}/);
    assert.equal(await referralCount(), before);
    assert.equal((await submittedAudits()).length, auditsBefore);
  });

  it('holds a referral for a service with its lead organisation and response standard', async () => {
    const host = await hostOrganisation(t.db);
    const lead = await buildOrganisation(t.db);
    const service = await buildService(t.db, [lead.id, host.id], { firstContactWorkingDays: 3 });
    const agent = t.agent();
    const startPage = await agent.get(`/refer?service=${service.id}`);
    assert.match(startPage.body, new RegExp(`name="service" value="${service.id}"`));
    await agent.post('/refer', { needHelpNow: 'no', service: service.id });
    for (const [slug, fields] of GOOD_ANSWERS) {
      await agent.post(`/refer/${slug}`, fields);
    }
    const check = await agent.get('/refer/check-your-answers');
    assert.equal(check.status, 200);
    const sent = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(check) });
    assert.equal(sent.status, 303);
    const confirmation = await agent.get('/refer/sent');
    assert.match(confirmation.body, /We will contact you by Thursday 5 March 2026/);
    const reference = /Your reference number is (R[A-Z0-9]{8})/.exec(confirmation.body)?.[1] ?? '';
    const row = await t.db
      .selectFrom('referrals')
      .select(['service_id', 'organisation_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { service_id: service.id, organisation_id: lead.id });
  });

  it('sends someone who skips ahead to the first question still to answer', async () => {
    const agent = t.agent();
    await start(agent);
    await agent.post('/refer/what-is-happening', { ownWords: 'Things are hard.' });
    const check = await agent.get('/refer/check-your-answers');
    assert.equal(check.status, 303);
    assert.equal(check.headers.location, '/refer/what-you-would-like');
    const send = await agent.post('/refer/check-your-answers', { submissionKey: 'a'.repeat(32) });
    assert.equal(send.status, 303);
    assert.equal(send.headers.location, '/refer/what-you-would-like');
  });
});

describe('when a referral cannot be saved', () => {
  let t: TestApp;
  before(async () => {
    // No host organisation yet: there is no one to receive the referral.
    t = await startTestApp();
  });
  after(() => t.close());

  it('keeps the answers and says what to do, instead of an error page', async () => {
    const agent = t.agent();
    await answerAll(agent);
    const check = await agent.get('/refer/check-your-answers');
    const failed = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(check) });
    assert.equal(failed.status, 503);
    assert.match(failed.body, /Your referral has not been sent yet/);
    assert.match(failed.body, /Your answers are still saved/);
    assertCrisisHelp(failed, 'the not-sent page');
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 0);
    assert.equal((await t.db.selectFrom('referral_drafts').select('id').execute()).length, 1);

    // Once the service is set up, sending again works from the same draft.
    await hostOrganisation(t.db);
    const again = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(failed) });
    assert.equal(again.status, 303);
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 1);
  });
});

describe('guessing resume codes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await hostOrganisation(t.db);
  });
  after(() => t.close());

  it('refuses an address after 10 wrong codes in 5 minutes, even with a right one, then lets it try again', async () => {
    for (let i = 0; i < 10; i += 1) {
      const wrong = await t.agent().post('/refer/resume', { code: `ZZZZ-ZZZ${i + 2}` });
      assert.equal(wrong.status, 400, `guess ${i + 1}`);
    }
    const locked = await t.agent().post('/refer/resume', { code: 'ZZZZ-ZZZZ' });
    assert.equal(locked.status, 429);
    assert.match(locked.body, /Too many attempts/);
    t.clock.advance(5 * 60_000 + 1_000);
    assert.equal((await t.agent().post('/refer/resume', { code: 'ZZZZ-ZZZZ' })).status, 400);
  });
});

describe('the limit on referrals sent from one address', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await hostOrganisation(t.db);
  });
  after(() => t.close());

  it('refuses a self-referral once 20 referrals have come from the address in an hour, and keeps the draft', async () => {
    // Professional referrals and self-referrals count together.
    const sender = t.agent();
    await sender.get('/refer/professional');
    for (let i = 0; i < 20; i += 1) {
      const sent = await sender.post('/refer/professional', {
        referrerName: 'Dr Alex Example',
        referrerEmail: 'alex.example@example.nhs.uk',
        source: 'gp',
        name: `Person ${i + 1}`,
        contactMethods: 'phone',
        phone: '07700 900982',
        ownWords: 'Would like some company.',
        consent: 'yes',
        submissionKey: `limit-test-key-${i}`,
      });
      assert.equal(sent.status, 303, `referral ${i + 1}`);
    }
    const agent = t.agent();
    await answerAll(agent);
    const check = await agent.get('/refer/check-your-answers');
    const refused = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(check) });
    assert.equal(refused.status, 429);
    assert.match(refused.body, /Your referral has not been sent yet/);
    assert.match(
      refused.body,
      /Too many referrals have been sent from this internet connection in the last hour/,
    );
    assert.match(refused.body, /Your answers are still saved\. Wait 60 minutes, then send it again\./);
    assert.equal(refused.headers['retry-after'], '3600');
    assertCrisisHelp(refused, 'the refusal');
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 20);
    assert.equal(
      (await t.db.selectFrom('referral_drafts').select('id').execute()).length,
      1,
      'the draft is kept',
    );

    t.clock.advance(60 * 60_000);
    const sent = await agent.post('/refer/check-your-answers', { submissionKey: submissionKeyOf(refused) });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.location, '/refer/sent');
    assert.equal((await t.db.selectFrom('referrals').select('id').execute()).length, 21);
  });
});
