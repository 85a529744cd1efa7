import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { buildReferral } from '../src/testing/builders/referrals.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * A peer support worker welcomes someone who referred themselves: logs a call that was not answered,
 * books the welcome conversation, finds that the person is already known under a slightly different
 * spelling and links them, and accepts the referral, which starts an episode of support.
 */
describe('triaging a referral into an episode of support', { timeout: 2 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  it('a worker logs a call, books the welcome, links a near-duplicate and accepts the referral', async () => {
    const host = await hostOrganisation(journey.running.db);
    const worker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    const { id } = await buildReferral(journey.running.db, {
      organisationId: host.id,
      reference: 'RWELCME23',
      receivedAt: new Date(),
      firstContactDue: '2099-01-05',
      name: 'Alexandra Synthetic',
      dateOfBirth: '1988-11-02',
      phone: '07700 900 982',
    });
    const known = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Alexandria Synthetik',
      preferredName: 'Alex',
      dateOfBirth: '1988-11-02',
    });
    const person = await journey.open();
    const { page } = person;
    try {
      await page.goto('/sign-in');
      await arriveAt(person, '/sign-in', 'Sign in');
      await signInThroughForms(person, worker);
      await page.goto('/referrals');
      await arriveAt(person, '/referrals', 'Referrals');
      await page.getByRole('link', { name: 'RWELCME23' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWELCME23');

      // A call that was not answered, with a mistake on the way: nothing chosen.
      await page.getByRole('link', { name: 'Record an attempt to contact them' }).click();
      await arriveAt(person, `/referrals/${id}/contact-attempts/new`, 'Record an attempt to contact them');
      await page.getByRole('button', { name: 'Save attempt' }).click();
      await arriveAt(person, `/referrals/${id}/contact-attempts/new`, 'Record an attempt to contact them');
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'Select what happened' })
        .waitFor();
      await page.getByLabel('Phone call').check();
      await page.getByLabel('No answer').check();
      await page.getByLabel('Anything to add (optional)').fill('Try again after 2pm');
      await page.getByRole('button', { name: 'Save attempt' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWELCME23');
      await page.getByText('Phone call: no answer').waitFor();

      // The welcome conversation, a week on.
      const inAWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000);
      await page.getByRole('link', { name: 'Book the welcome conversation' }).click();
      await arriveAt(person, `/referrals/${id}/welcome`, 'Book the welcome conversation');
      await page.getByLabel('Day').fill(String(inAWeek.getUTCDate()));
      await page.getByLabel('Month').fill(String(inAWeek.getUTCMonth() + 1));
      await page.getByLabel('Year').fill(String(inAWeek.getUTCFullYear()));
      await page.getByLabel('Time').fill('2:30pm');
      await page.getByRole('button', { name: 'Book welcome conversation' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWELCME23');
      await page.getByText(/Welcome conversation booked for .* at 2:30pm/).waitFor();

      // Already known? The near-duplicate is shown side by side and linked; nothing is merged.
      await page.getByRole('link', { name: 'Check whether this person is already known' }).click();
      await arriveAt(person, `/referrals/${id}/person`, 'Check whether this person is already known');
      await page.getByText('Matches on: Name, Date of birth').waitFor();
      await page.getByLabel(/Alex \(Alexandria Synthetik\), born 2 November 1988/).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWELCME23');
      await page.getByText('This referral is about Alex (Alexandria Synthetik).').waitFor();

      await page.getByRole('link', { name: 'Record the outcome' }).click();
      await arriveAt(person, `/referrals/${id}/outcome`, 'Record the outcome');
      await page.getByLabel('Accept: start an episode of support').check();
      await page.getByRole('button', { name: 'Save outcome' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWELCME23');
      await page.getByText('Status changed to accepted: Support started').waitFor();
      assert.equal(await page.getByRole('link', { name: 'Record the outcome' }).count(), 0);

      await page.getByRole('link', { name: 'See their record' }).click();
      await arriveAt(person, `/members/${known.id}`, /Alex/);
    } finally {
      await person.context.close();
    }
    const episode = await journey.running.db
      .selectFrom('episodes')
      .select(['status', 'member_id'])
      .where('member_id', '=', known.id)
      .executeTakeFirstOrThrow();
    assert.equal(episode.status, 'active');
  });
});
