import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { generate } from 'otplib';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

/** Debian's chromium package; the test runner (scripts/test.ts) installs it when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** How long any one wait in a page may take before the journey fails (a click, a navigation, a locator). */
export const PAGE_TIMEOUT_MS = 15_000;

/** The most one journey (one `it`) may take, so a stuck browser fails the run instead of hanging CI. */
export const JOURNEY_TIMEOUT_MS = 120_000;

/** The WCAG levels every page must meet (WCAG 2.2 AA, which includes 2.0 and 2.1 A and AA). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Starts Debian's Chromium headless. The flags stop it reaching out to Google's services, which this
 * machine's closed network refuses (see STACK-NOTES trap 9); Playwright gives each context its own
 * profile, so no --user-data-dir.
 *
 * @returns the browser; close it in an `after` hook.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page and the problems the browser reported while on it (script errors, blocked resources). */
export type TrackedPage = { page: Page; context: BrowserContext; problems: string[] };

/**
 * Opens a fresh context (its own cookies, like a different person's browser) and one page in it, with
 * the journey's time limit, collecting console errors and uncaught script errors so a page that
 * breaks its own script or trips the Content Security Policy fails the test.
 *
 * @param browser - the browser.
 * @param baseURL - the app's address, so pages can be opened by path.
 * @param options - any other context options (viewport, javaScriptEnabled).
 * @returns the page, its context and the list its problems go into.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<TrackedPage> {
  const context = await browser.newContext({ baseURL, ...options });
  if (options.javaScriptEnabled === false) {
    contextsWithoutJavaScript.add(context);
  }
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A page answered with 400 (a form with errors) or 404 is logged as "Failed to load resource"; the
    // journey checks where it lands itself, and failed stylesheets or scripts are caught below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error on ${page.url()}: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} for ${response.url()} on ${page.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    problems.push(`${request.failure()?.errorText ?? 'failed'}: ${request.url()} on ${page.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
  return { page, context, problems };
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** Contexts opened with javaScriptEnabled: false, where axe itself cannot run (its timers never fire). */
const contextsWithoutJavaScript = new WeakSet<BrowserContext>();

/**
 * Scans what a person without JavaScript sees: the page's HTML as it is now, with its scripts taken
 * out, loaded at the same address in a scratch context where axe can run. Stylesheets and images come
 * from the app as usual, so colour contrast and layout are checked as rendered.
 *
 * @param page - a page in a context without JavaScript.
 * @returns axe's results.
 */
async function analyzeSnapshot(page: Page): Promise<AxeResults> {
  const html = (await page.content())
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    // Without JavaScript a browser shows what is inside <noscript>; this scratch page has JavaScript.
    .replace(/<\/?noscript>/gi, '');
  const url = page.url();
  // A request never carries the #fragment (a page redirected to "/members/…#consent", say).
  const requested = url.split('#')[0];
  const browser = page.context().browser();
  assert.ok(browser, 'the page belongs to a launched browser');
  const scratch = await browser.newContext({ viewport: page.viewportSize() });
  try {
    const copy = await scratch.newPage();
    copy.setDefaultTimeout(PAGE_TIMEOUT_MS);
    let served = false;
    await copy.route(
      (address) => address.href === requested,
      (route) => {
        served = true;
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      },
    );
    await copy.goto(url);
    assert.ok(served && copy.url() === url, `the copy of ${url} was scanned, not the live page`);
    return await new AxeBuilder({ page: copy }).withTags(WCAG_TAGS).analyze();
  } finally {
    await scratch.close();
  }
}

/**
 * Scans the page as it is now with axe for WCAG 2.2 AA problems and fails with each rule broken and
 * the elements that break it.
 *
 * @param page - the page, from a context made with browser.newContext().
 */
