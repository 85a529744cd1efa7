import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import {
  arriveAt,
  assertPhoneFriendlyWithCrisisHelp,
  JOURNEY_TIMEOUT_MS,
  PHONE,
  type TrackedPage,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * A person refers themselves from their phone, with no account: one question per page (a date of
 * birth in the NHS date input among them), a mistake put right, answers saved and picked up again in
 * another browser with the code, checked and sent.
 */
describe('referring yourself on a phone', { timeout: 2 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  before(async () => {
    await hostOrganisation(journey.running.db);
  });

  async function continueTo(tracked: TrackedPage, path: string, heading: string | RegExp): Promise<void> {
    await tracked.page.getByRole('button', { name: 'Continue' }).click();
    await arriveAt(tracked, path, heading);
    await assertPhoneFriendlyWithCrisisHelp(tracked);
  }

  it('a person refers themselves, corrects a mistake, saves, resumes with the code and sends', async () => {
    const first = await journey.open(PHONE);
    let code: string;
    try {
      const { page } = first;
      await page.goto('/refer');
      await arriveAt(first, '/refer', 'Refer yourself for peer support');
      await assertPhoneFriendlyWithCrisisHelp(first);
      await page.getByLabel('No').check();
      await continueTo(first, '/refer/what-is-happening', 'What is happening for you at the moment?');

      // A mistake: nothing typed. The error summary says what to do and the page keeps working.
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(first, '/refer/what-is-happening', 'What is happening for you at the moment?');
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'Tell us what is happening for you' })
        .waitFor();
      await page
        .getByLabel('What is happening for you at the moment?')
        .fill('I have been struggling to get out of the house.');
      await continueTo(first, '/refer/what-you-would-like', 'What would you like from us?');

      await page.getByLabel('What would you like from us?').fill('Someone to talk to, and a group nearby.');
      await continueTo(first, '/refer/your-name', 'What is your name?');

      await page.getByLabel('Full name').fill('Alex Synthetic');
      await page.getByRole('button', { name: 'Save and come back later' }).click();
      await arriveAt(first, '/refer/your-name', 'Your answers have been saved');
      await assertPhoneFriendlyWithCrisisHelp(first);
      code = ((await page.locator('#resume-code').textContent()) ?? '').trim();
      assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    } finally {
      await first.context.close();
    }

    // Later, on another browser: the code brings the answers back.
    const second = await journey.open(PHONE);
    try {
      const { page } = second;
      await page.goto('/refer');
      await arriveAt(second, '/refer', 'Refer yourself for peer support');
      await page.getByRole('link', { name: 'Come back to a referral you saved' }).click();
      await arriveAt(second, '/refer/resume', 'Come back to your referral');
      await page.getByLabel('Come back to your referral').fill(code);
      await continueTo(second, '/refer/date-of-birth', 'What is your date of birth?');

      // A date of birth in the NHS date input: three boxes, a day, a month and a year.
      const born = page.getByRole('group', { name: 'Date of birth (optional)' });
      await born.getByLabel('Day').fill('15');
      await born.getByLabel('Month').fill('3');
      await born.getByLabel('Year').fill('1984');
      await continueTo(second, '/refer/how-to-contact-you', 'How can we contact you?');

      await page.getByLabel('Phone call').check();
      await page.getByLabel('Phone number').fill('07700 900 982');
      await page.getByLabel('Yes').check();
      await page.getByLabel('Postcode (optional)').fill('ls1 4ap');
      await page.getByLabel('Best times to contact you (optional)').fill('Afternoons');
      await continueTo(second, '/refer/communication-needs', 'Do you have any communication needs?');

      await page.getByLabel('Easy Read').check();
      await continueTo(second, '/refer/nhs-number', 'What is your NHS number? (optional)');

      // Another mistake: a mistyped NHS number is caught by its check digit.
      await page.getByLabel('What is your NHS number? (optional)').fill('943 476 5918');
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(second, '/refer/nhs-number', 'What is your NHS number? (optional)');
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'This NHS number is not valid. Check the number and enter it again' })
        .waitFor();
      await page.getByLabel('What is your NHS number? (optional)').fill('943 476 5919');
      await continueTo(second, '/refer/gp-practice', 'Which GP surgery are you registered with? (optional)');

      await continueTo(second, '/refer/consent', 'Sending your referral');
      await page.getByLabel('I agree to my referral being sent to the peer support team').check();
      await page.getByLabel('I agree to the team contacting me in the ways I have chosen').check();
      await continueTo(
        second,
        '/refer/check-your-answers',
        'Check your answers before sending your referral',
      );

      const summary = page.locator('.nhsuk-summary-list');
      for (const text of [
        'Alex Synthetic',
        'I have been struggling to get out of the house.',
        '15 March 1984',
        'LS1 4AP',
        '943 476 5919',
        'Easy Read',
      ]) {
        await summary.getByText(text).first().waitFor();
      }
      await page.getByRole('link', { name: 'Change name', exact: true }).click();
      await arriveAt(second, '/refer/your-name', 'What is your name?');
      await page.getByLabel('Full name').fill('Alex Synthetic-Jones');
      await continueTo(
        second,
        '/refer/check-your-answers',
        'Check your answers before sending your referral',
      );
      await summary.getByText('Alex Synthetic-Jones').waitFor();

      await page.getByRole('button', { name: 'Send' }).click();
      await arriveAt(second, '/refer/sent', 'Referral sent');
      await assertPhoneFriendlyWithCrisisHelp(second);
      const panel = ((await page.locator('.nhsuk-panel').textContent()) ?? '').replace(/\s+/g, ' ');
      const reference = /Your reference number is (R[A-Z2-9]{8})/.exec(panel)?.[1];
      assert.ok(reference, `a reference in "${panel}"`);
      await page.getByText(/We will contact you by \w+day \d{1,2} \w+ \d{4}/).waitFor();

      const row = await journey.running.db
        .selectFrom('referrals')
        .select(['name', 'date_of_birth', 'postcode', 'nhs_number', 'source'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        name: 'Alex Synthetic-Jones',
        date_of_birth: '1984-03-15',
        postcode: 'LS1 4AP',
        nhs_number: '9434765919',
        source: 'self',
      });
    } finally {
      await second.context.close();
    }
  });
  it('works with JavaScript turned off', async () => {
    const noScript = await journey.open({ ...PHONE, javaScriptEnabled: false });
    try {
      const { page } = noScript;
      await page.goto('/refer');
      await arriveAt(noScript, '/refer', 'Refer yourself for peer support');
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(noScript, '/refer', 'Refer yourself for peer support');
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'Select yes if you need help right now' })
        .waitFor();
      await page.getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(noScript, '/refer/help-now', 'If you need help now');
      await page.getByRole('link', { name: 'Carry on with your referral' }).click();
      await arriveAt(noScript, '/refer/what-is-happening', 'What is happening for you at the moment?');
      await page.getByLabel('What is happening for you at the moment?').fill('Things have been hard lately.');
      await page.getByRole('button', { name: 'Save and come back later' }).click();
      await arriveAt(noScript, '/refer/what-is-happening', 'Your answers have been saved');
      assert.match(
        ((await page.locator('#resume-code').textContent()) ?? '').trim(),
        /^[A-Z2-9]{4}-[A-Z2-9]{4}$/,
      );
    } finally {
      await noScript.context.close();
    }
  });
});
