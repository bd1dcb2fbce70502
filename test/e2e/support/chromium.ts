import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// One definition for the e2e tests and the benchmarks (which must not import test/).
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../lib/browsers/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export interface ChromiumWithExtension {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with the unpacked extension loaded into a throw-away profile. */
export async function launchChromiumWithExtension(extensionDir: string): Promise<ChromiumWithExtension> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...CHROMIUM_ARGS],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
