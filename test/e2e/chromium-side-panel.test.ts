import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventDefinitionSchema, type EventDefinition } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { CHROME_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

describe('Chromium: edit and archive events in the side panel', () => {
  let server: TestServer;
  let browser: ChromiumWithExtension;
  let panel: Page;

  /** The definition as the server has it now. */
  const stored = async (name: string): Promise<EventDefinition> =>
    eventDefinitionSchema.parse(await (await server.api(`/events/v3/event-definitions/${name}`)).json());
  const item = (name: string) => panel.getByTestId(`event-${name}`);

  beforeAll(async () => {
    const extensionDir = requireBuild(CHROME_BUILD);
    server = await startTestServer('sqlite');
    const created = await server.api('/events/v3/event-definitions', { method: 'POST', json: { label: 'Signed up' } });
    expect(created.status).toBe(201);
    browser = await launchChromiumWithExtension(extensionDir);
    const popup = new PopupPage(await browser.context.newPage());
    await popup.page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.connect(server.url, server.apiKey);
    await popup.expectConnected();
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await item('signed_up').waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says whether an event has fired, and when it last did', async () => {
    await expect.poll(() => item('signed_up').getByTestId('last-fired').textContent()).toBe('Not fired yet');
    const portalId = server.bootstrap.portal.id;
    const sent = await server.api('/events/v3/send', {
      method: 'POST',
      json: { eventName: `pe${portalId}_signed_up`, email: 'first@example.com' },
    });
    expect(sent.status).toBe(204);
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => item('signed_up').getByTestId('last-fired').textContent()).toBe('Last fired just now');
  });

  it('renames an event and describes it; Enter saves', async () => {
    await item('signed_up').getByTestId('event-edit').click();
    await panel.getByTestId('event-label').fill('Signed up for a trial');
    await panel.getByTestId('event-description').fill('From the pricing page');
    await panel.getByTestId('event-label').press('Enter');
    await panel.getByTestId('event-edit-form').waitFor({ state: 'detached' });
    expect(await item('signed_up').textContent()).toContain('Signed up for a trial');
    expect(await item('signed_up').textContent()).toContain('From the pricing page');
    const saved = await stored('signed_up');
    expect(saved).toMatchObject({ label: 'Signed up for a trial', description: 'From the pricing page', version: 2 });
  });

  it('will not save an empty label, and Esc leaves the event as it was', async () => {
    await item('signed_up').getByTestId('event-edit').click();
    await panel.getByTestId('event-label').fill('   ');
    expect(await panel.getByTestId('event-save').isDisabled()).toBe(true);
    expect(await item('signed_up').textContent()).toContain('Enter a label');
    await panel.getByTestId('event-label').press('Escape');
    await panel.getByTestId('event-edit-form').waitFor({ state: 'detached' });
    expect(await item('signed_up').textContent()).toContain('Signed up for a trial');
    expect((await stored('signed_up')).version).toBe(2);
  });

  it('does not overwrite a change made elsewhere, keeps what the user typed, and saves it on the second try', async () => {
    await item('signed_up').getByTestId('event-edit').click();
    await panel.getByTestId('event-label').fill('Trial started');
    const theirs = await server.api('/events/v3/event-definitions/signed_up', {
      method: 'PATCH',
      json: { label: 'Changed by a colleague', version: 2 },
    });
    expect(theirs.status).toBe(200);

    await panel.getByTestId('event-save').click();
    await expect
      .poll(() => item('signed_up').getByRole('alert').textContent())
      .toContain('changed elsewhere since the list was loaded: it is now “Changed by a colleague”. Try again');
    expect(await stored('signed_up')).toMatchObject({ label: 'Changed by a colleague', version: 3 });
    expect(await panel.getByTestId('event-label').inputValue()).toBe('Trial started');

    await panel.getByTestId('event-save').click();
    await panel.getByTestId('event-edit-form').waitFor({ state: 'detached' });
    expect(await stored('signed_up')).toMatchObject({ label: 'Trial started', version: 4 });
    expect(await item('signed_up').getByRole('alert').count()).toBe(0);
  });

  it('archives only after confirmation, and Undo brings the event back', async () => {
    await item('signed_up').getByTestId('event-archive').click();
    const confirm = panel.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Archive “Trial started”?');
    await confirm.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await stored('signed_up')).archived).toBe(false);

    await item('signed_up').getByTestId('event-archive').click();
    await panel.getByTestId('event-archive-confirm').click();
    await panel.getByTestId('archived-toast').waitFor();
    expect(await panel.getByTestId('archived-toast').textContent()).toContain('Archived “Trial started”.');
    expect(await item('signed_up').count()).toBe(0);
    expect(await panel.getByTestId('archived-events').textContent()).toContain('Archived (1)');
    expect((await stored('signed_up')).archived).toBe(true);

    await panel.getByTestId('archived-undo').click();
    await item('signed_up').waitFor();
    await panel.getByTestId('archived-toast').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('archived-events').count()).toBe(0);
    expect((await stored('signed_up')).archived).toBe(false);
  });

  it('restores an archived event from the Archived list', async () => {
    await item('signed_up').getByTestId('event-archive').click();
    await panel.getByTestId('event-archive-confirm').click();
    await panel.getByTestId('archived-toast').waitFor();
    await panel.getByText('Archived (1)').click();
    await panel.getByTestId('archived-signed_up').getByTestId('event-restore').click();
    await item('signed_up').waitFor();
    expect((await stored('signed_up')).archived).toBe(false);
    await panel.reload();
    await item('signed_up').waitFor({ timeout: 15_000 });
    expect(await panel.getByTestId('archived-events').count()).toBe(0);
  });
});
