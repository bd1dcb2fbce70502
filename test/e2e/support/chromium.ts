import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// One definition for the e2e tests and the benchmarks (which must not import test/).
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../lib/browsers/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

let userAgent: string | undefined;

/**
 * The user agent of this Chromium as a visitor's (non-headless) browser has it. Headless Chromium
 * says "HeadlessChrome", and the collect endpoint drops headless browsers' completions as bots'
 * (issue 17); tests that play a site's visitor use this one.
 */
export function visitorUserAgent(): string {
  if (userAgent) return userAgent;
  const version = /(\d+\.\d+\.\d+\.\d+)/.exec(execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }))?.[1];
  userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version ?? '130.0.0.0'} Safari/537.36`;
  return userAgent;
}

export interface ChromiumWithExtension {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Lets the test click the toolbar icon (`clickToolbarIcon`) through the DevTools protocol. */
  toolbarClicks?: boolean;
  /**
   * The browser's language, e.g. `sv-SE`. Debian's Chromium picks the extension's messages by
   * `--lang` (the LANGUAGE variable has no effect here, headless), and reports the language to
   * pages and `i18n.getUILanguage()` by Playwright's `locale`; a user's Swedish browser does both.
   */
  locale?: string;
}

/** Debian's Chromium, headless, with the unpacked extension loaded into a throw-away profile. */
export async function launchChromiumWithExtension(
  extensionDir: string,
  options: LaunchOptions = {},
): Promise<ChromiumWithExtension> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    userAgent: visitorUserAgent(),
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      ...(options.locale ? [`--lang=${options.locale.split('-')[0]}`] : []),
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...CHROMIUM_ARGS,
      ...(options.toolbarClicks ? ['--enable-unsafe-extension-debugging'] : []),
    ],
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

/**
 * Clicks the extension's toolbar icon over `page`'s tab, as a user would: the popup opens (headless,
 * unseen) and the extension gets `activeTab` for that tab. Needs `toolbarClicks` at launch.
 */
export async function clickToolbarIcon(browser: ChromiumWithExtension, page: Page): Promise<void> {
  const cdp = await browser.context.browser()!.newBrowserCDPSession();
  try {
    // The action is triggered on a tab target (not its page target), found by the page's URL.
    const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
    const tab = targetInfos.find((target) => target.url === page.url());
    if (!tab) throw new Error(`No tab shows ${page.url()}`);
    await cdp.send('Extensions.triggerAction', { id: browser.extensionId, targetId: tab.targetId });
  } finally {
    await cdp.detach();
  }
}
