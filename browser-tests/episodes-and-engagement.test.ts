import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A day in UK time, as the service reckons days.
 *
 * @param at - the moment.
 * @returns the day, 'YYYY-MM-DD'.
 */
function dayInUk(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

/**
 * A peer support worker works through the people who have gone quiet: calls someone who has not been
 * in touch for eight weeks, gets no answer and sees the ladder move on to a text, agrees a plan for
 * their support, and in the end discharges them, knowing the door stays open.
 */
describe('following up someone who has gone quiet', { timeout: 2 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  it('a worker logs an unanswered call, changes the plan and discharges', async () => {
    const host = await hostOrganisation(journey.running.db);
    const worker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Priya Shah',
    });
    const member = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Jordan Example',
    });
    // Eight weeks and half a day back, so the UK day is 56 or 57 days ago whatever the time of day,
    // even when eight weeks ago was in British Summer Time and it is now late evening in GMT.
    const startedOn = dayInUk(new Date(Date.now() - 8 * 7 * DAY_MS - DAY_MS / 2));
    const episode = await buildEpisode(journey.running.db, {
      memberId: member.id,
      organisationId: host.id,
      startedOn,
    });
    const path = `/members/${member.id}/episodes/${episode.id}`;
    const nextYear = new Date().getUTCFullYear() + 1;
    const today = dayInUk(new Date());
    const [year, month, day] = today.split('-').map(Number);
    const person = await journey.open();
    const { page } = person;
    try {
      await page.goto('/sign-in');
      await arriveAt(person, '/sign-in', 'Sign in');
      await signInThroughForms(person, worker);

      // The worklist: quiet for eight weeks, and the first rung of the ladder is a call.
      const menu = page.getByRole('navigation', { name: 'Menu' });
      await menu.getByRole('link', { name: 'Not engaging' }).click();
      await arriveAt(person, '/engagement', 'Not engaging');
      const table = page.getByRole('table', { name: '1 person not engaging' });
      const row = table.getByRole('row', { name: /Jordan Example/ });
      await row.getByRole('cell', { name: /, 8 weeks ago$/ }).waitFor();
      await row.getByRole('cell', { name: 'None' }).waitFor();
      await row.getByRole('link', { name: /^Call\s?for Jordan Example$/ }).click();

      // A call, not answered. The step is already chosen; the date and time are now.
      await arriveAt(person, `${path}/follow-ups/new`, 'Log a follow-up');
      await page.getByText('Jordan Example', { exact: true }).waitFor();
      assert.equal(await page.getByLabel('Call', { exact: true }).isChecked(), true);
      // A slip: an outcome that does not fit a call.
      await page.getByLabel('Sent', { exact: true }).check();
      await page.getByRole('button', { name: 'Save follow-up' }).click();
      await arriveAt(person, `${path}/follow-ups/new`, 'Log a follow-up');
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'For a call, select spoke with them, no answer or left a message' })
        .waitFor();
      await page.getByLabel('No answer').check();
      await page.getByLabel('Note (optional)').fill('Rang twice, no voicemail set up');
      await page.getByRole('button', { name: 'Save follow-up' }).click();
      await arriveAt(person, path, 'Episode of support');
      const attempts = page.getByRole('table', { name: 'Follow-up attempts, newest first' });
      const attempt = attempts.getByRole('row', { name: /Rang twice/ });
      await attempt.getByRole('cell', { name: 'Call', exact: true }).waitFor();
      await attempt.getByRole('cell', { name: 'No answer' }).waitFor();
      await attempt.getByRole('cell', { name: 'Tom Okafor' }).waitFor();

      // Back on the worklist, the next rung is a text message: no answer is not being in touch.
      await menu.getByRole('link', { name: 'Not engaging' }).click();
      await arriveAt(person, '/engagement', 'Not engaging');
      await row.getByRole('link', { name: /^Text message\s?for Jordan Example$/ }).waitFor();
      await row.getByRole('link', { name: 'Jordan Example', exact: true }).click();
      await arriveAt(person, path, 'Episode of support');
      await page.getByText('Receiving support').waitFor();

      // The plan: how long support should last, when it is reviewed, and who the key worker is.
      await page.getByRole('link', { name: 'Change the plan' }).click();
      await arriveAt(person, `${path}/plan`, 'Change the plan for this support');
      const endDate = page.getByRole('group', { name: 'Anticipated end date (optional)' });
      await endDate.getByLabel('Day').fill('1');
      await endDate.getByLabel('Month').fill('6');
      await endDate.getByLabel('Year').fill(String(nextYear));
      // A slip: a review date that is not a real date.
      const reviewDate = page.getByRole('group', { name: 'Review date (optional)' });
      await reviewDate.getByLabel('Day').fill('31');
      await reviewDate.getByLabel('Month').fill('2');
      await reviewDate.getByLabel('Year').fill(String(nextYear));
      await page.getByLabel('Tom Okafor').check();
      await page.getByRole('button', { name: 'Save the plan' }).click();
      await arriveAt(person, `${path}/plan`, 'Change the plan for this support');
      const problem = page.locator('.nhsuk-error-summary a');
      assert.equal(await problem.count(), 1);
      assert.equal(((await problem.textContent()) ?? '').trim(), 'Review date must be a real date');
      await problem.click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'reviewOn-day');
      assert.equal(await page.getByLabel('Tom Okafor').isChecked(), true, 'the key worker ticked is kept');
      await reviewDate.getByLabel('Day').fill('1');
      await reviewDate.getByLabel('Month').fill('3');
      await page.getByRole('button', { name: 'Save the plan' }).click();
      await arriveAt(person, path, 'Episode of support');
      await page.getByText(`Support is expected to last until 1 June ${nextYear}`).waitFor();
      await page.getByText(`1 March ${nextYear}`, { exact: true }).waitFor();
      const keyWorkers = page.locator('.nhsuk-summary-list__row', { hasText: 'Key workers' });
      assert.equal(((await keyWorkers.locator('dd').textContent()) ?? '').trim(), 'Tom Okafor');

      // Discharge, first without the answers it needs.
      await page.getByRole('link', { name: 'Discharge', exact: true }).click();
      await arriveAt(person, `${path}/discharge`, 'Discharge from this support');
      await page.getByText(/^The door stays open: if they come back within \d+ weeks/).waitFor();
      await page.getByRole('button', { name: 'Discharge' }).click();
      await arriveAt(person, `${path}/discharge`, 'Discharge from this support');
      const summary = page.locator('.nhsuk-error-summary');
      await summary.getByRole('link', { name: 'Select why support is ending' }).waitFor();
      await summary.getByRole('link', { name: 'Confirm that support is ending' }).waitFor();
      await page.getByLabel('Day').fill(String(day));
      await page.getByLabel('Month').fill(String(month));
      await page.getByLabel('Year').fill(String(year));
      await page.getByLabel('They are no longer in contact, after follow-up').check();
      await page.getByLabel('I confirm that support for Jordan Example is ending').check();
      await page.getByRole('button', { name: 'Discharge' }).click();
      await arriveAt(person, path, 'Episode of support');
      await page.getByText('Discharged', { exact: true }).first().waitFor();
      await page.getByText('They are no longer in contact, after follow-up').waitFor();
      await page.getByText(/^The door stays open: if they come back within \d+ weeks/).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Log a follow-up' }).count(), 0);
      assert.equal(await page.getByRole('link', { name: 'Change the plan' }).count(), 0);

      // And they are no longer on the worklist.
      await menu.getByRole('link', { name: 'Not engaging' }).click();
      await arriveAt(person, '/engagement', 'Not engaging');
      await page.getByText('Everyone receiving support has been in touch recently.').waitFor();
    } finally {
      await person.context.close();
    }
    const saved = await journey.running.db
      .selectFrom('episodes')
      .select(['status', 'discharged_on', 'discharge_reason'])
      .where('id', '=', episode.id)
      .executeTakeFirstOrThrow();
    assert.equal(saved.status, 'discharged');
    assert.equal(saved.discharge_reason, 'lost_contact');
  });
});
