import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { buildStaff, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, PHONE, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A day in UK time, some days from now.
 *
 * @param days - how many days on (negative for before).
 * @returns the day as 'YYYY-MM-DD' and as the three boxes of a date input.
 */
function ukDay(days: number): { iso: string; day: string; month: string; year: string } {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + days * DAY_MS),
  );
  const [year = '', month = '', day = ''] = iso.split('-');
  return { iso, day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * A peer support worker opens their caseload, sees who is due a contact, records a peer support
 * meeting with a next step, finds it on the caseload, opens the notes again from the next step, books
 * a check-in call and records that it did not happen, and ticks the next step off; the caseload is
 * also checked on a phone-sized screen. A service manager then sees the caseload sizes and opens the
 * worker's caseload. axe runs on every page.
 */
describe('one-to-one support and the caseload', { timeout: 5 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp({ person: {} });
  let worker: BuiltStaff;
  let memberId = '';
  const step = journeySteps();

  step('the worker signs in and sees who on their caseload is due a contact', async () => {
    const host = await hostOrganisation(journey.running.db);
    worker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['lived_experience_practitioner'],
      fullName: 'Sam Duarte',
    });
    const member = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Jordan Example',
    });
    memberId = member.id;
    await buildEpisode(journey.running.db, {
      memberId,
      organisationId: host.id,
      startedOn: ukDay(-20).iso,
      keyWorkerIds: [worker.id],
    });
    const { page } = journey.person;
    await page.goto('/sign-in');
    await arriveAt(journey.person, '/sign-in', 'Sign in');
    await signInThroughForms(journey.person, worker);
    await page.goto('/caseload');
    await arriveAt(journey.person, '/caseload', 'My caseload');
    const row = page.getByRole('row', { name: /Jordan Example/ });
    await row.getByText('Due a contact: 6 days overdue').waitFor();
    await row.getByRole('cell', { name: /No contact yet/ }).waitFor();
    await row.getByRole('link', { name: 'Jordan Example' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts`, 'Contacts');
    await page.getByText('No contacts have been recorded yet.').waitFor();
  });

  step('they record a peer support meeting with a next step, after a slip', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'Record a contact' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts/new`, 'Record a contact');
    await page.getByRole('button', { name: 'Save the contact' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts`, 'Record a contact');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.getByRole('link', { name: 'Select the type of contact' }).waitFor();
    await summary.getByRole('link', { name: 'Enter the time' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'time');

    const yesterday = ukDay(-1);
    await page.getByLabel('Peer support', { exact: true }).check();
    await page.getByLabel('In person').check();
    const date = page.getByRole('group', { name: 'Date', exact: true });
    await date.getByLabel('Day').fill(yesterday.day);
    await date.getByLabel('Month').fill(yesterday.month);
    await date.getByLabel('Year').fill(yesterday.year);
    await page.getByLabel('Time', { exact: true }).fill('14:00');
    await page.getByLabel('How long it lasted, in minutes').fill('45');
    await page.getByLabel('Where (optional)').fill('Harbour Café');
    assert.equal(await page.getByLabel('Tom Okafor').isChecked(), true);
    await page.getByLabel('Notes (optional)').fill('Talked about joining the walking group on Saturdays.');
    await page.getByLabel('What needs doing').fill('Find out the walking group times');
    await page.getByLabel('Who will do it').selectOption({ label: 'Tom Okafor' });
    await page.getByRole('button', { name: 'Save the contact' }).click();
    await arriveAt(
      journey.person,
      new RegExp(`^/members/${memberId}/contacts/[0-9a-f-]{36}$`),
      'Peer support',
    );
    await page.getByText('Talked about joining the walking group on Saturdays.').waitFor();
    await page.getByText('Harbour Café').waitFor();
    await page.getByText('Find out the walking group times').waitFor();
  });

  step('the contact is on their list without its notes, and on the caseload with the next step', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'Back to contacts' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts`, 'Contacts');
    const contacts = page.getByRole('table', { name: 'Contacts so far, latest first' });
    await contacts
      .getByRole('row', { name: /Peer support/ })
      .getByRole('cell', { name: 'Tom Okafor' })
      .waitFor();
    assert.equal(await page.getByText('walking group').count(), 0);

    await page.goto('/caseload');
    await arriveAt(journey.person, '/caseload', 'My caseload');
    const row = page.getByRole('row', { name: /Jordan Example/ });
    await row.getByText(/Next contact due by /).waitFor();
    await row.getByRole('cell', { name: /^(Open next steps )?1$/ }).waitFor();
    await page.getByRole('link', { name: 'Find out the walking group times' }).click();
    await arriveAt(
      journey.person,
      new RegExp(`^/members/${memberId}/contacts/[0-9a-f-]{36}$`),
      'Peer support',
    );
    await page.getByText('Talked about joining the walking group on Saturdays.').waitFor();
  });

  step('they change the contact, then book a check-in call and record that it did not happen', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'Change the contact' }).click();
    await arriveAt(journey.person, /\/change$/, 'Change the contact');
    await page.getByLabel('Sam Duarte').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arriveAt(
      journey.person,
      new RegExp(`^/members/${memberId}/contacts/[0-9a-f-]{36}$`),
      'Peer support',
    );
    await page.getByText('Sam Duarte, Tom Okafor').waitFor();

    await page.getByRole('link', { name: 'Back to contacts' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts`, 'Contacts');
    await page.getByRole('link', { name: 'Plan a contact' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts/plan`, 'Plan a contact');
    const tomorrow = ukDay(1);
    const date = page.getByRole('group', { name: 'Date', exact: true });
    await date.getByLabel('Day').fill(tomorrow.day);
    await date.getByLabel('Month').fill(tomorrow.month);
    await date.getByLabel('Year').fill(tomorrow.year);
    await page.getByLabel('Time', { exact: true }).fill('2:30pm');
    await page.getByRole('button', { name: 'Book the contact' }).click();
    await arriveAt(journey.person, `/members/${memberId}/contacts`, 'Contacts');
    const planned = page.getByRole('table', { name: 'Planned contacts, soonest first' });
    await planned
      .getByRole('row', { name: /Check-in call/ })
      .getByRole('link')
      .click();
    await arriveAt(
      journey.person,
      new RegExp(`^/members/${memberId}/contacts/[0-9a-f-]{36}$`),
      'Check-in call',
    );
    await page.getByRole('link', { name: 'Record whether it happened' }).click();
    await arriveAt(journey.person, /\/outcome$/, 'Did the contact happen?');
    await page.getByLabel('It did not happen', { exact: true }).check();
    await page.getByLabel('Why it did not happen').fill('They asked to move it to next week');
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(
      journey.person,
      new RegExp(`^/members/${memberId}/contacts/[0-9a-f-]{36}$`),
      'Check-in call',
    );
    await page.getByText('They asked to move it to next week').waitFor();
  });

  step('on a phone-sized screen the caseload fits, and the next step is ticked off', async () => {
    const { page } = journey.person;
    await page.setViewportSize(PHONE.viewport);
    await page.goto('/caseload');
    await arriveAt(journey.person, '/caseload', 'My caseload');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= PHONE.viewport.width, `the caseload is ${scrollWidth}px wide on a 375px screen`);
    await page.getByRole('button', { name: 'Mark as done: Find out the walking group times' }).click();
    await arriveAt(journey.person, '/caseload', 'My caseload');
    await page.getByText('No open next steps.').waitFor();
  });

  step('a service manager sees how many people each worker supports, and opens a caseload', async () => {
    const host = await hostOrganisation(journey.running.db);
    const manager = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Priya Shah',
    });
    const managing = await journey.open();
    try {
      const { page } = managing;
      await page.goto('/sign-in');
      await arriveAt(managing, '/sign-in', 'Sign in');
      await signInThroughForms(managing, manager);
      await page.goto('/caseloads');
      await arriveAt(managing, '/caseloads', 'Caseloads');
      const row = page.getByRole('row', { name: /Tom Okafor/ });
      await row.getByRole('cell', { name: '1', exact: true }).waitFor();
      await row.getByRole('link', { name: 'Tom Okafor' }).click();
      await arriveAt(managing, `/caseloads/${worker.id}`, 'Caseload of Tom Okafor');
      await page.getByRole('row', { name: /Jordan Example/ }).waitFor();
    } finally {
      await managing.context.close();
    }
  });
});
