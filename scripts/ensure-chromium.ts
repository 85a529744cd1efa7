import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's chromium package puts the browser the Playwright journeys drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Makes sure Debian's Chromium is installed for the browser tests. As root it installs the package;
 * otherwise it says the exact command to run. It never downloads a browser build from the internet.
 *
 * @returns ok, or a message for the person running the tests.
 */
export function ensureChromium(): { ok: true } | { ok: false; message: string } {
  if (existsSync(CHROMIUM_PATH)) {
    return { ok: true };
  }
  const command = 'apt-get update && apt-get install -y chromium';
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      message: `The browser tests need Debian's chromium package. Install it with:\n\n  sudo sh -c '${command}'\n`,
    };
  }
  process.stdout.write("Installing Debian's chromium package for the browser tests...\n");
  const result = spawnSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
  return result.status === 0 && existsSync(CHROMIUM_PATH)
    ? { ok: true }
    : { ok: false, message: `Installing chromium failed. Try: ${command}` };
}
