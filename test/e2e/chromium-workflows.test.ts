import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { workflowListSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { addToCartTrigger } from './support/demo-triggers';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

/** The click event the workflow listens to: the speckled mug's "Add to cart" on the demo site. */
const clickTrigger = addToCartTrigger('mug-speckled');

describe('Chromium: a workflow made in the side panel posts its webhook after a click on the demo site', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let browser: ChromiumWithExtension;
  let panel: Page;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    receiver = await startWebhookReceiver();
    // The local receiver is on 127.0.0.1: this server allows private-network webhooks.
    server = await startTestServer('sqlite', { workflows: { allowPrivateNetwork: true, pollIntervalMs: 100 } });
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Added the mug', name: 'added_the_mug', trigger: clickTrigger },
    });
    expect(created.status).toBe(201);
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it('creates the workflow in the panel, refuses an invalid draft, and turns it on', async () => {
    await panel.getByRole('tab', { name: 'Workflows' }).click();
    await panel.getByText('No workflows yet.').waitFor({ timeout: 15_000 });
    await panel.getByTestId('workflow-new').click();
    // An empty name is refused by the shared schema before anything is sent.
    await panel.getByTestId('workflow-save').click();
    await expect.poll(() => panel.getByTestId('error').textContent()).toContain('name');

    await panel.getByTestId('workflow-name').fill('Mug buyers to the CRM');
    await panel.getByTestId('trigger-event').selectOption('added_the_mug');
    await panel.getByTestId('add-webhook-steps').click();
    await panel.getByTestId('webhook-url').fill(receiver.url('/mug'));
    await panel.getByTestId('workflow-save').click();
    await panel.getByTestId('workflow-editor').waitFor({ state: 'detached' });

    const [workflow] = workflowListSchema.parse(await (await server.api('/automation/v1/workflows')).json()).results;
    expect(workflow).toMatchObject({ name: 'Mug buyers to the CRM', enabled: false });
    const item = panel.getByTestId(`workflow-${workflow!.id}`);
    // A controlled switch: it flips once the server has the change.
    await item.getByTestId('workflow-enabled').click();
    await expect.poll(() => item.getByTestId('workflow-enabled').isChecked()).toBe(true);
    await expect.poll(async () => (await item.textContent()) ?? '').toContain('On');

    await item.getByTestId('workflow-test').click();
    await expect.poll(() => item.getByTestId('workflow-test-result').textContent()).toMatch(/Test sent: HTTP 200/);
    expect(receiver.at('/mug').at(-1)!.json).toMatchObject({ test: true });
  });

  it('posts the webhook after a click on the demo site and shows it in the delivery log', async () => {
    receiver.reset();
    const site = await browser.context.newPage();
    await site.goto(`${server.url}/demo/products.html`);
    await site.waitForFunction(() => 'clicktrail' in window);
    await site.locator('button[data-product-id="mug-speckled"]').click();
    const [hook] = await receiver.waitFor(1, 20_000);
    expect(hook!.json).toMatchObject({
      step: { id: 's1' },
      completion: { eventName: `pe${server.bootstrap.portal.id}_added_the_mug` },
    });
    expect(hook!.headers['x-clicktrail-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await site.close();

    await panel.getByRole('button', { name: 'Refresh' }).last().click();
    await expect.poll(() => panel.getByTestId('workflow-counts').textContent()).toContain('1 enrolled');
    await panel.getByTestId('workflow-log').click();
    await expect.poll(() => panel.getByTestId('delivery-status').first().textContent()).toBe('succeeded');
  });
});
