import { after, before } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { startListeningApp, type RunningApp } from './app.ts';
import { launchBrowser, openPage, type TrackedPage } from './browser.ts';

/** What a journey's steps reach through {@link journeyApp}: read inside hooks and steps, not at load. */
export type Journey = {
  /** The app over its own database; throws if read before the `before` hook ran (or when it failed). */
  readonly running: RunningApp;
  /** The browser every page of the journey opens in; throws likewise. */
  readonly browser: Browser;
  /**
   * Opens a page for one more person (a fresh context: their own cookies) at the app's address, as
   * {@link openPage} does, and remembers it so the `after` hook closes it even when a step fails.
   * Closing it sooner, in a step's `finally`, is harmless: closing twice does nothing.
   *
   * @param options - context options, e.g. PHONE, a tablet viewport or { javaScriptEnabled: false }.
   * @returns the page, its context and the list its problems go into.
   */
  open(options?: BrowserContextOptions): Promise<TrackedPage>;
};

/**
 * One set-up for every browser journey, instead of a copy in each file: call it at the top of the
 * journey's `describe` and it registers the node:test hooks itself.
 *
 * - `before`: starts the app listening over a fresh database, launches the browser and, with
 *   `{ person }`, opens that one page. Registered first, so the file's own `before` hooks (seeding
 *   the database, opening more pages) run after it and can use `running` and `open`.
 * - `after`: closes every page it opened, then the browser, then the app. Each is closed only if it
 *   was started, and each close is tried even when another fails, so a failed start or a failed step
 *   still leaves no Chromium process, context or database behind; the first error is then thrown.
 *
 * @param options - `{ person }`: context options for one page opened in `before` and read as
 *   `journey.person` ({} for the default desktop window); leave out to open pages with `open`.
 * @returns the running app, the browser and `open` (and `person` when asked for), read in steps.
 */
export function journeyApp(): Journey;
export function journeyApp(options: {
  person: BrowserContextOptions;
}): Journey & { readonly person: TrackedPage };
export function journeyApp(options: { person?: BrowserContextOptions } = {}): Journey & {
  readonly person: TrackedPage;
} {
  let running: RunningApp | undefined;
  let browser: Browser | undefined;
  let person: TrackedPage | undefined;
  const pages: TrackedPage[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) {
      throw new Error(`the journey's ${what} is not there: its before hook has not run, or failed`);
    }
    return value;
  };

  const journey = {
    get running() {
      return started(running, 'app');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get person() {
      return started(person, 'page (ask for it with journeyApp({ person }))');
    },
    async open(contextOptions: BrowserContextOptions = {}) {
      const tracked = await openPage(journey.browser, journey.running.baseUrl, contextOptions);
      pages.push(tracked);
      return tracked;
    },
  };

  before(async () => {
    running = await startListeningApp();
    browser = await launchBrowser();
    if (options.person) {
      person = await journey.open(options.person);
    }
  });

  after(async () => {
    const errors: unknown[] = [];
    const attempt = async (close: () => Promise<void>) => {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    };
    for (const tracked of pages.splice(0)) {
      await attempt(() => tracked.context.close());
    }
    await attempt(async () => browser?.close());
    await attempt(async () => running?.close());
    if (errors.length > 0) {
      throw errors[0];
    }
  });

  return journey;
}
