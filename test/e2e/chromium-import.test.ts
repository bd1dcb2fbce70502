import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completionListSchema, eventDefinitionSchema } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/import/wizard.csv');

/** The side panel's Import tab (the wizard) and the Contact tab it feeds. */
class ImportPanel {
  constructor(readonly page: Page) {}

  async openTab(name: 'import' | 'contact') {
    await this.page.getByRole('tab', { name: name === 'import' ? 'Import' : 'Contact' }).click();
  }

  status() {
    return this.page.getByTestId('import-status');
  }

  counts() {
    return this.page.getByTestId('import-counts');
  }

  async findContact(email: string) {
    await this.openTab('contact');
    await this.page.getByTestId('contact-email').fill(email);
    await this.page.getByTestId('contact-find').click();
    await this.page.getByTestId('contact-summary').waitFor({ timeout: 15_000 });
  }
}

describe('Chromium: the import wizard of the side panel', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let panel: ImportPanel;
  const openPanel = async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await page.getByRole('tab', { name: 'Import' }).waitFor({ timeout: 15_000 });
    return new ImportPanel(page);
  };

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    // Small batches: the large import of the last test runs long enough to be followed and cancelled.
    server = await startTestServer('sqlite', { imports: { batchSize: 20 } });
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    panel = await openPanel();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('uploads a CSV into a new event and proposes the mapping, with the dates it reads', async () => {
    const page = panel.page;
    await panel.openTab('import');
    // Keyboard: the tab list moves with the arrow keys and the Import tab is labelled.
    await page.getByRole('tab', { name: 'Import' }).press('ArrowLeft');
    await expect.poll(() => page.getByRole('tab', { name: 'Workflows' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Workflows' }).press('ArrowRight');
    await page.getByTestId('import-view').waitFor();

    await page.getByLabel('Spreadsheet (.csv, .xlsx, .xls)').setInputFiles(FIXTURE);
    await page.getByTestId('import-event-new').check();
    await page.getByTestId('import-event-label').fill('Webinar attended');
    await page.getByTestId('import-language').selectOption('en');
    await page.getByTestId('import-upload').click();

    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('import-required').textContent()).toBe('Email *: mappedEvent occurred at *: mapped');
    const targets = page.getByTestId('import-target');
    expect(
      await targets.evaluateAll((selects) => selects.map((select) => (select as HTMLSelectElement).value)),
    ).toEqual(['email', 'occurredAt', 'new', 'new']);
    // The numeric column is proposed as a new number property.
    const seats = page.getByTestId('import-column-3');
    expect(await seats.getByTestId('import-new-name').inputValue()).toBe('seats');
    expect(await seats.getByTestId('import-new-type').inputValue()).toBe('number');

    // Day/month/year is the one format that reads "15/03/2024 14:30"; three values are shown read.
    expect(await page.getByTestId('import-date-format').inputValue()).toBe('d/M/yyyy H:mm');
    const dates = page.getByTestId('import-date-preview').locator('time');
    expect(await dates.evaluateAll((times) => times.map((time) => time.getAttribute('datetime')))).toEqual([
      '2024-03-15T14:30:00.000Z',
      '2024-03-16T09:05:00.000Z',
      '2024-03-17T10:00:00.000Z',
    ]);
    // A format that does not fit says so.
    await page.getByTestId('import-date-format').selectOption('M/d/yyyy H:mm');
    await expect.poll(() => page.getByTestId('import-date-preview').textContent()).toContain('does not read');
    await page.getByTestId('import-date-format').selectOption('d/M/yyyy H:mm');

    // Nothing starts without the consent.
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await page.getByTestId('import-consent').check();
    await page.getByTestId('import-start').click();

    await expect.poll(() => panel.status().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    expect(await panel.counts().textContent()).toBe('Imported 3 events, rejected 1 row.');

    const definition = eventDefinitionSchema.parse(
      await (await server.api('/events/v3/event-definitions/webinar_attended')).json(),
    );
    expect(definition.trackingType).toBe('IMPORT');
    expect(definition.properties.map((property) => [property.name, property.type])).toEqual(
      expect.arrayContaining([
        ['plan', 'string'],
        ['seats', 'number'],
      ]),
    );
  });

  it('shows the result again after the panel is closed and opened, and downloads errors.csv', async () => {
    await panel.page.close();
    panel = await openPanel();
    await panel.openTab('import');
    await expect.poll(() => panel.status().textContent(), { timeout: 15_000 }).toBe('COMPLETED');
    expect(await panel.counts().textContent()).toBe('Imported 3 events, rejected 1 row.');

    const [download] = await Promise.all([
      panel.page.waitForEvent('download'),
      panel.page.getByTestId('import-errors').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^import-[0-9a-f-]{36}-errors\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('row,column,value,reason');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^4,Email,not-an-email,/);
  });

  it('lists the imported events in the Contact view', async () => {
    await panel.findContact('ada@example.com');
    const entries = panel.page.getByTestId('timeline-entry');
    await expect.poll(() => entries.count(), { timeout: 15_000 }).toBe(2);
    expect(
      await entries.locator('time').evaluateAll((times) => times.map((time) => time.getAttribute('datetime'))),
    ).toEqual(['2024-03-18T16:45:00.000Z', '2024-03-15T14:30:00.000Z']);
    expect(await entries.first().textContent()).toContain('Webinar attended');
    await entries.first().locator('summary').click();
    expect(await entries.first().locator('dl').textContent()).toContain('team');
  });

  it('rolls the import back after a confirmation, and its events leave the Contact view', async () => {
    await panel.openTab('import');
    await panel.page.getByTestId('import-rollback').click();
    const dialog = panel.page.getByRole('alertdialog', { name: 'Roll back the import' });
    expect(await dialog.textContent()).toContain('Remove the 3 events');
    await dialog.getByTestId('import-rollback-confirm').click();
    await expect.poll(() => panel.status().textContent(), { timeout: 30_000 }).toBe('ROLLED BACK');

    await panel.findContact('ada@example.com');
    await panel.page.getByTestId('timeline-empty').waitFor({ timeout: 15_000 });

    // Dismissed, the wizard starts over (and stays so after the panel reopens).
    await panel.openTab('import');
    await panel.page.getByTestId('import-new').click();
    await panel.page.getByTestId('import-upload').waitFor();
    await panel.page.close();
    panel = await openPanel();
    await panel.openTab('import');
    await panel.page.getByTestId('import-upload').waitFor({ timeout: 15_000 });
  });

  it('follows a long import after the panel reopens, and cancels it with its rows removed', async () => {
    // 60,000 rows (~2.7 MB): several upload chunks, and many batches to follow.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-import-'));
    const file = path.join(dir, 'large.csv');
    const lines = ['Email,Event occurred at,Plan'];
    for (let row = 0; row < 60_000; row++) lines.push(`visitor${row}@example.com,2024-03-01T10:00:00Z,pro`);
    fs.writeFileSync(file, lines.join('\n'));

    const page = panel.page;
    await page.getByTestId('import-file').setInputFiles(file);
    // Into the existing event this time: its "Plan" property is matched by the header.
    await page.getByTestId('import-event-existing').check();
    await page.getByTestId('import-event-name').selectOption('webinar_attended');
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor({ timeout: 30_000 });
    expect(
      await page
        .getByTestId('import-target')
        .evaluateAll((selects) => selects.map((select) => (select as HTMLSelectElement).value)),
    ).toEqual(['email', 'occurredAt', 'property:plan']);
    expect(await page.getByTestId('import-date-format').inputValue()).toBe('iso');
    await page.getByTestId('import-consent').check();
    await page.getByTestId('import-start').click();
    await expect.poll(() => panel.status().textContent(), { timeout: 30_000 }).toBe('RUNNING');
    await page.getByTestId('import-bar').waitFor();
    await expect
      .poll(() => panel.counts().textContent(), { timeout: 15_000 })
      .toMatch(/^[\d,]+ rows read · [\d,]+ imported · 0 rejected/);

    // Closed and opened again, the panel follows the same import.
    await page.close();
    panel = await openPanel();
    await panel.openTab('import');
    await expect.poll(() => panel.status().textContent(), { timeout: 15_000 }).toBe('RUNNING');
    await panel.page.getByTestId('import-cancel').click();
    const dialog = panel.page.getByRole('alertdialog', { name: 'Cancel the import' });
    await dialog.getByTestId('import-cancel-rollback').click();
    await expect.poll(() => panel.status().textContent(), { timeout: 60_000 }).toBe('ROLLED BACK');
    expect(await panel.counts().textContent()).toMatch(/^Imported [\d,]+ events, rejected 0 rows\.$/);

    const stored = completionListSchema.parse(
      await (
        await server.api(`/events/v3/events?eventType=pe${server.bootstrap.portal.id}_webinar_attended&limit=1`)
      ).json(),
    );
    expect(stored.results).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
