import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildAdministrator } from '../src/testing/builders/accounts.ts';
import { startListeningApp, type RunningApp } from './support/app.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  launchBrowser,
  openPage,
  type TrackedPage,
  signInThroughForms,
} from './support/browser.ts';

/**
 * Staff sign in from a phone between sessions, and some use locked-down browsers with scripts off:
 * the sign-in pages must work for both.
 */
describe('signing in on a phone and without JavaScript', { timeout: 3 * JOURNEY_TIMEOUT_MS }, () => {
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
      const staff = await buildAdministrator(running.db);
      const phone = await openPage(browser, running.baseUrl, {
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
    const staff = await buildAdministrator(running.db);
    const noScript = await openPage(browser, running.baseUrl, { javaScriptEnabled: false });
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
