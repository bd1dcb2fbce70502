import puppeteer, { type Browser } from 'puppeteer-core';
import { GECKO_ID } from '../../../wxt.config';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Fixed so tests can open `moz-extension://<uuid>/popup.html` directly. */
export const EXTENSION_UUID = '6f1f7c0e-2f65-4c1b-9d7e-6b0f4f3c1a11';

export interface FirefoxWithExtension {
  browser: Browser;
  extensionOrigin: string;
  close(): Promise<void>;
}

/** Debian's Firefox ESR, headless, over WebDriver BiDi, with the add-on installed temporarily. */
export async function launchFirefoxWithExtension(extensionDir: string): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // Without it, navigating to moz-extension:// pages is refused under remote control.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }) },
  });
  await browser.installExtension(extensionDir);
  return { browser, extensionOrigin: `moz-extension://${EXTENSION_UUID}`, close: () => browser.close() };
}
