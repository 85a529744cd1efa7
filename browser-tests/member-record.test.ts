import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildStaff } from '../src/testing/builders/accounts.ts';
import { buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * A peer support worker keeps a person's record up to date: finds them, sees how to communicate with
 * them before anything else, puts right their personal details (after a slip), their contact details
 * and needs, records equality monitoring, adds their carer and makes her their emergency contact, and
 * records a consent choice that is later withdrawn.
 */
describe('keeping a member record in a browser', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let hostId: string;

  before(async () => {
    hostId = (await hostOrganisation(journey.running.db)).id;
  });

  it(
    'a worker finds a person and changes their details, contact, equality monitoring, people and consent',
    { timeout: JOURNEY_TIMEOUT_MS },
    async () => {
      const worker = await buildStaff(journey.running.db, {
        organisationId: hostId,
        roles: ['peer_support_worker'],
        fullName: 'Tom Okafor',
      });
      const member = await buildMember(journey.running.db, {
        organisationId: hostId,
        legalName: 'Samantha Example',
        preferredName: 'Sam',
        dateOfBirth: '1985-06-03',
        phone: '07700 900 123',
        contactMethods: ['phone'],
        communicationNeeds: ['large_print'],
      });
      await buildMember(journey.running.db, { organisationId: hostId, legalName: 'Morgan Example' });
      const record = `/members/${member.id}`;
      const person = await journey.open();
      const { page } = person;
      try {
        await page.goto('/sign-in');
        await arriveAt(person, '/sign-in', 'Sign in');
        await signInThroughForms(person, worker);

        // Finding them: the search is a form, so their name never goes in the address.
        await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'People' }).click();
        await arriveAt(person, '/members', 'People');
        await page.getByLabel('Name', { exact: true }).fill('Samantha');
        await page.getByRole('button', { name: 'Search' }).click();
        await arriveAt(person, '/members', 'People');
        assert.equal(new URL(page.url()).search, '', 'the name is not in the address');
        await page.getByText('People found: 1').waitFor();
        await page.getByText('Legal name: Samantha Example').waitFor();
        assert.equal(await page.getByRole('link', { name: 'Morgan Example' }).count(), 0);
        await page.getByRole('link', { name: 'Sam', exact: true }).click();
        await arriveAt(person, record, 'Sam');

        // How to communicate with them comes first, where nobody can miss it.
        const banner = page.locator('.alongside-communication-banner');
        assert.equal(await banner.isVisible(), true, 'the communication needs banner is visible');
        await banner.getByText('Send information in large print').waitFor();

        // Personal details, with a slip first: a date of birth in the future.
        await page.getByRole('link', { name: 'Change (Personal details)' }).click();
        await arriveAt(person, `${record}/details`, 'Change personal details');
        const nextYear = String(new Date().getUTCFullYear() + 1);
        await page.getByLabel('Pronouns (optional)').fill('she/her');
        await page.getByLabel('Year').fill(nextYear);
        await page.getByRole('button', { name: 'Save personal details' }).click();
        await arriveAt(person, `${record}/details`, 'Change personal details');
        const summary = page.locator('.nhsuk-error-summary');
        await summary.getByRole('link', { name: 'Date of birth must be in the past' }).click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'dateOfBirth-day');
        assert.equal(await page.getByLabel('Pronouns (optional)').inputValue(), 'she/her');
        await page.getByLabel('Day').fill('4');
        await page.getByLabel('Year').fill('1985');
        await page.getByLabel('NHS number (optional)').fill('943 476 5919');
        await page.getByRole('button', { name: 'Save personal details' }).click();
        await arriveAt(person, record, 'Sam');
        const details = page.locator('.nhsuk-card', { has: page.locator('#personal-details') });
        for (const text of ['she/her', '4 June 1985', '943 476 5919']) {
          await details.getByText(text, { exact: true }).waitFor();
        }

        // Contact details and communication needs.
        await page.getByRole('link', { name: 'Change (Contact details and preferences)' }).click();
        await arriveAt(person, `${record}/contact`, 'Change contact details and communication needs');
        await page.getByLabel('Text message').check();
        await page.getByLabel('Email', { exact: true }).check();
        await page.getByLabel('No', { exact: true }).check();
        await page.getByLabel('Best times to contact them (optional)').fill('Weekday mornings');
        await page.getByLabel('Large print').uncheck();
        await page.getByLabel('Easy Read').check();
        await page.getByLabel('Information in another language, or an interpreter').check();
        await page.getByRole('button', { name: 'Save contact details' }).click();
        // Two slips: email ticked with no address, and a language needed but not named.
        await arriveAt(person, `${record}/contact`, 'Change contact details and communication needs');
        assert.deepEqual(
          (await summary.locator('a').allTextContents()).map((l) => l.trim()),
          ['Enter their email address, or untick email', 'Enter the language they would like to use'],
        );
        await page.getByLabel('Email address (optional)').fill('sam.example@example.com');
        await page.getByLabel('If they would like another language, which language?').fill('Polish');
        await page.getByRole('button', { name: 'Save contact details' }).click();
        await arriveAt(person, record, 'Sam');
        const contact = page.locator('.nhsuk-card', { has: page.locator('#contact-details') });
        await contact.getByText('Phone call, Text message, Email').waitFor();
        await contact.getByText('sam.example@example.com').waitFor();
        await contact.getByText('Weekday mornings').waitFor();
        for (const line of [
          'Send information in Easy Read',
          'Use Polish: book an interpreter or send translated information',
          'Do not leave a voicemail or text message: it is not safe',
        ]) {
          await banner.getByText(line).waitFor();
        }
        assert.equal(await banner.getByText('Send information in large print').count(), 0);

        // Equality monitoring.
        await page.getByRole('link', { name: 'Change (Equality monitoring)' }).click();
        await arriveAt(person, `${record}/equality`, 'What is their ethnic group?');
        await page.getByLabel('Prefer not to say').check();
        await page.getByRole('button', { name: 'Save' }).click();
        await arriveAt(person, record, 'Sam');
        await page
          .locator('.nhsuk-card', { has: page.locator('#equality-monitoring') })
          .getByText('Prefer not to say / not stated')
          .waitFor();

        // A carer.
        await page.getByRole('link', { name: 'Add a person around them' }).click();
        await arriveAt(person, `${record}/people/new`, 'Add a person around them');
        await page.getByRole('button', { name: 'Save' }).click();
        await arriveAt(person, `${record}/people/new`, 'Add a person around them');
        await summary.getByRole('link', { name: 'Enter their name' }).waitFor();
        await page.getByLabel('Name', { exact: true }).fill('Jean Example');
        await page.getByLabel('Relationship').fill('Mother');
        await page.getByRole('group', { name: 'Are they a carer?' }).getByLabel('Yes').check();
        await page.getByLabel('Phone number (optional)').fill('07700 900 456');
        await page.getByRole('group', { name: 'May we contact them?' }).getByLabel('Yes').check();
        await page.getByRole('button', { name: 'Save' }).click();
        await arriveAt(person, record, 'Sam');
        const people = page.getByRole('table', { name: 'Carers and other people in their life' });
        const carer = people.getByRole('row', { name: /Jean Example/ });
        await carer.getByRole('cell', { name: 'Mother' }).waitFor();
        await carer.getByRole('cell', { name: '07700 900456' }).waitFor();
        await page.getByText('Jean Example added (Mother)').waitFor();
        await carer.getByRole('link', { name: /^Change\s?Jean Example$/ }).click();
        await arriveAt(person, /^\/members\/[^/]+\/people\/[^/]+$/, 'Change their details');
        assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Jean Example');
        await page.getByLabel('Email address (optional)').fill('jean.example@example.com');
        await page.getByRole('button', { name: 'Save' }).click();
        await arriveAt(person, record, 'Sam');
        await carer.getByRole('cell', { name: 'jean.example@example.com' }).waitFor();

        // An emergency contact, with a slip: a name and no number to ring.
        await page.getByRole('link', { name: 'Change (Emergency contact)' }).click();
        await arriveAt(person, `${record}/emergency-contact`, 'Change emergency contact');
        await page.getByLabel('Name', { exact: true }).fill('Jean Example');
        await page.getByLabel('Relationship (optional)').fill('Mother');
        await page.getByRole('button', { name: 'Save emergency contact' }).click();
        await arriveAt(person, `${record}/emergency-contact`, 'Change emergency contact');
        await summary.getByRole('link', { name: 'Enter the emergency contact’s phone number' }).waitFor();
        await page.getByLabel('Phone number', { exact: true }).fill('07700 900 456');
        await page.getByRole('button', { name: 'Save emergency contact' }).click();
        await arriveAt(person, record, 'Sam');
        const emergency = page.locator('.nhsuk-card', { has: page.locator('#emergency-contact') });
        await emergency.getByText('Jean Example').waitFor();
        await emergency.getByText('Mother').waitFor();

        // A consent choice, then its withdrawal.
        await page.getByRole('link', { name: 'Record a consent choice' }).click();
        await arriveAt(person, `${record}/consents/new`, 'Record a consent choice');
        await page.getByLabel('What is it about?').fill('Sharing their support plan');
        await page.getByLabel('Who with?').fill('their GP');
        await page.getByLabel('They gave consent').check();
        await page.getByRole('button', { name: 'Record consent choice' }).click();
        await arriveAt(person, record, 'Sam');
        await page.getByText('Consent given: Sharing their support plan, with their GP').waitFor();
        // The hidden words say which choice the link is for (the browser reads them as a separate block).
        await page
          .getByRole('link', { name: /^Record withdrawal\s?: Sharing their support plan, with their GP$/ })
          .click();
        await arriveAt(
          person,
          /^\/members\/[^/]+\/consents\/[^/]+\/withdraw$/,
          'Record that consent is withdrawn',
        );
        await page.getByText('Check before you confirm').waitFor();
        await page.getByRole('button', { name: 'Yes, record that it is withdrawn' }).click();
        await arriveAt(person, record, 'Sam');
        await page.getByText('Consent withdrawn: Sharing their support plan, with their GP').waitFor();
        assert.equal(await page.getByRole('link', { name: /^Record withdrawal/ }).count(), 0);
      } finally {
        await person.context.close();
      }
    },
  );

  it('the consent form works with JavaScript turned off', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
    const worker = await buildStaff(journey.running.db, {
      organisationId: hostId,
      roles: ['peer_support_worker'],
      fullName: 'Ayesha Malik',
    });
    const member = await buildMember(journey.running.db, {
      organisationId: hostId,
      legalName: 'Robin Example',
      communicationNeeds: ['bsl_interpreter'],
    });
    const record = `/members/${member.id}`;
    const noScript = await journey.open({ javaScriptEnabled: false });
    try {
      const { page } = noScript;
      await page.goto('/sign-in');
      await arriveAt(noScript, '/sign-in', 'Sign in');
      await signInThroughForms(noScript, worker);
      await page.goto(record);
      await arriveAt(noScript, record, 'Robin Example');
      await page
        .locator('.alongside-communication-banner')
        .getByText('Book a British Sign Language (BSL) interpreter')
        .waitFor();
      await page.getByRole('link', { name: 'Record a consent choice' }).click();
      await arriveAt(noScript, `${record}/consents/new`, 'Record a consent choice');

      // Without scripts the server still lists every mistake, linked to its field.
      await page.getByRole('button', { name: 'Record consent choice' }).click();
      await arriveAt(noScript, `${record}/consents/new`, 'Record a consent choice');
      const links = await page
        .locator('.nhsuk-error-summary a')
        .evaluateAll((as) =>
          as.map((a) => `${a.textContent?.trim() ?? ''} -> ${a.getAttribute('href') ?? ''}`),
        );
      assert.deepEqual(links, [
        'Enter what the choice is about -> #about',
        'Enter who it is about sharing with -> #withWhom',
        'Select whether they gave or refused consent -> #given',
      ]);
      await page.getByLabel('What is it about?').fill('Being contacted about groups');
      await page.getByLabel('Who with?').fill('the Monday walking group');
      await page.getByLabel('They refused consent').check();
      await page.getByRole('button', { name: 'Record consent choice' }).click();
      await arriveAt(noScript, record, 'Robin Example');
      assert.equal(new URL(page.url()).hash, '#consent');
      await page
        .getByText('Consent refused: Being contacted about groups, with the Monday walking group')
        .waitFor();
      await page.getByRole('cell', { name: 'Refused' }).waitFor();
    } finally {
      await noScript.context.close();
    }
  });
});
