import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import { systemClock } from '../src/context.ts';
import { buildStaff, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { buildPlan } from '../src/testing/builders/plans.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  journeySteps,
  signInThroughForms,
  type TrackedPage,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * The staff side of plans the member owns: the key worker records a change to a member's safety plan
 * as agreed with them in person, compares the versions, proposes another change for the member to
 * accept, and prints the plan; then a worker on duty who is not on the member's team opens the crisis
 * view by break-glass, refused until they give a reason. axe checks every page.
 */
describe('a safety plan on the member’s record, and break-glass', { timeout: 6 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let keyWorkerPage: TrackedPage;
  let dutyPage: TrackedPage;
  let keyWorker: BuiltStaff;
  let onDuty: BuiltStaff;
  let memberId = '';
  const step = journeySteps();

  before(async () => {
    keyWorkerPage = await journey.open();
    dutyPage = await journey.open();
    const host = await hostOrganisation(journey.running.db);
    keyWorker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    onDuty = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['community_connector'],
      fullName: 'Hannah Price',
    });
    const member = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Morgan Example',
    });
    memberId = member.id;
    await buildEpisode(journey.running.db, {
      memberId,
      organisationId: host.id,
      keyWorkerIds: [keyWorker.id],
    });
    await buildPlan(journey.running.db, systemClock, { id: memberId, organisationId: host.id }, 'safety', {
      warningSigns: 'Pacing at night',
      copingAlone: 'Listening to music',
      reasonsForLiving: 'My niece',
    });
  });

  step('the key worker opens the member’s safety plan, with where to get help now', async () => {
    const { page } = keyWorkerPage;
    await page.goto('/sign-in');
    await arriveAt(keyWorkerPage, '/sign-in', 'Sign in');
    await signInThroughForms(keyWorkerPage, keyWorker);
    await page.goto(`/members/${memberId}/plans`);
    await arriveAt(keyWorkerPage, `/members/${memberId}/plans`, 'Plans for Morgan Example');
    await page.getByRole('link', { name: 'Safety plan' }).click();
    await arriveAt(keyWorkerPage, /^\/members\/[^/]+\/plans\/[^/]+$/, 'Safety plan');
    assert.ok(await page.getByText('Call Samaritans free on 116 123').isVisible());
    assert.ok(await page.getByText('Pacing at night').isVisible());
  });

  step('records a change agreed with the member in person', async () => {
    const { page } = keyWorkerPage;
    await page.getByRole('link', { name: 'Propose a change, or record one agreed in person' }).click();
    await arriveAt(keyWorkerPage, /\/change$/, 'Change Safety plan');
    await page
      .getByLabel('Step 2: Things I can do on my own to get through it')
      .fill('Listening to music\nA cold shower');
    await page.getByLabel('What changed, in a few words (optional)').fill('Added a cold shower');
    await page.getByLabel('Morgan Example agreed this change with me in person').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(keyWorkerPage, /^\/members\/[^/]+\/plans\/[^/]+$/, 'Safety plan');
    assert.ok(await page.getByText('A cold shower').isVisible());
    assert.ok(await page.getByText(/agreed with the member in person/).isVisible());
  });

  step('compares the two versions in words', async () => {
    const { page } = keyWorkerPage;
    await page.getByRole('link', { name: 'Versions of this plan' }).click();
    await arriveAt(keyWorkerPage, /\/versions$/, 'Versions of Safety plan');
    await page.getByRole('button', { name: 'Compare' }).click();
    await arriveAt(keyWorkerPage, /\/compare$/, 'Version 1 and version 2 compared');
    assert.ok(await page.locator('ins', { hasText: 'A cold shower' }).isVisible());
  });

  step('proposes another change, which waits for the member', async () => {
    const { page } = keyWorkerPage;
    await page.getByRole('link', { name: 'Back to the versions' }).click();
    await arriveAt(keyWorkerPage, /\/versions$/, 'Versions of Safety plan');
    await page.getByRole('link', { name: 'Back to the plan' }).click();
    await arriveAt(keyWorkerPage, /^\/members\/[^/]+\/plans\/[^/]+$/, 'Safety plan');
    await page.getByRole('link', { name: 'Propose a change, or record one agreed in person' }).click();
    await arriveAt(keyWorkerPage, /\/change$/, 'Change Safety plan');
    // Without choosing how it is agreed, the page says so and keeps the words.
    await page
      .getByLabel('Step 3: People and places that take my mind off things')
      .fill('The Tuesday drop-in');
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(keyWorkerPage, /\/change$/, 'Change Safety plan');
    assert.ok(
      await page.getByRole('link', { name: /Select whether you are proposing this change/ }).isVisible(),
    );
    assert.equal(
      await page.getByLabel('Step 3: People and places that take my mind off things').inputValue(),
      'The Tuesday drop-in',
    );
    await page.getByLabel('Propose this change to Morgan Example').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(keyWorkerPage, /^\/members\/[^/]+\/plans\/[^/]+$/, 'Safety plan');
    assert.ok(await page.getByText('A change is waiting').isVisible());
    await page.getByRole('link', { name: 'Print this plan' }).click();
    await arriveAt(keyWorkerPage, /\/print$/, 'Safety plan');
  });

  step('a worker on duty, not on the team, is refused the crisis view until they give a reason', async () => {
    const { page } = dutyPage;
    await page.goto('/sign-in');
    await arriveAt(dutyPage, '/sign-in', 'Sign in');
    await signInThroughForms(dutyPage, onDuty, 1);
    await page.goto(`/members/${memberId}/plans`);
    await arriveAt(dutyPage, `/members/${memberId}/plans`, 'Plans for Morgan Example');
    assert.ok(await page.getByText('There are no plans shared with you.').isVisible());
    await page.getByRole('link', { name: 'Open the crisis view' }).click();
    await arriveAt(dutyPage, `/members/${memberId}/plans/crisis`, 'Crisis view for Morgan Example');
    assert.equal(await page.getByText('Pacing at night').count(), 0);
    await page.getByRole('button', { name: 'Open the crisis plan' }).click();
    await arriveAt(dutyPage, `/members/${memberId}/plans/crisis`, 'Crisis view for Morgan Example');
    assert.ok(
      await page.getByRole('link', { name: 'Enter why you need to see this crisis plan now' }).isVisible(),
    );
    await page
      .getByLabel('Why do you need to see it now?')
      .fill('Their sister rang: they are at the station and frightened');
    await page.getByRole('button', { name: 'Open the crisis plan' }).click();
    await arriveAt(dutyPage, /^\/members\/[^/]+\/plans\/crisis\/[^/]+$/, 'Crisis view for Morgan Example');
    assert.ok(await page.getByText('A cold shower').isVisible());
    assert.ok(await page.getByText(/The reason you gave: Their sister rang/).isVisible());

    const audit = await journey.running.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', memberId)
      .where('actor_id', '=', onDuty.id)
      .execute();
    assert.ok(audit.some((row) => row.action === 'plan.break_glass_opened'));
    const notices = await journey.running.db
      .selectFrom('member_notices')
      .select('text')
      .where('member_id', '=', memberId)
      .execute();
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.text ?? '', /someone \(community connector, .*\) opened your crisis plan/);
    assert.doesNotMatch(notices[0]?.text ?? '', /Hannah Price/, 'the member is not told the worker by name');
  });
});
