import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { buildReferral } from '../src/testing/builders/referrals.ts';
import { startListeningApp, type RunningApp } from './support/app.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  launchBrowser,
  openPage,
  signInThroughForms,
} from './support/browser.ts';

/** A peer support worker opens the referral inbox from the header and reads one referral. */
describe('the referral inbox in a browser', { timeout: JOURNEY_TIMEOUT_MS }, () => {
  let running: RunningApp;
  let browser: Browser;

  before(async () => {
    running = await startListeningApp();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await running?.close();
  });

  it('a worker signs in, opens Referrals and reads a referral', async () => {
    const host = await hostOrganisation(running.db);
    const worker = await buildStaff(running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    const { id } = await buildReferral(running.db, {
      organisationId: host.id,
      reference: 'RWXYZ2345',
      receivedAt: new Date(),
      firstContactDue: '2099-01-05',
      name: 'Sam Example',
      communicationNeeds: ['large_print'],
      ownWords: 'Finding things hard since moving here.',
    });
    const person = await openPage(browser, running.baseUrl);
    try {
      await person.page.goto('/sign-in');
      await arriveAt(person, '/sign-in', 'Sign in');
      await signInThroughForms(person, worker);
      await person.page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Referrals' })
        .click();
      await arriveAt(person, '/referrals', 'Referrals');
      await person.page.getByRole('link', { name: 'RWXYZ2345' }).click();
      await arriveAt(person, `/referrals/${id}`, 'Referral RWXYZ2345');
      await person.page.getByText('Finding things hard since moving here.').waitFor();
    } finally {
      await person.context.close();
    }
  });
});
