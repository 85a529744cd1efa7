import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

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
  const journey = journeyApp({ person: TABLET });
  let groupPath = '';
  const step = journeySteps();

  step('the service manager signs in and opens the groups', async () => {
    const host = await hostOrganisation(journey.running.db);
    const manager = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Morgan Ellis',
    });
    await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['clinical_facilitator'],
      fullName: 'Dana Price',
    });
    await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['lived_experience_practitioner'],
      fullName: 'Lee Hart',
    });
    const { page } = journey.person;
    await page.goto('/sign-in');
    await arriveAt(journey.person, '/sign-in', 'Sign in');
    await signInThroughForms(journey.person, manager);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Groups' }).click();
    await arriveAt(journey.person, '/groups', 'Groups');
    await page.getByText('No groups have been added yet').waitFor();
  });

  step('adds a venue with a room', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'See the venues' }).click();
    await arriveAt(journey.person, '/venues', 'Venues');
    await page.getByRole('button', { name: 'Add a venue' }).click();
    await arriveAt(journey.person, '/venues/new', 'Add a venue');
    await page.getByLabel('Name of the venue').fill('Riverside Centre');
    await page.getByLabel('Address').fill('12 Dock Road\nChatham');
    await page.getByLabel('Postcode').fill('me4 4aa');
    await page.getByLabel('Accessibility details (optional)').fill('Step-free entrance and a hearing loop');
    await page.getByRole('button', { name: 'Add the venue' }).click();
    await arriveAt(journey.person, /^\/venues\/[0-9a-f-]{36}$/, 'Riverside Centre');
    await page.getByText('ME4 4AA').waitFor();
    await page.getByRole('button', { name: 'Add a room' }).click();
    await arriveAt(journey.person, /^\/venues\/[0-9a-f-]{36}\/rooms\/new$/, 'Add a room');
    await page.getByLabel('Name of the room').fill('Main hall');
    await page.getByLabel('How many people does it hold?').fill('14');
    await page.getByRole('button', { name: 'Add the room' }).click();
    await arriveAt(journey.person, /^\/venues\/[0-9a-f-]{36}$/, 'Riverside Centre');
    const rooms = page.getByRole('table', { name: 'Rooms at Riverside Centre' });
    await rooms
      .getByRole('row', { name: /Main hall/ })
      .getByRole('cell', { name: '14 people' })
      .waitFor();
  });

  step('creates a SUN group that meets in the room', async () => {
    const { page } = journey.person;
    await page.goto('/groups');
    await arriveAt(journey.person, '/groups', 'Groups');
    await page.getByRole('button', { name: 'Add a group' }).click();
    await arriveAt(journey.person, '/groups/new', 'Add a group');
    await page.getByLabel('Name of the group').fill('Tuesday SUN group');
    await page.getByLabel('SUN group', { exact: true }).check();
    await page.getByLabel('How many people can the group take?').fill('12');
    await page.getByLabel('In person', { exact: true }).check();
    await page
      .getByLabel('Where does it usually meet?')
      .selectOption({ label: 'Riverside Centre: Main hall (holds 14)' });
    await page.getByRole('button', { name: 'Add the group' }).click();
    await arriveAt(journey.person, /^\/groups\/[0-9a-f-]{36}$/, 'Tuesday SUN group');
    groupPath = new URL(page.url()).pathname;
    await page.getByText('No sessions have been scheduled yet').waitFor();
  });

  step('is told a session with only a clinical facilitator breaks the rule, then schedules it', async () => {
    const { page } = journey.person;
    const tomorrow = tomorrowInUk(new Date());
    await page.getByRole('button', { name: 'Schedule a session' }).click();
    await arriveAt(journey.person, `${groupPath}/sessions/new`, 'Schedule a session');
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

    await arriveAt(journey.person, `${groupPath}/sessions`, 'Schedule a session');
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

    await arriveAt(journey.person, groupPath, 'Tuesday SUN group');
    const upcoming = page.locator('ul.nhsuk-list li').filter({ hasText: '10:00 to 12:00' });
    await upcoming.getByText('Riverside Centre: Main hall').waitFor();
    await upcoming
      .getByText('Facilitated by Dana Price (clinical facilitator), Lee Hart (lived experience facilitator)')
      .waitFor();
  });
});
