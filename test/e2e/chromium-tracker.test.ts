/**
 * The built site tracker (`.output/tracker/tracker.js`) in real Chromium, on a customer's site
 * served from ANOTHER origin than the Clicktrail server (allowed, and not allowed), against the
 * real server and database: a site that stops propagation, an SPA navigation, a shadow-DOM widget,
 * a page whose own handlers throw, offline → online and server errors (each completion stored
 * exactly once), and the selector-health report it sends at the portal's sample rate.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectBody, HealthReport } from '../../lib/shared';
import { addOrigin } from '../../server/storage/portal-origins';
import { startTestServer, type TestServer } from '../support/test-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, visitorUserAgent } from './support/chromium';

const TRACKER = path.resolve(import.meta.dirname, '../../.output/tracker/tracker.js');
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/**
 * The customer's page: a buy button whose handlers stop propagation (in the capture phase on the
 * document, and on the element), a button whose own handler throws, a button that navigates
 * client-side (pushState), and a chat widget in an open shadow root.
 */
function sitePage(server: string, portal: number): string {
  return `<!doctype html><html><head><title>Shop</title>
<script async src="${server}/tracker.js" data-portal-id="${portal}"></script></head>
<body><main>
<button id="buy" class="cta primary">Buy now</button>
<button id="broken">Broken</button>
<button id="next">Next</button>
<chat-widget></chat-widget>
</main>
<script>
document.addEventListener('click', (event) => { if (event.target.id === 'buy') event.stopPropagation(); }, true);
document.getElementById('buy').addEventListener('click', (event) => event.stopImmediatePropagation());
document.getElementById('broken').addEventListener('click', () => { throw new Error('the site’s own bug'); });
document.getElementById('next').addEventListener('click', () => history.pushState({}, '', '/spa/next'));
customElements.define('chat-widget', class extends HTMLElement {
  connectedCallback() { this.attachShadow({ mode: 'open' }).innerHTML = '<button class="send">Send</button>'; }
});
</script></body></html>`;
}

interface Site {
  origin: string;
  close(): Promise<void>;
}

async function startSite(server: TestServer, portal: number): Promise<Site> {
  const site = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://site');
    if (url.pathname !== '/shop.html' && url.pathname !== '/spa/next') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(sitePage(server.url, portal));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => site.close(() => resolve())) };
}

const button = (selector: string, text: string, extra: object = {}) => ({
  selector,
  quality: 'good',
  matchCount: 1,
  fingerprint: { tag: 'button', text },
  ...extra,
});

