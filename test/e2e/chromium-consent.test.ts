/**
 * Consent modes of the site tracker in real Chromium, on a site served from ANOTHER origin than the
 * Clicktrail server (a second local HTTP server, allowed with the `origins add` CLI), as on a
 * customer's site: cookie and storage state before and after consent, what is sent, GPC, revocation.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_TOKEN_PATTERN, type CollectBody, type ConsentMode } from '../../lib/shared';
import { startTestServer, type TestServer } from '../support/test-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, visitorUserAgent } from './support/chromium';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TRACKER = path.join(ROOT, '.output/tracker/tracker.js');

/** The customer's site: a page with the tracker, a tracked button and the consent banner's buttons. */
function sitePage(server: string, portalId: number, query: URLSearchParams): string {
  // ?queued=granted: the banner reported consent before the tracker loaded, through _ctq.
  const queued =
    query.get('queued') === 'granted'
      ? `<script>(window._ctq = window._ctq || []).push(['consent', { analytics: true }]);</script>`
      : '';
  return `<!doctype html><html><head><title>Shop</title>${queued}
<script async src="${server}/tracker.js" data-portal-id="${portalId}" data-debug="true"></script></head>
<body><button id="buy">Buy</button>
<button id="accept" onclick="clicktrail.consent({ analytics: true })">Accept</button>
<button id="reject" onclick="clicktrail.consent({ analytics: false })">Reject</button></body></html>`;
}

/** The tracker sends after a 1 s batching delay; a loaded machine adds more. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

interface Sent {
  body: CollectBody;
}

/** One visitor's tab on the site, recording every request the tracker makes to the server. */
class SitePage {
  readonly sent: Sent[] = [];
  configLoads = 0;

  constructor(
    readonly page: Page,
    private readonly server: string,
  ) {
    page.on('request', (request) => {
      if (!request.url().startsWith(server)) return;
      if (request.url().endsWith('/collect'))
        this.sent.push({ body: JSON.parse(request.postData() ?? '{}') as CollectBody });
    });
    page.on('response', (response) => {
      if (response.url().startsWith(server) && response.url().endsWith('/config')) this.configLoads++;
    });
  }

  async open(url: string): Promise<void> {
    const config = this.page.waitForResponse((response) => response.url().endsWith('/config'));
    await this.page.goto(url);
    await config;
  }

  /** Longer than the tracker's flush delay (1 s): anything it would send has been sent. */
  settle(): Promise<void> {
    return this.page.waitForTimeout(1500);
  }

  async cookies(): Promise<Record<string, string>> {
    const cookies = await this.page.context().cookies(this.page.url());
    return Object.fromEntries(cookies.map((cookie) => [cookie.name, cookie.value]));
  }

  /** Everything the page's origin keeps besides cookies. */
  storage(): Promise<{ local: number; session: number; indexedDb: number }> {
    return this.page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDb: (await indexedDB.databases()).length,
    }));
  }

  events(): string[] {
    return this.sent.flatMap(({ body }) => (body.events as { eventName: string }[]).map((event) => event.eventName));
  }
}

