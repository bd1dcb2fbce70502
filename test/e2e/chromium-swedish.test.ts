import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { DemoPage } from './support/pages';

/**
 * The main path with the browser in Swedish: the popup, its errors and the picker overlay speak
 * Swedish (locales/sv.yml), the same steps as chromium-track-click.test.ts.
 */
describe('Chromium in Swedish: connect, pick, name and save', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let demo: DemoPage;
  let popup: Page;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    browser = await launchChromiumWithExtension(extensionDir, { locale: 'sv-SE' });
    const demoPage = await browser.context.newPage();
    await demoPage.goto(`${server.url}/demo/products.html`);
    demo = new DemoPage(demoPage);
    popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const connect = async (apiKey: string) => {
    await popup.getByLabel('Serverns URL').fill(server.url);
    await popup.getByLabel('API-nyckel', { exact: true }).fill(apiKey);
    await popup.getByRole('button', { name: 'Anslut' }).click();
  };

  it('shows the popup in Swedish and marks its language', async () => {
    await popup.getByTestId('connect-form').waitFor({ timeout: 15_000 });
    expect(await popup.getByTestId('connect-form').textContent()).toContain(
      'Anslut till din Clicktrail-server för att definiera händelser på din webbplats.',
    );
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('sv-SE');
  });

  it('explains a wrong API key in Swedish (an error made in the background)', async () => {
    await connect('ct_wrong_key');
    await expect
      .poll(() => popup.getByRole('alert').textContent({ timeout: 15_000 }))
      .toContain('Servern godtog inte API-nyckeln.');
  });

  it('connects and says so in Swedish', async () => {
    await connect(server.apiKey);
    const status = popup.getByTestId('connection-status');
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toMatch(/^Ansluten till Default portal \(portal \d+\)/);
    expect(await popup.getByRole('button', { name: 'Spåra klickat element' }).isVisible()).toBe(true);
  });

  it('picks the "Add to cart" button with the overlay in Swedish, names the event and saves it', async () => {
    await demo.page.bringToFront();
    await popup.getByRole('button', { name: 'Spåra klickat element' }).click();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    expect(await demo.picker('picker-banner').textContent()).toBe(
      'Clicktrail — klicka på elementet som ska spåras. Skift+klick använder webbplatsen; Esc avbryter.Avbryt',
    );

    await demo.addToCart('bowl-rain').hover();
    await demo.expectHighlightOver('button[data-product-id="bowl-rain"]');
    expect(await demo.picker('picker-tooltip').textContent()).toBe('button ”Add to cart”');

    await demo.addToCart('bowl-rain').click();
    await demo.picker('picker-panel').waitFor();
    expect(await demo.cartCount()).toBe('0');
    expect(await demo.picker('picker-title').textContent()).toBe('Spåra klick på button ”Add to cart”');
    expect(await demo.picker('picker-match-count').textContent()).toMatch(/^Matchar 1 element på den här sidan/);
    expect(await demo.picker('url-check').textContent()).toBe('Den här sidan matchar regeln.');
    expect(await demo.picker('picker-label').inputValue()).toBe('Klick på Add to cart');
    expect(await demo.picker('picker-save').textContent()).toBe('Spara händelsen');

    await demo.picker('picker-label').fill('Lägg i varukorgen: skål');
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });
    const saved = (await demo.picker('picker-saved').textContent()) ?? '';
    expect(saved).toContain('Sparade Lägg i varukorgen: skål');
    expect(saved).toMatch(/Internt namn \S+ · API-namn /);
  });

  it('stored the event under the Swedish label', async () => {
    const response = await server.api('/events/v3/event-definitions');
    const body = (await response.json()) as { results: { label: string }[] };
    expect(body.results.map((result) => result.label)).toEqual(['Lägg i varukorgen: skål']);
  });
});
