import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as sass from 'sass';

/**
 * Compiles the stylesheet (the NHS design system plus our few additions) into dist/assets/app.css.
 * Skipped when the output is newer than the source and the installed nhsuk-frontend, so `npm start`
 * and `npm test` pay for it only once.
 */
const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'assets/scss/app.scss');
const output = path.join(root, 'dist/assets/app.css');
const nhsukPackage = path.join(root, 'node_modules/nhsuk-frontend/package.json');

const upToDate =
  existsSync(output) &&
  statSync(output).mtimeMs > Math.max(statSync(source).mtimeMs, statSync(nhsukPackage).mtimeMs);
if (!upToDate) {
  const result = sass.compile(source, {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  });
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, result.css);
  process.stdout.write(
    `Built ${path.relative(root, output)} (${Math.round(readFileSync(output).length / 1024)} KB)\n`,
  );
}
