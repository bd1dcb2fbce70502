import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import type { WxtBrowser } from 'wxt/browser';
import { PICKER_HOST_TAG } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { clickToolbarIcon, launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium';
import { serveCorpus } from './support/corpus-server';
import { CHROME_RELEASE_BUILD, requireBuild } from './support/extension-builds';
import { PopupPage } from './support/pages';

/** The extension API, inside the functions evaluated in the browser (they never run in Node). */
declare const chrome: WxtBrowser;

/** A real article page of the shared corpus (postlight's capture of buzzap.jp). */
const CORPUS_PAGE = 'postlight/buzzap.jp.html';

/**
 * The worlds the extension's scripts run in on a page, as the DevTools protocol reports them:
 * a content script of ours always gets its own isolated world, whose origin is the extension's.
 */
class ExtensionWorlds {
  private readonly contexts = new Map<number, { origin: string; name: string }>();
  private constructor(readonly cdp: CDPSession) {
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      this.contexts.set(context.id, { origin: context.origin, name: context.name });
    });
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => this.contexts.delete(executionContextId));
    cdp.on('Runtime.executionContextsCleared', () => this.contexts.clear());
  }

  static async watch(page: Page): Promise<ExtensionWorlds> {
    const worlds = new ExtensionWorlds(await page.context().newCDPSession(page));
    // Enabling reports every context that already exists, then each new one.
    await worlds.cdp.send('Runtime.enable');
    return worlds;
  }

  of(extensionId: string): number[] {
    return [...this.contexts]
      .filter(([, context]) => context.origin === `chrome-extension://${extensionId}`)
      .map(([id]) => id);
  }

  /** Runs `expression` in our content script's world (there must be exactly one) and returns its value. */
  async evaluate(extensionId: string, expression: string): Promise<unknown> {
    const [contextId] = this.of(extensionId);
    if (contextId === undefined) throw new Error('No content script of the extension runs on this page.');
    const { result, exceptionDetails } = await this.cdp.send('Runtime.evaluate', {
      expression,
      contextId,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    return result.value;
  }
}

interface DomNode {
  nodeName: string;
  nodeValue: string;
  shadowRootType?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The picker's shadow root as DevTools sees it (closed roots included): its mode and its stylesheet's size. */
async function pickerShadow(cdp: CDPSession): Promise<{ mode?: string; cssLength: number }> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const all = (node: DomNode, name: string): DomNode[] => [
    ...(node.nodeName === name ? [node] : []),
    ...[...(node.children ?? []), ...(node.shadowRoots ?? [])].flatMap((child) => all(child, name)),
  ];
  const shadow = all(root, PICKER_HOST_TAG.toUpperCase())[0]?.shadowRoots?.[0];
  const css = (shadow ? all(shadow, 'STYLE') : []).map((style) => style.children?.[0]?.nodeValue ?? '');
  return { mode: shadow?.shadowRootType, cssLength: css.join('').length };
}

describe('Chromium, the release build: least privilege', () => {
  let server: TestServer;
  let corpus: Awaited<ReturnType<typeof serveCorpus>>;
  let browser: ChromiumWithExtension;
  let demo: Page;
  let demoWorlds: ExtensionWorlds;
  let popup: PopupPage;

  const hosts = (page: Page) => page.locator(PICKER_HOST_TAG).count();

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    corpus = await serveCorpus();
    browser = await launchChromiumWithExtension(requireBuild(CHROME_RELEASE_BUILD), { toolbarClicks: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await corpus?.close();
  });

  it('asks for no site at install: activeTab, scripting and storage, every site only optional', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CHROME_RELEASE_BUILD, 'manifest.json'), 'utf8')) as {
      permissions: string[];
      host_permissions?: string[];
      optional_host_permissions?: string[];
      content_scripts?: unknown[];
    };
    expect(manifest.permissions.sort()).toEqual(['activeTab', 'scripting', 'sidePanel', 'storage']);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.content_scripts ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    const [worker] = browser.context.serviceWorkers();
    const granted = await worker!.evaluate(() => chrome.permissions.getAll());
    expect(granted.origins).toEqual([]);
  });

  it.each([
    ['the demo shop', () => `${server.url}/demo/products.html`],
    ['a real article page of the corpus', () => `${corpus.url}/${CORPUS_PAGE}`],
  ])('runs no script and mounts nothing on %s until the user starts Clicktrail there', async (_name, url) => {
    const page = await browser.context.newPage();
    const worlds = await ExtensionWorlds.watch(page);
    await page.goto(url(), { waitUntil: 'load', timeout: 60_000 });
    // The page's own world exists (the check sees worlds at all), and none of them is ours.
    await expect.poll(() => page.evaluate(() => document.readyState)).toBe('complete');
    expect(worlds.of(browser.extensionId)).toEqual([]);
    expect(await hosts(page)).toBe(0);
    await page.close();
  });

  it('cannot be messaged by a page script', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/demo/products.html`);
    const reach = await page.evaluate(async (extensionId) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: typeof chrome.runtime.sendMessage } } })
        .chrome?.runtime;
      if (!runtime?.sendMessage) return 'no messaging API on the page';
      try {
        return JSON.stringify(
          await runtime.sendMessage(extensionId, { protocol: 1, target: 'background', type: 'connection/get' }),
        );
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    }, browser.extensionId);
    // Without `externally_connectable`, web pages get no channel to the extension at all.
    expect(reach).toBe('no messaging API on the page');
    await page.close();
  });

  it('warns before an API key would travel in clear text, and goes on only once the user confirms', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const form = new PopupPage(page);
    await form.connect('http://192.0.2.10:8787', 'ct_some_key');
    expect(await page.getByTestId('cleartext-warning').textContent()).toContain('could read the API key');
    expect(await page.locator('.field-error').textContent()).toContain('the API key would travel in clear text');
    expect(await page.getByRole('button', { name: 'Connect' }).isEnabled()).toBe(true);
    // Confirmed: the form goes on to ask for the server's origin (a prompt no test can answer).
    await page.getByLabel('Send the API key over http:// anyway').check();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('.field-error').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Connecting…' }).waitFor();
    await page.reload();
    // On this computer, or over https://, there is nothing to confirm.
    for (const url of ['http://localhost:8787', 'https://crm.example.com']) {
      await page.getByLabel('Server URL').fill(url);
      expect(await page.getByTestId('cleartext-warning').count()).toBe(0);
    }
    await page.close();
  });

  it('explains in the side panel that the server may not be reached until the user allows it at Connect', async () => {
    // A connection as Connect saves it, but its origin's permission not granted (or withdrawn since).
    const [worker] = browser.context.serviceWorkers();
    await worker!.evaluate(
      async ({ baseUrl, apiKey }) =>
        chrome.storage.local.set({ connection: { baseUrl, apiKey, portalId: 1, portalName: 'Default portal' } }),
      { baseUrl: server.url, apiKey: server.apiKey },
    );
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await expect
      .poll(() => panel.getByRole('alert').first().textContent(), { timeout: 15_000 })
      .toContain(`Clicktrail may not reach ${server.url}: click Connect in the Clicktrail popup and allow access`);
    await panel.close();
  });

  it('starts picking only on a tab where the user clicked the toolbar icon', async () => {
    // The connection stored above: picking calls no server, so it starts without the origin's permission.
    demo = await browser.context.newPage();
    demoWorlds = await ExtensionWorlds.watch(demo);
    await demo.goto(`${server.url}/demo/products.html`);
    const popupPage = await browser.context.newPage();
    await popupPage.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    popup = new PopupPage(popupPage);
    await popup.expectConnected();

    await demo.bringToFront();
    await popup.trackClickedElement();
    expect(await popup.errorText()).toContain('Click the Clicktrail icon in the toolbar');
    expect(await hosts(demo)).toBe(0);
    expect(demoWorlds.of(browser.extensionId)).toEqual([]);

    await clickToolbarIcon(browser, demo);
    await demo.bringToFront();
    await popup.trackClickedElement();
    await demo.locator(PICKER_HOST_TAG).waitFor({ state: 'attached', timeout: 15_000 });
    expect(demoWorlds.of(browser.extensionId)).toHaveLength(1);
    // Closed in the release build: the page cannot reach into the picker.
    expect(await demo.evaluate((tag) => document.querySelector(tag)?.shadowRoot, PICKER_HOST_TAG)).toBeNull();
    // Its styles loaded all the same (fetched from the extension by the injected script).
    const shadow = await pickerShadow(demoWorlds.cdp);
    expect(shadow.mode).toBe('closed');
    expect(shadow.cssLength).toBeGreaterThan(1_000);
  });

  it('mounts the picker once however often it is started on the tab, at once or one after another', async () => {
    await demo.reload();
    expect(await hosts(demo)).toBe(0);
    // The popup's own request, awaited here so the count below is read after every start finished.
    const start = () =>
      popup.page.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
        const payload = { tabId: tab!.id, mode: 'element' };
        return (await chrome.runtime.sendMessage({
          protocol: 1,
          target: 'background',
          type: 'picker/start',
          payload,
        })) as unknown;
      });
    await demo.bringToFront();
    expect(await Promise.all([start(), start()])).toEqual([
      { ok: true, data: { started: true } },
      { ok: true, data: { started: true } },
    ]);
    expect(await start()).toEqual({ ok: true, data: { started: true } });
    expect(await hosts(demo)).toBe(1);
    expect(demoWorlds.of(browser.extensionId)).toHaveLength(1);
  });

  it('injects the picker again after the tab navigates', async () => {
    await demo.reload();
    expect(await hosts(demo)).toBe(0);
    await demo.bringToFront();
    await popup.trackClickedElement();
    await demo.locator(PICKER_HOST_TAG).waitFor({ state: 'attached', timeout: 15_000 });
    expect(await hosts(demo)).toBe(1);
  });

  it('refuses a started page’s content script anything but the picker’s own requests', async () => {
    const reply = (await demoWorlds.evaluate(
      browser.extensionId,
      `chrome.runtime.sendMessage({ protocol: 1, target: 'background', type: 'connection/disconnect' })`,
    )) as { ok: boolean; error?: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error?.code).toBe('FORBIDDEN_SENDER');
    expect(reply.error?.message).toContain('may not send "connection/disconnect"');
    // The popup, an extension page, still sees the connection the page's request tried to drop.
    await popup.page.reload();
    await popup.expectConnected();
  });
});
