import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventDefinitionListSchema, type ElementTrigger } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, matcherScript, requireBuild } from './support/extension-builds';
import { DemoPage, PopupPage } from './support/pages';

describe('Chromium: track a clicked element end to end', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let demo: DemoPage;
  let popup: PopupPage;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    browser = await launchChromiumWithExtension(extensionDir);
    const demoPage = await browser.context.newPage();
    await demoPage.goto(`${server.url}/demo/products.html`);
    demo = new DemoPage(demoPage);
    const popupPage = await browser.context.newPage();
    await popupPage.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    popup = new PopupPage(popupPage);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('explains an unreachable server in the popup', async () => {
    await popup.connect('http://127.0.0.1:9', server.apiKey);
    expect(await popup.errorText()).toContain('Cannot reach the Clicktrail server at http://127.0.0.1:9');
  });

  it('explains a wrong API key in the popup and does not connect', async () => {
    await popup.connect(server.url, 'ct_wrong_key');
    await expect.poll(() => popup.errorText()).toContain('rejected the API key');
    expect(await popup.page.getByTestId('connection-status').count()).toBe(0);
  });

  it('connects with the right key and remembers the connection', async () => {
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    await popup.page.reload();
    await popup.expectConnected();
    expect(await popup.page.getByTestId('connection-status').textContent()).toContain('Default portal');
  });

  it('picks an "Add to cart" button without triggering the site, names the event and saves it', async () => {
    await demo.page.bringToFront();
    await popup.trackClickedElement();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });

    await demo.addToCart('bowl-rain').hover();
    await demo.picker('picker-highlight').waitFor();
    await demo.expectHighlightOver('button[data-product-id="bowl-rain"]');
    expect(await demo.picker('picker-tooltip').textContent()).toContain('button “Add to cart”');

    await demo.addToCart('bowl-rain').click();
    await demo.picker('picker-panel').waitFor();
    // The site's own click handler (cart counter) never saw the pick.
    expect(await demo.cartCount()).toBe('0');
    expect(await demo.addToCart('bowl-rain').textContent()).toBe('Add to cart');
    expect(await demo.picker('picker-match-count').textContent()).toContain('Matches 1 element on this page');

    await demo.picker('picker-label').fill('Add to cart: Rain-glaze bowl');
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });
    expect(await demo.picker('picker-saved').textContent()).toContain('add_to_cart_rain_glaze_bowl');
  });

  it('stored the definition, and its trigger matches exactly that button on the demo page', async () => {
    const list = eventDefinitionListSchema.parse(await (await server.api('/events/v3/event-definitions')).json());
    expect(list.results.map((result) => result.name)).toEqual(['add_to_cart_rain_glaze_bowl']);
    const [definition] = list.results;
    expect(definition).toMatchObject({
      name: 'add_to_cart_rain_glaze_bowl',
      trackingType: 'CLICKED_ELEMENT',
      trigger: { kind: 'click', url: { match: 'path', value: '/demo/products.html' } },
    });
    const trigger = definition!.trigger;
    if (trigger?.kind !== 'click') throw new Error('expected a click trigger');

    const fresh = await browser.context.newPage();
    await fresh.goto(`${server.url}/demo/products.html`);
    expect(await matchedProductIds(fresh, trigger.element)).toEqual(['bowl-rain']);
    await fresh.close();
  });

  it('keeps the form and explains a name that is already taken, then saves under another name', async () => {
    await demo.page.bringToFront();
    await popup.trackClickedElement();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    await demo.addToCart('bowl-ramen').click();
    await demo.picker('picker-label').fill('Add to cart: Rain-glaze bowl');
    await demo.picker('picker-save').click();
    await expect
      .poll(() => demo.picker('picker-panel').textContent())
      .toContain('This internal name is already used by another event');
    expect(await demo.picker('picker-label').inputValue()).toBe('Add to cart: Rain-glaze bowl');
    await demo.picker('picker-name').fill('add_to_cart_ramen_bowl');
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });
    const saved = await server.api('/events/v3/event-definitions/add_to_cart_ramen_bowl');
    expect(saved.status).toBe(200);
  });

  it('lists the saved event in the side panel', async () => {
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    const events = panel.getByTestId('events');
    await events.waitFor({ timeout: 15_000 });
    expect(await events.textContent()).toContain('Add to cart: Rain-glaze bowl');
    // The kind in words, the API's trackingType on hover.
    expect(await events.locator('.badge[title="CLICKED_ELEMENT"]').allTextContents()).toContain('Click');
    await panel.close();
  });

  it('picks a link without following it', async () => {
    await demo.page.bringToFront();
    await popup.trackClickedElement();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    const url = demo.page.url();
    await demo.page.locator('nav a', { hasText: 'Contact' }).click();
    await demo.picker('picker-panel').waitFor();
    expect(demo.page.url()).toBe(url);
    const selector = (await demo.picker('picker-selector').textContent()) ?? '';
    expect(await demo.page.locator(selector).allTextContents()).toEqual(['Contact']);
    await demo.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    await demo.picker('picker-panel').waitFor({ state: 'detached' });
  });

  it('defines a page-view event for a URL rule, checking it against the page', async () => {
    await demo.page.bringToFront();
    await popup.trackPageView();
    await demo.picker('pageview-panel').waitFor({ timeout: 15_000 });
    expect(await demo.picker('url-value').inputValue()).toBe('/demo/products.html');
    expect(await demo.picker('url-check').textContent()).toBe('This page matches the rule.');
    await demo.picker('url-match').selectOption('wildcard');
    await demo.picker('url-value').fill('/shop/*');
    expect(await demo.picker('url-check').textContent()).toContain('does not match');
    await demo.picker('url-value').fill('/demo/*');
    await demo.picker('picker-label').fill('Viewed a demo page');
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });
    const response = await server.api('/events/v3/event-definitions/viewed_a_demo_page');
    expect(await response.json()).toMatchObject({
      trackingType: 'VISITED_URL',
      trigger: { kind: 'pageview', url: { match: 'wildcard', value: '/demo/*' } },
    });
    await demo.picker('picker-saved').getByRole('button', { name: 'Done' }).click();
  });

  it('fires the saved click and page-view events from the tracker on the live demo site', async () => {
    const portal = server.bootstrap.portal.id;
    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    // A visitor: clicks the tracked button once and another product's button twice.
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.locator('button[data-product-id="bowl-rain"]').click();
    await site.locator('button[data-product-id="vase-bud"]').click();
    await site.locator('button[data-product-id="vase-bud"]').click();
    const events = async (name: string) => {
      const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal}_${name}`);
      return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
    };
    await expect.poll(() => events('add_to_cart_rain_glaze_bowl'), { timeout: 15_000 }).toHaveLength(1);
    const [click] = await events('add_to_cart_rain_glaze_bowl');
    expect(click!.properties.hs_url).toBe(`${server.url}/demo/products.html`);
    await expect.poll(() => events('viewed_a_demo_page'), { timeout: 15_000 }).toHaveLength(1);
    // The site's own handler still ran: the tracker never gets in its way.
    expect(await site.locator('#cart-count').textContent()).toBe('3');
    // No definition matches the vase button: nothing else was recorded.
    expect((await events('add_to_cart_ramen_bowl')).length).toBe(0);
    await site.close();
  });

  it('cancels picking with Escape and leaves the site working', async () => {
    await demo.page.reload();
    await demo.page.bringToFront();
    await popup.trackClickedElement();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    await demo.page.keyboard.press('Escape');
    await demo.picker('picker-banner').waitFor({ state: 'detached' });
    await demo.addToCart('mug-speckled').click();
    expect(await demo.cartCount()).toBe('1');
  });
});

/** Runs the real `findMatches` in the page and returns the product ids of what it matched. */
async function matchedProductIds(page: Page, trigger: ElementTrigger): Promise<(string | null)[]> {
  await page.addScriptTag({ content: await matcherScript() });
  return page.evaluate((trigger) => {
    const { findMatches } = (window as unknown as { ClicktrailMatcher: typeof import('../../lib/matcher') })
      .ClicktrailMatcher;
    return findMatches(trigger, document).map((element) => element.getAttribute('data-product-id'));
  }, trigger);
}
