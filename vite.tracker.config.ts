import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
  version: string;
};

/** The site tracking script: one small classic script at `.output/tracker/tracker.js`. */
export default defineConfig({
  // The one release number (package.json), also shown by the server's /health and both manifests.
  define: {
    __CLICKTRAIL_VERSION__: JSON.stringify(version),
    // Browser-only code paths (lib/matcher/css.ts): fallbacks for test DOMs are left out.
    __CLICKTRAIL_BROWSER_ONLY__: 'true',
  },
  build: {
    outDir: '.output/tracker',
    emptyOutDir: true,
    // ES2022 syntax (native class fields, `??=`) needs nothing newer than the tracker already
    // requires at run time (Object.hasOwn: Chrome 93, Firefox 92, Safari 15.4), and saves ~0.8 KB
    // gzipped of down-levelling helpers over es2019 (bench/results/tracker.md).
    target: 'es2022',
    // terser with 3 compress passes: 230 B gzipped less than the default (oxc) minifier on the same
    // tree (11,441 → 11,211 B, bench/results/tracker.md), and it mangles `#private` class members.
    minify: 'terser',
    terserOptions: { ecma: 2020, compress: { passes: 3 }, format: { comments: /^!/ } },
    lib: {
      entry: path.resolve(import.meta.dirname, 'lib/tracker/index.ts'),
      formats: ['iife'],
      name: 'ClicktrailTracker',
      fileName: () => 'tracker.js',
    },
    rolldownOptions: { output: { postBanner: `/*! Clicktrail tracker ${version} */` } },
  },
});
