import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { DemoPage } from './support/pages';

/**
 * The main path with the browser in Swedish: the popup, its errors and the picker overlay speak
 * Swedish (locales/sv.yml), the same steps as chromium-track-click.test.ts; then each view of the
 * side panel with its Swedish texts, dates and numbers.
 */
describe('Chromium in Swedish: connect, pick, name and save', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let demo: DemoPage;
  let popup: Page;

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    browser = await launchChromiumWithExtension(extensionDir, { locale: 'sv-SE' });
    const demoPage = await browser.context.newPage();
    await demoPage.goto(`${server.url}/demo/products.html`);
    demo = new DemoPage(demoPage);
    popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const connect = async (apiKey: string) => {
    await popup.getByLabel('Serverns URL').fill(server.url);
    await popup.getByLabel('API-nyckel', { exact: true }).fill(apiKey);
    await popup.getByRole('button', { name: 'Anslut' }).click();
  };

  it('shows the popup in Swedish and marks its language', async () => {
    await popup.getByTestId('connect-form').waitFor({ timeout: 15_000 });
    expect(await popup.getByTestId('connect-form').textContent()).toContain(
      'Anslut till din Clicktrail-server för att definiera händelser på din webbplats.',
    );
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('sv-SE');
  });

  it('explains a wrong API key in Swedish (an error made in the background)', async () => {
    await connect('ct_wrong_key');
    await expect
      .poll(() => popup.getByRole('alert').textContent({ timeout: 15_000 }))
      .toContain('Servern godtog inte API-nyckeln.');
  });

  it('connects and says so in Swedish', async () => {
    await connect(server.apiKey);
    const status = popup.getByTestId('connection-status');
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toMatch(/^Ansluten till Default portal \(portal \d+\)/);
    expect(await popup.getByRole('button', { name: 'Spåra klickat element' }).isVisible()).toBe(true);
  });

  it('picks the "Add to cart" button with the overlay in Swedish, names the event and saves it', async () => {
    await demo.page.bringToFront();
    await popup.getByRole('button', { name: 'Spåra klickat element' }).click();
    await demo.picker('picker-banner').waitFor({ timeout: 15_000 });
    expect(await demo.picker('picker-banner').textContent()).toBe(
      'Clicktrail — klicka på elementet som ska spåras. Skift+klick använder webbplatsen; Esc avbryter.Avbryt',
    );

    await demo.addToCart('bowl-rain').hover();
    await demo.expectHighlightOver('button[data-product-id="bowl-rain"]');
    expect(await demo.picker('picker-tooltip').textContent()).toBe('button ”Add to cart”');

    await demo.addToCart('bowl-rain').click();
    await demo.picker('picker-panel').waitFor();
    expect(await demo.cartCount()).toBe('0');
    expect(await demo.picker('picker-title').textContent()).toBe('Spåra klick på button ”Add to cart”');
    expect(await demo.picker('picker-match-count').textContent()).toMatch(/^Matchar 1 element på den här sidan/);
    expect(await demo.picker('url-check').textContent()).toBe('Den här sidan matchar regeln.');
    expect(await demo.picker('picker-label').inputValue()).toBe('Klick på Add to cart');
    expect(await demo.picker('picker-save').textContent()).toBe('Spara händelsen');

    await demo.picker('picker-label').fill('Lägg i varukorgen: skål');
    await demo.picker('picker-save').click();
    await demo.picker('picker-saved').waitFor({ timeout: 15_000 });
    const saved = (await demo.picker('picker-saved').textContent()) ?? '';
    expect(saved).toContain('Sparade Lägg i varukorgen: skål');
    expect(saved).toMatch(/Internt namn \S+ · API-namn /);
  });

  it('stored the event under the Swedish label', async () => {
    const response = await server.api('/events/v3/event-definitions');
    const body = (await response.json()) as { results: { label: string }[] };
    expect(body.results.map((result) => result.label)).toEqual(['Lägg i varukorgen: skål']);
  });

  describe('the side panel in Swedish', () => {
    let panel: Page;
    const tab = (name: string) => panel.getByRole('tab', { name, exact: true });
    /** "29 nov. 2026": a day and a month the Swedish way. */
    const SWEDISH_DATE = /\d{1,2} [a-zåäö]+\.? \d{4}/;

    beforeAll(async () => {
      // A second event and two completions of it by one contact: something to chart, a funnel and a timeline.
      const portalId = server.bootstrap.portal.id;
      const created = await server.api('/events/v3/event-definitions', { method: 'POST', json: { label: 'Betalade' } });
      expect(created.status).toBe(201);
      for (const hoursAgo of [26, 2]) {
        const sent = await server.api('/events/v3/send', {
          method: 'POST',
          json: {
            eventName: `pe${portalId}_betalade`,
            email: 'ada@example.com',
            occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
          },
        });
        expect(sent.status).toBe(204);
      }
      panel = await browser.context.newPage();
      await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
      await panel.getByTestId('find-count').waitFor({ timeout: 15_000 });
    });

    it('lists the events: count, kind, last fired, selector health', async () => {
      expect(await panel.evaluate(() => document.documentElement.lang)).toBe('sv-SE');
      expect(await panel.title()).toBe('Clicktrail-händelser');
      await expect.poll(() => panel.getByTestId('find-count').textContent()).toBe('1–2 av 2 händelser');
      const paid = panel.getByTestId('event-betalade');
      await expect.poll(() => paid.getByTestId('last-fired').textContent()).toBe('Senast utlöst för 2 timmar sedan');
      expect(await paid.locator('.badge').first().textContent()).toBe('API');
      const picked = panel.locator('[data-testid^="event-lagg_i_varukorgen"]');
      expect(await picked.locator('.badge[title="CLICKED_ELEMENT"]').textContent()).toBe('Klick');
      await expect
        .poll(() => picked.getByTestId('health').textContent(), { timeout: 15_000 })
        .toBe('Inte kontrollerad i någon stickprovssidvisning de senaste 7 dagarna än.');
      expect(await picked.getByTestId('event-edit').textContent()).toBe('Redigera');
    });

    it('analyses in Swedish: dates, totals, the funnel as Swedish percentages', async () => {
      await tab('Analysera').click();
      const view = panel.getByTestId('analyze-view');
      await view.waitFor();
      expect(await view.locator('legend').first().textContent()).toBe('Händelser (upp till 10)');
      expect(await view.locator('p.muted').first().textContent()).toMatch(
        new RegExp(`^${SWEDISH_DATE.source} till ${SWEDISH_DATE.source}, `),
      );
      await panel.getByTestId('analyze-event-betalade').check();
      await expect
        .poll(() => panel.getByTestId('totals-betalade').getByTestId('total-completions').textContent(), {
          timeout: 15_000,
        })
        .toBe('2');
      const chart = panel.getByTestId('series-chart');
      expect(await chart.getAttribute('aria-label')).toContain('Betalade: 2 slutföranden');
      // The hovered day, as the tooltip and the legend write it.
      const box = (await chart.locator('.u-over').boundingBox())!;
      await panel.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
      await expect.poll(() => chart.getByTestId('chart-tooltip').locator('strong').textContent()).toMatch(SWEDISH_DATE);
      expect(await chart.locator('.u-legend .u-series').first().textContent()).toMatch(SWEDISH_DATE);
      const funnel = panel.getByTestId('funnel-table');
      await funnel.waitFor({ timeout: 15_000 });
      expect(await funnel.locator('thead').textContent()).toBe('StegKontakterFrån föregåendeTotalt');
      // Swedish writes a space (no-break) before the percent sign: "100 %".
      expect(await funnel.locator('tbody tr td').last().textContent()).toMatch(/^\d+\u00a0%$/);
      expect(await panel.getByTestId('bot-traffic').textContent()).toContain('Inte medräknat ovan');
    });

    it('finds a contact in Swedish: the timeline with Swedish dates', async () => {
      await tab('Kontakt').click();
      await panel.getByLabel('E-post').fill('nobody@example.com');
      await panel.getByRole('button', { name: 'Sök', exact: true }).click();
      await expect
        .poll(() => panel.getByTestId('contact-none').textContent(), { timeout: 15_000 })
        .toBe('Ingen kontakt har den här e-postadressen.');
      await panel.getByLabel('E-post').fill('ada@example.com');
      await panel.getByRole('button', { name: 'Sök', exact: true }).click();
      await panel.getByTestId('timeline').waitFor({ timeout: 15_000 });
      expect(await panel.getByTestId('contact-summary').textContent()).toMatch(
        new RegExp(`kontakt \\d+, sedan ${SWEDISH_DATE.source}`),
      );
      const entries = panel.getByTestId('timeline-entry');
      expect(await entries.locator('summary strong').allTextContents()).toEqual(['Betalade', 'Betalade']);
      expect(await entries.first().locator('time').textContent()).toMatch(SWEDISH_DATE);
      expect(await panel.getByTestId('contact-enrolments').textContent()).toContain(
        'Inte registrerad i något arbetsflöde.',
      );
    });

    it('edits workflows in Swedish, with the schema’s problems in Swedish', async () => {
      await tab('Arbetsflöden').click();
      await panel.getByText('Inga arbetsflöden än.').waitFor({ timeout: 15_000 });
      await panel.getByTestId('workflow-new').click();
      expect(await panel.getByTestId('workflow-editor').textContent()).toContain(
        'Registrera en kontakt när någon av de här inträffar',
      );
      await panel.getByTestId('workflow-save').click();
      const error = panel.getByTestId('error');
      await expect.poll(() => error.textContent()).toContain('Kontrollera arbetsflödet:');
      expect(await error.locator('li').first().textContent()).toBe('name Fyll i det här.');
      await panel.getByRole('button', { name: 'Avbryt' }).click();
    });

    it('shows the import wizard and test mode in Swedish', async () => {
      await tab('Import').click();
      await panel.getByTestId('import-view').waitFor();
      expect(await panel.getByRole('list', { name: 'Importsteg' }).textContent()).toBe(
        'Fil och händelseKolumner och datumImport',
      );
      expect(await panel.getByTestId('import-upload').textContent()).toBe('Ladda upp och mappa kolumner');
      await tab('Testa').click();
      expect(await panel.getByRole('heading', { name: 'Utlöses min händelse?' }).isVisible()).toBe(true);
      expect(await panel.getByTestId('testmode-toggle').textContent()).toBe('Starta testläget i den här fliken');
    });
  });
});
