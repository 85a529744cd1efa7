import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, assertPhoneFriendlyWithCrisisHelp, JOURNEY_TIMEOUT_MS, PHONE } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

const FORM_TITLE = 'Refer someone for peer support';

/**
 * A GP refers a patient from their phone between appointments, with no account: one page, every
 * mistake listed at once and put right, sent, and a confirmation that says what happens next.
 */
describe('a professional referring someone on a phone', { timeout: 2 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  before(async () => {
    await hostOrganisation(journey.running.db);
  });

  it(
    'a GP opens the form, sends it empty, puts every mistake right and sends it',
    { timeout: JOURNEY_TIMEOUT_MS },
    async () => {
      const gp = await journey.open(PHONE);
      try {
        const { page } = gp;
        await page.goto('/refer');
        await arriveAt(gp, '/refer', 'Refer yourself for peer support');
        await assertPhoneFriendlyWithCrisisHelp(gp);
        await page.getByRole('link', { name: 'Use the professional referral form' }).click();
        await arriveAt(gp, '/refer/professional', FORM_TITLE);
        await assertPhoneFriendlyWithCrisisHelp(gp);
        await page
          .getByText('If the person you are referring needs help now, they can:', { exact: false })
          .waitFor();

        // Sent with nothing filled in: every problem is listed, in the order of the page.
        await page.getByRole('button', { name: 'Send referral' }).click();
        await arriveAt(gp, '/refer/professional', FORM_TITLE);
        await assertPhoneFriendlyWithCrisisHelp(gp);
        const summary = page.locator('.nhsuk-error-summary');
        const links = await summary.locator('a').allTextContents();
        assert.deepEqual(
          links.map((l) => l.trim()),
          [
            'Enter your name',
            'Enter your email address or phone number',
            'Select where the referral is from',
            "Enter the person's full name",
            'Select how we can contact the person',
            'Enter the reason for the referral',
            'Confirm the person agrees to be referred',
          ],
        );
        // The summary's links take a person to the field to put right.
        await summary.getByRole('link', { name: "Enter the person's full name" }).click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'name');

        // About the referrer.
        await page.getByLabel('Your name').fill('Dr Priya Synthetic');
        await page.getByLabel('Your role (optional)').fill('GP');
        await page.getByLabel('Your organisation (optional)').fill('Example Street Surgery');
        await page.getByLabel('Your email address').fill('priya.synthetic@example.com');
        await page.getByLabel('GP', { exact: true }).check();

        // About the person, with a mistyped NHS number.
        await page.getByLabel('Their full name').fill('Jordan Example');
        await page.getByLabel('Day').fill('4');
        await page.getByLabel('Month').fill('7');
        await page.getByLabel('Year').fill('1979');
        await page.getByLabel('Their NHS number (optional)').fill('943 476 5918');
        await page.getByLabel('Phone call').check();
        await page.getByLabel('Their phone number').fill('07700 900 461');
        await page.getByLabel('Yes', { exact: true }).check();
        await page.getByLabel('Large print').check();
        await page
          .getByLabel('Why are you referring them?')
          .fill('Low mood since losing their job, and would like to get out more.');
        await page.getByLabel('I confirm the person agrees to this referral').check();
        await page.getByRole('button', { name: 'Send referral' }).click();
        await arriveAt(gp, '/refer/professional', FORM_TITLE);
        await assertPhoneFriendlyWithCrisisHelp(gp);
        assert.deepEqual(
          (await summary.locator('a').allTextContents()).map((l) => l.trim()),
          ['This NHS number is not valid. Check the number and enter it again'],
        );
        // Everything else typed is still there.
        assert.equal(await page.getByLabel('Their full name').inputValue(), 'Jordan Example');
        assert.equal(await page.getByLabel('Large print').isChecked(), true);

        await page.getByLabel('Their NHS number (optional)').fill('943 476 5919');
        await page.getByRole('button', { name: 'Send referral' }).click();
        await arriveAt(gp, '/refer/professional/sent', 'Referral sent');
        await assertPhoneFriendlyWithCrisisHelp(gp);
        const panel = ((await page.locator('.nhsuk-panel').textContent()) ?? '').replace(/\s+/g, ' ');
        const reference = /The reference number is (R[A-Z2-9]{8})/.exec(panel)?.[1];
        assert.ok(reference, `a reference in "${panel}"`);
        await page.getByText(/We will contact the person by \w+day \d{1,2} \w+ \d{4}/).waitFor();
        // Nothing about the person is shown on the confirmation.
        assert.equal(await page.getByText('Jordan Example').count(), 0);

        const row = await journey.running.db
          .selectFrom('referrals')
          .select(['name', 'nhs_number', 'source'])
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { name: 'Jordan Example', nhs_number: '9434765919', source: 'gp' });

        await page.getByRole('link', { name: 'Refer someone else' }).click();
        await arriveAt(gp, '/refer/professional', FORM_TITLE);
        assert.equal(await page.getByLabel('Their full name').inputValue(), '');
      } finally {
        await gp.context.close();
      }
    },
  );
});
