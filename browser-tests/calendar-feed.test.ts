import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildGroup, buildSession, buildVenue } from '../src/testing/builders/groups.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * A peer support worker makes a calendar address for Outlook, copies it, and later stops it: the
 * address then gives nothing.
 */
describe('a calendar feed for Outlook', { timeout: 2 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp({ person: {} });
  let feedPath = '';
  let groupId = '';
  let manager: Awaited<ReturnType<typeof buildStaff>>;
  const step = journeySteps();

  step('the worker signs in and opens their calendar feed page', async () => {
    const host = await hostOrganisation(journey.running.db);
    const worker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    const venue = await buildVenue(journey.running.db, { organisationId: host.id, name: 'Chatham Library' });
    manager = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Morgan Ellis',
    });
    const group = await buildGroup(journey.running.db, host.id, {
      name: 'Thursday Drop-in',
      type: 'drop_in',
    });
    groupId = group.id;
    const startsAt = new Date(Date.now() + 2 * 86_400_000);
    await buildSession(journey.running.db, {
      groupId: group.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      roomId: venue.roomId,
      facilitators: [{ staffId: worker.id, sessionRole: 'peer_worker' }],
    });
    const { page } = journey.person;
    await page.goto('/sign-in');
    await arriveAt(journey.person, '/sign-in', 'Sign in');
    await signInThroughForms(journey.person, worker);
    await page.goto('/calendar-feed');
    await arriveAt(journey.person, '/calendar-feed', 'Your calendar feed');
    await page.getByText('There is no calendar address at the moment').waitFor();
  });

  step('they create an address, shown once, and it gives their sessions as a calendar', async () => {
    const { page } = journey.person;
    await page.getByRole('button', { name: 'Create a calendar address' }).click();
    await arriveAt(journey.person, '/calendar-feed', 'Your calendar feed');
    await page.getByText('Copy it now: it will not be shown again.').waitFor();
    const address = await page.getByLabel('Calendar address').inputValue();
    feedPath = new URL(address).pathname;
    assert.match(feedPath, /^\/calendars\/staff\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await page.request.get(`${journey.running.baseUrl}${feedPath}`);
    assert.equal(feed.status(), 200);
    assert.equal(feed.headers()['content-type'], 'text/calendar; charset=utf-8');
    assert.match(await feed.text(), /SUMMARY:Thursday Drop-in/);
  });

  step('they stop the feed, and the address gives nothing any more', async () => {
    const { page } = journey.person;
    await page.goto('/calendar-feed');
    await arriveAt(journey.person, '/calendar-feed', 'Your calendar feed');
    assert.equal(await page.getByLabel('Calendar address').count(), 0, 'the address is not shown again');
    await page.getByRole('button', { name: 'Stop the calendar feed' }).click();
    await arriveAt(journey.person, '/calendar-feed', 'Your calendar feed');
    await page.getByText('There is no calendar address at the moment').waitFor();
    const feed = await page.request.get(`${journey.running.baseUrl}${feedPath}`);
    assert.equal(feed.status(), 404);
  });

  step('a service manager gives the group a public calendar address', async () => {
    const manages = await journey.open();
    try {
      const { page } = manages;
      await page.goto('/sign-in');
      await arriveAt(manages, '/sign-in', 'Sign in');
      await signInThroughForms(manages, manager);
      await page.goto(`/groups/${groupId}/calendar-feed`);
      await arriveAt(manages, `/groups/${groupId}/calendar-feed`, 'Calendar feed for this group');
      await page.getByRole('button', { name: 'Create a calendar address' }).click();
      await arriveAt(manages, `/groups/${groupId}/calendar-feed`, 'Calendar feed for this group');
      const address = await page.getByLabel('Calendar address').inputValue();
      const feed = await page.request.get(`${journey.running.baseUrl}${new URL(address).pathname}`);
      assert.equal(feed.status(), 200);
      assert.doesNotMatch(await feed.text(), /Tom Okafor|Morgan Ellis/);
    } finally {
      await manages.context.close();
    }
  });
});
