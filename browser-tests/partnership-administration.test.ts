import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { buildAdministrator, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  type TrackedPage,
  journeySteps,
  signInThroughForms,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * The host organisation's administrator sets up the partnership through the pages: a partner NHS
 * trust with a locality and a base, a service both organisations deliver, and an information-sharing
 * agreement that says what the trust may see. Then the trust's own administrator signs in and sees
 * only their organisation, and the host's page is "not found" for them.
 *
 * The steps share one app, one browser and the people's pages, and run in order; once a step fails,
 * the later ones are skipped rather than failing with confusing timeouts.
 */
describe('administering the partnership', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  let admin: TrackedPage;
  let hostAdmin: BuiltStaff;
  let host = { id: '', name: '' };
  let partnerId = '';
  let agreementPath = '';

  const partner = { name: 'North Weald NHS Foundation Trust', odsCode: 'RWX' };
  const locality = 'Harlow';
  const base = {
    name: 'Harlow Wellbeing Hub',
    address: ['12 Market Street', 'Harlow'],
    postcode: 'CM20 1AA',
  };
  const serviceName = 'Harlow Peer Support Groups';
  const agreementName = 'Harlow peer support information sharing';
  // The app runs on the real clock, so the dates are chosen around today: the agreement started
  // last year and ends the year after next, so it is in force whenever this runs.
  const thisYear = new Date().getUTCFullYear();
  const startsOn = { day: '1', month: '4', year: String(thisYear - 1) };
  const endsOn = { day: '31', month: '3', year: String(thisYear + 2) };
  const grantedToTrust = ['Referrals', 'Personal and contact details', 'Crisis and safety plans'];

  const step = journeySteps();

  before(async () => {
    const organisation = await hostOrganisation(journey.running.db);
    host = { id: organisation.id, name: organisation.name };
    hostAdmin = await buildAdministrator(journey.running.db, {
      organisationId: host.id,
      fullName: 'Priya Shah',
      email: 'priya.shah@host.example.org',
    });
    admin = await journey.open();
  });

  /**
   * Signs in through the real pages: email and password, then the authenticator's code.
   *
   * @param person - whose page.
   * @param staff - who signs in.
   */
  async function signIn(person: TrackedPage, staff: BuiltStaff): Promise<void> {
    const { page } = person;
    await page.goto('/sign-in');
    await arriveAt(person, '/sign-in', 'Sign in');
    await signInThroughForms(person, staff);
  }

  /**
   * Opens a page from the header's menu.
   *
   * @param person - whose page.
   * @param name - the link's text.
   */
  async function openFromMenu(person: TrackedPage, name: string): Promise<void> {
    await person.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name }).click();
  }

  /**
   * Checks a form came back with the NHS error summary: "Error:" in the title, focus on the summary,
   * exactly the expected messages, each linking to a field on the page that shows it too.
   *
   * @param page - the page, just arrived at after submitting.
   * @param expected - the summary's messages and the fields they link to, in order.
   */
  async function assertErrorSummary(page: Page, expected: { text: string; href: string }[]): Promise<void> {
    assert.match(await page.title(), /^Error: /, 'the page title starts with "Error:"');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.equal((await summary.getByRole('heading').first().textContent())?.trim(), 'There is a problem');
    // The design system's script moves focus to the summary so screen reader users hear it first.
    await page.waitForFunction(() => document.activeElement?.classList.contains('nhsuk-error-summary'));
    const items = await summary
      .locator('.nhsuk-error-summary__list a')
      .evaluateAll((as) =>
        as.map((a) => ({ text: a.textContent?.trim() ?? '', href: a.getAttribute('href') ?? '' })),
      );
    assert.deepEqual(items, expected);
    for (const item of expected) {
      assert.equal(await page.locator(item.href).count(), 1, `${item.href} is a field on the page`);
      // Each field repeats its message beside it.
      await page.locator('.nhsuk-error-message', { hasText: item.text }).first().waitFor();
    }
  }

  /**
   * Reads a table's body, one array of cell texts a row.
   *
   * @param page - the page.
   * @param selector - which table.
   * @returns the rows.
   */
  function tableRows(page: Page, selector = 'table'): Promise<string[][]> {
    return page
      .locator(`${selector} tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
        ),
      );
  }

  /**
   * Reads what the agreement page says each party may see: each party's heading and the list under it.
   *
   * @param page - the agreement's page.
   * @returns the categories shown for each party, by the party's name (empty when it sees nothing).
   */
  function categoriesShown(page: Page): Promise<Record<string, string[]>> {
    return page.locator('h3').evaluateAll((headings) =>
      Object.fromEntries(
        headings.map((h3) => {
          const next = h3.nextElementSibling;
          const items =
            next?.tagName === 'UL'
              ? Array.from(next.querySelectorAll('li'), (li) => li.textContent?.trim() ?? '')
              : [];
          return [h3.textContent?.trim() ?? '', items];
        }),
      ),
    );
  }

  /**
   * Reads the value of a summary list row.
   *
   * @param page - the page.
   * @param key - the row's key.
   * @returns its value, with spaces tidied.
   */
  async function summaryValue(page: Page, key: string): Promise<string> {
    const row = page.locator('.nhsuk-summary-list__row', {
      has: page.locator('.nhsuk-summary-list__key', { hasText: key }),
    });
    const text = await row.locator('.nhsuk-summary-list__value').textContent();
    return text?.replace(/\s+/g, ' ').trim() ?? '';
  }

  /**
   * Types a date into an NHS date input's day, month and year boxes.
   *
   * @param page - the page.
   * @param legend - the date's fieldset legend.
   * @param date - what goes in each box.
   * @param date.day - the day.
   * @param date.month - the month.
   * @param date.year - the year.
   */
  async function fillDate(
    page: Page,
    legend: string,
    date: { day: string; month: string; year: string },
  ): Promise<void> {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(date.day);
    await group.getByLabel('Month').fill(date.month);
    await group.getByLabel('Year').fill(date.year);
  }

  step('the host administrator signs in and opens Organisations from the header', async () => {
    await signIn(admin, hostAdmin);
    await openFromMenu(admin, 'Organisations');
    await arriveAt(admin, '/organisations', 'Organisations');
    assert.deepEqual(await tableRows(admin.page), [
      [`${host.name} Host`, 'Charity or voluntary organisation', 'None'],
    ]);
  });

  step(
    'an empty partner form gets an error summary, then an NHS trust is added with its ODS code',
    async () => {
      const { page } = admin;
      await page.getByRole('link', { name: 'Add a partner organisation' }).click();
      await arriveAt(admin, '/organisations/new', 'Add a partner organisation');

      await page.getByRole('button', { name: 'Add organisation' }).click();
      await arriveAt(admin, '/organisations/new', 'Add a partner organisation');
      await assertErrorSummary(page, [
        { text: 'Enter the name of the organisation', href: '#name' },
        { text: 'Select the type of organisation', href: '#kind' },
      ]);

      await page.getByLabel('Organisation name').fill(partner.name);
      await page.getByLabel('NHS trust').check();
      // Typed in lower case: the service stores it in capitals.
      await page.getByLabel('ODS code (optional)').fill(partner.odsCode.toLowerCase());
      await page.getByRole('button', { name: 'Add organisation' }).click();
      await arriveAt(admin, /^\/organisations\/[0-9a-f-]{36}$/, partner.name);
      partnerId = new URL(page.url()).pathname.split('/')[2] ?? '';
      assert.equal(await summaryValue(page, 'Type'), 'NHS trust');
      assert.equal(await summaryValue(page, 'ODS code'), partner.odsCode);
      assert.equal(await summaryValue(page, 'Role in the partnership'), 'Partner');

      await page.getByRole('link', { name: 'Back to organisations' }).click();
      await arriveAt(admin, '/organisations', 'Organisations');
      await page.getByRole('link', { name: partner.name }).click();
      await arriveAt(admin, `/organisations/${partnerId}`, partner.name);
    },
  );

  step('the administrator adds a locality, and a base once its postcode is a real one', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Add a locality' }).click();
    await arriveAt(admin, `/organisations/${partnerId}/add-locality`, 'Add a locality');
    await page.getByLabel('Locality name').fill(locality);
    await page.getByRole('button', { name: 'Add locality' }).click();
    await arriveAt(admin, `/organisations/${partnerId}`, partner.name);
    assert.deepEqual(
      await page.locator('#localities + ul li').allTextContents(),
      [locality],
      'the locality is listed',
    );

    await page.getByRole('link', { name: 'Add a base' }).click();
    await arriveAt(admin, `/organisations/${partnerId}/add-base`, 'Add a base');
    await page.getByLabel('Base name').fill(base.name);
    await page.getByLabel('Address').fill(base.address.join('\n'));
    await page.getByLabel('Postcode').fill('HX12 ABC');
    await page.getByLabel('Locality (optional)').selectOption({ label: locality });
    await page.getByRole('button', { name: 'Add base' }).click();
    await arriveAt(admin, `/organisations/${partnerId}/add-base`, 'Add a base');
    await assertErrorSummary(page, [{ text: 'Enter a real postcode, like LS1 4AP', href: '#postcode' }]);
    // What was typed is kept, so only the postcode needs changing.
    assert.equal(await page.getByLabel('Base name').inputValue(), base.name);
    assert.equal(
      await page.getByLabel('Locality (optional)').locator('option:checked').textContent(),
      locality,
    );

    // Typed loosely: the service tidies it into the form Royal Mail prints.
    await page.getByLabel('Postcode').fill(' cm201aa ');
    await page.getByRole('button', { name: 'Add base' }).click();
    await arriveAt(admin, `/organisations/${partnerId}`, partner.name);
    assert.deepEqual(await tableRows(page, '#bases + table'), [
      [base.name, `${base.address.join(', ')}, ${base.postcode}`, locality],
    ]);
  });

  step('the administrator adds a service that both organisations deliver', async () => {
    const { page } = admin;
    await openFromMenu(admin, 'Services');
    await arriveAt(admin, '/services', 'Services');
    await page.getByRole('link', { name: 'Add a service' }).click();
    await arriveAt(admin, '/services/new', 'Add a service');
    await page.getByLabel('Name of the service').fill(serviceName);
    await page.getByLabel('Description (optional)').fill('Weekly peer support groups in Harlow.');
    await page.getByLabel('Lead organisation').selectOption({ label: host.name });
    const delivering = page.getByRole('group', { name: 'Organisations that deliver the service' });
    await delivering.getByRole('checkbox', { name: host.name }).check();
    await delivering.getByRole('checkbox', { name: partner.name }).check();
    await page.getByLabel('First contact within').fill('5');
    await page.getByRole('button', { name: 'Add service' }).click();
    await arriveAt(admin, /^\/services\/[0-9a-f-]{36}$/, serviceName);
    assert.equal(await summaryValue(page, 'Lead organisation'), host.name);
    assert.equal(await summaryValue(page, 'First contact within'), '5 working days');
    const deliveredBy = await page.locator('main ul.nhsuk-list li').allTextContents();
    assert.deepEqual(
      deliveredBy.map((text) => text.trim()).sort(),
      [`${host.name} (lead)`, partner.name].sort(),
      'both organisations deliver it, the host as lead',
    );

    await page.getByRole('link', { name: 'Back to services' }).click();
    await arriveAt(admin, '/services', 'Services');
    const rows = await tableRows(page);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.[0], serviceName);
    assert.equal(rows[0]?.[1], host.name);
    assert.equal(rows[0]?.[3], '5 working days');
  });

  step(
    'an agreement ending before it starts is refused, then made with categories for the trust',
    async () => {
      const { page } = admin;
      await openFromMenu(admin, 'Sharing agreements');
      await arriveAt(admin, '/agreements', 'Sharing agreements');
      await page.getByRole('link', { name: 'Make a sharing agreement' }).click();
      await arriveAt(admin, '/agreements/new', 'Make a sharing agreement');

      await page.getByLabel('Name of the agreement').fill(agreementName);
      await fillDate(page, 'Start date', startsOn);
      await fillDate(page, 'End date (optional)', { ...startsOn, year: String(thisYear - 2) });
      const parties = page.getByRole('group', { name: 'Parties to the agreement' });
      await parties.getByRole('checkbox', { name: host.name }).check();
      await parties.getByRole('checkbox', { name: partner.name }).check();
      const trustSees = page.getByRole('group', { name: `What ${partner.name} may see` });
      for (const category of grantedToTrust) {
        await trustSees.getByRole('checkbox', { name: category, exact: true }).check();
      }
      await page.getByRole('button', { name: 'Save agreement' }).click();
      await arriveAt(admin, '/agreements/new', 'Make a sharing agreement');
      await assertErrorSummary(page, [
        { text: 'End date must be the same as or after the start date', href: '#endsOn-day' },
      ]);
      // Everything else is kept as it was ticked.
      assert.equal(
        await page.getByRole('group', { name: 'Start date' }).getByLabel('Year').inputValue(),
        startsOn.year,
      );
      assert.ok(await parties.getByRole('checkbox', { name: partner.name }).isChecked());
      for (const category of grantedToTrust) {
        assert.ok(
          await trustSees.getByRole('checkbox', { name: category, exact: true }).isChecked(),
          `${category} is still ticked`,
        );
      }

      await fillDate(page, 'End date (optional)', endsOn);
      await page.getByRole('button', { name: 'Save agreement' }).click();
      await arriveAt(admin, /^\/agreements\/[0-9a-f-]{36}$/, agreementName);
      agreementPath = new URL(page.url()).pathname;
    },
  );

  step('the agreement page lists exactly what the trust may see and says it is in force', async () => {
    const { page } = admin;
    assert.equal(await summaryValue(page, 'Starts'), `1 April ${startsOn.year}`);
    assert.equal(await summaryValue(page, 'Ends'), `31 March ${endsOn.year}`);
    assert.equal(await summaryValue(page, 'Status'), 'In force');
    assert.deepEqual(await categoriesShown(page), { [host.name]: [], [partner.name]: grantedToTrust });

    await page.getByRole('link', { name: 'Back to sharing agreements' }).click();
    await arriveAt(admin, '/agreements', 'Sharing agreements');
    const rows = await tableRows(page);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.[0], agreementName);
    assert.equal(rows[0]?.[3], 'In force');
    await page.getByRole('link', { name: agreementName }).click();
    await arriveAt(admin, agreementPath, agreementName);
  });

  step('the administrator unticks one category and the agreement page shows the change', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Change this agreement' }).click();
    await arriveAt(admin, `${agreementPath}/edit`, 'Change sharing agreement');
    const trustSees = page.getByRole('group', { name: `What ${partner.name} may see` });
    for (const category of grantedToTrust) {
      assert.ok(
        await trustSees.getByRole('checkbox', { name: category, exact: true }).isChecked(),
        `${category} is ticked when the change page opens`,
      );
    }
    await trustSees.getByRole('checkbox', { name: 'Crisis and safety plans', exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save agreement' }).click();
    await arriveAt(admin, agreementPath, agreementName);
    assert.deepEqual(await categoriesShown(page), {
      [host.name]: [],
      [partner.name]: grantedToTrust.filter((category) => category !== 'Crisis and safety plans'),
    });
    assert.equal(await summaryValue(page, 'Status'), 'In force');
  });

  step("the trust's administrator sees only their own organisation, and not the host's page", async () => {
    const partnerAdmin = await buildAdministrator(journey.running.db, {
      organisationId: partnerId,
      fullName: 'Dan Okafor',
      email: 'dan.okafor@trust.example.org',
    });
    const trust = await journey.open();
    try {
      const { page } = trust;
      await signIn(trust, partnerAdmin);
      await openFromMenu(trust, 'Organisations');
      await arriveAt(trust, '/organisations', 'Organisations');
      assert.deepEqual(await tableRows(page), [[partner.name, 'NHS trust', partner.odsCode]]);
      assert.equal(await page.getByRole('link', { name: 'Add a partner organisation' }).count(), 0);

      const response = await page.goto(`/organisations/${host.id}`);
      assert.equal(response?.status(), 404);
      await arriveAt(trust, `/organisations/${host.id}`, 'Page not found');
      assert.equal(await page.getByText(host.name).count(), 0, "the host's name is not shown");
    } finally {
      await trust.context.close();
    }
  });
});
