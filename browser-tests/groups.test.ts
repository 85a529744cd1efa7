import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { startListeningApp, type RunningApp } from './support/app.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  journeySteps,
  launchBrowser,
  openPage,
  signInThroughForms,
  type TrackedPage,
} from './support/browser.ts';

/** A tablet held upright (an iPad's 768 × 1024 points): how facilitators often plan their week. */
const TABLET = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true };

/**
 * The day after a moment, in UK time.
 *
 * @param at - the moment.
 * @returns the next day's day, month and year as typed into the date input.
 */
function tomorrowInUk(at: Date): { day: string; month: string; year: string } {
  const next = new Date(at.getTime() + 24 * 3600 * 1000);
  const [year = '', month = '', day = ''] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
    .format(next)
    .split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * A service manager sets up a SUN group on a tablet: adds the venue and its room, creates the group,
 * is told a session with only a clinical facilitator breaks the co-facilitation rule, adds the lived
 * experience facilitator and schedules it, and sees it on the group page.
 */
describe('setting up a SUN group on a tablet', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  let running: RunningApp;
  let browser: Browser;
  let person: TrackedPage;
  let groupPath = '';
  const step = journeySteps();

  before(async () => {
    running = await startListeningApp();
    browser = await launchBrowser();
    person = await openPage(browser, running.baseUrl, TABLET);
  });

  after(async () => {
    await person?.context.close();
    await browser?.close();
    await running?.close();
  });

  step('the service manager signs in and opens the groups', async () => {
    const host = await hostOrganisation(running.db);
    const manager = await buildStaff(running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Morgan Ellis',
    });
    await buildStaff(running.db, {
      organisationId: host.id,
      roles: ['clinical_facilitator'],
      fullName: 'Dana Price',
    });
    await buildStaff(running.db, {
      organisationId: host.id,
      roles: ['lived_experience_practitioner'],
      fullName: 'Lee Hart',
    });
    const { page } = person;
    await page.goto('/sign-in');
    await arriveAt(person, '/sign-in', 'Sign in');
    await signInThroughForms(person, manager);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Groups' }).click();
    await arriveAt(person, '/groups', 'Groups');
    await page.getByText('No groups have been added yet').waitFor();
  });

  step('adds a venue with a room', async () => {
    const { page } = person;
    await page.getByRole('link', { name: 'See the venues' }).click();
    await arriveAt(person, '/venues', 'Venues');
    await page.getByRole('button', { name: 'Add a venue' }).click();
    await arriveAt(person, '/venues/new', 'Add a venue');
    await page.getByLabel('Name of the venue').fill('Riverside Centre');
    await page.getByLabel('Address').fill('12 Dock Road\nChatham');
    await page.getByLabel('Postcode').fill('me4 4aa');
    await page.getByLabel('Accessibility details (optional)').fill('Step-free entrance and a hearing loop');
    await page.getByRole('button', { name: 'Add the venue' }).click();
    await arriveAt(person, /^\/venues\/[0-9a-f-]{36}$/, 'Riverside Centre');
    await page.getByText('ME4 4AA').waitFor();
    await page.getByRole('button', { name: 'Add a room' }).click();
    await arriveAt(person, /^\/venues\/[0-9a-f-]{36}\/rooms\/new$/, 'Add a room');
    await page.getByLabel('Name of the room').fill('Main hall');
    await page.getByLabel('How many people does it hold?').fill('14');
    await page.getByRole('button', { name: 'Add the room' }).click();
    await arriveAt(person, /^\/venues\/[0-9a-f-]{36}$/, 'Riverside Centre');
    const rooms = page.getByRole('table', { name: 'Rooms at Riverside Centre' });
    await rooms
      .getByRole('row', { name: /Main hall/ })
      .getByRole('cell', { name: '14 people' })
      .waitFor();
  });

  step('creates a SUN group that meets in the room', async () => {
    const { page } = person;
    await page.goto('/groups');
    await arriveAt(person, '/groups', 'Groups');
    await page.getByRole('button', { name: 'Add a group' }).click();
    await arriveAt(person, '/groups/new', 'Add a group');
    await page.getByLabel('Name of the group').fill('Tuesday SUN group');
    await page.getByLabel('SUN group', { exact: true }).check();
    await page.getByLabel('How many people can the group take?').fill('12');
    await page.getByLabel('In person', { exact: true }).check();
    await page
      .getByLabel('Where does it usually meet?')
      .selectOption({ label: 'Riverside Centre: Main hall (holds 14)' });
    await page.getByRole('button', { name: 'Add the group' }).click();
    await arriveAt(person, /^\/groups\/[0-9a-f-]{36}$/, 'Tuesday SUN group');
    groupPath = new URL(page.url()).pathname;
    await page.getByText('No sessions have been scheduled yet').waitFor();
  });

  step('is told a session with only a clinical facilitator breaks the rule, then schedules it', async () => {
    const { page } = person;
    const tomorrow = tomorrowInUk(new Date());
    await page.getByRole('button', { name: 'Schedule a session' }).click();
    await arriveAt(person, `${groupPath}/sessions/new`, 'Schedule a session');
    const date = page.getByRole('group', { name: 'Date of the session' });
    await date.getByLabel('Day').fill(tomorrow.day);
    await date.getByLabel('Month').fill(tomorrow.month);
    await date.getByLabel('Year').fill(tomorrow.year);
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('End time').fill('12:00');
    assert.equal(
      await page.getByLabel('Room').locator('option:checked').textContent(),
      'Riverside Centre: Main hall (holds 14)',
      'the group’s usual room is chosen already',
    );
    const first = page.getByRole('group', { name: 'Facilitator 1', exact: true });
    await first.getByLabel('Who').selectOption({ label: 'Dana Price (Clinical facilitator)' });
    await first.getByLabel('Their role in this session').selectOption({ label: 'Clinical facilitator' });
    await page.getByRole('button', { name: 'Schedule the session' }).click();

    await arriveAt(person, `${groupPath}/sessions`, 'Schedule a session');
    const problem = page.locator('.nhsuk-error-summary a');
    assert.equal(await problem.count(), 1);
    assert.equal(
      ((await problem.textContent()) ?? '').trim(),
      'A SUN group needs a lived experience facilitator as well as the clinical facilitator',
    );
    assert.equal(await page.getByLabel('Start time').inputValue(), '10:00', 'what was typed is kept');
    assert.equal(
      await first.getByLabel('Who').locator('option:checked').textContent(),
      'Dana Price (Clinical facilitator)',
    );

    const second = page.getByRole('group', { name: 'Facilitator 2', exact: true });
    await second.getByLabel('Who').selectOption({ label: 'Lee Hart (Lived experience practitioner)' });
    await second
      .getByLabel('Their role in this session')
      .selectOption({ label: 'Lived experience facilitator' });
    await page.getByRole('button', { name: 'Schedule the session' }).click();

    await arriveAt(person, groupPath, 'Tuesday SUN group');
    const upcoming = page.locator('ul.nhsuk-list li').filter({ hasText: '10:00 to 12:00' });
    await upcoming.getByText('Riverside Centre: Main hall').waitFor();
    await upcoming
      .getByText('Facilitated by Dana Price (clinical facilitator), Lee Hart (lived experience facilitator)')
      .waitFor();
  });
});