export async function checkAccessibility(page: Page): Promise<void> {
  const scriptless = contextsWithoutJavaScript.has(page.context());
  const results = scriptless
    ? await analyzeSnapshot(page)
    : await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const report = results.violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n` +
        v.nodes.map((n) => `    at ${n.target.map(String).join(' > ')}`).join('\n'),
    )
    .join('\n');
  assert.equal(
    results.violations.length,
    0,
    `${results.violations.length} accessibility violation(s) on ${page.url()}${scriptless ? ' (as shown without JavaScript)' : ''}:\n${report}`,
  );
}

/**
 * Waits until the browser is on the given path, checks the page's heading and scans it with axe: what
 * every step of a journey does on arrival at a page.
 *
 * @param tracked - the page, and the problems seen on it so far.
 * @param path - the path expected (without query), or a pattern it must match.
 * @param heading - the page's h1, exactly or as a pattern.
 */
export async function arriveAt(
  tracked: TrackedPage,
  path: string | RegExp,
  heading: string | RegExp,
): Promise<void> {
  const { page, problems } = tracked;
  await page.waitForURL((url) =>
    typeof path === 'string' ? url.pathname === path : path.test(url.pathname),
  );
  await page.waitForLoadState('load');
  const h1 = (await page.locator('h1').first().textContent())?.trim() ?? '';
  if (typeof heading === 'string') {
    assert.equal(h1, heading, `heading on ${page.url()}`);
  } else {
    assert.match(h1, heading, `heading on ${page.url()}`);
  }
  await checkAccessibility(page);
  assert.deepEqual(problems.splice(0), [], `the browser reported problems on ${page.url()}`);
}

/**
 * The code an authenticator app shows now, or one 30-second step ahead. The service accepts one step
 * either way for clock drift and never the same step twice for one person, so signing in straight
 * after setting up the app uses the next step instead of waiting up to 30 seconds.
 *
 * @param secret - the Base32 secret, as shown on the setup page.
 * @param stepsAhead - 0 for the code shown now, 1 for the next one.
 * @returns the 6-digit code.
 */
export function authenticatorCode(secret: string, stepsAhead: 0 | 1 = 0): Promise<string> {
  return generate({
    secret: secret.replace(/\s/g, ''),
    epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30,
  });
}

/**
 * Steps of one journey, run in order: once a step fails, the later ones are skipped rather than
 * timing out one by one on a page the journey never reached.
 *
 * @returns a `step(name, body)` function for the journey's describe block.
 */
export function journeySteps(): (name: string, body: () => Promise<void>) => void {
  let failed = false;
  return (name, body) => {
    it(name, { timeout: JOURNEY_TIMEOUT_MS }, async (t: TestContext) => {
      if (failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await body();
      } catch (error) {
        failed = true;
        throw error;
      }
    });
  };
}

/**
 * The sign-in form's two steps, as a person fills them in, from the sign-in page to the home page.
 *
 * @param person - the page, already on /sign-in.
 * @param account - who signs in.
 * @param account.email - their email address.
 * @param account.password - their password.
 * @param account.fullName - their name, in the home page's greeting.
 * @param account.totpSecret - their authenticator key.
 * @param stepsAhead - 1 to type the next code (when the current one was just used).
 */
export async function signInThroughForms(
  person: TrackedPage,
  account: { email: string; password: string; fullName: string; totpSecret: string },
  stepsAhead: 0 | 1 = 0,
): Promise<void> {
  const { page } = person;
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await arriveAt(person, '/sign-in/second-factor', 'Enter the code from your authenticator app');
  await page.getByLabel('6-digit code').fill(await authenticatorCode(account.totpSecret, stepsAhead));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(person, '/', `Hello ${account.fullName}`);
}

/** A phone-sized screen (an iPhone SE's 375 × 812 points), for the journeys people make on a phone. */
export const PHONE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;

/**
 * Checks the page fits a phone's width and shows where to get help now, as every page a person
 * referring themselves or someone else sees must.
 *
 * @param tracked - the page.
 */
export async function assertPhoneFriendlyWithCrisisHelp(tracked: TrackedPage): Promise<void> {
  const { page } = tracked;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.viewport.width, `${page.url()} is ${scrollWidth}px wide on a 375px screen`);
  await page.getByRole('heading', { name: 'If you need help now' }).first().waitFor();
  await page.getByRole('link', { name: 'Call 999' }).first().waitFor();
}
