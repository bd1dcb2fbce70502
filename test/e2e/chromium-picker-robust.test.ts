/**
 * Issue 8 item 7, "robust overlay", in real Chromium with the built extension: the demo's hostile
 * page (server/demo-site/flash-sale.*: a header and a decoration at z-index 2147483647,
 * pointer-events tricks, a handler that throws, and by query aggressive global CSS, redefined DOM
 * globals, a guard that strips unknown elements), zoom, scroll and resize, Shift-clicks that open a
 * menu, a host element the page removes, an extension reload, and a real corpus page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDefinitionSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { serveCorpus } from './support/corpus-server';
import { DemoPage, PopupPage } from './support/pages';
import { saveAs, startPickingOn } from './support/picking';
import { near, pixelAt } from './support/pixels';

/** The picker's highlight outline colours (entrypoints/picker.content/style.css). */
const HOVER_OUTLINE = [0xff, 0x7a, 0x59];
const PICKED_OUTLINE = [0x00, 0xa4, 0xbd];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The largest difference between two boxes' edges, in CSS pixels. */
function offset(a: Box | null, b: Box | null): number {
  if (!a || !b) return Number.POSITIVE_INFINITY;
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height));
}

describe('Chromium: the picker’s overlay survives hostile pages, zoom, scroll and resize', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let popup: PopupPage;
  let corpus: Awaited<ReturnType<typeof serveCorpus>>;
  const portal = () => server.bootstrap.portal.id;
  const sale = (query = '') => `${server.url}/demo/flash-sale.html${query}`;

  const events = async (name: string) => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal()}_${name}`);
    return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
  };
  const definition = async (name: string) =>
    eventDefinitionSchema.parse(await (await server.api(`/events/v3/event-definitions/${name}`)).json());

  async function open(url: string): Promise<DemoPage> {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    return new DemoPage(page);
  }

  const startPicking = (on: DemoPage) => startPickingOn(popup, on);

  /** Whether the page's own hit test at the centre of `testId` lands on Clicktrail's UI. */
  async function onTop(on: DemoPage, testId: string): Promise<boolean> {
    const box = await on.picker(testId).boundingBox();
    if (!box) return false;
    return on.page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.localName === 'clicktrail-picker',
      [box.x + box.width / 2, box.y + box.height / 2],
    );
  }

  /** Nothing of the picker is left in the page: no UI, no listener blocking the site's clicks. */
  async function expectNothingLeft(on: DemoPage): Promise<void> {
    expect(await on.page.locator('clicktrail-picker [data-testid]').count()).toBe(0);
    expect(await on.page.locator('[data-clicktrail-picking]').count()).toBe(0);
    const before = Number(await on.page.locator('#claimed-count').textContent());
    await on.page.locator('.claim').first().click();
    await expect.poll(() => on.page.locator('#claimed-count').textContent()).toBe(String(before + 1));
  }

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    corpus = await serveCorpus();
    browser = await launchChromiumWithExtension(extensionDir);
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

  it('stays on top of a z-index 2147483647 header and decoration; picks through pointer-events tricks', async () => {
    const on = await startPicking(await open(sale()));
    // The banner sits over the page's max-z-index header, and the page's own hit test says so.
    expect(await onTop(on, 'picker-banner')).toBe(true);

    // The highlight of the header's Menu button is drawn over the header, as the user sees it.
    const menu = on.page.locator('#menu-toggle');
    await menu.hover();
    await on.expectHighlightOver('#menu-toggle');
    const menuBox = (await menu.boundingBox())!;
    expect(near(await pixelAt(on.page, menuBox.x - 1.5, menuBox.y + menuBox.height / 2), HOVER_OUTLINE)).toBe(true);

    // The claim button sits in a wrapper without pointer events, under a ribbon and the full-page
    // decoration that let the pointer through: hover and pick land on the button.
    const claim = on.page.locator('#deal-bowl .claim');
    await claim.hover();
    await on.expectHighlightOver('#deal-bowl .claim');
    expect(await on.picker('picker-tooltip').textContent()).toBe('button “Claim deal”');
    await claim.click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Claim deal”');
    expect(await on.page.locator('#claimed-count').textContent()).toBe('0');
    const claimBox = (await claim.boundingBox())!;
    expect(near(await pixelAt(on.page, claimBox.x - 1.5, claimBox.y + claimBox.height / 2), PICKED_OUTLINE)).toBe(true);

    // The panel is over the decoration and usable.
    expect(await onTop(on, 'picker-save')).toBe(true);
    await on.picker('picker-mode-similar').click();
    await expect.poll(() => on.picker('picker-match-count').textContent()).toContain('Matches 3 elements');
    await saveAs(on, 'Claimed a deal');
    expect((await definition('claimed_a_deal')).trigger).toMatchObject({ element: { mode: 'similar', matchCount: 3 } });

    // The tracker fires on the page (loaded again for the new definition), though the page's own
    // handler throws after counting.
    const errors: string[] = [];
    on.page.on('pageerror', (error) => errors.push(error.message));
    await on.page.reload();
    await on.page.waitForFunction(() => 'clicktrail' in window);
    await on.page.locator('#deal-vase .claim').click();
    await expect.poll(() => events('claimed_a_deal'), { timeout: 15_000 }).toHaveLength(1);
    expect(errors).toEqual(['The sale widget failed after counting (a site bug the picker must survive).']);
    await on.page.close();
  });

  it('renders a usable panel under aggressive global CSS (it lives in a shadow root)', async () => {
    const on = await startPicking(await open(sale('?css=aggressive')));
    // The page's rules reach the page: its button is in the page's 31px Comic Sans.
    expect(await on.page.locator('#deal-mug .claim').evaluate((el) => getComputedStyle(el).fontSize)).toBe('31px');
    expect(await on.picker('picker-banner').isVisible()).toBe(true);
    expect(await onTop(on, 'picker-banner')).toBe(true);
    const claim = on.page.locator('#deal-mug .claim');
    await claim.hover();
    await on.expectHighlightOver('#deal-mug .claim');
    await claim.click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Claim deal”');
    // None of the page's !important rules, hiding rules or resets reach the panel.
    const style = await on.picker('picker-label').evaluate((el) => {
      const computed = getComputedStyle(el);
      return [computed.fontSize, computed.textTransform, computed.letterSpacing, computed.visibility];
    });
    expect(style).toEqual(['14px', 'none', 'normal', 'visible']);
    const panel = (await on.picker('picker-panel').boundingBox())!;
    expect(panel.width).toBeCloseTo(360, 1);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
    expect(panel.y + panel.height).toBeLessThanOrEqual(900);
    expect(await onTop(on, 'picker-save')).toBe(true);
    // The page transforms and filters <html> (which holds the host): the highlight still follows.
    await on.page.mouse.wheel(0, 200);
    await expect.poll(() => on.page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect
      .poll(async () => offset(await on.picker('picker-highlight').boundingBox(), await claim.boundingBox()))
      .toBeLessThan(2);
    await saveAs(on, 'Claimed under loud CSS');
    expect((await definition('claimed_under_loud_css')).trigger).toMatchObject({ kind: 'click' });
    await expectNothingLeft(on);
    await on.page.close();
  });

  it('keeps the highlights on their elements through CSS zoom, page zoom, scroll and resize', async () => {
    const on = await startPicking(await open(sale()));
    await on.page.evaluate(() => {
      document.body.style.zoom = '1.25';
    });
    const claim = on.page.locator('#deal-vase .claim');
    await claim.hover();
    await on.expectHighlightOver('#deal-vase .claim');
    await claim.click();
    await on.picker('picker-mode-similar').click();
    await expect.poll(() => on.picker('picker-match').count()).toBe(3);

    const follows = async () => {
      const picked = offset(await on.picker('picker-highlight').boundingBox(), await claim.boundingBox());
      const boxes = await on.page
        .locator('.claim')
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
      const outlines = await on
        .picker('picker-match')
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
      return Math.max(picked, ...boxes.map((box, index) => offset(box, outlines[index] ?? null)));
    };
    await expect.poll(follows).toBeLessThan(2);

    await on.page.mouse.wheel(0, 700);
    await expect.poll(() => on.page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect.poll(follows).toBeLessThan(2);

    await on.page.setViewportSize({ width: 900, height: 700 });
    await expect.poll(follows).toBeLessThan(2);

    // Zoom on the root element too (which Clicktrail's host sits in).
    await on.page.evaluate(() => {
      document.body.style.zoom = '';
      document.documentElement.style.zoom = '1.5';
    });
    await expect.poll(follows).toBeLessThan(2);
    await on.page.evaluate(() => {
      document.documentElement.style.zoom = '';
    });

    // Pinch zoom (the visual viewport), as on a touch screen.
    const cdp = await browser.context.newCDPSession(on.page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await expect.poll(follows).toBeLessThan(2);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
    await cdp.detach();

    await on.page.setViewportSize({ width: 1280, height: 900 });
    await on.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    await expectNothingLeft(on);
    await on.page.close();
  });

  it('lets a Shift-click open the site’s menu, then picks inside it', async () => {
    const on = await startPicking(await open(sale()));
    await on.page.locator('#menu-toggle').click({ modifiers: ['Shift'] });
    await expect.poll(() => on.page.locator('#sale-menu').isVisible()).toBe(true);
    const gift = on.page.locator('#sale-menu .gift-cards');
    await gift.hover();
    await on.expectHighlightOver('#sale-menu .gift-cards');
    await gift.click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on a “Gift cards”');
    // The pick neither navigated nor closed the menu.
    expect(on.page.url()).toBe(sale());
    expect(await on.page.locator('#sale-menu').isVisible()).toBe(true);
    await saveAs(on, 'Opened gift cards');
    expect((await definition('opened_gift_cards')).trigger).toMatchObject({ kind: 'click' });
    await on.page.close();
  });

  it('picks inside a modal dialog the site opens, its panel usable over the dialog', async () => {
    const on = await startPicking(await open(sale()));
    const dialog = on.page.locator('#quick-view');
    await on.page.locator('.quick-view').click({ modifiers: ['Shift'] });
    await expect.poll(() => dialog.evaluate((el) => el.matches(':modal'))).toBe(true);
    // Outside the dialog everything is inert and under it; the picker's UI is not.
    expect(await onTop(on, 'picker-banner')).toBe(true);
    const wish = dialog.locator('.wishlist');
    await wish.hover();
    await on.expectHighlightOver('#quick-view .wishlist');
    const box = (await wish.boundingBox())!;
    expect(near(await pixelAt(on.page, box.x - 1.5, box.y + box.height / 2), HOVER_OUTLINE)).toBe(true);
    await wish.click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Add to wishlist”');
    expect(await wish.textContent()).toBe('Add to wishlist');
    expect(await onTop(on, 'picker-save')).toBe(true);
    await saveAs(on, 'Wishlisted from a quick view');
    expect((await definition('wishlisted_from_a_quick_view')).trigger).toMatchObject({ kind: 'click' });
    // The dialog closes: Clicktrail's host goes back to <html>, and the site works as before.
    await dialog.locator('.close-quick-view').click();
    await expect.poll(() => dialog.evaluate((el) => (el as HTMLDialogElement).open)).toBe(false);
    await expect
      .poll(() => on.page.evaluate(() => document.querySelector('clicktrail-picker')?.parentElement?.localName))
      .toBe('html');
    await expectNothingLeft(on);
    await on.page.close();
  });

  it('survives the page removing its host element once, and picks on', async () => {
    const on = await startPicking(await open(sale()));
    await on.page.evaluate(() => document.querySelector('clicktrail-picker')?.remove());
    await on.page.locator('#deal-mug .claim').hover();
    await on.expectHighlightOver('#deal-mug .claim');
    await on.page.locator('#deal-mug .claim').click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Claim deal”');
    await on.page.evaluate(() => document.querySelector('clicktrail-picker')?.remove());
    await on.picker('picker-label').fill('Claimed after a removal');
    await on.picker('picker-save').click();
    await on.picker('picker-saved').waitFor({ timeout: 15_000 });
    await on.picker('picker-saved').getByRole('button', { name: 'Done' }).click();
    expect((await definition('claimed_after_a_removal')).trigger).toMatchObject({ kind: 'click' });
    await expectNothingLeft(on);
    await on.page.close();
  });

  it('ends cleanly on a page that keeps removing its host element, and the popup says why', async () => {
    const on = await open(sale('?strip=unknown'));
    await on.page.bringToFront();
    await popup.trackClickedElement();
    // However the picker ends here, it does not block the site's clicks or stay half-mounted.
    await expect.poll(() => on.page.locator('clicktrail-picker').count(), { timeout: 10_000 }).toBe(0);
    await expectNothingLeft(on);
    // The popup says what happened.
    expect(await popup.errorText()).toContain('This page keeps removing Clicktrail’s picker');
    await on.page.close();
  });

  it('is not disturbed by a page that redefines DOM and language globals; the tracker does not throw', async () => {
    const on = await open(sale('?globals=broken'));
    const errors: string[] = [];
    on.page.on('pageerror', (error) => errors.push(error.message));
    await startPicking(on);
    await on.page.locator('#deal-bowl .claim').hover();
    await on.expectHighlightOver('#deal-bowl .claim');
    await on.page.locator('#deal-bowl .claim').click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Claim deal”');
    await on.picker('picker-mode-similar').click();
    await expect.poll(() => on.picker('picker-match-count').textContent()).toContain('Matches 3 elements');
    await saveAs(on, 'Claimed among broken globals');
    expect((await definition('claimed_among_broken_globals')).trigger).toMatchObject({ kind: 'click' });
    await expectNothingLeft(on);
    // The site's tracker now tracks that click; its batch is due a second later, and this page's
    // JSON.stringify throws: the tracker keeps the completion and throws nothing into the page.
    await on.page.locator('#deal-bowl .claim').click();
    await on.page.waitForTimeout(2_500);
    expect(errors.filter((message) => !message.includes('sale widget failed'))).toEqual([]);
    await on.page.close();
  });

  it('follows a re-render of the hovered and of the picked element, and says when the picked one is gone', async () => {
    const on = await startPicking(await open(`${server.url}/demo/studio.html`));
    /** The studio's router re-renders its view from the URL on popstate, as a single-page app does. */
    const route = (view: string) =>
      on.page.evaluate((to) => {
        history.pushState({}, '', `?view=${to}`);
        dispatchEvent(new PopStateEvent('popstate'));
      }, view);
    const first = on.page.locator('.sign-up').first();
    await first.hover();
    await on.expectHighlightOver('.sign-up >> nth=0');
    const before = await first.elementHandle();
    await route('workshops'); // the same view, rendered again: new elements in the same places
    expect(await before.evaluate((el) => el.isConnected)).toBe(false);
    await first.click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Sign up”');

    // The picked element is replaced by the same one: the pick follows it, nothing is lost.
    await on.picker('picker-label').fill('Signed up for a workshop');
    await route('workshops');
    await expect.poll(() => first.evaluate((el) => el.isConnected)).toBe(true);
    await on.expectHighlightOver('.sign-up >> nth=0');
    expect(await on.picker('picker-label').inputValue()).toBe('Signed up for a workshop');
    expect(await on.picker('picker-panel').textContent()).not.toContain('left the page');

    // Another route: the element is gone, and the panel says so.
    await route('hours');
    await expect.poll(() => on.picker('picker-panel').textContent()).toContain('The picked element left the page');
    await route('workshops');
    await expect.poll(() => on.picker('picker-panel').textContent()).not.toContain('left the page');
    await on.expectHighlightOver('.sign-up >> nth=0');
    await on.picker('picker-save').click();
    await on.picker('picker-saved').waitFor({ timeout: 15_000 });
    await on.picker('picker-saved').getByRole('button', { name: 'Done' }).click();
    expect((await definition('signed_up_for_a_workshop')).trigger).toMatchObject({ kind: 'click' });
    await on.page.close();
  });

  it('keeps working on a real page (corpus: The New Yorker): scroll, resize, a removed host, a property, cancel', async () => {
    const on = await startPicking(await open(`${corpus.url}/postlight/www.newyorker.com.html`));
    const link = on.page
      .locator('a[href]')
      .filter({ hasText: /\w{4,}/ })
      .filter({ visible: true })
      .nth(5);
    await link.scrollIntoViewIfNeeded();
    await link.hover();
    await expect
      .poll(async () => offset(await on.picker('picker-highlight').boundingBox(), await link.boundingBox()))
      .toBeLessThan(2);
    await link.click();
    await expect.poll(() => on.picker('picker-title').textContent()).toMatch(/^Track clicks on a/);
    expect(new URL(on.page.url()).pathname).toBe('/postlight/www.newyorker.com.html');
    const follows = async () => offset(await on.picker('picker-highlight').boundingBox(), await link.boundingBox());
    await on.page.mouse.wheel(0, 400);
    await expect.poll(follows).toBeLessThan(2);
    await on.page.setViewportSize({ width: 1000, height: 700 });
    await expect.poll(follows).toBeLessThan(2);
    // A framework re-rendering <html> drops the host: it comes back with the pick as it was.
    await on.page.evaluate(() => document.querySelector('clicktrail-picker')?.remove());
    await expect.poll(() => on.page.locator('clicktrail-picker').count()).toBe(1);
    await expect.poll(follows).toBeLessThan(2);
    await on.picker('property-own-text').click();
    const property = on.picker('picker-properties').locator('.ct-property-item');
    expect(await property.getByTestId('property-preview').textContent()).toMatch(/^On this page: “.+”$/);
    await on.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    expect(await on.page.locator('clicktrail-picker [data-testid]').count()).toBe(0);
    await on.page.setViewportSize({ width: 1280, height: 900 });
    // The page's links work again (the corpus holds one page: the link leads off it).
    await link.click();
    await expect.poll(() => on.page.url()).not.toContain('www.newyorker.com.html');
    await on.page.close();
  });

  it('re-picks an event on a real page (corpus: The New Yorker) and adds a property picked from the page', async () => {
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: {
        label: 'Section opened',
        name: 'section_opened',
        trigger: {
          kind: 'click',
          url: { match: 'any' },
          element: {
            mode: 'unique',
            selector: 'a.section-link-that-was-renamed',
            quality: 'good',
            reasons: [],
            alternatives: [],
            fingerprint: { tag: 'a', attributes: {}, text: 'Magazine' },
          },
        },
      },
    });
    expect(created.status).toBe(201);
    const on = await open(`${corpus.url}/postlight/www.newyorker.com.html`);
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await panel.getByTestId('find-count').waitFor({ timeout: 15_000 });
    await on.page.bringToFront();
    await panel.getByTestId('find-search').fill('section_opened');
    const item = panel.getByTestId('event-section_opened');
    await item.getByTestId('event-trigger').click();
    await item.getByTestId('trigger-repick').click();
    await on.picker('picker-banner').waitFor({ timeout: 15_000 });

    const nav = on.page.locator('nav[aria-label="Primary"]').filter({ visible: true }).first();
    await nav.locator('a[href="/magazine"]').click();
    await expect
      .poll(() => on.picker('picker-title').textContent())
      .toBe('Re-pick “Section opened”: clicks on a “Magazine”');
    expect(await on.picker('picker-repick-compare').textContent()).toContain('finds 0 elements here');
    // The section's neighbour in the same menu, as a property read relative to the clicked link.
    await on.picker('property-pick').click();
    await on.picker('property-banner').waitFor();
    await nav.locator('a[href="/news"]').click();
    await on.picker('property-banner').waitFor({ state: 'detached' });
    const property = on.picker('picker-properties').locator('.ct-property-item');
    expect(await property.getByTestId('property-preview').textContent()).toBe('On this page: “News”');
    await property.getByTestId('property-label').fill('First section');
    await property.getByTestId('property-name').fill('first_section');
    await property.getByTestId('property-name').blur();
    await on.picker('property-first_section').waitFor();
    await on.picker('picker-save').click();
    await on.picker('picker-saved').waitFor({ timeout: 15_000 });
    await on.picker('picker-saved').getByRole('button', { name: 'Done' }).click();

    const repicked = await definition('section_opened');
    expect(repicked.properties.map((p) => [p.name, p.label, p.type])).toEqual([
      ['first_section', 'First section', 'string'],
    ]);
    expect(repicked.trigger).toMatchObject({
      kind: 'click',
      properties: [{ name: 'first_section', source: { kind: 'relative' } }],
    });
    const selector = repicked.trigger?.kind === 'click' ? repicked.trigger.element.selector : '';
    expect(await on.page.locator(selector).evaluateAll((els) => els.map((el) => el.getAttribute('href')))).toEqual([
      '/magazine',
    ]);
    await panel.close();
    await on.page.close();
  });

  it('meets bad input with a clear message in the panel, never a broken picker; the tracker skips what it cannot evaluate', async () => {
    const on = await startPicking(await open(sale()));
    await on.page.locator('#deal-mug .claim').click();
    await on.picker('picker-mode-similar').click();
    await expect.poll(() => on.picker('picker-match-count').textContent()).toContain('Matches 3 elements');
    await on.picker('picker-label').fill('Claimed with its name');

    // A URL regex that does not compile, then one that would backtrack catastrophically.
    await on.picker('url-match').selectOption('regex');
    await on.picker('url-value').fill('/demo/flash-sale\\.html(');
    expect(await on.picker('url-check').textContent()).toContain('does not compile');
    expect(await on.picker('picker-save').isDisabled()).toBe(true);
    await on.picker('url-value').fill('^(\\w+\\s?)*$');
    expect(await on.picker('url-check').textContent()).toContain('exponential time');
    expect(await on.picker('picker-save').isDisabled()).toBe(true);
    await on.picker('url-value').fill('/demo/flash-sale\\.html$');
    expect(await on.picker('url-check').textContent()).toBe('This page matches the rule.');

    // A text condition whose regex does not compile.
    await on.picker('condition-text-on').check();
    await on.picker('condition-text-operator').selectOption('regex');
    await on.picker('condition-text-value').fill('claim (deal');
    expect(await on.picker('condition-text-error').textContent()).toContain('does not compile');
    expect(await on.picker('picker-save').isDisabled()).toBe(true);
    await on.picker('condition-text-on').uncheck();

    // A property pick of the clicked element itself: said, and the picker goes on.
    await on.picker('property-pick').click();
    await on.picker('property-banner').waitFor();
    await on.page.locator('#deal-mug .claim').click();
    await on.picker('property-banner').waitFor({ state: 'detached' });
    expect(await on.picker('property-error').textContent()).toBe(
      'That is the clicked element itself: use “Its text” instead.',
    );
    // The card's name, then the page drops it: the preview says there is no value here.
    await on.picker('property-pick').click();
    await on.page.locator('#deal-mug h3').click();
    await on.picker('property-banner').waitFor({ state: 'detached' });
    const property = on.picker('picker-properties').locator('.ct-property-item');
    expect(await property.getByTestId('property-preview').textContent()).toBe('On this page: “Speckled mug”');
    await property.getByTestId('property-name').fill('deal_name');
    await property.getByTestId('property-name').blur();
    await on.page.evaluate(() => document.querySelector('#deal-mug h3')?.remove());
    await expect.poll(() => property.getByTestId('property-preview').textContent()).toMatch(/^No value here: /);
    expect(await on.picker('picker-save').isDisabled()).toBe(false);
    await on.picker('picker-save').click();
    await on.picker('picker-saved').waitFor({ timeout: 15_000 });
    await on.picker('picker-saved').getByRole('button', { name: 'Done' }).click();
    expect((await definition('claimed_with_its_name')).trigger).toMatchObject({
      url: { match: 'regex', value: '/demo/flash-sale\\.html$' },
      properties: [{ name: 'deal_name', source: { kind: 'relative', selector: 'h3' } }],
    });

    // Definitions the tracker cannot evaluate (a selector that is not CSS, a property whose
    // container is not CSS), stored through the API, which does not parse selectors.
    const broken = (selector: string) => ({
      mode: 'unique',
      selector,
      quality: 'good',
      reasons: [],
      alternatives: [{ selector: '.claim[[', quality: 'fragile', reasons: [] }],
      fingerprint: { tag: 'button', attributes: {}, text: 'Claim deal' },
    });
    for (const [name, trigger] of [
      ['broken_selector', { kind: 'click', url: { match: 'any' }, element: broken('button.claim[[') }],
      [
        'broken_property',
        {
          kind: 'click',
          url: { match: 'any' },
          element: { ...broken('#deal-vase .claim'), alternatives: [] },
          properties: [
            { name: 'deal_name', type: 'string', source: { kind: 'relative', container: 'li[[', selector: 'h3' } },
          ],
        },
      ],
    ] as const) {
      const created = await server.api('/events/v3/event-definitions', {
        method: 'POST',
        json: {
          label: name,
          name,
          trigger,
          propertyDefinitions: name === 'broken_property' ? [{ name: 'deal_name', label: 'Deal', type: 'string' }] : [],
        },
      });
      expect(created.status).toBe(201);
    }
    const errors: string[] = [];
    on.page.on('pageerror', (error) => errors.push(error.message));
    await on.page.reload();
    await on.page.waitForFunction(() => 'clicktrail' in window);
    await on.page.locator('#deal-bowl .claim').click();
    await on.page.locator('#deal-vase .claim').click();
    await expect.poll(() => events('claimed_with_its_name'), { timeout: 15_000 }).toHaveLength(2);
    expect((await events('claimed_with_its_name')).map((e) => e.properties.deal_name).sort()).toEqual([
      'Rain-glaze bowl',
      'Tall bud vase',
    ]);
    // The one with a broken property fires without it; the broken selector fires for nothing.
    await expect.poll(() => events('broken_property'), { timeout: 15_000 }).toHaveLength(1);
    expect((await events('broken_property'))[0]!.properties.deal_name).toBeUndefined();
    expect(await events('broken_selector')).toEqual([]);
    expect(errors.every((message) => message.includes('sale widget failed'))).toBe(true);
    await on.page.close();
  });

  it('leaves one picker when its content script is injected again: the older one removes everything', async () => {
    const on = await startPicking(await open(sale()));
    await on.page.locator('#deal-mug .claim').click();
    await on.picker('picker-panel').waitFor();
    // As after an update of the extension: a newer copy of the content script starts in the tab.
    const worker = browser.context.serviceWorkers()[0]!;
    await worker.evaluate(`(async () => {
      const [tab] = await chrome.tabs.query({ url: ${JSON.stringify(on.page.url())} });
      await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: ['/content-scripts/picker.js'] });
    })()`);
    await expect.poll(() => on.page.locator('clicktrail-picker').count()).toBe(1);
    expect(await on.picker('picker-panel').count()).toBe(0);
    await expectNothingLeft(on);
    // The new one answers.
    await startPicking(on);
    await on.page.locator('#deal-vase .claim').click();
    expect(await on.picker('picker-title').textContent()).toBe('Track clicks on button “Claim deal”');
    expect(await on.page.locator('clicktrail-picker').count()).toBe(1);
    await on.picker('picker-panel').getByRole('button', { name: 'Cancel' }).click();
    await expectNothingLeft(on);
    await on.page.close();
  });

  it('removes everything when the extension is reloaded', async () => {
    // Its own browser: Chromium does not load a command-line extension back after
    // chrome.runtime.reload() (tried here: neither by itself nor with CDP Extensions.loadUnpacked).
    const own = await launchChromiumWithExtension(requireBuild(CHROME_BUILD));
    try {
      const ownPopup = new PopupPage(await own.context.newPage());
      await ownPopup.page.goto(`chrome-extension://${own.extensionId}/popup.html`);
      await ownPopup.connect(server.url, server.apiKey);
      await ownPopup.expectConnected();
      const on = new DemoPage(await own.context.newPage());
      await on.page.goto(sale());
      await on.page.bringToFront();
      await ownPopup.trackClickedElement();
      await on.picker('picker-banner').waitFor({ timeout: 15_000 });
      await on.page.locator('#deal-mug .claim').click();
      await on.picker('picker-panel').waitFor();
      // The extension reloads (as on an update, or the user's reload in chrome://extensions); its
      // content script in the page is orphaned and hears nothing more from it.
      const worker = own.context.serviceWorkers()[0]!;
      await worker.evaluate('chrome.runtime.reload()').catch(() => undefined);
      await expect.poll(() => on.page.locator('clicktrail-picker').count(), { timeout: 10_000 }).toBe(0);
      await expectNothingLeft(on);
    } finally {
      await own.close();
    }
  });
});
