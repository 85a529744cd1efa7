import { describe } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildGroup, buildSchedule, buildVenue } from '../src/testing/builders/groups.ts';
import { buildService, hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/** A tablet held upright (an iPad's 768 × 1024 points). */
const TABLET = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true };

/** A day a week from now in UK time, 'YYYY-MM-DD', so the schedule's sessions are all still to come. */
const nextWeek = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + 7 * 86_400_000),
  );

/**
 * A service manager on a tablet changes a venue's details, makes its main hall smaller than the group
 * that meets there (and finds the group's sessions on the needing-attention list), and tries to retire
 * the hall, which lists the sessions still booked in it with a link to change each (axe on every page).
 */
describe('changing a venue and a room on a tablet', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp({ person: TABLET });
  let venuePath = '';
  let roomPath = '';
  const step = journeySteps();

  step('the service manager signs in and opens the venue', async () => {
    const host = await hostOrganisation(journey.running.db);
    const manager = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Morgan Ellis',
    });
    const clinician = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['clinical_facilitator'],
      fullName: 'Dana Price',
    });
    const livedExperience = await buildStaff(journey.running.db, {
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
    await buildSchedule(journey.running.db, {
      groupId: group.id,
      startsOn: nextWeek(),
      weekday: 'TU',
      sessions: 3,
      roomId: venue.roomId,
      facilitators: [
        { staffId: clinician.id, sessionRole: 'clinical' },
        { staffId: livedExperience.id, sessionRole: 'lived_experience' },
      ],
    });
    venuePath = `/venues/${venue.id}`;
    roomPath = `${venuePath}/rooms/${venue.roomId}`;
    const { page } = journey.person;
    await page.goto('/sign-in');
    await arriveAt(journey.person, '/sign-in', 'Sign in');
    await signInThroughForms(journey.person, manager);
    await page.goto('/venues');
    await arriveAt(journey.person, '/venues', 'Venues');
    await page.getByRole('link', { name: 'Riverside Centre' }).click();
    await arriveAt(journey.person, venuePath, 'Riverside Centre');
  });

  step("changes the venue's details, first leaving out the postcode", async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: "Change the venue's details" }).click();
    await arriveAt(journey.person, `${venuePath}/change`, 'Change the venue');
    await page.getByLabel('Name of the venue').fill('Riverside Community Centre');
    await page.getByLabel('Postcode').fill('');
    await page
      .getByLabel('Accessibility details (optional)')
      .fill('Step-free access; hearing loop in the hall');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arriveAt(journey.person, `${venuePath}/change`, 'Change the venue');
    await page.getByRole('link', { name: 'Enter the postcode' }).click();
    await page.getByLabel('Postcode').fill('ME4 4BB');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arriveAt(journey.person, venuePath, 'Riverside Community Centre');
    await page.getByText('Step-free access; hearing loop in the hall').waitFor();
  });

  step('makes the main hall smaller than the group, and finds its sessions needing attention', async () => {
    const { page } = journey.person;
    await page.getByRole('link', { name: 'Change Main hall' }).click();
    await arriveAt(journey.person, `${roomPath}/change`, 'Change the room');
    await page.getByLabel('How many people does it hold?').fill('8');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arriveAt(journey.person, venuePath, 'Riverside Community Centre');
    await page.getByRole('cell', { name: '8 people' }).waitFor();
    await page.goto('/groups/attention');
    await arriveAt(journey.person, '/groups/attention', /needing attention/i);
    await page.getByText('The room holds 8, fewer than the 12 places in the group').first().waitFor();
  });

  step('tries to retire the hall and is shown the sessions still booked in it', async () => {
    const { page } = journey.person;
    await page.goto(`${roomPath}/change`);
    await arriveAt(journey.person, `${roomPath}/change`, 'Change the room');
    await page.getByRole('link', { name: 'This room is no longer used' }).click();
    await arriveAt(journey.person, `${roomPath}/retire`, 'Retire Main hall');
    await page.getByRole('heading', { name: 'Sessions still booked in this room' }).waitFor();
    await page.getByRole('heading', { name: 'Groups that usually meet here' }).waitFor();
    await page
      .getByRole('link', { name: /^Change this session/ })
      .first()
      .click();
    await arriveAt(journey.person, /^\/groups\/[0-9a-f-]{36}\/sessions\/[0-9a-f-]{36}\/change$/, /Change/);
  });
});
