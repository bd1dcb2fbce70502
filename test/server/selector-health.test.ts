import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiErrorSchema,
  collectResultSchema,
  definitionHealthSchema,
  HEALTH_MAX_CHECKS,
  trackerConfigSchema,
  trackingSettingsSchema,
} from '../../lib/shared';
import { addOrigin } from '../../server/storage/portal-origins';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const SITE = 'https://shop.example.com';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const UTK = 'healthVisitorTokenAAAA1';

const clickTrigger = (url: unknown) => ({
  kind: 'click',
  url,
  element: { selector: '#buy', quality: 'good', fingerprint: { tag: 'button', text: 'Buy' } },
});

describe.each(DATABASE_KINDS)('selector health on %s', (kind) => {
  let server: TestServer;
  let portal: number;
  const fqn = (name: string) => `pe${portal}_${name}`;
  const collect = (body: unknown, { origin = SITE, userAgent = CHROME } = {}) =>
    fetch(`${server.url}/t/${portal}/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': userAgent, Origin: origin },
      body: JSON.stringify(body),
    });
  const report = (path: string, checks: { eventName: string; signal: string }[]) =>
    collect({ utk: UTK, health: { path, checks } });
  const health = async (name: string, query = '') => {
    const response = await server.api(`/events/v3/event-definitions/${name}/health${query}`);
    expect(response.status).toBe(200);
    return definitionHealthSchema.parse(await response.json());
  };
  const config = async () =>
    trackerConfigSchema.parse(
      await (await fetch(`${server.url}/t/${portal}/config`, { headers: { Origin: SITE } })).json(),
    );

  beforeAll(async () => {
    server = await startTestServer(kind);
    portal = server.bootstrap.portal.id;
    await addOrigin(server.database.db, portal, SITE);
    for (const body of [
      { label: 'Buy clicked', trigger: clickTrigger({ match: 'prefix', value: `${SITE}/products` }) },
      { label: 'Pricing cta', trigger: clickTrigger({ match: 'path', value: '/pricing' }) },
      { label: 'Pricing viewed', trigger: { kind: 'pageview', url: { match: 'path', value: '/pricing' } } },
      { label: 'Signed up' },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: body })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the portal’s sample rate in the tracker config: 10% by default, changed in the settings, absent at 0', async () => {
    expect((await config()).healthSampleRate).toBe(0.1);
    const patched = await server.api('/settings/v1/tracking', { method: 'PATCH', json: { healthSampleRate: 1 } });
    expect(trackingSettingsSchema.parse(await patched.json()).healthSampleRate).toBe(1);
    expect((await config()).healthSampleRate).toBe(1);
    await server.api('/settings/v1/tracking', { method: 'PATCH', json: { healthSampleRate: 0 } });
    expect((await config()).healthSampleRate).toBeUndefined();
    await server.api('/settings/v1/tracking', { method: 'PATCH', json: { healthSampleRate: 0.1 } });
  });

  it('refuses a sample rate outside 0–1 and unknown settings, naming the field', async () => {
    for (const json of [{ healthSampleRate: 1.5 }, { healthSampleRate: '0.5' }, { sampleRate: 0.5 }]) {
      const response = await server.api('/settings/v1/tracking', { method: 'PATCH', json });
      expect(response.status).toBe(400);
      expect(apiErrorSchema.parse(await response.json()).category).toBe('VALIDATION_ERROR');
    }
    expect(
      trackingSettingsSchema.parse(await (await server.api('/settings/v1/tracking')).json()).healthSampleRate,
    ).toBe(0.1);
  });

  it('counts reports per definition and path, with how the trigger found its element', async () => {
    const signals = ['selector', 'selector', 'alternative', 'fingerprint', 'none'];
    for (const signal of signals) {
      const response = await report('/products/mug', [{ eventName: fqn('buy_clicked'), signal }]);
      expect(response.status).toBe(200);
      expect(collectResultSchema.parse(await response.json())).toEqual({
        accepted: 0,
        rejected: [],
        health: { accepted: 1, ignored: 0 },
      });
    }
    await report('/products/vase', [{ eventName: fqn('buy_clicked'), signal: 'none' }]);
    const result = await health('buy_clicked');
    expect(result).toMatchObject({
      eventName: 'buy_clicked',
      days: 7,
      pageViews: 6,
      matched: 4,
      viaFallback: 2,
      viaFingerprint: 1,
    });
    expect(result.paths).toEqual([
      expect.objectContaining({ path: '/products/mug', pageViews: 5, matched: 4, viaFallback: 2, viaFingerprint: 1 }),
      expect.objectContaining({ path: '/products/vase', pageViews: 1, matched: 0, lastMatchedAt: null }),
    ]);
    expect(Date.parse(result.lastMatchedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(result.paths[1]!.lastMissedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('counts a report that comes with completions, and stores the completions too', async () => {
    const event = {
      eventName: fqn('signed_up'),
      occurredAt: new Date().toISOString(),
      uuid: '0193a1b2-0000-7000-8000-00000000health',
    };
    const response = await collect({
      utk: UTK,
      events: [event],
      health: { path: '/pricing', checks: [{ eventName: fqn('pricing_cta'), signal: 'selector' }] },
    });
    expect(collectResultSchema.parse(await response.json())).toEqual({
      accepted: 1,
      rejected: [],
      health: { accepted: 1, ignored: 0 },
    });
    expect((await health('pricing_cta')).pageViews).toBe(1);
  });

  it('ignores what one page view could not report: repeats, unknown and non-click events, pages outside the URL rule', async () => {
    const before = await health('pricing_cta');
    const response = await report('/pricing', [
      { eventName: fqn('pricing_cta'), signal: 'selector' },
      { eventName: fqn('pricing_cta'), signal: 'selector' },
      { eventName: fqn('pricing_viewed'), signal: 'selector' },
      { eventName: fqn('signed_up'), signal: 'selector' },
      { eventName: fqn('no_such_event'), signal: 'none' },
      { eventName: fqn('buy_clicked'), signal: 'none' },
      { eventName: 'pe999_buy_clicked', signal: 'selector' },
    ]);
    expect(collectResultSchema.parse(await response.json()).health).toEqual({ accepted: 1, ignored: 6 });
    expect((await health('pricing_cta')).pageViews).toBe(before.pageViews + 1);
    // /pricing is outside buy_clicked's …/products prefix: its counts did not move.
    expect((await health('buy_clicked')).paths.map((p) => p.path)).not.toContain('/pricing');
  });

  it('refuses malformed reports with a 400 that names the field, and stores nothing', async () => {
    const before = await health('buy_clicked');
    const malformed = [
      { path: '/products/mug?email=a@b.c', checks: [{ eventName: fqn('buy_clicked'), signal: 'selector' }] },
      { path: 'products', checks: [{ eventName: fqn('buy_clicked'), signal: 'selector' }] },
      { path: '/products/mug', checks: [{ eventName: fqn('buy_clicked'), signal: 'found' }] },
      { path: '/products/mug', checks: [] },
      {
        path: '/products/mug',
        checks: Array.from({ length: HEALTH_MAX_CHECKS + 1 }, () => ({
          eventName: fqn('buy_clicked'),
          signal: 'none',
        })),
      },
    ];
    for (const healthReport of malformed) {
      const response = await collect({ utk: UTK, health: healthReport });
      expect(response.status).toBe(400);
      const error = apiErrorSchema.parse(await response.json());
      expect(error.errors[0]?.in).toMatch(/^health/);
    }
    const empty = await collect({ utk: UTK });
    expect(empty.status).toBe(400);
    expect(apiErrorSchema.parse(await empty.json()).message).toContain('at least one event or a health report');
    expect((await health('buy_clicked')).pageViews).toBe(before.pageViews);
  });

  it('drops a bot’s report like its completions, and refuses a site that is not allowed', async () => {
    const before = await health('buy_clicked');
    const bot = await collect(
      { utk: UTK, health: { path: '/products/mug', checks: [{ eventName: fqn('buy_clicked'), signal: 'none' }] } },
      { userAgent: GOOGLEBOT },
    );
    expect(collectResultSchema.parse(await bot.json())).toEqual({ accepted: 0, rejected: [], dropped: 0 });
    const foreign = await collect(
      { utk: UTK, health: { path: '/products/mug', checks: [{ eventName: fqn('buy_clicked'), signal: 'none' }] } },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect((await health('buy_clicked')).pageViews).toBe(before.pageViews);
  });

  it('answers /health with zeros for a definition never reported, 404 for an unknown one, 400 for bad days', async () => {
    expect(await health('pricing_viewed', '?days=30')).toEqual({
      eventName: 'pricing_viewed',
      days: 30,
      pageViews: 0,
      matched: 0,
      viaFallback: 0,
      viaFingerprint: 0,
      lastMatchedAt: null,
      lastMissedAt: null,
      paths: [],
    });
    expect((await server.api('/events/v3/event-definitions/no_such_event/health')).status).toBe(404);
    for (const days of ['0', '91', 'week']) {
      expect((await server.api(`/events/v3/event-definitions/buy_clicked/health?days=${days}`)).status).toBe(400);
    }
    expect((await fetch(`${server.url}/events/v3/event-definitions/buy_clicked/health`)).status).toBe(401);
  });
});
