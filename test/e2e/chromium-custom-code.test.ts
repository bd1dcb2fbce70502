import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrigin } from '../../server/storage/portal-origins';
import { startTestServer, type TestServer } from '../support/test-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, visitorUserAgent } from './support/chromium';

const TRACKER_BUILD = path.resolve(import.meta.dirname, '../../.output/tracker/tracker.js');

interface Site {
  origin: string;
  close(): Promise<void>;
}

/**
 * A customer's site on its own origin, with a strict Content-Security-Policy that allows exactly
 * the tracker, the portal's custom.js and the server's endpoints — no inline script.
 */
async function startSite(server: TestServer, portal: number): Promise<Site> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${server.url}/tracker.js ${server.url}/t/${portal}/custom.js`,
    `connect-src ${server.url}`,
  ].join('; ');
  const page = (body: string) => `<!doctype html><html><head><title>Shop</title>
<script async src="${server.url}/tracker.js" data-portal-id="${portal}"></script></head>
<body>${body}</body></html>`;
  const site = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://site');
    const html =
      url.pathname === '/thanks'
        ? page('<h1>Thanks</h1>')
        : page(
            '<form action="/thanks"><select name="plan"><option>basic</option><option>pro</option></select><button>Sign up</button></form>',
          );
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp });
    response.end(html);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => site.close(() => resolve())) };
}

describe('Chromium: custom code runs as part of the tracker on the customer site', () => {
  let server: TestServer;
  let browser: Browser;
  let allowed: Site;
  let refused: Site;
  let portal: number;
  const definitions = '/events/v3/event-definitions';

  beforeAll(async () => {
    if (!fs.existsSync(TRACKER_BUILD)) throw new Error('No tracker build: run `npm run build` first (npm test does).');
    server = await startTestServer('sqlite');
    portal = server.bootstrap.portal.id;
    allowed = await startSite(server, portal);
    refused = await startSite(server, portal);
    await addOrigin(server.database.db, portal, allowed.origin);
    // The visitor user agent for every request, beacons sent while the page unloads included (a
    // headless one would be dropped as a bot's).
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, `--user-agent=${visitorUserAgent()}`],
    });
    const create = async (body: object) =>
      expect((await server.api(definitions, { method: 'POST', json: body })).status).toBe(201);
    // One snippet that throws, then one that tracks the form: the second must still run.
    await create({ label: 'Broken', trackingType: 'CUSTOM_SCRIPT', customCode: 'null.boom();' });
    await create({
      label: 'Signed up',
      trackingType: 'CUSTOM_SCRIPT',
      propertyDefinitions: [{ name: 'plan', label: 'Plan', type: 'string' }],
      customCode: [
        "document.addEventListener('submit', function (event) {",
        `  clicktrail.track('pe${portal}_signed_up', { plan: event.target.plan.value });`,
        '});',
        'window.signUpTracked = true;',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await allowed?.close();
    await refused?.close();
    await server?.close();
  });

  const completions = async () => {
    const response = await server.api(`/events/v3/events?objectType=contact&eventType=pe${portal}_signed_up`);
    return ((await response.json()) as { results: { properties: Record<string, string> }[] }).results;
  };
  const violations = (page: Page) => {
    const seen: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
    });
    return seen;
  };

  it('tracks a form submit with code written for the event, past a snippet that throws and a strict CSP', async () => {
    const page = await browser.newPage();
    const blocked = violations(page);
    await page.goto(`${allowed.origin}/`);
    await page.waitForFunction(() => (window as { signUpTracked?: boolean }).signUpTracked === true);
    await page.selectOption('select', 'pro');
    await Promise.all([page.waitForURL(/\/thanks/), page.click('button')]);
    await expect.poll(completions, { timeout: 15_000 }).toHaveLength(1);
    expect((await completions())[0]!.properties.plan).toBe('pro');
    expect(blocked).toEqual([]);

    // The broken snippet's error reached the server once per page view (the form page and the
    // thanks page), with each page's path.
    const errors = async () =>
      (
        (await (await server.api(`${definitions}/broken/custom-code/errors`)).json()) as {
          results: { path: string; errorName: string; count: number }[];
        }
      ).results;
    await expect
      .poll(async () => (await errors()).map((error) => [error.path, error.errorName, error.count]).sort(), {
        timeout: 15_000,
      })
      .toEqual([
        ['/', 'TypeError', 1],
        ['/thanks', 'TypeError', 1],
      ]);
    await page.close();
  });

  it('never loads custom code on a site whose origin is not allowed', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${refused.origin}/`);
    await page.waitForFunction(() => 'clicktrail' in window);
    // The config request is refused; give the tracker time to (not) add the script.
    await expect.poll(() => requested.some((url) => url.includes('/config'))).toBe(true);
    await page.waitForTimeout(500);
    expect(requested.filter((url) => url.includes('custom.js'))).toEqual([]);
    expect(await page.evaluate(() => (window as { signUpTracked?: boolean }).signUpTracked)).toBeUndefined();
    await page.close();
  });

  it('runs changed code on the next page load', async () => {
    const current = (await (await server.api(`${definitions}/broken`)).json()) as { version: number };
    const changed = await server.api(`${definitions}/broken`, {
      method: 'PATCH',
      json: { version: current.version, customCode: "document.title = 'Fixed by custom code';" },
    });
    expect(changed.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${allowed.origin}/`);
    await expect.poll(() => page.title()).toBe('Fixed by custom code');
    await page.close();
  });
});
