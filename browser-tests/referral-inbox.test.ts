import { describe, it } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { buildReferral } from '../src/testing/builders/referrals.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/** A peer support worker opens the referral inbox from the header and reads one referral. */
describe('the referral inbox in a browser', { timeout: JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  it('a worker signs in, opens Referrals and reads a referral', async () => {
    const host = await hostOrganisation(journey.running.db);
    const worker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Tom Okafor',
    });
    const { id } = await buildReferral(journey.running.db, {
      organisationId: host.id,
      reference: 'RWXYZ2345',
      receivedAt: new Date(),
      firstContactDue: '2099-01-05',
      name: 'Sam Example',
      communicationNeeds: ['large_print'],
      ownWords: 'Finding things hard since moving here.',
    });
    const person = await journey.open();
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
