import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { eventDefinitionSchema, type EventDefinition } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { FIREFOX_BUILD, requireBuild } from './support/extension-builds';
import { launchFirefoxWithExtension, openExtensionPage, type FirefoxWithExtension } from './support/firefox';

const PRODUCTS = '/demo/products.html';
const testId = (id: string) => `[data-testid="${id}"]`;

describe('Firefox ESR: creating and editing an event in the sidebar’s events workspace', () => {
  let server: TestServer;
  let firefox: FirefoxWithExtension;
  let demo: Page;
  let panel: Page;
  const stored = async (name: string): Promise<EventDefinition> =>
    eventDefinitionSchema.parse(await (await server.api(`/events/v3/event-definitions/${name}`)).json());
  const textOf = (selector: string) => panel.$eval(selector, (element) => element.textContent);
  // Element handles rather than locators: a locator waits for its element to hold still over
  // animation frames, which Firefox throttles in a tab behind the one in front (the demo shop).
  const click = async (selector: string) => (await panel.waitForSelector(selector))!.click();
  const fillIn = async (selector: string, value: string) => {
    const input = (await panel.waitForSelector(selector))!;
    await input.evaluate((element) => (element as HTMLInputElement).select());
    await input.type(value);
    await expect.poll(() => input.evaluate((element) => (element as HTMLInputElement).value)).toBe(value);
  };

  beforeAll(async () => {
    const extensionDir = requireBuild(FIREFOX_BUILD);
    server = await startTestServer('sqlite');
    firefox = await launchFirefoxWithExtension(extensionDir);
    const popup = await openExtensionPage(firefox, '/popup.html', testId('connect-form'));
    await popup.locator('input[name="baseUrl"]').fill(server.url);
    await popup.locator('input[name="apiKey"]').fill(server.apiKey);
    await popup.locator('button[type="submit"]').click();
    const status = await popup.waitForSelector(testId('connection-status'), { timeout: 15_000 });
    expect(await status?.evaluate((element) => element.textContent)).toContain('Default portal');
    await popup.close();
    demo = await firefox.browser.newPage();
    await demo.goto(`${server.url}${PRODUCTS}`);
    // Firefox's sidebar page, opened as a tab; the demo shop is then put back in front, as the
    // panel's "this page" is the tab in front.
    panel = await openExtensionPage(firefox, '/sidepanel.html', testId('find-count'));
    await demo.bringToFront();
  }, 120_000);

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('creates a page-view event through the New event form, with the live URL check', async () => {
    await click(testId('new-event'));
    await click(testId('new-kind-pageview'));
    await panel.waitForSelector(`${testId('new-kind-pageview')}:checked`);
    await fillIn(testId('new-label'), 'Saw the shop');
    await panel.select(testId('url-match'), 'regex');
    await fillIn(testId('url-value'), '(a+)+$');
    await expect.poll(() => textOf(testId('url-check'))).not.toContain('matches the rule');
    await panel.select(testId('url-match'), 'path');
    await fillIn(testId('url-value'), PRODUCTS);
    // The live check runs against the demo shop in front of the panel.
    await expect.poll(() => textOf(testId('url-check')), { timeout: 15_000 }).toBe('This page matches the rule.');
    await click(testId('new-event-save'));
    const created = await panel.waitForSelector(testId('new-event-created'), { timeout: 15_000 });
    expect(await created!.evaluate((element) => element.textContent)).toContain('saw_the_shop');
    expect(await stored('saw_the_shop')).toMatchObject({
      label: 'Saw the shop',
      trackingType: 'VISITED_URL',
      trigger: { kind: 'pageview', url: { match: 'path', value: PRODUCTS } },
      properties: [],
    });
    await click(testId('new-event-close'));
    await panel.waitForSelector(testId('new-event-created'), { hidden: true });
  });

  it('adds a property to it in the panel, and the API has it', async () => {
    // Editing does not concern the page in front: the panel comes to the front, where Firefox
    // renders it at full speed.
    await panel.bringToFront();
    const item = testId('event-saw_the_shop');
    await fillIn(testId('find-search'), 'saw the shop');
    await click(`${item} ${testId('event-properties')}`);
    await panel.waitForSelector(testId('properties-editor'));
    await click(testId('property-add'));
    await fillIn(testId('property-label'), 'Coupon code');
    await expect
      .poll(() => panel.$eval(testId('property-name'), (input) => (input as HTMLInputElement).value))
      .toBe('coupon_code');
    await panel.select(testId('property-type'), 'string');
    await fillIn(testId('property-description'), 'The code typed at checkout');
    await click(testId('property-save'));
    const property = await panel.waitForSelector(testId('property-coupon_code'), { timeout: 15_000 });
    expect(await property!.evaluate((element) => element.textContent)).toContain('Coupon code');
    await panel.waitForSelector(testId('property-form'), { hidden: true });
    expect((await stored('saw_the_shop')).properties).toMatchObject([
      { name: 'coupon_code', label: 'Coupon code', type: 'string', description: 'The code typed at checkout' },
    ]);
  });
});
