import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAdministrator } from '../src/testing/builders/accounts.ts';
import { arriveAt, JOURNEY_TIMEOUT_MS, type TrackedPage, signInThroughForms } from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/**
 * Staff sign in from a phone between sessions, and some use locked-down browsers with scripts off:
 * the sign-in pages must work for both.
 */
describe('signing in on a phone and without JavaScript', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();

  /**
   * Checks nothing on the page is wider than the screen, so nobody has to scroll sideways (WCAG 1.4.10).
   *
   * @param tracked - the page.
   * @param width - the screen's width in CSS pixels.
   */
  async function assertFitsWidth(tracked: TrackedPage, width: number): Promise<void> {
    const scrollWidth = await tracked.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${tracked.page.url()} is ${scrollWidth}px wide on a ${width}px screen`);
  }

  it(
    'an administrator signs in on a phone-sized screen and the pages fit it',
    { timeout: JOURNEY_TIMEOUT_MS },
    async () => {
      const staff = await buildAdministrator(journey.running.db);
      const phone = await journey.open({
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        await phone.page.goto('/sign-in');
        await arriveAt(phone, '/sign-in', 'Sign in');
        await assertFitsWidth(phone, 375);
        // The button is within reach and big enough to tap (WCAG 2.5.8 asks for 24 by 24 pixels at least).
        const button = await phone.page.getByRole('button', { name: 'Continue' }).boundingBox();
        assert.ok(
          button && button.width >= 44 && button.height >= 44,
          `the Continue button is ${JSON.stringify(button)}`,
        );

        await signInThroughForms(phone, staff);
        await assertFitsWidth(phone, 375);
        await phone.page.goto('/staff');
        await arriveAt(phone, '/staff', 'Staff');
        await assertFitsWidth(phone, 375);
      } finally {
        await phone.context.close();
      }
    },
  );

  it('the sign-in form works with JavaScript turned off', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
    const staff = await buildAdministrator(journey.running.db);
    const noScript = await journey.open({ javaScriptEnabled: false });
    try {
      const { page } = noScript;
      await page.goto('/sign-in');
      await arriveAt(noScript, '/sign-in', 'Sign in');
      const bodyClass = await page.locator('body').getAttribute('class');
      assert.doesNotMatch(bodyClass ?? '', /js-enabled/, "the page's own scripts did not run");

      // Without scripts the server still answers a form with mistakes with the error summary.
      await page.getByRole('button', { name: 'Continue' }).click();
      await arriveAt(noScript, '/sign-in', 'Sign in');
      const summary = page.locator('.nhsuk-error-summary');
      await summary.waitFor();
      const links = await summary
        .locator('a')
        .evaluateAll((as) =>
          as.map((a) => `${a.textContent?.trim() ?? ''} -> ${a.getAttribute('href') ?? ''}`),
        );
      assert.deepEqual(links, ['Enter an email address -> #email', 'Enter your password -> #password']);

      await signInThroughForms(noScript, staff);
    } finally {
      await noScript.context.close();
    }
  });
});