/** One visitor's tab: every collect request the tracker sends and the page's uncaught errors. */
class SiteTab {
  readonly sent: CollectBody[] = [];
  readonly errors: string[] = [];
  constructor(
    readonly page: Page,
    server: string,
  ) {
    page.on('request', (request) => {
      if (request.url().startsWith(server) && request.url().endsWith('/collect'))
        this.sent.push(JSON.parse(request.postData() ?? '{}') as CollectBody);
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  async open(url: string): Promise<void> {
    const config = this.page.waitForResponse((response) => response.url().endsWith('/config'));
    await this.page.goto(url);
    await config;
  }

  uuids(eventName: string): string[] {
    return this.sent.flatMap((body) =>
      (body.events as { eventName: string; uuid: string }[])
        .filter((event) => event.eventName === eventName)
        .map((event) => event.uuid),
    );
  }

  unsent(portal: number): Promise<{ eventName: string; uuid: string }[]> {
    return this.page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as { eventName: string; uuid: string }[],
      `clicktrail:unsent:${portal}`,
    );
  }
}

describe('Chromium: the site tracker on a site of another origin', () => {
  let server: TestServer;
  let browser: Browser;
  let allowed: Site;
  let refused: Site;
  let portal: number;
  const contexts: BrowserContext[] = [];
  const name = (label: string) => `pe${portal}_${label}`;

  const visitor = async () => {
    const context = await browser.newContext({ userAgent: visitorUserAgent() });
    contexts.push(context);
    return { context, tab: new SiteTab(await context.newPage(), server.url) };
  };
  /** Stored completions of an event: uuid and properties, from the database. */
  const stored = async (label: string) =>
    (
      await server.database.db
        .selectFrom('completions')
        .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
        .select(['completions.uuid'])
        .where('event_definitions.name', '=', label)
        .execute()
    ).map((row) => row.uuid);
  const properties = async (label: string) => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=${name(label)}`);
    return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results.map(
      (result) => result.properties,
    );
  };

  beforeAll(async () => {
    if (!fs.existsSync(TRACKER)) throw new Error(`No tracker build at ${TRACKER}: run \`npm run build\` first.`);
    server = await startTestServer('sqlite');
    portal = server.bootstrap.portal.id;
    allowed = await startSite(server, portal);
    refused = await startSite(server, portal);
    expect(new URL(allowed.origin).origin).not.toBe(new URL(server.url).origin);
    await addOrigin(server.database.db, portal, allowed.origin);
    for (const body of [
      { label: 'Shop viewed', trigger: { kind: 'pageview', url: { match: 'path', value: '/shop.html' } } },
      { label: 'Next viewed', trigger: { kind: 'pageview', url: { match: 'path', value: '/spa/next' } } },
      { label: 'Buy clicked', trigger: { kind: 'click', url: { match: 'any' }, element: button('#buy', 'Buy now') } },
      {
        label: 'Broken clicked',
        trigger: { kind: 'click', url: { match: 'any' }, element: button('#broken', 'Broken') },
      },
      {
        label: 'Send clicked',
        trigger: {
          kind: 'click',
          url: { match: 'any' },
          element: button('button.send', 'Send', { path: [{ kind: 'shadow', host: 'chat-widget' }] }),
        },
      },
      { label: 'Gone clicked', trigger: { kind: 'click', url: { match: 'any' }, element: button('#gone', 'Gone') } },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: body })).status).toBe(201);
    }
    // The visitor's user agent on every request, beacons sent while a page unloads included.
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, `--user-agent=${visitorUserAgent()}`],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await allowed?.close();
    await refused?.close();
    await server?.close();
  });

  it('an allowed site: page view and a click its handlers stop from propagating, with the default properties', async () => {
    const { tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html?utm_source=news`);
    await tab.page.click('#buy');
    await poll(async () => (await properties('buy_clicked')).length).toBe(1);
    expect((await properties('buy_clicked'))[0]).toMatchObject({
      hs_url: `${allowed.origin}/shop.html?utm_source=news`,
      hs_page_path: '/shop.html',
      hs_page_title: 'Shop',
      hs_utm_source: 'news',
      hs_element_text: 'Buy now',
      hs_element_id: 'buy',
      hs_element_class: 'cta primary',
    });
    await poll(async () => (await stored('shop_viewed')).length).toBeGreaterThan(0);
    expect(tab.errors).toEqual([]);
  });

  it('a site whose origin is not allowed: the server refuses it, nothing is stored, nothing breaks in the page', async () => {
    const before = (await stored('buy_clicked')).length;
    const { tab } = await visitor();
    const configRequest = tab.page.waitForRequest((request) => request.url().endsWith('/config'));
    await tab.page.goto(`${refused.origin}/shop.html`);
    await configRequest;
    // What the server answers that origin (the browser hides the refused response from the page).
    const answer = await fetch(`${server.url}/t/${portal}/config`, { headers: { Origin: refused.origin } });
    expect(answer.status).toBe(403);
    await tab.page.click('#buy');
    await tab.page.waitForTimeout(1500); // past the batching delay: anything it would send has gone
    expect(tab.sent).toEqual([]);
    expect((await stored('buy_clicked')).length).toBe(before);
    expect(tab.errors).toEqual([]);
    expect(await tab.page.evaluate(() => typeof (window as { clicktrail?: unknown }).clicktrail)).toBe('object');
  });

  it('an SPA navigation (pushState) is a page view of the new path', async () => {
    const { tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html`);
    await tab.page.click('#next');
    await poll(() => tab.uuids(name('next_viewed')).length).toBe(1);
    await poll(async () => (await stored('next_viewed')).includes(tab.uuids(name('next_viewed'))[0]!)).toBe(true);
    const viewed = await properties('next_viewed');
    expect(viewed.map((p) => p.hs_page_path)).toContain('/spa/next');
  });

  it('a click inside an open shadow-DOM widget', async () => {
    const { tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html`);
    await tab.page.locator('chat-widget button.send').click();
    await poll(async () => (await properties('send_clicked')).length).toBe(1);
    expect((await properties('send_clicked'))[0]).toMatchObject({ hs_element_text: 'Send', hs_element_class: 'send' });
  });

  it('a page that throws in its own click handler still has the click tracked; the tracker adds no error', async () => {
    const { tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html`);
    await tab.page.click('#broken');
    await poll(async () => (await stored('broken_clicked')).length).toBe(1);
    expect(tab.errors).toEqual(['the site’s own bug']);
  });

  it('offline → online: the click waits on the device and arrives once the browser is back, stored exactly once', async () => {
    const { context, tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html`);
    await poll(() => tab.uuids(name('shop_viewed')).length).toBe(1); // the page view went out online
    await context.setOffline(true);
    await tab.page.click('#buy');
    await poll(async () => (await tab.unsent(portal)).map((event) => event.eventName)).toEqual([name('buy_clicked')]);
    const uuid = (await tab.unsent(portal))[0]!.uuid;
    expect(tab.uuids(name('buy_clicked'))).toEqual([]); // not even tried while offline
    await context.setOffline(false);
    await poll(async () => (await stored('buy_clicked')).filter((stored) => stored === uuid).length).toBe(1);
    await poll(() => tab.unsent(portal)).toEqual([]);
    // The next page finds nothing left to send: it is not sent twice.
    await tab.open(`${allowed.origin}/shop.html`);
    await poll(() => tab.uuids(name('shop_viewed')).length).toBe(2);
    expect(tab.uuids(name('buy_clicked'))).toEqual([uuid]);
    expect((await stored('buy_clicked')).filter((stored) => stored === uuid)).toHaveLength(1);
  });

  it('server errors: the click is kept while the server answers 503 and the next page load delivers it exactly once', async () => {
    const { tab } = await visitor();
    await tab.open(`${allowed.origin}/shop.html`);
    const collect = `${server.url}/t/${portal}/collect`;
    await tab.page.route(collect, (route) =>
      route.fulfill({
        status: 503,
        headers: { 'Access-Control-Allow-Origin': allowed.origin },
        body: '{"status":"error"}',
      }),
    );
    await tab.page.click('#buy');
    await poll(async () => (await tab.unsent(portal)).map((event) => event.eventName)).toContain(name('buy_clicked'));
    const uuid = (await tab.unsent(portal)).find((event) => event.eventName === name('buy_clicked'))!.uuid;
    expect(await stored('buy_clicked')).not.toContain(uuid);
    await tab.page.unroute(collect);
    // The reload: the leaving page may beacon it, the new page sends what it finds stored — one row either way.
    await tab.open(`${allowed.origin}/shop.html`);
    await poll(async () => (await stored('buy_clicked')).filter((stored) => stored === uuid).length).toBe(1);
    await poll(() => tab.unsent(portal)).toEqual([]);
    expect((await stored('buy_clicked')).filter((stored) => stored === uuid)).toHaveLength(1);
  });

  it('sends a selector-health report of the page at the portal’s sample rate (1 here), in the collect request', async () => {
    const { tab } = await visitor();
    // The portal's rate comes with the config; this test sets it to 1 on the way.
    await tab.page.route(`${server.url}/t/${portal}/config`, async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...config, healthSampleRate: 1 } });
    });
    const expected = new Map([
      [name('buy_clicked'), 'selector'],
      [name('broken_clicked'), 'selector'],
      [name('send_clicked'), 'selector'],
      [name('gone_clicked'), 'none'],
    ]);
    // A page view checks the definitions in a random order within a small time budget (often
    // not all four): every report must be right, and a few page views report every definition.
    const seen = new Map<string, string>();
    for (let view = 1; view <= 8 && seen.size < expected.size; view++) {
      const answered = tab.page.waitForResponse(
        (response) =>
          response.url().endsWith('/collect') && response.request().postData()?.includes('"health"') === true,
      );
      const before = tab.sent.length;
      await tab.open(`${allowed.origin}/shop.html?view=${view}`);
      expect((await answered).status()).toBe(200);
      const reports = tab.sent
        .slice(before)
        .map((body) => body.health)
        .filter((health): health is HealthReport => !!health);
      expect(reports).toHaveLength(1); // one report per sampled page view
      expect(reports[0]!.path).toBe('/shop.html');
      expect(reports[0]!.checks.length).toBeGreaterThan(0);
      for (const { eventName, signal } of reports[0]!.checks) {
        expect(signal, eventName).toBe(expected.get(eventName));
        seen.set(eventName, signal);
      }
    }
    expect(seen).toEqual(expected);
  });
});
