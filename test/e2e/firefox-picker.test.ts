import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { FIREFOX_BUILD, requireBuild } from './support/extension-builds';
import { launchFirefoxWithExtension, openExtensionPage, type FirefoxWithExtension } from './support/firefox';

/** Puppeteer's `>>>` descends into open shadow roots, where the picker's overlay lives. */
const overlay = (testId: string) => `clicktrail-picker >>> [data-testid="${testId}"]`;

describe('Firefox ESR: the picker on the demo site, and the events panel', () => {
  let server: TestServer;
  let firefox: FirefoxWithExtension;
  let demo: Page;
  let popup: Page;

  beforeAll(async () => {
    const extensionDir = requireBuild(FIREFOX_BUILD);
    server = await startTestServer('sqlite');
    firefox = await launchFirefoxWithExtension(extensionDir);
    demo = await firefox.browser.newPage();
    await demo.goto(`${server.url}/demo/products.html`);
    popup = await openExtensionPage(firefox, '/popup.html', '[data-testid="connect-form"]');
  });

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('connects from the popup', async () => {
    await popup.locator('input[name="baseUrl"]').fill(server.url);
    await popup.locator('input[name="apiKey"]').fill(server.apiKey);
    await popup.locator('button[type="submit"]').click();
    const status = await popup.waitForSelector('[data-testid="connection-status"]', { timeout: 15_000 });
    expect(await status?.evaluate((element) => element.textContent)).toContain('Default portal');
  });

  it('highlights the element under the pointer once picking starts', async () => {
    await demo.bringToFront();
    await popup.locator('::-p-text(Track clicked element)').click();
    // The picker was just injected, its shadow root is new: a selector wait watching the document's
    // mutations can miss what renders inside it afterwards, so this one polls.
    await demo.waitForFunction(
      (host, testId) => document.querySelector(host)?.shadowRoot?.querySelector(`[data-testid="${testId}"]`) != null,
      { polling: 100, timeout: 15_000 },
      'clicktrail-picker',
      'picker-banner',
    );

    const button = await demo.waitForSelector('button[data-product-id="vase-bud"]');
    const box = await button!.boundingBox();
    await demo.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const highlight = await demo.waitForSelector(overlay('picker-highlight'), { timeout: 10_000 });
    await expect
      .poll(async () => {
        const rect = await highlight!.evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
        return [Math.round(rect.x), Math.round(rect.y), Math.round(rect.width)];
      })
      .toEqual([Math.round(box!.x), Math.round(box!.y), Math.round(box!.width)]);
    const tooltip = await demo.waitForSelector(overlay('picker-tooltip'));
    expect(await tooltip!.evaluate((element) => element.textContent)).toContain('Add to cart');
    // The label 4 px above the button at its left edge (or below it), whole inside the viewport:
    // its right edge is kept in by a transform with a percentage of its own width.
    await expect
      .poll(async () => {
        const label = await tooltip!.evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
        const viewport = await demo.evaluate(() => document.documentElement.clientWidth);
        const left = Math.max(4, Math.min(box!.x, viewport - 4 - label.width));
        const vertical = Math.min(
          Math.abs(label.bottom + 4 - box!.y),
          Math.abs(label.top - 4 - (box!.y + box!.height)),
        );
        return Math.max(Math.abs(label.x - left), vertical);
      })
      .toBeLessThan(1.5);
  });

  it('picks without running the site handler', async () => {
    const button = await demo.waitForSelector('button[data-product-id="vase-bud"]');
    await button!.click();
    await demo.waitForSelector(overlay('picker-panel'), { timeout: 10_000 });
    expect(await demo.$eval('#cart-count', (element) => element.textContent)).toBe('0');
    const selector = await demo.waitForSelector(overlay('picker-selector'));
    const css = (await selector!.evaluate((element) => element.textContent)) ?? '';
    expect(
      await demo.$$eval(css, (elements) => elements.map((element) => element.getAttribute('data-product-id'))),
    ).toEqual(['vase-bud']);
  });

  it('switches the pick to all similar product buttons with the product name from the card; the tracker sends each card’s name', async () => {
    await demo.locator(overlay('picker-mode-similar')).click();
    await expect
      .poll(() => demo.$eval(overlay('picker-match-count'), (element) => element.textContent))
      .toContain('Matches 6 elements');
    expect((await demo.$$(overlay('picker-match'))).length).toBe(6);

    // "Add property from page": a second pick, of the product name in the same card.
    await demo.locator(overlay('property-pick')).click();
    await demo.waitForSelector(overlay('property-banner'));
    // In Firefox's 800×600 window this card's name lies under the panel, which steps aside (lets
    // the pointer through) while a property is picked.
    const name = await demo.$('#vase-bud h3');
    const box = (await name!.boundingBox())!;
    expect(
      await demo.evaluate(
        (x, y) => document.elementFromPoint(x, y)?.localName,
        box.x + box.width / 2,
        box.y + box.height / 2,
      ),
    ).toBe('h3');
    await demo.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await demo.waitForSelector(overlay('property-banner'), { hidden: true });
    const preview = await demo.waitForSelector(overlay('property-preview'), { timeout: 10_000 });
    expect(await preview!.evaluate((element) => element.textContent)).toBe('On this page: “Tall bud vase”');
    expect(await demo.$eval('#cart-count', (element) => element.textContent)).toBe('0');
    await demo.locator(overlay('property-label')).fill('Product name');
    await demo.locator(overlay('property-name')).fill('product_name');
    await demo.$eval(overlay('property-name'), (element) => (element as HTMLInputElement).blur());
    await demo.waitForSelector(overlay('property-product_name'), { timeout: 10_000 });

    await demo.locator(overlay('picker-label')).fill('Any add to cart');
    await demo.locator(overlay('picker-save')).click();
    await demo.waitForSelector(overlay('picker-saved'), { timeout: 15_000 });
    const saved = (await (await server.api('/events/v3/event-definitions/any_add_to_cart')).json()) as {
      properties: { name: string; type: string }[];
      trigger: { element: { mode: string; matchCount: number }; properties: unknown[] };
    };
    expect(saved.trigger.element).toMatchObject({ mode: 'similar', matchCount: 6 });
    expect(saved.properties.map((p) => [p.name, p.type])).toEqual([['product_name', 'string']]);
    expect(saved.trigger.properties).toMatchObject([
      { name: 'product_name', source: { kind: 'relative', selector: 'h3' } },
    ]);

    // A visitor clicks another product's button: the completion carries that product's name.
    const site = await firefox.browser.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    await site.waitForFunction(() => 'clicktrail' in window, { polling: 100, timeout: 15_000 });
    await site.locator('button[data-product-id="bowl-ramen"]').click();
    const events = async () => {
      const response = await server.api(
        `/events/v3/events?objectType=contact&eventType=pe${server.bootstrap.portal.id}_any_add_to_cart`,
      );
      return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
    };
    await expect.poll(events, { timeout: 15_000 }).toHaveLength(1);
    expect((await events())[0]!.properties.product_name).toBe('Ramen bowl');
    await site.close();
  });

  it('renames an event in the events panel (the sidebar)', async () => {
    const created = await server.api('/events/v3/event-definitions', { method: 'POST', json: { label: 'Signed up' } });
    expect(created.status).toBe(201);
    const item = '[data-testid="event-signed_up"]';
    const panel = await openExtensionPage(firefox, '/sidepanel.html', `${item} [data-testid="event-edit"]`);
    await panel.locator(`${item} [data-testid="event-edit"]`).click();
    const input = await panel.waitForSelector('[data-testid="event-label"]');
    await input!.evaluate((element) => (element as HTMLInputElement).select());
    await input!.type('Trial started');
    await input!.press('Enter');
    await panel.waitForSelector('[data-testid="event-edit-form"]', { hidden: true });
    await expect
      .poll(
        async () =>
          ((await (await server.api('/events/v3/event-definitions/signed_up')).json()) as { label: string }).label,
      )
      .toBe('Trial started');
    expect(await panel.$eval(item, (element) => element.textContent)).toContain('Trial started');
  });
});
