import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';

/**
 * Prints the current authenticator code for the demo accounts (`npm run demo:code`), for trying the
 * demo without adding its key to an authenticator app. Demo data only: live accounts each have their own key.
 */
const file = path.resolve('demo-data', 'demo-sign-in.json');
try {
  const { totpSecret } = JSON.parse(readFileSync(file, 'utf8')) as { totpSecret: string };
  process.stdout.write(`${await generate({ secret: totpSecret })}\n`);
} catch {
  process.stderr.write('No demo data yet: run "npm run demo" first.\n');
  process.exit(1);
}
