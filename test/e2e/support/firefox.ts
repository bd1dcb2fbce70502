import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../wxt.config';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Fixed so tests can open `moz-extension://<uuid>/popup.html` directly. */
export const EXTENSION_UUID = '6f1f7c0e-2f65-4c1b-9d7e-6b0f4f3c1a11';

export interface FirefoxWithExtension {
  browser: Browser;
  extensionOrigin: string;
  close(): Promise<void>;
}

/**
 * Debian's Firefox ESR, headless, over WebDriver BiDi, with the add-on installed temporarily.
 * `locale` (e.g. `sv-SE`) runs Firefox in that language: its UI language is what add-ons get from
 * `i18n.getUILanguage()` and pick their messages by. Firefox only switches to a language it has a
 * language pack for (Debian: `firefox-esr-l10n-<lang>`, installed by test/ensure-services.sh).
 */
export async function launchFirefoxWithExtension(
  extensionDir: string,
  options: { locale?: string } = {},
): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // Without it, navigating to moz-extension:// pages is refused under remote control.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      ...(options.locale
        ? {
            'intl.locale.requested': options.locale,
            'intl.accept_languages': options.locale.toLowerCase(),
          }
        : {}),
    },
  });
  await browser.installExtension(extensionDir);
  return { browser, extensionOrigin: `moz-extension://${EXTENSION_UUID}`, close: () => browser.close() };
}

/**
 * Opens one of the add-on's pages (`/popup.html`, `/sidepanel.html`) in a new tab and resolves
 * once `readySelector` is on it. A moz-extension navigation never reports completion over BiDi,
 * and while it replaces the page, Firefox can fail a selector poll outright ("right-hand side of
 * 'in' should be an object, got null") instead of letting it wait: such polls are tried again.
 */
export async function openExtensionPage(
  firefox: FirefoxWithExtension,
  path: string,
  readySelector: string,
  timeoutMs = 30_000,
): Promise<Page> {
  const page = await firefox.browser.newPage();
  void page.goto(`${firefox.extensionOrigin}${path}`).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page.waitForSelector(readySelector, { timeout: Math.max(1, deadline - Date.now()) });
      return page;
    } catch (error) {
      if (!protocolErrorIn(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Whether a BiDi protocol error is anywhere in the error's chain of causes. */
function protocolErrorIn(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === 'ProtocolError' || current.message.startsWith('Protocol error')) return true;
  }
  return false;
}
