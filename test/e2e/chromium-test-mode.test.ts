import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { serveCorpus } from './support/corpus-server';
import { addToCartTrigger, DEMO_PRODUCTS } from './support/demo-triggers';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { DemoPage, PopupPage } from './support/pages';

const PRODUCTS = DEMO_PRODUCTS;
/** A real page of the corpus (no tracker on it): a navigation link whose text sits in a span. */
const CORPUS_PAGE = 'postlight/ma.ttias.be.html';

describe('Chromium: test mode shows what would fire, and the live feed what arrived', () => {
  let server: TestServer;
  let corpus: Awaited<ReturnType<typeof serveCorpus>>;
  let browser: ChromiumWithExtension;
  let panel: Page;
  let demo: DemoPage;
  const portal = () => server.bootstrap.portal.id;
  const completions = async (name: string) => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal()}_${name}`);
    return ((await response.json()) as { results: unknown[] }).results;
  };
  const define = async (json: unknown) =>
    expect((await server.api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);

  /** Makes `page` the active tab, and waits for the panel's Test tab to have picked it up. */
  async function focus(page: Page): Promise<void> {
    await page.bringToFront();
    await expect.poll(() => panel.getByTestId('testmode-toggle').isDisabled()).toBe(false);
  }

  async function switchTestMode(page: Page, on: boolean): Promise<void> {
    await focus(page);
    const toggle = panel.getByTestId('testmode-toggle');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(!on));
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe(String(on));
  }

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    corpus = await serveCorpus();
    await define({ label: 'Added the mug', name: 'added_the_mug', trigger: addToCartTrigger('mug-speckled') });
    await define({ label: 'Added a retired item', name: 'added_retired', trigger: addToCartTrigger('retired-item') });
    await define({
      label: 'Products viewed',
      name: 'products_viewed',
      trigger: { kind: 'pageview', url: { match: 'path', value: PRODUCTS } },
    });
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    await popup.page.close();
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await panel.getByRole('tab', { name: 'Test' }).click();
    demo = new DemoPage(await browser.context.newPage());
    await demo.page.goto(`${server.url}${PRODUCTS}`);
    await demo.page.waitForFunction(() => 'clicktrail' in window);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await corpus?.close();
  });

  it('on a real page without a tracker: says what would fire, and sends nothing', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${corpus.url}/${CORPUS_PAGE}`, { waitUntil: 'load', timeout: 60_000 });
    const link = page
      .locator('nav a[href] > span')
      .filter({ hasText: /\w{2,}/ })
      .first()
      .locator('xpath=..');
    const href = (await link.getAttribute('href'))!;
    const text = ((await link.textContent()) ?? '').trim();
    await define({
      label: 'Nav link on the blog',
      name: 'blog_nav_link',
      trigger: {
        kind: 'click',
        url: { match: 'path', value: `/${CORPUS_PAGE}` },
        element: {
          mode: 'unique',
          selector: `nav a[href="${href}"]`,
          quality: 'good',
          reasons: [],
          alternatives: [],
          fingerprint: { tag: 'a', href, text },
        },
      },
    });
    // The site's own handler keeps the page (the links lead off-line); test mode must not stop it.
    await page.evaluate(() => {
      (window as unknown as { siteClicks: number }).siteClicks = 0;
      document.addEventListener('click', (event) => {
        (window as unknown as { siteClicks: number }).siteClicks++;
        event.preventDefault();
      });
    });
    await switchTestMode(page, true);
    const on = new DemoPage(page);
    await expect.poll(() => on.picker('testmode').textContent()).toContain('testing 4 events. Nothing is sent.');
    // A click on the span inside the link: the tracker's rule would fire for the link.
    await link.locator('span').first().click();
    const entry = on.picker('testmode-entry').first();
    await expect.poll(() => entry.textContent()).toContain('✓ Nav link on the blog');
    expect(await entry.getByTestId('testmode-signal').textContent()).toContain('found by its selector');
    expect(await page.evaluate(() => (window as unknown as { siteClicks: number }).siteClicks)).toBe(1);
    expect(await completions('blog_nav_link')).toEqual([]);
    await switchTestMode(page, false);
    await on.picker('testmode').waitFor({ state: 'detached' });
    await page.close();
  });

  it('on the demo shop: toasts for the page view and each click, and the site keeps working', async () => {
    await switchTestMode(demo.page, true);
    const pageView = demo.picker('testmode-entry').first();
    await expect.poll(() => pageView.textContent()).toContain(`Page view ${PRODUCTS}`);
    expect(await pageView.textContent()).toContain('✓ Products viewed');

    await demo.addToCart('mug-speckled').click();
    await expect.poll(() => demo.picker('testmode-entry').first().textContent()).toContain('✓ Added the mug');
    expect(await demo.picker('testmode-entry').first().getAttribute('data-kind')).toBe('click');
    await expect.poll(() => demo.cartCount()).toBe('1');

    await demo.addToCart('bowl-rain').click();
    const miss = demo.picker('testmode-entry').first();
    await expect.poll(() => miss.textContent()).toContain('✗ Nothing would fire');
    expect(await miss.textContent()).toContain('Added the mug, Added a retired item');
    await expect.poll(() => demo.cartCount()).toBe('2');
  });

  it('shows in the live feed the completion the backend received from this browser', async () => {
    const feed = panel.getByTestId('testmode-feed-item');
    await expect.poll(() => feed.first().textContent(), { timeout: 10_000 }).toContain('Added the mug');
    expect(await completions('added_the_mug')).toHaveLength(1);
    expect(await panel.getByTestId('testmode-feed').textContent()).toContain(`from ${server.url}`);
  });

  it('stays on across the tab’s page loads until it is stopped', async () => {
    await demo.page.goto(`${server.url}/demo/cart.html`);
    await expect.poll(() => demo.picker('testmode-entry').first().textContent()).toContain('Page view /demo/cart.html');
    expect(await demo.picker('testmode-nothing').first().textContent()).toContain(
      'No page-view event covers this page',
    );
    await switchTestMode(demo.page, false);
    await demo.picker('testmode').waitFor({ state: 'detached' });
    await demo.page.reload();
    await demo.page.waitForFunction(() => 'clicktrail' in window);
    expect(await demo.picker('testmode').count()).toBe(0);
  });
});
