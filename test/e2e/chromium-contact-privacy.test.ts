import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { contactExportSchema, contactSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { addToCartTrigger } from './support/demo-triggers';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

/** The speckled mug's "Add to cart" on the demo site: the event that enrols in the workflow. */
const clickTrigger = addToCartTrigger('mug-speckled');
const EMAIL = 'mia@example.com';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** The Contact tab of the side panel. */
class ContactPanel {
  constructor(readonly page: Page) {}

  async find(email: string) {
    await this.page.getByRole('tab', { name: 'Contact' }).click();
    await this.page.getByTestId('contact-email').fill(email);
    await this.page.getByTestId('contact-find').click();
  }
}

describe('Chromium: the Contact view exports, erases and lists workflow enrolments', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let browser: ChromiumWithExtension;
  let panel: ContactPanel;
  let portalId: number;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    receiver = await startWebhookReceiver();
    server = await startTestServer('sqlite', { workflows: { allowPrivateNetwork: true, pollIntervalMs: 100 } });
    portalId = server.bootstrap.portal.id;
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Added the mug', name: 'added_the_mug', trigger: clickTrigger },
    });
    expect(created.status).toBe(201);
    const workflow = await server.api('/automation/v1/workflows', {
      method: 'POST',
      json: {
        name: 'Mug buyers to the CRM',
        enabled: true,
        triggers: [{ eventName: 'added_the_mug' }],
        steps: [{ type: 'webhook', url: receiver.url('/mug') }],
      },
    });
    expect(workflow.status, await workflow.clone().text()).toBe(201);
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await page.getByRole('tab', { name: 'Contact' }).waitFor({ timeout: 15_000 });
    panel = new ContactPanel(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it('lists the workflow a click on the demo site enrolled the contact in, with its status and steps', async () => {
    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.evaluate((email) => {
      (window as unknown as { clicktrail: { identify(identity: { email: string }): void } }).clicktrail.identify({
        email,
      });
    }, EMAIL);
    await site.locator('button[data-product-id="mug-speckled"]').click();
    await receiver.waitFor(1, 20_000);
    await site.close();

    await panel.find(EMAIL);
    const enrolment = panel.page.getByTestId('enrolment');
    // The webhook arrived; the step is recorded as done once its delivery is stored.
    await expect
      .poll(
        async () => {
          await panel.page.getByTestId('contact-find').click();
          await enrolment.first().waitFor({ timeout: 10_000 });
          return enrolment.first().getByTestId('enrolment-status').textContent();
        },
        { timeout: 20_000 },
      )
      .toBe('Finished');
    expect(await enrolment.count()).toBe(1);
    expect(await enrolment.first().locator('summary strong').textContent()).toBe('Mug buyers to the CRM');
    expect(await enrolment.first().getByTestId('enrolment-steps').textContent()).toMatch(/^1 step done · enrolled /);
    await enrolment.first().locator('summary').click();
    const history = await enrolment.first().locator('.enrolment-history li').allTextContents();
    expect(history[0]).toContain('Enrolled');
    expect(history.at(-1)).toContain('Finished');
  });

  it('exports everything stored about the contact as JSON', async () => {
    await panel.page.getByTestId('timeline-entry').first().waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([
      panel.page.waitForEvent('download'),
      panel.page.getByTestId('contact-export').click(),
    ]);
    const contact = contactSchema.parse(
      await (await server.api(`/contacts/v1/contacts?${new URLSearchParams({ email: EMAIL })}`)).json(),
    );
    expect(download.suggestedFilename()).toBe(`contact-${contact.id}-export.json`);
    const exported = contactExportSchema.parse(JSON.parse(fs.readFileSync(await download.path(), 'utf8')));
    expect(exported.contact).toMatchObject({ id: contact.id, email: EMAIL });
    expect(exported.visitorTokens).toHaveLength(1);
    expect(exported.completions.map((completion) => completion.eventType)).toEqual([`pe${portalId}_added_the_mug`]);
  });

  it('erases the contact after a confirmation naming it, and the view shows it is gone', async () => {
    const page = panel.page;
    await page.getByTestId('contact-erase').click();
    const dialog = page.getByRole('alertdialog', { name: `Erase ${EMAIL}` });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(`Erase ${EMAIL}?`);
    expect(text).toContain('every completion');
    expect(text).toContain('visitor tokens');
    // Focus starts on the safe choice: Enter keeps the contact.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('contact-summary').textContent()).toContain(EMAIL);

    await page.getByTestId('contact-erase').click();
    await dialog.getByTestId('contact-erase-confirm').click();
    await expect
      .poll(() => page.getByTestId('contact-erased').textContent(), { timeout: 15_000 })
      .toContain(`${EMAIL} was erased`);
    expect(await page.getByTestId('contact-summary').count()).toBe(0);

    const lookup = await server.api(`/contacts/v1/contacts?${new URLSearchParams({ email: EMAIL })}`);
    expect(lookup.status).toBe(404);
    await page.getByTestId('contact-find').click();
    await page.getByTestId('contact-none').waitFor({ timeout: 15_000 });
  });

  it('shows in Analyze how many completions were dropped as bots', async () => {
    for (let index = 0; index < 2; index++) {
      const response = await fetch(`${server.url}/t/${portalId}/collect`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'User-Agent': GOOGLEBOT, Origin: server.url },
        body: JSON.stringify({
          utk: 'botTokenAAAAAAAAAAAAA1',
          events: [
            {
              eventName: `pe${portalId}_added_the_mug`,
              occurredAt: new Date().toISOString(),
              uuid: `bot-${index}-aaaaaaaa`,
              properties: {},
            },
          ],
        }),
      });
      expect(response.status).toBe(200);
    }
    await panel.page.getByRole('tab', { name: 'Analyze' }).click();
    await expect.poll(() => panel.page.getByTestId('bot-count').textContent(), { timeout: 15_000 }).toBe('2');
  });
});
