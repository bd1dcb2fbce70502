import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { definitionHealthSchema, eventDefinitionSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { addToCartTrigger, DEMO_PRODUCTS } from './support/demo-triggers';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { DemoPage, PopupPage } from './support/pages';

const PRODUCTS = DEMO_PRODUCTS;

/** The event under test: the speckled mug's "Add to cart", found by its product id. */
const mugTrigger = addToCartTrigger('mug-speckled');

describe('Chromium: selector health from real traffic, and a re-pick that repairs the event', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let panel: Page;
  let demo: DemoPage;
  const portal = () => server.bootstrap.portal.id;
  const health = async () =>
    definitionHealthSchema.parse(
      await (await server.api('/events/v3/event-definitions/added_the_mug/health?days=1')).json(),
    );
  const completions = async () => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal()}_added_the_mug`);
    return ((await response.json()) as { results: unknown[] }).results;
  };

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    // Every page view is checked, so one visit is enough to see the result.
    expect((await server.api('/settings/v1/tracking', { method: 'PATCH', json: { healthSampleRate: 1 } })).status).toBe(
      200,
    );
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Added the mug', name: 'added_the_mug', trigger: mugTrigger },
    });
    expect(created.status).toBe(201);
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    await popup.page.close();
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    demo = new DemoPage(await browser.context.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports the event found by its selector on the demo shop as it is', async () => {
    await demo.page.goto(`${server.url}${PRODUCTS}`);
    await expect.poll(async () => (await health()).pageViews, { timeout: 20_000 }).toBe(1);
    expect(await health()).toMatchObject({ matched: 1, viaFallback: 0, paths: [{ path: PRODUCTS, matched: 1 }] });
  });

  it('reports it not found after a redeploy renamed the button’s attribute, and the panel says so', async () => {
    // The redeploy: the shop's new markup calls the product id data-sku.
    await demo.page.route(`**${PRODUCTS}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('data-product-id="mug-speckled"', 'data-sku="mug-speckled"');
      await route.fulfill({ response, body: html });
    });
    await demo.page.reload();
    await expect.poll(async () => (await health()).pageViews, { timeout: 20_000 }).toBe(2);
    expect((await health()).paths).toEqual([expect.objectContaining({ path: PRODUCTS, pageViews: 2, matched: 1 })]);
    // The site's click no longer counts.
    await demo.page.locator('button[data-sku="mug-speckled"]').click();
    await expect.poll(() => demo.cartCount()).toBe('1');

    await panel.bringToFront();
    await panel.getByRole('button', { name: 'Refresh' }).click();
    const item = panel.getByTestId('event-added_the_mug');
    await expect.poll(() => item.getByTestId('health').getAttribute('data-level'), { timeout: 15_000 }).toBe('failing');
    expect(await item.getByTestId('health').textContent()).toContain(`Not found on ${PRODUCTS}`);
    expect(await completions()).toEqual([]);
  });

  it('re-picks the button on that page in one click, shows old and new side by side, and the event fires again', async () => {
    const before = eventDefinitionSchema.parse(
      await (await server.api('/events/v3/event-definitions/added_the_mug')).json(),
    );
    // A fresh page: the shop relabels a clicked button "Added ✓" until the next load.
    await demo.page.reload();
    await demo.page.bringToFront();
    // The panel acts on the tab in front: the demo shop.
    await panel.getByTestId('event-added_the_mug').getByTestId('health-repick').click();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    await demo.page.locator('button[data-sku="mug-speckled"]').click();
    await expect
      .poll(() => demo.picker('picker-title').textContent())
      .toBe('Re-pick “Added the mug”: clicks on button “Add to cart”');
    const compare = demo.picker('picker-repick-compare');
    expect(await compare.textContent()).toContain('[data-product-id="mug-speckled"] — finds 0 elements here');
    expect(await compare.textContent()).toMatch(/After.* — finds 1 element here/);
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });

    const after = eventDefinitionSchema.parse(
      await (await server.api('/events/v3/event-definitions/added_the_mug')).json(),
    );
    expect(after.version).toBe(before.version + 1);
    expect(after.trigger).toMatchObject({ kind: 'click', url: mugTrigger.url });
    expect(after.trigger?.kind === 'click' && after.trigger.element.selector).not.toBe(mugTrigger.element.selector);
    await demo.picker('picker-saved').getByRole('button', { name: 'Done' }).click();

    // The next page load's tracker has the new trigger: the click counts, and health finds it.
    await demo.page.reload();
    await demo.page.waitForFunction(() => 'clicktrail' in window);
    // Checked before the click: the shop relabels the button "Added ✓" once clicked.
    await expect.poll(async () => (await health()).matched, { timeout: 20_000 }).toBe(2);
    await demo.page.locator('button[data-sku="mug-speckled"]').click();
    await expect.poll(() => completions(), { timeout: 15_000 }).toHaveLength(1);
  });
});
