import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildGroup, buildVenue } from '../src/testing/builders/groups.ts';
import { buildService, hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/** A tablet held upright (an iPad's 768 × 1024 points): how facilitators often plan their week. */
const TABLET = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true };

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Tomorrow in UK time: its date boxes, its weekday's name and its month as 'YYYY-MM'. */
function tomorrowInUk() {
  const next = new Date(Date.now() + 24 * 3600 * 1000);
  const [year = '', month = '', day = ''] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
    .format(next)
    .split('-');
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(
    next,
  );
  assert.ok(WEEKDAY_NAMES.includes(weekday));
  return { day: String(Number(day)), month: String(Number(month)), year, weekday, key: `${year}-${month}` };
}

/**
 * A service manager on a tablet sets up a weekly schedule for a SUN group, sees its sessions in the
 * month view, changes the time of one session, and looks at the sessions needing attention and the
 * out-of-hours settings (axe on every page).
 */
describe('a weekly schedule for a SUN group on a tablet', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp({ person: TABLET });
  let groupPath = '';
  const step = journeySteps();
  const tomorrow = tomorrowInUk();

  step('the service manager signs in and opens the SUN group', async () => {
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
    const service = await buildService(journey.running.db, [host.id], { name: 'SUN Eastwold' });
    const venue = await buildVenue(journey.running.db, {
      organisationId: host.id,
      name: 'Riverside Centre',
      roomName: 'Main hall',
      capacity: 14,
    });
    const group = await buildGroup(journey.running.db, host.id, {
      name: 'Tuesday SUN group',
      defaultRoomId: venue.roomId,
      serviceId: service.id,
      capacity: 12,
    });
    groupPath = `/groups/${group.id}`;
    const { page } = journey.person;
    await page.goto('/sign-in');
    await arriveAt(journey.person, '/sign-in', 'Sign in');
    await signInThroughForms(journey.person, manager);
    await page.goto(groupPath);
    await arriveAt(journey.person, groupPath, 'Tuesday SUN group');
    await page.getByText('No weekly schedules have been set up').waitFor();
  });

  step('sets up a weekly schedule of four sessions with both facilitators', async () => {
    const { page } = journey.person;
    await page.getByRole('button', { name: 'Set up a weekly schedule' }).click();
    await arriveAt(journey.person, `${groupPath}/schedules/new`, 'Set up a weekly schedule');
    const first = page.getByRole('group', { name: 'First day' });
    await first.getByLabel('Day').fill(tomorrow.day);
    await first.getByLabel('Month').fill(tomorrow.month);
    await first.getByLabel('Year').fill(tomorrow.year);
    await page.getByLabel(tomorrow.weekday, { exact: true }).check();
    await page.getByLabel('Every week', { exact: true }).check();
    await page.getByLabel('After a number of sessions').check();
    await page.getByLabel('Number of sessions', { exact: true }).fill('4');
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('End time').fill('12:00');
    const one = page.getByRole('group', { name: 'Facilitator 1', exact: true });
    await one.getByLabel('Who').selectOption({ label: 'Dana Price (Clinical facilitator)' });
    await one.getByLabel('Their role in this session').selectOption({ label: 'Clinical facilitator' });
    const two = page.getByRole('group', { name: 'Facilitator 2', exact: true });
    await two.getByLabel('Who').selectOption({ label: 'Lee Hart (Lived experience practitioner)' });
    await two
      .getByLabel('Their role in this session')
      .selectOption({ label: 'Lived experience facilitator' });
    await page.getByRole('button', { name: 'Set up the schedule' }).click();
    await arriveAt(journey.person, new RegExp(`^${groupPath}/schedules/[0-9a-f-]{36}$`), 'Weekly schedule');
    await page.getByText(`Every ${tomorrow.weekday}, 4 sessions`).waitFor();
    await page.getByText('10:00 to 12:00, UK time').waitFor();
  });

  step('sees the first session in the month view', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'See the sessions in the month view' }).click();
    await arriveAt(journey.person, '/groups/calendar', /\w+ \d{4}/);
    const session = page.locator('ul.nhsuk-list li').filter({ hasText: 'Tuesday SUN group' }).first();
    await session.getByText('10:00 to 12:00').waitFor();
    await session
      .getByText('Facilitated by Dana Price (clinical facilitator), Lee Hart (lived experience facilitator)')
      .waitFor();
  });

  step('changes the time of that one session', async () => {
    const { page } = journey.person;
    await page.goto(groupPath);
    await arriveAt(journey.person, groupPath, 'Tuesday SUN group');
    await page
      .getByRole('link', { name: /^Change the session on/ })
      .first()
      .click();
    await arriveAt(journey.person, /\/sessions\/[0-9a-f-]{36}\/change$/, 'Change this session');
    await page.getByLabel('Start time').fill('13:00');
    await page.getByLabel('End time').fill('15:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arriveAt(journey.person, groupPath, 'Tuesday SUN group');
    await page.locator('ul.nhsuk-list li').filter({ hasText: '13:00 to 15:00' }).first().waitFor();
    const sessions = page.locator('ul.nhsuk-list li').filter({ hasText: 'Facilitated by' });
    assert.equal(await sessions.filter({ hasText: '10:00 to 12:00' }).count(), 3, 'the others are unchanged');
  });

  step('looks at the sessions needing attention and the out-of-hours settings', async () => {
    const { page } = journey.person;
    await page.goto('/groups/attention');
    await arriveAt(journey.person, '/groups/attention', 'Sessions needing attention');
    await page.getByText('No sessions are short of facilitators or without a suitable room').waitFor();
    await page.goto('/groups/out-of-hours');
    await arriveAt(journey.person, '/groups/out-of-hours', 'Out of hours');
    await page.getByRole('link', { name: 'Change out of hours for SUN Eastwold' }).click();
    await arriveAt(journey.person, /^\/groups\/out-of-hours\/[0-9a-f-]{36}$/, 'When is out of hours?');
    await page.getByLabel(/evening sessions/).fill('18:00');
    // This service opens as usual on bank holidays.
    await page.getByLabel('Bank holidays').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(journey.person, '/groups/out-of-hours', 'Out of hours');
    await page.getByText('Weekdays from 18:00, Saturdays and Sundays').waitFor();
  });
});