describe('Chromium: tracker consent on a site of another origin', () => {
  let server: TestServer;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let portal: number;
  const contexts: BrowserContext[] = [];

  const setMode = async (consentMode: ConsentMode) => {
    const response = await server.api('/settings/v1/privacy', { method: 'PATCH', json: { consentMode } });
    expect(response.status).toBe(200);
  };
  /** A new visitor (fresh cookie jar); `gpc` plays a browser that sends Global Privacy Control. */
  const visitor = async (options: { gpc?: boolean } = {}) => {
    const context = await browser.newContext({ userAgent: visitorUserAgent() });
    contexts.push(context);
    if (options.gpc) {
      // What GPC-sending browsers and extensions expose; Debian's Chromium has no switch for it.
      await context.addInitScript(() =>
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
      );
    }
    return new SitePage(await context.newPage(), server.url);
  };
  const stored = async (name: string) =>
    server.database.db
      .selectFrom('completions')
      .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
      .select(['completions.object_id', 'completions.uuid'])
      .where('event_definitions.name', '=', name)
      .execute();

  beforeAll(async () => {
    if (!fs.existsSync(TRACKER)) throw new Error(`No tracker build at ${TRACKER}: run \`npm run build\` first.`);
    server = await startTestServer('sqlite');
    portal = server.bootstrap.portal.id;
    site = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://site');
      if (url.pathname !== '/shop.html') return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(sitePage(server.url, portal, url.searchParams));
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    expect(new URL(siteUrl).origin).not.toBe(new URL(server.url).origin);

    // The site's origin is allowed the way a user does it: with the CLI, against the same database.
    const { stderr } = await promisify(execFile)('npx', ['tsx', 'server/main.ts', 'origins', 'add', siteUrl], {
      cwd: ROOT,
      env: { ...process.env, CLICKTRAIL_DATA_DIR: path.dirname(server.database.describe), DATABASE_URL: '' },
    });
    expect(stderr).toContain(`Allowed ${siteUrl}`);

    for (const body of [
      { label: 'Shop viewed', trigger: { kind: 'pageview', url: { match: 'any' } } },
      {
        label: 'Buy clicked',
        trigger: {
          kind: 'click',
          url: { match: 'any' },
          element: { selector: '#buy', quality: 'good', fingerprint: { tag: 'button', text: 'Buy' } },
        },
      },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: body })).status).toBe(201);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await server?.close();
  });

  it('mode none: the visitor cookie is set on the first page view and sent with it (one config request)', async () => {
    await setMode('none');
    const tab = await visitor();
    await tab.open(`${siteUrl}/shop.html`);
    await poll(() => tab.events()).toEqual([`pe${portal}_shop_viewed`]);
    const cookies = await tab.cookies();
    expect(cookies.clicktrail_utk).toMatch(VISITOR_TOKEN_PATTERN);
    expect(cookies.clicktrail_consent).toBeUndefined();
    expect(tab.sent[0]!.body.utk).toBe(cookies.clicktrail_utk);
    expect(tab.configLoads).toBe(1);
  });

  it('mode required: nothing stored and nothing sent before consent; consent sends, persists and is revocable', async () => {
    await setMode('required');
    const tab = await visitor();
    await tab.open(`${siteUrl}/shop.html`);
    await tab.page.click('#buy');
    await tab.settle();
    expect(tab.sent).toEqual([]);
    expect(await tab.cookies()).toEqual({});
    expect(await tab.storage()).toEqual({ local: 0, session: 0, indexedDb: 0 });

    await tab.page.click('#accept');
    // What happened on this page before consent is sent now, with the visitor's new cookie.
    await poll(() => tab.events().sort()).toEqual([`pe${portal}_buy_clicked`, `pe${portal}_shop_viewed`]);
    const cookies = await tab.cookies();
    expect(cookies.clicktrail_consent).toBe('granted');
    expect(cookies.clicktrail_utk).toMatch(VISITOR_TOKEN_PATTERN);
    expect(new Set(tab.sent.map(({ body }) => body.utk))).toEqual(new Set([cookies.clicktrail_utk]));
    expect(await tab.storage()).toEqual({ local: 0, session: 0, indexedDb: 0 });

    // The next page: consent was kept, the page view goes out at once with the same cookie.
    tab.sent.length = 0;
    await tab.open(`${siteUrl}/shop.html`);
    await poll(() => tab.events()).toEqual([`pe${portal}_shop_viewed`]);
    expect(tab.sent[0]!.body.utk).toBe(cookies.clicktrail_utk);

    // Revocation: the cookies go, and nothing more is sent.
    await tab.page.click('#reject');
    expect(await tab.cookies()).toEqual({});
    tab.sent.length = 0;
    await tab.page.click('#buy');
    await tab.open(`${siteUrl}/shop.html`);
    await tab.page.click('#buy');
    await tab.settle();
    expect(tab.sent).toEqual([]);
    expect(await tab.cookies()).toEqual({});
  });

  it('mode required: a refusal sends nothing at all, not even what happened before it', async () => {
    await setMode('required');
    const tab = await visitor();
    await tab.open(`${siteUrl}/shop.html`);
    await tab.page.click('#buy');
    await tab.page.click('#reject');
    await tab.page.click('#buy');
    await tab.settle();
    expect(tab.sent).toEqual([]);
    expect(await tab.cookies()).toEqual({});
  });

  it('mode required: consent queued through _ctq before the tracker loaded is applied', async () => {
    await setMode('required');
    const tab = await visitor();
    await tab.open(`${siteUrl}/shop.html?queued=granted`);
    await poll(() => tab.events()).toEqual([`pe${portal}_shop_viewed`]);
    expect((await tab.cookies()).clicktrail_consent).toBe('granted');
  });

  it('mode cookieless: anonymous completions without a token or storage until consent, then the normal token', async () => {
    await setMode('cookieless');
    const before = (await stored('shop_viewed')).length;
    const tab = await visitor();
    await tab.open(`${siteUrl}/shop.html`);
    await poll(() => tab.events()).toEqual([`pe${portal}_shop_viewed`]);
    expect(tab.sent[0]!.body).not.toHaveProperty('utk');
    expect(tab.sent[0]!.body).not.toHaveProperty('email');
    expect(await tab.cookies()).toEqual({});
    expect(await tab.storage()).toEqual({ local: 0, session: 0, indexedDb: 0 });
    // The server counted it as anonymous: stored, with no contact.
    await poll(async () => (await stored('shop_viewed')).length).toBe(before + 1);
    expect((await stored('shop_viewed')).at(-1)!.object_id).toBe('');

    await tab.page.click('#accept');
    const utk = (await tab.cookies()).clicktrail_utk;
    expect(utk).toMatch(VISITOR_TOKEN_PATTERN);
    await tab.page.click('#buy');
    await poll(() => tab.sent.at(-1)?.body.utk).toBe(utk);

    // Revoking returns to anonymous counting and deletes the cookies.
    await tab.page.click('#reject');
    expect(await tab.cookies()).toEqual({});
    await tab.page.click('#buy');
    await poll(() => tab.sent.length).toBe(3);
    expect(tab.sent.at(-1)!.body).not.toHaveProperty('utk');
  });

  it('Global Privacy Control is a refusal the site cannot override: nothing in required, anonymous in cookieless', async () => {
    await setMode('required');
    const strict = await visitor({ gpc: true });
    await strict.open(`${siteUrl}/shop.html`);
    await strict.page.click('#accept');
    await strict.page.click('#buy');
    await strict.settle();
    expect(strict.sent).toEqual([]);
    expect(await strict.cookies()).toEqual({});

    await setMode('cookieless');
    const anonymous = await visitor({ gpc: true });
    await anonymous.open(`${siteUrl}/shop.html`);
    await anonymous.page.click('#accept');
    await anonymous.page.click('#buy');
    await poll(() => anonymous.events().sort()).toEqual([`pe${portal}_buy_clicked`, `pe${portal}_shop_viewed`]);
    expect(anonymous.sent.every(({ body }) => body.utk === undefined)).toBe(true);
    expect(await anonymous.cookies()).toEqual({});

    await setMode('none');
    const optedOut = await visitor({ gpc: true });
    await optedOut.open(`${siteUrl}/shop.html`);
    await optedOut.settle();
    expect(optedOut.sent).toEqual([]);
    expect(await optedOut.cookies()).toEqual({});
  });
});
