import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * The e2e builds (`npm run build:e2e`): the release code, but the loopback origins the test servers
 * use are granted at install, since no test can answer a browser's permission prompt, and the
 * picker's shadow root is open for the locators. docs/permissions.md says why that hides no defect.
 */
export const CHROME_BUILD = path.join(ROOT, '.output/chrome-mv3-e2e');
export const FIREFOX_BUILD = path.join(ROOT, '.output/firefox-mv2-e2e');
/** What users install: no site access at install, a closed shadow root (test/e2e/chromium-least-privilege.test.ts). */
export const CHROME_RELEASE_BUILD = path.join(ROOT, '.output/chrome-mv3');

/** The built extension folder; e2e tests run what users load, so they never build it themselves. */
export function requireBuild(dir: string): string {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No extension build in ${dir}: run \`npm run build\` first (npm test does).`);
  }
  return dir;
}

let matcherBundle: Promise<string> | undefined;

/**
 * `lib/matcher` as a classic script defining `window.ClicktrailMatcher`, to run the real
 * `findMatches` inside a page (the same source the tracker and the extension use).
 */
export function matcherScript(): Promise<string> {
  matcherBundle ??= build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(ROOT, 'lib/matcher/index.ts'), formats: ['iife'], name: 'ClicktrailMatcher' },
    },
  }).then((output) => {
    const results = Array.isArray(output) ? output : [output];
    for (const result of results) {
      if ('output' in result) {
        const chunk = result.output.find((item) => item.type === 'chunk');
        if (chunk && chunk.type === 'chunk') return chunk.code;
      }
    }
    throw new Error('Bundling lib/matcher produced no script.');
  });
  return matcherBundle;
}
