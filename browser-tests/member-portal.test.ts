import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { recordAudit } from '../src/platform/audit/audit.ts';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildMember } from '../src/testing/builders/members.ts';
import { buildOrganisation } from '../src/testing/builders/organisations.ts';
import { buildPlan } from '../src/testing/builders/plans.ts';
import { readSignInEmail } from '../src/testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../src/testing/mail-server.ts';
import { TestClock } from '../src/testing/test-clock.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, journeySteps, PHONE, type TrackedPage } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

const CACHE = 'alongside-member-plans-v1';

/**
 * A member on their phone signs in with a code from their email, sees their home page, their details
 * and who has looked at their record; opens their safety plan, loses their connection and can still
 * read it; signs out, and the copy on the phone is gone.
 */
describe('the member portal on a phone', { timeout: 8 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let mail: MailServer;
  let member: TrackedPage;
  let safetyPlan: string;
  const email = 'robin.example@example.org';
  const step = journeySteps();

  before(async () => {
    mail = await startMailServer();
    const organisation = await buildOrganisation(journey.running.db, { name: 'Riverside Peer Support' });
    const robin = await buildMember(journey.running.db, {
      organisationId: organisation.id,
      legalName: 'Robin Example',
      preferredName: 'Robin',
      email,
    });
    const owner = { id: robin.id, organisationId: organisation.id };
    const clock = new TestClock(new Date());
    safetyPlan = await buildPlan(journey.running.db, clock, owner, 'safety', {
      warningSigns: 'Not sleeping and skipping meals',
    });
    await buildPlan(journey.running.db, clock, owner, 'resource_and_support');
    // A worker opened Robin's record earlier today.
    const worker = await buildStaff(journey.running.db, {
      organisationId: organisation.id,
      roles: ['peer_support_worker'],
    });
    await recordAudit(journey.running.db, {
      action: 'member.read',
      subject: { type: 'Member', id: robin.id },
      actor: { type: 'staff', id: worker.id, role: 'peer_support_worker', organisationId: organisation.id },
      at: new Date(Date.now() - 60 * 60_000),
    });
    member = await journey.open(PHONE);
  });

  after(async () => {
    await mail?.close();
  });

  step('signs in with a code from their email', async () => {
    const { page } = member;
    await page.goto('/my-account');
    await arriveAt(member, '/my-account/sign-in', 'Sign in to see your plans and details');
    await page.getByLabel('Email address or mobile number').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await arriveAt(member, '/my-account/sign-in/code', 'Check your email or phone');
    const { code } = await readSignInEmail(
      { db: journey.running.db, config: journey.running.deps.config },
      mail,
      email,
    );
    await page.getByLabel('Your code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arriveAt(member, '/my-account', 'Hello Robin');
    await page.getByText('You have no sessions booked.').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.viewport.width, `the home page is ${width}px wide on a 375px screen`);
  });

  step('sees their details and who has looked at their record', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Your details' }).first().click();
    await arriveAt(member, '/my-account/details', 'Your details');
    await page.getByText('Robin Example').waitFor();
    await page.getByRole('button', { name: 'Change your details' }).click();
    await arriveAt(member, '/my-account/details/change', 'Change your details');
    await page.goto('/my-account/sessions');
    await arriveAt(member, '/my-account/sessions', 'Your sessions');
    await page.goto('/my-account/who-has-looked');
    await arriveAt(member, '/my-account/who-has-looked', 'Who has looked at your record');
    await page.getByText('Peer support worker, Riverside Peer Support').waitFor();
  });

  step('opens their safety plan, goes offline and still reads it', async () => {
    const { page, context } = member;
    // The portal's pages start the offline worker for the plan pages; wait until it is journey.running.
    await page.waitForFunction(
      async () =>
        (await navigator.serviceWorker.getRegistration('/my-plans/'))?.active?.state === 'activated',
    );
    await page.goto(`/my-plans/${safetyPlan}`);
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    await page.getByText('Not sleeping and skipping meals').waitFor();
    await page.getByRole('link', { name: 'Change who can see this plan' }).click();
    await arriveAt(member, `/my-plans/${safetyPlan}/sharing`, 'Who can see your safety plan');
    await page.goto(`/my-plans/${safetyPlan}`);
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    const kept = await page.evaluate(
      async (name) =>
        (await (await caches.open(name)).keys())
          .map((request) => new URL(request.url).pathname)
          .filter((path) => path.startsWith('/my-plans')),
      CACHE,
    );
    assert.deepEqual(
      kept,
      [`/my-plans/${safetyPlan}`],
      'only the plan opened is kept, although the page says no-store',
    );

    await context.setOffline(true);
    await page.reload();
    await page
      .getByText(/^You are offline\. This is the copy saved on this phone on \d+ \w+ \d{4} at /)
      .waitFor();
    await page.getByText('Not sleeping and skipping meals').waitFor();
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    await context.setOffline(false);
  });

  step('signs out, and the copy on the phone is gone', async () => {
    const { page, context } = member;
    await page.goto('/my-account/sign-out');
    await arriveAt(member, '/my-account/sign-out', 'Sign out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await arriveAt(member, '/my-account/sign-out', 'You have signed out');
    await page.waitForFunction(async (name) => !(await caches.keys()).includes(name), CACHE);
    await context.setOffline(true);
    const offline = await page.goto(`/my-plans/${safetyPlan}`).catch(() => null);
    assert.ok(offline === null || !offline.ok(), 'nothing of the plan is served without a connection');
    // A failed navigation still goes on to the browser's own error page. Read whatever page is showing
    // once it has finished loading, in one step that a navigation cannot interrupt halfway.
    const showing = await page.waitForFunction(() =>
      document.readyState === 'complete' ? document.documentElement.outerHTML : false,
    );
    assert.doesNotMatch(String(await showing.jsonValue()), /Not sleeping and skipping meals/);
    await context.setOffline(false);
  });
});
