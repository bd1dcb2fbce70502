import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Window } from 'happy-dom';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the tracker build', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-tracker-'));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it(
    'carries the package.json version in its banner and as window.clicktrail.version, without the fallbacks for test DOMs',
    { timeout: 60_000 },
    async () => {
      await build({
        configFile: path.join(ROOT, 'vite.tracker.config.ts'),
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
      const script = fs.readFileSync(path.join(outDir, 'tracker.js'), 'utf8');
      expect(script.startsWith(`/*! Clicktrail tracker ${version} */`)).toBe(true);
      // The define replaced the placeholder (no 'dev' fallback left in the build).
      expect(script).toMatch(new RegExp(`(["'\`])${version.replace(/\./g, '\\.')}\\1`));
      expect(script).not.toContain('__CLICKTRAIL_VERSION__');
      // Browser-only: CSS.escape is used as is, the fallback for test DOMs is left out.
      expect(script).not.toContain('__CLICKTRAIL_BROWSER_ONLY__');
      expect(script).toContain('CSS.escape(');
      expect(script).not.toMatch(/\\uFFFD|\uFFFD|65533/);

      // Run the built script on a page as a site would include it (the backend is unreachable: the
      // config request fails quietly).
      const window = new Window({
        url: 'http://shop.example/',
        settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
      });
      try {
        const tag = window.document.createElement('script');
        tag.dataset.portalId = '1';
        tag.dataset.api = 'http://127.0.0.1:9';
        tag.textContent = script;
        window.document.body.appendChild(tag);
        expect((window as unknown as { clicktrail?: { version: string } }).clicktrail?.version).toBe(version);
      } finally {
        await window.happyDOM.abort();
        await window.happyDOM.close();
      }
    },
  );
});
