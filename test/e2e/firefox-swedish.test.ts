import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { FIREFOX_BUILD, requireBuild } from './support/extension-builds';
import { launchFirefoxWithExtension, openExtensionPage, type FirefoxWithExtension } from './support/firefox';

/** Puppeteer's `>>>` descends into open shadow roots, where the picker's overlay lives. */
const overlay = (testId: string) => `clicktrail-picker >>> [data-testid="${testId}"]`;
const testId = (id: string) => `[data-testid="${id}"]`;
const textIn = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent);
const HOUR = 3_600_000;

/**
 * The main path with Firefox ESR running in Swedish (`intl.locale.requested` and Debian's language
 * pack, firefox-esr-l10n-sv-se): the add-on takes Swedish from Firefox's own language. Popup,
 * picker overlay, a server error made in the background, and the side panel — its events, a
 * relative time and a Swedish date — all in Swedish.
 */
describe('Firefox ESR in Swedish: connect, pick, name and save, then the events panel', () => {
  let server: TestServer;
  let firefox: FirefoxWithExtension;
  let demo: Page;
  let popup: Page;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    // An event the picker's first name will collide with (the server derives the same internal name).
    const taken = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Lägg i varukorgen' },
    });
    expect(taken.status).toBe(201);
    firefox = await launchFirefoxWithExtension(requireBuild(FIREFOX_BUILD), { locale: 'sv-SE' });
    demo = await firefox.browser.newPage();
    await demo.goto(`${server.url}/demo/products.html`);
    popup = await openExtensionPage(firefox, '/popup.html', testId('connect-form'));
  }, 120_000);

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('shows the popup in Swedish and connects', async () => {
    expect(await textIn(popup, testId('connect-form'))).toContain(
      'Anslut till din Clicktrail-server för att definiera händelser på din webbplats.',
    );
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('sv-SE');
    await popup.locator('input[name="baseUrl"]').fill(server.url);
    await popup.locator('input[name="apiKey"]').fill(server.apiKey);
    expect(await textIn(popup, 'button[type="submit"]')).toBe('Anslut');
    await popup.locator('button[type="submit"]').click();
    const status = await popup.waitForSelector(testId('connection-status'), { timeout: 15_000 });
    expect(await status!.evaluate((element) => element.textContent)).toMatch(
      /^Ansluten till Default portal \(portal \d+\)/,
    );
  });

  it('picks "Add to cart" with the overlay in Swedish; a taken name is explained in Swedish', async () => {
    await demo.bringToFront();
    await popup.locator('::-p-text(Spåra klickat element)').click();
    // The shadow root is new: poll rather than watch mutations (see firefox-picker.test.ts).
    await demo.waitForFunction(
      (host, id) => document.querySelector(host)?.shadowRoot?.querySelector(`[data-testid="${id}"]`) != null,
      { polling: 100, timeout: 15_000 },
      'clicktrail-picker',
      'picker-banner',
    );
    expect(await textIn(demo, overlay('picker-banner'))).toContain('klicka på elementet som ska spåras');

    await (await demo.waitForSelector('button[data-product-id="vase-bud"]'))!.click();
    await demo.waitForSelector(overlay('picker-panel'), { timeout: 10_000 });
    expect(await textIn(demo, overlay('picker-title'))).toBe('Spåra klick på button ”Add to cart”');
    expect(await textIn(demo, overlay('picker-match-count'))).toMatch(/^Matchar 1 element på den här sidan/);

    const label = await demo.waitForSelector(overlay('picker-label'));
    await label!.evaluate((element) => (element as HTMLInputElement).select());
    await label!.type('Lägg i varukorgen');
    await demo.locator(overlay('picker-save')).click();
    // The server's refusal (English, code `duplicate` on `name`), translated in the background.
    await expect
      .poll(() => textIn(demo, overlay('picker-panel')), { timeout: 15_000 })
      .toContain('Det interna namnet används redan av en annan händelse');

    await label!.evaluate((element) => (element as HTMLInputElement).select());
    await label!.type('Lägg i varukorgen: vas');
    await demo.locator(overlay('picker-save')).click();
    const saved = await demo.waitForSelector(overlay('picker-saved'), { timeout: 15_000 });
    expect(await saved!.evaluate((element) => element.textContent)).toContain('Sparade Lägg i varukorgen: vas');
  });

  it('lists the events in the side panel in Swedish, with when they last fired', async () => {
    const portalId = server.bootstrap.portal.id;
    const sent = await server.api('/events/v3/send', {
      method: 'POST',
      json: {
        eventName: `pe${portalId}_lagg_i_varukorgen`,
        email: 'ada@example.com',
        occurredAt: new Date(Date.now() - 3 * HOUR).toISOString(),
      },
    });
    expect(sent.status).toBe(204);

    const panel = await openExtensionPage(firefox, '/sidepanel.html', testId('find-count'));
    await expect.poll(() => textIn(panel, testId('find-count'))).toBe('1–2 av 2 händelser');
    expect(await panel.evaluate(() => document.documentElement.lang)).toBe('sv-SE');
    expect(await panel.title()).toBe('Clicktrail-händelser');
    expect(await panel.$$eval('[role="tab"]', (tabs) => tabs.map((tab) => tab.textContent))).toEqual([
      'Händelser',
      'Analysera',
      'Kontakt',
      'Arbetsflöden',
      'Import',
      'Testa',
      'Installera',
    ]);
    const taken = testId('event-lagg_i_varukorgen');
    await expect
      .poll(() => textIn(panel, `${taken} ${testId('last-fired')}`), { timeout: 15_000 })
      .toBe('Senast utlöst för 3 timmar sedan');
    const picked =
      (
        await panel.$$eval('[data-testid^="event-lagg_i_varukorgen_"]', (items) =>
          items.map((item) => item.textContent),
        )
      )[0] ?? '';
    expect(picked).toContain('Lägg i varukorgen: vas');
    expect(picked).toContain('Klick');
    expect(picked).toContain('Inte utlöst än');

    // Analysera: the date range written the Swedish way ("29 nov. 2026 till …"), the total counted.
    await (await panel.waitForSelector(testId('tab-analyze')))!.click();
    await panel.waitForSelector(`${testId('totals-lagg_i_varukorgen')} ${testId('total-completions')}`, {
      timeout: 15_000,
    });
    expect(await textIn(panel, `${testId('totals-lagg_i_varukorgen')} ${testId('total-completions')}`)).toBe('1');
    const range = await panel.$eval(`${testId('analyze-view')} p.muted`, (element) => element.textContent);
    expect(range).toMatch(/^\d{1,2} [a-zåäö]+\.? \d{4} till \d{1,2} [a-zåäö]+\.? \d{4}, /);
    await panel.close();
  });
});
