import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dateOfDayNumber, todayIn } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

/** The side panel's Analyze and Contact tabs. */
class AnalyticsPanel {
  constructor(readonly page: Page) {}

  async openTab(name: 'analyze' | 'contact') {
    await this.page.getByTestId(`tab-${name}`).click();
  }

  totals(eventName: string) {
    return this.page.getByTestId(`totals-${eventName}`);
  }
}

describe('Chromium: the Analyze and Contact views of the side panel', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let panel: AnalyticsPanel;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    const portalId = server.bootstrap.portal.id;
    for (const json of [
      {
        label: 'Signed up',
        propertyDefinitions: [
          {
            name: 'plan',
            label: 'Plan',
            type: 'enumeration',
            options: [
              { label: 'Free plan', value: 'free' },
              { label: 'Pro plan', value: 'pro' },
            ],
          },
        ],
      },
      { label: 'Paid' },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);
    }
    // Seeded within the last few days (noon UTC, so inside "last 30 days" in any browser zone):
    // 5 sign-ups by 3 contacts, 2 payments by 2 contacts.
    const today = todayIn('UTC');
    const day = (daysAgo: number) => `${dateOfDayNumber(today - daysAgo)}T12:00:00Z`;
    const fqn = (name: string) => `pe${portalId}_${name}`;
    const inputs = [
      { eventName: fqn('signed_up'), email: 'ada@example.com', occurredAt: day(3), properties: { plan: 'free' } },
      { eventName: fqn('signed_up'), email: 'ada@example.com', occurredAt: day(2), properties: { plan: 'pro' } },
      { eventName: fqn('signed_up'), email: 'bob@example.com', occurredAt: day(2), properties: { plan: 'pro' } },
      { eventName: fqn('signed_up'), email: 'cy@example.com', occurredAt: day(1), properties: { plan: 'free;pro' } },
      { eventName: fqn('signed_up'), email: 'cy@example.com', occurredAt: day(1) },
      { eventName: fqn('paid'), email: 'ada@example.com', occurredAt: day(1) },
      { eventName: fqn('paid'), email: 'bob@example.com', occurredAt: day(1) },
    ];
    const sent = await server.api('/events/v3/send/batch', { method: 'POST', json: { inputs } });
    expect(sent.status, await sent.clone().text()).toBe(204);

    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    panel = new AnalyticsPanel(page);
    await page.getByTestId('tab-analyze').waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('charts the chosen events with totals equal to the seeded data', async () => {
    await panel.openTab('analyze');
    const page = panel.page;
    await panel.totals('signed_up').waitFor({ timeout: 15_000 });
    expect(await panel.totals('signed_up').getByTestId('total-completions').textContent()).toBe('5');
    expect(await panel.totals('signed_up').getByTestId('total-unique').textContent()).toBe('3');
    // uPlot drew the chart: a canvas with the legend naming the event.
    const chart = page.getByTestId('series-chart');
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await chart.locator('.u-legend').textContent()).toContain('Signed up');
    expect(await chart.getAttribute('aria-label')).toContain('Signed up: 5 completions');

    await page.getByTestId('analyze-event-paid').check();
    await panel.totals('paid').waitFor();
    expect(await panel.totals('paid').getByTestId('total-completions').textContent()).toBe('2');
    expect(await chart.locator('.u-legend').textContent()).toContain('Paid');

    await page.getByTestId('analyze-unique').check();
    await expect.poll(() => chart.getAttribute('aria-label')).toContain('Signed up: 3 unique contacts');

    // The cursor over the plot shows a tooltip with the hovered day's values.
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    await expect.poll(() => chart.getByTestId('chart-tooltip').textContent()).toContain('Signed up');
  });

  it('breaks the event down by an enumeration, by option label', async () => {
    const breakdown = panel.page.getByTestId('breakdown');
    await expect.poll(() => breakdown.locator('tbody').textContent(), { timeout: 15_000 }).toContain('Pro plan');
    const rows = await breakdown.locator('tbody tr').allTextContents();
    expect(rows).toEqual(['Pro plan33', 'Free plan22', 'Not set11']);
  });

  it('shows the funnel of two events', async () => {
    const funnel = panel.page.getByTestId('funnel-table');
    await funnel.waitFor({ timeout: 15_000 });
    const rows = await funnel.locator('tbody tr').allTextContents();
    // Signed up → Paid within 7 days: ada and bob of the 3 who signed up.
    expect(rows).toEqual(['1. Signed up3—100%', '2. Paid266.7%66.7%']);
  });

  it('finds a contact by email and lists their completions, filterable by event', async () => {
    await panel.openTab('contact');
    const page = panel.page;
    await page.getByTestId('contact-email').fill('Ada@Example.com');
    await page.getByTestId('contact-email').press('Enter');
    await page.getByTestId('timeline').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('contact-summary').textContent()).toContain('ada@example.com');
    const entries = page.getByTestId('timeline-entry');
    expect(await entries.locator('summary strong').allTextContents()).toEqual(['Paid', 'Signed up', 'Signed up']);
    await entries.nth(1).locator('summary').click();
    expect(await entries.nth(1).locator('dl').textContent()).toContain('PlanPro plan');

    await page.getByText('Filter by event').click();
    await page.getByTestId('contact-filter-paid').check();
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain('Paid');

    await page.getByTestId('contact-email').fill('nobody@example.com');
    await page.getByTestId('contact-find').click();
    await page.getByTestId('contact-none').waitFor();
  });
});
