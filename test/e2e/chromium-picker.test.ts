import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventDefinitionSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { serveCorpus } from './support/corpus-server';
import { DemoPage, PopupPage } from './support/pages';
import { saveAs, startPickingOn } from './support/picking';

describe('Chromium: the picker picks what the marketer means', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let demo: DemoPage;
  let popup: PopupPage;
  let corpus: Awaited<ReturnType<typeof serveCorpus>>;
  const portal = () => server.bootstrap.portal.id;

  /** Completions of an event, read back through the HubSpot-compatible events API. */
  const events = async (name: string) => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal()}_${name}`);
    return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
  };
  const definition = async (name: string) =>
    eventDefinitionSchema.parse(await (await server.api(`/events/v3/event-definitions/${name}`)).json());

  const startPicking = (page: Page = demo.page) => startPickingOn(popup, new DemoPage(page));

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    corpus = await serveCorpus();
    browser = await launchChromiumWithExtension(extensionDir);
    const demoPage = await browser.context.newPage();
    await demoPage.goto(`${server.url}/demo/products.html`);
    demo = new DemoPage(demoPage);
    const popupPage = await browser.context.newPage();
    await popupPage.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    popup = new PopupPage(popupPage);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await corpus?.close();
  });

  it('snaps a span inside a navigation link to the link, on hover and on pick', async () => {
    await startPicking();
    const span = demo.page.locator('header nav a[href="studio.html"] span');
    await span.hover();
    await demo.expectHighlightOver('header nav a[href="studio.html"]');
    expect(await demo.picker('picker-tooltip').textContent()).toBe('a “Studio”');
    await demo.expectLabelBeside('header nav a[href="studio.html"]');
    // At the viewport's right edge the label shifts left to stay whole.
    await demo.page.locator('header .cart-link').hover();
    await demo.expectHighlightOver('header .cart-link');
    await demo.expectLabelBeside('header .cart-link');
    const label = await demo.picker('picker-tooltip').boundingBox();
    const viewport = await demo.page.evaluate(() => document.documentElement.clientWidth);
    expect(label!.x + label!.width).toBeLessThanOrEqual(viewport - 3.5);
    await span.hover();
    await span.click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on a “Studio”');
    const selector = (await demo.picker('picker-selector').textContent()) ?? '';
    expect(await demo.page.locator(selector).evaluateAll((els) => els.map((el) => el.tagName))).toEqual(['A']);
    expect(demo.page.url()).toBe(`${server.url}/demo/products.html`);
  });

  it('moves to the parent and back to the child with the keys and buttons, updating label, count and verdict', async () => {
    await demo.page.keyboard.press('Alt+ArrowUp');
    await expect
      .poll(() => demo.picker('picker-title').textContent())
      .toBe('Track clicks on nav “Home Shop Studio Contact”');
    await demo.expectHighlightOver('header nav');
    expect(await demo.picker('picker-match-count').textContent()).toContain('Matches 1 element');
    await demo.picker('picker-parent').click();
    await expect.poll(() => demo.picker('picker-title').textContent()).toMatch(/^Track clicks on header/);
    await demo.picker('picker-child').click();
    await demo.picker('picker-child').click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on a “Studio”');
    await demo.picker('picker-child').click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on span “Studio”');
    expect(await demo.picker('picker-quality').textContent()).toMatch(/good|warning|fragile/);
    await demo.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    await demo.picker('picker-panel').waitFor({ state: 'detached' });
  });

  it('tracks every product’s "Add to cart" with the product’s name read from its card', async () => {
    await startPicking();
    await demo.addToCart('mug-speckled').click();
    expect(await demo.picker('picker-match-count').textContent()).toContain('Matches 1 element on this page');
    await demo.picker('picker-mode-similar').click();
    await expect.poll(() => demo.picker('picker-match-count').textContent()).toContain('Matches 6 elements');
    expect(await demo.picker('picker-match').count()).toBe(6);

    await demo.picker('property-pick').click();
    await demo.picker('property-banner').waitFor();
    await demo.page.locator('#mug-speckled h3').click();
    await demo.picker('property-banner').waitFor({ state: 'detached' });
    const property = demo.picker('picker-properties').locator('.ct-property-item');
    expect(await property.getByTestId('property-preview').textContent()).toBe('On this page: “Speckled mug”');
    await property.getByTestId('property-label').fill('Product name');
    await property.getByTestId('property-name').fill('product_name');
    await property.getByTestId('property-name').blur();
    await demo.picker('property-product_name').waitFor();
    // The page's own handler never saw the picks.
    expect(await demo.cartCount()).toBe('0');
    await saveAs(demo, 'Added to cart');

    const saved = await definition('added_to_cart');
    expect(saved.properties.map((p) => [p.name, p.label, p.type])).toEqual([
      ['product_name', 'Product name', 'string'],
    ]);
    expect(saved.trigger).toMatchObject({
      kind: 'click',
      element: { mode: 'similar', matchCount: 6 },
      properties: [{ name: 'product_name', source: { kind: 'relative', selector: 'h3' } }],
    });

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.locator('button[data-product-id="vase-bud"]').click();
    await site.locator('button[data-product-id="bowl-ramen"] ').click();
    await expect.poll(() => events('added_to_cart'), { timeout: 15_000 }).toHaveLength(2);
    expect((await events('added_to_cart')).map((event) => event.properties.product_name).sort()).toEqual([
      'Ramen bowl',
      'Tall bud vase',
    ]);
    await site.close();
  });

  it('narrows similar elements with a live text condition; the tracker applies it', async () => {
    await demo.page.reload();
    await startPicking();
    // Shift lets the click through to the site: two products are now "Added ✓".
    await demo.addToCart('mug-speckled').click({ modifiers: ['Shift'] });
    await demo.addToCart('vase-bud').click({ modifiers: ['Shift'] });
    await expect.poll(() => demo.addToCart('vase-bud').textContent()).toBe('Added ✓');
    await demo.addToCart('bowl-rain').click();
    await demo.picker('picker-mode-similar').click();
    await expect.poll(() => demo.picker('picker-match-count').textContent()).toContain('Matches 6 elements');
    await demo.picker('condition-text-on').check();
    expect(await demo.picker('condition-text-value').inputValue()).toBe('Add to cart');
    expect(await demo.picker('picker-condition-count').textContent()).toBe('4 of 6 match');
    expect(
      await demo.picker('picker-match').evaluateAll((els) => els.map((el) => el.getAttribute('data-passing'))),
    ).toEqual(['false', 'true', 'false', 'true', 'true', 'true']);
    await demo.picker('condition-text-operator').selectOption('regex');
    await demo.picker('condition-text-value').fill('(a+)+$');
    expect(await demo.picker('condition-text-error').textContent()).toContain('exponential time');
    expect(await demo.picker('picker-save').isDisabled()).toBe(true);
    await demo.picker('condition-text-value').fill('^add to');
    expect(await demo.picker('picker-condition-count').textContent()).toBe('4 of 6 match');
    await saveAs(demo, 'Fresh add to cart');
    expect((await definition('fresh_add_to_cart')).trigger).toMatchObject({
      conditions: { text: { operator: 'regex', value: '^add to', caseInsensitive: true } },
    });

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    const button = site.locator('button[data-product-id="cups-espresso"]');
    await button.click(); // "Add to cart": fires
    await expect.poll(() => button.textContent()).toBe('Added ✓');
    await button.click(); // "Added ✓": the condition excludes it
    await expect.poll(() => events('added_to_cart'), { timeout: 15_000 }).toHaveLength(4);
    expect(await events('fresh_add_to_cart')).toHaveLength(1);
    await site.close();
  });

  it('keeps picking through a client-side route change and saves a regex URL rule', async () => {
    await demo.page.goto(`${server.url}/demo/studio.html`);
    await startPicking();
    // The site changes route (pushState) and re-renders while the picker is open.
    await demo.page.locator('[data-route="hours"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => demo.page.url()).toContain('?view=hours');
    await demo.page.locator('[data-route="workshops"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => demo.page.url()).toContain('?view=workshops');
    await demo.page.locator('.sign-up').first().hover();
    await demo.expectHighlightOver('.sign-up >> nth=0');
    await demo.page.locator('.sign-up').first().click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on button “Sign up”');

    await demo.picker('url-match').selectOption('regex');
    await demo.picker('url-value').fill('/demo/studio\\.html\\?view=(');
    expect(await demo.picker('url-check').textContent()).toContain('does not compile');
    await demo.picker('url-value').fill('/demo/studio\\.html\\?view=hours$');
    expect(await demo.picker('url-check').textContent()).toContain('does not match');
    await demo.picker('url-value').fill('/demo/studio\\.html\\?view=workshops$');
    expect(await demo.picker('url-check').textContent()).toBe('This page matches the rule.');
    await saveAs(demo, 'Workshop sign up');
    expect((await definition('workshop_sign_up')).trigger).toMatchObject({
      url: { match: 'regex', value: '/demo/studio\\.html\\?view=workshops$' },
    });

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/studio.html?view=hours`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.locator('[data-route="workshops"]').click();
    await site.locator('.sign-up').first().click();
    await expect.poll(() => events('workshop_sign_up'), { timeout: 15_000 }).toHaveLength(1);
    await site.close();
  });

  it('picks inside an open shadow root, and the tracker fires for it', async () => {
    await demo.page.goto(`${server.url}/demo/studio.html`);
    await startPicking();
    await demo.page.locator('ct-booking-widget button.book span').click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on button “Book a visit”');
    await demo.picker('url-match').selectOption('site');
    await saveAs(demo, 'Booked a visit');
    const trigger = (await definition('booked_a_visit')).trigger;
    expect(trigger).toMatchObject({ url: { match: 'site', value: new URL(server.url).host } });
    if (trigger?.kind !== 'click') throw new Error('expected a click trigger');
    expect(trigger.element.path).toEqual([
      { kind: 'shadow', host: expect.stringContaining('ct-booking-widget') as string },
    ]);

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/studio.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.locator('ct-booking-widget button.book').click();
    await expect.poll(() => events('booked_a_visit'), { timeout: 15_000 }).toHaveLength(1);
    await site.close();
  });

  it('picks inside a same-origin iframe, and the tracker listens there too', async () => {
    await demo.page.goto(`${server.url}/demo/studio.html`);
    await startPicking();
    const calendar = demo.page.frameLocator('iframe[title="Workshop calendar"]');
    await calendar.locator('.reserve').nth(1).hover();
    await expect.poll(() => demo.picker('picker-tooltip').textContent()).toBe('button “Reserve”');
    await calendar.locator('.reserve').nth(1).click();
    expect(await demo.picker('picker-title').textContent()).toBe('Track clicks on button “Reserve”');
    // The frame's own handler did not run.
    expect(await calendar.locator('.reserve').nth(1).textContent()).toBe('Reserve');
    await demo.picker('picker-mode-similar').click();
    await expect.poll(() => demo.picker('picker-match-count').textContent()).toContain('Matches 2 elements');
    await saveAs(demo, 'Reserved a workshop');
    const trigger = (await definition('reserved_a_workshop')).trigger;
    if (trigger?.kind !== 'click') throw new Error('expected a click trigger');
    expect(trigger.element.path).toEqual([{ kind: 'iframe', host: expect.stringContaining('iframe') as string }]);

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/studio.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.frameLocator('iframe[title="Workshop calendar"]').locator('.reserve').first().click();
    await expect.poll(() => events('reserved_a_workshop'), { timeout: 15_000 }).toHaveLength(1);
    await site.close();
  });

  it('leaves nothing behind on cancel, and the site works as before', async () => {
    await demo.page.goto(`${server.url}/demo/products.html`);
    await startPicking();
    await demo.addToCart('bowl-rain').click();
    await demo.picker('picker-mode-similar').click();
    await demo.picker('picker-match').first().waitFor();
    await demo.page.keyboard.press('Alt+ArrowUp');
    await demo.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    await demo.picker('picker-panel').waitFor({ state: 'detached' });
    expect(await demo.page.locator('clicktrail-picker [data-testid]').count()).toBe(0);
    const before = Number(await demo.cartCount());
    await demo.addToCart('bowl-rain').click();
    expect(await demo.cartCount()).toBe(String(before + 1));
    await demo.page.keyboard.press('ArrowUp'); // no picker listening: nothing happens
    expect(await demo.page.locator('clicktrail-picker [data-testid]').count()).toBe(0);
  });

  it.each(['postlight/uproxx.com.html', 'postlight/ma.ttias.be.html', 'postlight/www.newyorker.com.html'])(
    'snaps a span inside a navigation link to the link on the real page %s',
    async (file) => {
      const page = await browser.context.newPage();
      await page.goto(`${corpus.url}/${file}`, { waitUntil: 'load', timeout: 60_000 });
      const on = await startPicking(page);
      const span = page
        .locator('nav a[href] > span')
        .filter({ hasText: /\w{2,}/ })
        .filter({ visible: true })
        .first();
      const text = ((await span.textContent()) ?? '').trim();
      await span.click();
      await expect.poll(() => on.picker('picker-title').textContent()).toMatch(/^Track clicks on a( “|$)/);
      const selector = (await on.picker('picker-selector').textContent()) ?? '';
      const picked = await page.locator(selector).evaluateAll((els) => els.map((el) => [el.tagName, el.textContent]));
      expect(picked).toHaveLength(1);
      expect(picked[0]![0]).toBe('A');
      expect(picked[0]![1]).toContain(text);
      await on.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
      await page.close();
    },
  );
});
