import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDefinitionSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { DemoPage, PopupPage } from './support/pages';

const SUBMIT_TRACKER = [
  "document.addEventListener('submit', function (event) {",
  "  if (event.target.id !== 'contact-form') return;",
  '  clicktrail.track(%NAME%, { topic: event.target.topic.value });',
  '});',
].join('\n');

describe('Chromium: write custom code for an event in the side panel', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let panel: Page;
  let eventName: string;
  const item = () => panel.getByTestId('event-contact_form_sent');
  const editor = () => panel.getByTestId('code-editor-content');
  /** Replaces the editor's text the way a user pasting would. */
  const replaceCode = async (code: string) => {
    await editor().click();
    await panel.keyboard.press('Control+A');
    await panel.keyboard.insertText(code);
  };

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    eventName = `pe${server.bootstrap.portal.id}_contact_form_sent`;
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: {
        label: 'Contact form sent',
        trackingType: 'CUSTOM_SCRIPT',
        propertyDefinitions: [{ name: 'topic', label: 'Topic', type: 'string' }],
      },
    });
    expect(created.status).toBe(201);
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await item().waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts from the generated track call with the event’s properties', async () => {
    await item().getByTestId('event-code').click();
    await expect
      .poll(() => editor().innerText())
      .toBe(`clicktrail.track('${eventName}', {\n  topic: '', // Topic (string)\n});`);
    await expect.poll(() => panel.getByTestId('code-status').textContent()).toContain('Valid JavaScript');
  });

  it('shows where code stops parsing, and will not save it', async () => {
    await replaceCode("document.addEventListener('submit', function (event) {");
    await expect
      .poll(() => panel.getByTestId('code-status').textContent())
      .toMatch(/^Line 1, column \d+: Unexpected token/);
    expect(await panel.getByTestId('code-save').isDisabled()).toBe(true);
    // The same message sits on the code in the editor.
    await panel.locator('.cm-lint-marker-error').first().waitFor();
  });

  it('runs unsaved code on the page in front through test mode: shows what it would send, sends nothing', async () => {
    const site = new DemoPage(await browser.context.newPage());
    await site.page.goto(`${server.url}/demo/contact.html`);
    await site.page.waitForFunction(() => 'clicktrail' in window);
    await replaceCode(SUBMIT_TRACKER.replace('%NAME%', `'${eventName}'`));
    await site.page.bringToFront();
    await panel.getByTestId('code-dry-run').click();
    await expect
      .poll(() => panel.getByTestId('code-dry-run-result').textContent(), { timeout: 15_000 })
      .toContain('Ran once on the page in front');
    await site.picker('testmode').waitFor({ timeout: 15_000 });
    await site.page.fill('#name', 'Ada');
    await site.page.fill('#email', 'ada@example.com');
    await site.page.selectOption('#topic', 'Wholesale');
    await site.page.click('button[type=submit]');
    const toast = site.picker('testmode-entry').first();
    await expect.poll(() => toast.textContent()).toContain('Custom code of Contact form sent would send');
    expect(await toast.textContent()).toContain(`clicktrail.track('${eventName}')`);
    expect(await toast.textContent()).toContain('topicWholesale');
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=${eventName}`);
    expect(((await response.json()) as { results: unknown[] }).results).toEqual([]);
    await site.page.close();
  });

  it('says so when a page’s Content-Security-Policy forbids running the code there', async () => {
    const site = await browser.context.newPage();
    await site.route('**/demo/products.html', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" },
      });
    });
    await site.goto(`${server.url}/demo/products.html`);
    await site.bringToFront();
    await panel.getByTestId('code-dry-run').click();
    await expect
      .poll(() => panel.getByTestId('code-dry-run-result').textContent(), { timeout: 15_000 })
      .toContain('Content-Security-Policy does not let the extension run code here');
    await site.close();
  });

  it('saves code that tracks the demo’s contact form, which then fires on the site', async () => {
    await replaceCode(SUBMIT_TRACKER.replace('%NAME%', `'${eventName}'`));
    await expect.poll(() => panel.getByTestId('code-status').textContent()).toContain('Valid JavaScript');
    await panel.getByTestId('code-save').click();
    await panel.getByTestId('custom-code-form').waitFor({ state: 'detached' });
    const stored = eventDefinitionSchema.parse(
      await (await server.api('/events/v3/event-definitions/contact_form_sent')).json(),
    );
    expect(stored.customCode).toBe(SUBMIT_TRACKER.replace('%NAME%', `'${eventName}'`));
    await expect
      .poll(() => item().getByTestId('code-errors').textContent())
      .toBe('No errors from its code in the last 7 days.');

    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/contact.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.fill('#name', 'Ada');
    await site.fill('#email', 'ada@example.com');
    await site.selectOption('#topic', 'Wholesale');
    await site.click('button[type=submit]');
    const completions = async () => {
      const response = await server.api(`/events/v3/events?objectType=contact&eventType=${eventName}`);
      return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
    };
    await expect.poll(completions, { timeout: 15_000 }).toHaveLength(1);
    expect((await completions())[0]!.properties.topic).toBe('Wholesale');
    await site.close();
  });

  it('keeps the history of the code with the API key that changed it', async () => {
    await item().getByTestId('event-code').click();
    await panel.getByRole('button', { name: 'History' }).click();
    const history = panel.getByTestId('code-history');
    await history.waitFor();
    expect(await history.locator('summary').first().textContent()).toMatch(/^Version 2, just now, by key ct_/);
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.getByTestId('custom-code-form').waitFor({ state: 'detached' });
  });

  it('pauses an event, which takes its code off the site, and resumes it', async () => {
    await item().getByTestId('event-pause').click();
    await item().getByTestId('event-paused').waitFor();
    const config = (await (await fetch(`${server.url}/t/${server.bootstrap.portal.id}/config`)).json()) as {
      customScript?: string;
    };
    expect(config.customScript).toBeUndefined();
    await item().getByTestId('event-pause').click();
    await item().getByTestId('event-paused').waitFor({ state: 'detached' });
    expect(
      eventDefinitionSchema.parse(await (await server.api('/events/v3/event-definitions/contact_form_sent')).json())
        .paused,
    ).toBe(false);
  });
});
