import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { systemClock } from '../src/context.ts';
import { formatDateTime } from '../src/platform/views/filters/format-date.ts';
import { buildStaff, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { buildPlan } from '../src/testing/builders/plans.ts';
import { readSignInEmail } from '../src/testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../src/testing/mail-server.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  journeySteps,
  PHONE,
  signInThroughForms,
  type TrackedPage,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/** The offline worker's cache (assets/member-offline/service-worker.js). */
const CACHE = 'alongside-member-plans-v1';

/** A tablet held upright (an iPad's 768 × 1024 points), as a worker on duty might carry. */
const TABLET = {
  viewport: { width: 768, height: 1024 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;

const PLAN_PAGE = /^\/my-plans\/[^/]+$/;

/**
 * The member owns their safety plan: on their phone they sign in with a code from their email, change
 * the plan themselves and can still read the new version with no connection; their key worker, at a
 * desk, proposes a change that waits until the member accepts it on their phone; and when a worker on
 * duty who is not on their team opens their crisis plan by break-glass, the member sees who (by role
 * and organisation) opened it and when, and the audit trail holds the opening. axe checks every page.
 */
describe('a member owns their safety plan', { timeout: 8 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let mail: MailServer;
  let member: TrackedPage;
  let keyWorkerPage: TrackedPage;
  let dutyPage: TrackedPage;
  let keyWorker: BuiltStaff;
  let onDuty: BuiltStaff;
  let organisationName = '';
  let memberId = '';
  let safetyPlan = '';
  const email = 'sam.example@example.org';
  const reason = 'Their sister rang: they are at the station and frightened';
  const step = journeySteps();

  before(async () => {
    mail = await startMailServer();
    const host = await hostOrganisation(journey.running.db);
    organisationName = host.name;
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
    const sam = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Sam Example',
      preferredName: 'Sam',
      email,
    });
    memberId = sam.id;
    await buildEpisode(journey.running.db, {
      memberId,
      organisationId: host.id,
      keyWorkerIds: [keyWorker.id],
    });
    safetyPlan = await buildPlan(
      journey.running.db,
      systemClock,
      { id: memberId, organisationId: host.id },
      'safety',
      {
        warningSigns: 'Pacing at night',
        copingAlone: 'Listening to music',
        reasonsForLiving: 'My niece',
      },
    );
    member = await journey.open(PHONE);
    keyWorkerPage = await journey.open();
    dutyPage = await journey.open(TABLET);
  });

  after(async () => {
    await mail?.close();
  });

  step('the member signs in on their phone with a code from their email', async () => {
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
    await arriveAt(member, '/my-account', 'Hello Sam');
    // The portal's pages start the offline worker for the plan pages; wait until it is running, so the
    // plan pages opened from here on go through it.
    await page.waitForFunction(
      async () =>
        (await navigator.serviceWorker.getRegistration('/my-plans/'))?.active?.state === 'activated',
    );
  });

  step('changes their safety plan themselves and sees the new version', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Your plans' }).first().click();
    await arriveAt(member, '/my-plans', 'Your plans');
    await page.getByRole('link', { name: 'Safety plan' }).click();
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    await page.getByText(/^Version 1, saved .* by you$/).waitFor();
    await page.getByRole('link', { name: 'Change this plan' }).click();
    await arriveAt(member, `/my-plans/${safetyPlan}/change`, 'Change your safety plan');
    const copingAlone = page.getByLabel('Step 2: Things I can do on my own to get through it');
    assert.equal(await copingAlone.inputValue(), 'Listening to music', 'the form starts from the plan now');
    await copingAlone.fill('Listening to music\nA cold shower');
    await page.getByLabel('What changed, in a few words (optional)').fill('Added a cold shower');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    await page.getByText(/^Version 2, saved .* by you$/).waitFor();
    await page.getByText('A cold shower', { exact: true }).waitFor();
    await page.getByText('Listening to music', { exact: true }).waitFor();

    const saved = await journey.running.db
      .selectFrom('plan_versions')
      .select(['number', 'how', 'saved_by_kind'])
      .where('plan_id', '=', safetyPlan)
      .orderBy('number')
      .execute();
    assert.deepEqual(saved.at(-1), { number: 2, how: 'member_edit', saved_by_kind: 'member' });
  });

  step('loses their connection and still reads the changed plan on their phone', async () => {
    const { page, context } = member;
    // The worker keeps the copy as it serves the page; wait until the copy kept is the new version.
    await page.waitForFunction(
      async ({ name, path }) => {
        const kept = await (await caches.open(name)).match(path);
        return kept !== undefined && (await kept.text()).includes('A cold shower');
      },
      { name: CACHE, path: `/my-plans/${safetyPlan}` },
    );

    await context.setOffline(true);
    try {
      await page.reload();
      await page
        .getByText(/^You are offline\. This is the copy saved on this phone on \d+ \w+ \d{4} at /)
        .waitFor();
      await page.getByText('A cold shower', { exact: true }).waitFor();
      await page.getByText(/^Version 2, saved .* by you$/).waitFor();
      await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    } finally {
      await context.setOffline(false);
    }
    await page.reload();
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    assert.equal(await page.locator('#offline-copy').count(), 0, 'back online, the page is the live one');
  });

  step('their key worker, at a desk, proposes a change to the safety plan', async () => {
    const { page } = keyWorkerPage;
    await page.goto('/sign-in');
    await arriveAt(keyWorkerPage, '/sign-in', 'Sign in');
    await signInThroughForms(keyWorkerPage, keyWorker);
    await page.goto(`/members/${memberId}/plans`);
    await arriveAt(keyWorkerPage, `/members/${memberId}/plans`, /^Plans for Sam/);
    await page.getByRole('link', { name: 'Safety plan' }).click();
    await arriveAt(keyWorkerPage, `/members/${memberId}/plans/${safetyPlan}`, 'Safety plan');
    await page.getByText('A cold shower', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Propose a change, or record one agreed in person' }).click();
    await arriveAt(keyWorkerPage, `/members/${memberId}/plans/${safetyPlan}/change`, /^Change Safety plan/);
    assert.equal(
      await page.getByLabel('Step 2: Things I can do on my own to get through it').inputValue(),
      'Listening to music\nA cold shower',
      'the worker starts from the version the member saved',
    );
    await page
      .getByLabel('Step 3: People and places that take my mind off things')
      .fill('The Tuesday drop-in at the library');
    await page.getByLabel('What changed, in a few words (optional)').fill('Added the Tuesday drop-in');
    await page.getByLabel('Propose this change to Sam', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await arriveAt(keyWorkerPage, `/members/${memberId}/plans/${safetyPlan}`, 'Safety plan');
    await page.getByText('A change is waiting').waitFor();
    // Proposed, not saved: the plan is still the member's version 2.
    assert.equal(await page.getByText('The Tuesday drop-in at the library', { exact: true }).count(), 0);
    const plan = await journey.running.db
      .selectFrom('plans')
      .select('current_version')
      .where('id', '=', safetyPlan)
      .executeTakeFirstOrThrow();
    assert.equal(plan.current_version, 2);
  });

  step('the member sees the change waiting on their phone, and accepts it', async () => {
    const { page } = member;
    await page.goto('/my-plans');
    await arriveAt(member, '/my-plans', 'Your plans');
    await page.getByText('1 proposed change is waiting for you to look at').waitFor();
    await page.getByRole('link', { name: 'Safety plan' }).click();
    await arriveAt(member, `/my-plans/${safetyPlan}`, 'Safety plan');
    await page.getByText('A change is waiting').waitFor();
    await page.getByRole('link', { name: 'Look at the change and accept or decline it' }).click();
    await arriveAt(member, /^\/my-plans\/[^/]+\/proposals\/[^/]+$/, 'A change to your safety plan');
    await page
      .getByText(/^Tom Okafor \(.+\) proposed this change on .*: Added the Tuesday drop-in\.$/)
      .waitFor();
    await page.locator('ins', { hasText: 'The Tuesday drop-in at the library' }).first().waitFor();
    await page.getByRole('button', { name: 'Accept the change' }).click();

    await arriveAt(member, PLAN_PAGE, 'Safety plan');
    assert.equal(new URL(page.url()).pathname, `/my-plans/${safetyPlan}`);
    await page.getByText('The Tuesday drop-in at the library', { exact: true }).waitFor();
    await page.getByText('A cold shower', { exact: true }).waitFor();
    await page
      .getByText(/^Version 3, saved .* by you, accepting a change proposed by Tom Okafor \(.+\)$/)
      .waitFor();
    assert.equal(await page.getByText('A change is waiting').count(), 0, 'nothing waits any more');

    const versions = await journey.running.db
      .selectFrom('plan_versions')
      .select(['number', 'how'])
      .where('plan_id', '=', safetyPlan)
      .orderBy('number')
      .execute();
    assert.deepEqual(
      versions.map((v) => v.how),
      ['member_edit', 'member_edit', 'accepted_proposal'],
    );
  });

  step('a worker on duty, not on the team, opens the crisis plan by break-glass with a reason', async () => {
    const { page } = dutyPage;
    await page.goto('/sign-in');
    await arriveAt(dutyPage, '/sign-in', 'Sign in');
    // The key worker used the code shown now; a second code in the same 30 seconds is the next one.
    await signInThroughForms(dutyPage, onDuty, 1);
    await page.goto(`/members/${memberId}/plans`);
    await arriveAt(dutyPage, `/members/${memberId}/plans`, /^Plans for Sam/);
    await page.getByText('There are no plans shared with you.').waitFor();
    await page.getByRole('link', { name: 'Open the crisis view' }).click();
    await arriveAt(dutyPage, `/members/${memberId}/plans/crisis`, /^Crisis view for Sam/);
    assert.equal(
      await page.getByText('A cold shower', { exact: true }).count(),
      0,
      'nothing before a reason',
    );
    await page.getByLabel('Why do you need to see it now?').fill(reason);
    await page.getByRole('button', { name: 'Open the crisis plan' }).click();
    await arriveAt(dutyPage, /^\/members\/[^/]+\/plans\/crisis\/[^/]+$/, /^Crisis view for Sam/);
    // What they see is the plan as the member has it now, with the change they accepted.
    await page.getByText('The Tuesday drop-in at the library', { exact: true }).waitFor();
    await page.getByText(/^The reason you gave: Their sister rang/).waitFor();
    const accessId = new URL(page.url()).pathname.split('/').at(-1) ?? '';

    const opened = await journey.running.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'plan.break_glass_opened')
      .where('subject_id', '=', memberId)
      .execute();
    assert.equal(opened.length, 1, 'one break-glass opening in the audit trail');
    const [row] = opened;
    assert.equal(row?.actor_type, 'staff');
    assert.equal(row?.actor_id, onDuty.id);
    assert.equal(row?.actor_role, 'community_connector');
    assert.equal(row?.actor_organisation_id, onDuty.organisationId);
    assert.equal(row?.subject_type, 'Member');
    assert.equal(row?.details.breakGlassId, accessId);
    assert.equal(row?.details.reasonSha256, createHash('sha256').update(reason).digest('hex'));
    assert.doesNotMatch(JSON.stringify(row?.details), /sister/, 'the audit trail holds no free text');
    const kept = await journey.running.db
      .selectFrom('plan_break_glass')
      .select(['staff_id', 'reason'])
      .where('id', '=', accessId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(kept, { staff_id: onDuty.id, reason });
  });

  step('the member sees on their phone that their crisis plan was opened in an emergency', async () => {
    const { page } = member;
    await page.goto('/my-account');
    await arriveAt(member, '/my-account', 'Hello Sam');
    await page.getByRole('link', { name: 'Who has looked at your record' }).first().click();
    await arriveAt(member, '/my-account/who-has-looked', 'Who has looked at your record');
    await page
      .getByRole('heading', { name: 'When someone opened your crisis plan in an emergency' })
      .waitFor();

    const notice = await journey.running.db
      .selectFrom('member_notices')
      .select(['created_at', 'text'])
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    const callout = page.locator('.nhsuk-card--warning', { hasText: 'opened your crisis plan' });
    assert.equal(await callout.count(), 1);
    assert.match(await callout.innerText(), new RegExp(escape(formatDateTime(notice.created_at))));
    assert.match(
      await callout.innerText(),
      new RegExp(
        `\\(community connector, ${escape(organisationName)}\\) opened your crisis plan without being on your team\\. The reason they gave: ${escape(reason)}`,
      ),
    );

    // Each look at the crisis plan through the break-glass opening is listed with role, organisation
    // and time (in UK time).
    const reads = await journey.running.db
      .selectFrom('audit_events')
      .select(['occurred_at', 'details'])
      .where('action', '=', 'plan.crisis_view_read')
      .where('subject_id', '=', memberId)
      .where('actor_id', '=', onDuty.id)
      .execute();
    const read = reads.find((r) => r.details.breakGlassId !== undefined);
    assert.ok(read, 'the look through the break-glass opening is in the audit trail');
    const look = page
      .locator('li')
      .filter({ hasText: formatDateTime(read.occurred_at) })
      .filter({ hasText: 'Opened your crisis plan' })
      .filter({ hasText: `Community connector, ${organisationName}` });
    assert.ok((await look.count()) >= 1, 'the break-glass look is listed with role, organisation and time');
    // The key worker's reads of the plan are listed too.
    await page
      .locator('li')
      .filter({ hasText: 'Read one of your plans' })
      .filter({ hasText: `Peer support worker, ${organisationName}` })
      .first()
      .waitFor();
  });
});

/** A string to match literally inside a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
