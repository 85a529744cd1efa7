import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import { createSetupToken } from '../src/modules/accounts/index.ts';
import {
  arriveAt,
  authenticatorCode,
  JOURNEY_TIMEOUT_MS,
  type TrackedPage,
  journeySteps,
  signInThroughForms,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * The "done when": a new service is set up from its one-time link, the first administrator
 * invites a colleague, the colleague joins and signs in, and the administrator deactivates them,
 * which ends the colleague's open session at once and shows in the audit trail.
 *
 * The steps share one app, one browser and the people's pages, and run in order; once a step fails,
 * the later ones are skipped rather than failing with confusing timeouts.
 */
describe('setting up the service and managing staff', { timeout: 5 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let admin: TrackedPage;
  let colleague: TrackedPage;
  let adminSecret = '';
  let colleagueSecret = '';
  let invitationLink = '';

  const adminAccount = {
    organisation: 'Riverside Peer Support',
    name: 'Alex Morgan',
    email: 'alex.morgan@riverside.example.org',
    password: 'kettle orchard lantern pebble',
  };
  const colleagueAccount = {
    name: 'Sam Taylor',
    email: 'sam.taylor@riverside.example.org',
    password: 'harbour thistle copper meadow',
  };

  const step = journeySteps();

  before(async () => {
    admin = await journey.open();
  });

  /**
   * Opens the "I cannot scan the QR code" details, reads the key and types the code it gives now.
   *
   * @param person - whose page.
   * @returns the key, for signing in later.
   */
  async function setUpAuthenticator(person: TrackedPage): Promise<string> {
    const { page } = person;
    await page.getByText('I cannot scan the QR code').click();
    const secret = (await page.locator('#secret').textContent())?.trim() ?? '';
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the setup key is shown as Base32 text');
    await page.getByLabel('Enter the 6-digit code the app shows').fill(await authenticatorCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    return secret;
  }

  /**
   * Checks the one-time recovery codes are shown, then carries on to the home page.
   *
   * @param person - whose page.
   * @param name - their name, in the home page's greeting.
   */
  async function saveRecoveryCodes(person: TrackedPage, name: string): Promise<void> {
    await arriveAt(person, '/recovery-codes', 'Save your recovery codes');
    await person.page.locator('#recovery-codes li').first().waitFor();
    assert.equal(await person.page.locator('#recovery-codes li').count(), 10, 'ten recovery codes are shown');
    await person.page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await arriveAt(person, '/', `Hello ${name}`);
  }

  /**
   * Signs in through the real pages: email and password, then the authenticator's next code.
   *
   * @param person - whose page.
   * @param account - their email and password.
   * @param account.email - email address.
   * @param account.password - password.
   * @param account.name - their name, in the home page's greeting.
   * @param secret - their authenticator key.
   */
  async function signIn(
    person: TrackedPage,
    account: { email: string; password: string; name: string },
    secret: string,
  ): Promise<void> {
    const { page } = person;
    await page.goto('/sign-in');
    await arriveAt(person, '/sign-in', 'Sign in');
    await signInThroughForms(person, { ...account, fullName: account.name, totpSecret: secret }, 1);
  }

  step(
    'the setup link shows the form, and an empty form gets an error summary that leads to each field',
    async () => {
      const { token } = await createSetupToken(journey.running.deps);
      const { page } = admin;
      await page.goto(`/setup/${token}`);
      await arriveAt(admin, `/setup/${token}`, 'Set up your service');

      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(admin, `/setup/${token}`, 'Set up your service');
      assert.match(await page.title(), /^Error: /, 'the page title starts with "Error:"');
      const summary = page.locator('.nhsuk-error-summary');
      await summary.waitFor();
      assert.equal(
        await summary
          .getByRole('heading')
          .first()
          .textContent()
          .then((t) => t?.trim()),
        'There is a problem',
      );
      // The design system's script moves focus to the summary so screen reader users hear it first.
      await page.waitForFunction(() => document.activeElement?.classList.contains('nhsuk-error-summary'));

      const links = summary.locator('.nhsuk-error-summary__list a');
      const items = await links.evaluateAll((as) =>
        as.map((a) => ({ text: a.textContent?.trim() ?? '', href: a.getAttribute('href') ?? '' })),
      );
      const expected = [
        { text: 'Enter the name of your organisation', href: '#organisationName' },
        { text: 'Select the type of organisation', href: '#organisationKind' },
        { text: 'Enter your full name', href: '#fullName' },
        { text: 'Enter an email address', href: '#email' },
      ];
      for (const item of expected) {
        assert.ok(
          items.some((i) => i.text === item.text && i.href === item.href),
          `the summary links "${item.text}" to ${item.href}; it has ${JSON.stringify(items)}`,
        );
        assert.equal(await page.locator(item.href).count(), 1, `${item.href} is a field on the page`);
      }
      // Each field repeats its own message beside it.
      await page.locator('#organisationName-error').waitFor();

      // Following a link in the summary puts the cursor in that field.
      await page.getByRole('link', { name: 'Enter your full name' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'fullName');

      await page.getByLabel('Organisation name').fill(adminAccount.organisation);
      await page.getByLabel('Charity or voluntary organisation').check();
      await page.getByLabel('Your full name').fill(adminAccount.name);
      await page.getByLabel('Your email address').fill(adminAccount.email);
      await page.getByLabel('Choose a password', { exact: true }).fill(adminAccount.password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(admin, '/set-up-authenticator', 'Set up your authenticator app');
    },
  );

  step('the administrator sets up their authenticator app and sees their recovery codes once', async () => {
    adminSecret = await setUpAuthenticator(admin);
    await saveRecoveryCodes(admin, adminAccount.name);
  });

  step('the administrator invites a colleague and, with no email server, is shown the link', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Staff' }).click();
    await arriveAt(admin, '/staff', 'Staff');
    await page.getByRole('link', { name: 'Invite a colleague' }).click();
    await arriveAt(admin, '/staff/invite', 'Invite a colleague');
    await page.getByLabel('Full name').fill(colleagueAccount.name);
    await page.getByLabel('Email address').fill(colleagueAccount.email);
    await page.getByLabel('Peer support worker', { exact: true }).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await arriveAt(admin, '/staff/invite', 'Invitation sent');
    invitationLink = (await page.locator('#invitation-link').textContent())?.trim() ?? '';
    assert.ok(
      invitationLink.startsWith(`${journey.running.baseUrl}/invitations/`),
      `the invitation link is on this service: ${invitationLink}`,
    );
  });

  step('the administrator signs out', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Sign out' }).click();
    await arriveAt(admin, '/sign-out', 'Sign out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await arriveAt(admin, '/sign-out', 'You have signed out');
    await page.goto('/staff');
    await arriveAt(admin, '/sign-in', 'Sign in');
  });

  step('the colleague opens the invitation, chooses a password and sets up their authenticator', async () => {
    colleague = await journey.open();
    const { page } = colleague;
    await page.goto(invitationLink);
    await arriveAt(colleague, /^\/invitations\//, 'Choose your password');
    await page.getByLabel('Choose a password', { exact: true }).fill(colleagueAccount.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await arriveAt(colleague, '/set-up-authenticator', 'Set up your authenticator app');
    colleagueSecret = await setUpAuthenticator(colleague);
    await saveRecoveryCodes(colleague, colleagueAccount.name);
    // A peer support worker does not manage staff.
    assert.equal(await page.getByRole('link', { name: 'Staff' }).count(), 0);
  });

  step('the colleague signs out and signs in afresh with their password and authenticator', async () => {
    const { page } = colleague;
    await page.goto('/sign-out');
    await arriveAt(colleague, '/sign-out', 'Sign out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await arriveAt(colleague, '/sign-out', 'You have signed out');
    await signIn(colleague, colleagueAccount, colleagueSecret);
    await page.goto('/account');
    await arriveAt(colleague, '/account', 'Your account');
  });

  step(
    "the administrator deactivates the colleague, and the colleague's open session is refused",
    async () => {
      await signIn(admin, adminAccount, adminSecret);
      const { page } = admin;
      await page.goto('/staff');
      await arriveAt(admin, '/staff', 'Staff');
      await page.getByRole('link', { name: colleagueAccount.name }).click();
      await arriveAt(admin, /^\/staff\/[0-9a-f-]{36}$/, colleagueAccount.name);
      await page.getByRole('button', { name: 'Deactivate account' }).click();
      await arriveAt(admin, /^\/staff\/[0-9a-f-]{36}$/, colleagueAccount.name);
      await page.getByText('Deactivated', { exact: true }).first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Reactivate account' }).count(), 1);

      await colleague.page.reload();
      await arriveAt(colleague, '/sign-in', 'Sign in');
      await colleague.page.goto('/');
      await arriveAt(colleague, '/sign-in', 'Sign in');
    },
  );

  step("the administrator reads the colleague's audit trail", async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'View the audit trail for this account' }).click();
    await arriveAt(admin, /^\/staff\/[0-9a-f-]{36}\/audit$/, `Audit trail for ${colleagueAccount.name}`);
    const rows = await page
      .locator('table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
      );
    const actions = rows.map((cells) => cells[2] ?? '');
    for (const action of [
      'staff.invited',
      'staff.invitation_accepted',
      'sign_in.succeeded',
      'staff.deactivated',
    ]) {
      assert.ok(
        actions.includes(action),
        `the audit trail shows ${action}; it shows ${JSON.stringify(actions)}`,
      );
    }
    const deactivation = rows.find((cells) => cells[2] === 'staff.deactivated');
    assert.equal(
      deactivation?.[1],
      adminAccount.name,
      'the deactivation is recorded against the administrator',
    );
    assert.ok(actions.indexOf('staff.deactivated') < actions.indexOf('staff.invited'), 'newest first');
  });
});
