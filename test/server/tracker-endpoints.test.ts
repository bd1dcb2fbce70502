import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, trackerConfigSchema } from '../../lib/shared';
import { addOrigin } from '../../server/storage/portal-origins';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const SITE = 'https://shop.example.com';
const clickTrigger = {
  kind: 'click',
  url: { match: 'any' },
  element: {
    selector: '#buy',
    quality: 'good',
    fingerprint: { tag: 'button', text: 'Buy' },
  },
};

describe.each(DATABASE_KINDS)('tracker endpoints on %s', (kind) => {
  let server: TestServer;
  let config: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { trackerLimits: { limit: 20, windowMs: 60_000 } });
    config = `${server.url}/t/${server.bootstrap.portal.id}/config`;
    await addOrigin(server.database.db, server.bootstrap.portal.id, SITE);
    for (const body of [
      { label: 'Buy clicked', trigger: clickTrigger },
      { label: 'Pricing viewed', trigger: { kind: 'pageview', url: { match: 'path', value: '/pricing' } } },
      { label: 'Server side only' },
      { label: 'Archived click', trigger: clickTrigger },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: body })).status).toBe(201);
    }
    await server.api('/events/v3/event-definitions/archived_click', { method: 'DELETE' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the active click and page-view definitions, without an API key', async () => {
    const response = await fetch(config, { headers: { Origin: SITE } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    const body = trackerConfigSchema.parse(await response.json());
    expect(body.definitions.map((definition) => definition.name)).toEqual(['buy_clicked', 'pricing_viewed']);
    expect(body.definitions[0]?.fullyQualifiedName).toBe(`pe${server.bootstrap.portal.id}_buy_clicked`);
  });

  it('answers 304 to a revalidation with the ETag, and a new ETag after a change', async () => {
    const first = await fetch(config);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(config, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await server.api('/events/v3/event-definitions/buy_clicked', { method: 'PATCH', json: { label: 'Buy' } });
    // The label is not part of the tracker's config; the trigger is.
    expect((await fetch(config, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await server.api('/events/v3/event-definitions/buy_clicked', {
      method: 'PATCH',
      json: { trigger: { ...clickTrigger, element: { ...clickTrigger.element, selector: '#buy-now' } } },
    });
    expect((await fetch(config, { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });

  it('refuses browsers on other sites with 403 and no CORS permission', async () => {
    const response = await fetch(config, { headers: { Origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const error = apiErrorSchema.parse(await response.json());
    expect(error.category).toBe('FORBIDDEN');
    expect(error.message).toContain('https://evil.example');
  });

  it('allows the demo site because this server serves it (--demo), and says so in demoOrigins', async () => {
    expect(server.demoOrigins).toContain(server.url);
    expect((await fetch(config, { headers: { Origin: server.url } })).status).toBe(200);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(config, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
    const ok = await preflight(SITE);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    expect((await preflight('https://evil.example')).status).toBe(403);
  });

  it.each([['999999'], ['abc'], ['1e3']])('answers 404 for portal %s', async (portal) => {
    const response = await fetch(`${server.url}/t/${portal}/config`);
    expect(response.status).toBe(404);
    expect(apiErrorSchema.parse(await response.json()).category).toBe('OBJECT_NOT_FOUND');
  });

  describe('POST /t/{portalId}/collect', () => {
    const utk = 'visitor_0123456789abcdef';
    const collect = (body: unknown, origin = SITE) =>
      fetch(`${server.url}/t/${server.bootstrap.portal.id}/collect`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const event = (name: string, extra: object = {}) => ({
      eventName: `pe${server.bootstrap.portal.id}_${name}`,
      occurredAt: new Date().toISOString(),
      uuid: `uuid-${name}-${Math.random().toString(36).slice(2)}`,
      ...extra,
    });

    it('stores valid events, truncates like the JS API, drops undefined properties, and names rejected ones', async () => {
      const response = await collect({
        utk,
        events: [
          event('buy_clicked', { properties: { hs_page_title: 't'.repeat(300), hs_url: `${SITE}/x`, mystery: 'x' } }),
          event('no_such_event'),
          event('archived_click'),
          { eventName: 'nonsense' },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      const result = (await response.json()) as { accepted: number; rejected: { index: number; message: string }[] };
      expect(result.accepted).toBe(1);
      expect(result.rejected.map((rejected) => rejected.index)).toEqual([1, 2, 3]);
      const stored = (await (
        await server.api(`/events/v3/events?objectType=contact&eventType=pe${server.bootstrap.portal.id}_buy_clicked`)
      ).json()) as { results: { properties: Record<string, string> }[] };
      expect(stored.results).toHaveLength(1);
      expect(stored.results[0]!.properties).toEqual({ hs_page_title: 't'.repeat(256), hs_url: `${SITE}/x` });
    });

    it('stores a retried event (same uuid) once', async () => {
      const retried = event('buy_clicked');
      for (let i = 0; i < 2; i++) expect((await collect({ utk, events: [retried] })).status).toBe(200);
      const stored = (await (
        await server.api(`/events/v3/events?objectType=contact&eventType=pe${server.bootstrap.portal.id}_buy_clicked`)
      ).json()) as { results: unknown[] };
      expect(stored.results).toHaveLength(2);
    });

    it.each([
      ['malformed JSON', '{"utk":', 'body'],
      ['a short utk', { utk: 'abc', events: [{}] }, 'utk'],
      ['no events', { utk: 'visitor_0123456789abcdef', events: [] }, 'events'],
    ])('rejects %s with 400', async (_case, body, field) => {
      const response = await collect(body);
      expect(response.status).toBe(400);
      expect(apiErrorSchema.parse(await response.json()).errors.map((detail) => detail.in)).toContain(field);
    });

    it('refuses sites that are not allowed', async () => {
      expect((await collect({ utk, events: [event('buy_clicked')] }, 'https://evil.example')).status).toBe(403);
    });
  });

  it('rate limits each client with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 25; i++) {
      const response = await fetch(config);
      statuses.push(response.status);
      if (response.status === 429) {
        limited = response;
        break;
      }
    }
    expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(apiErrorSchema.parse(await limited!.json()).category).toBe('RATE_LIMITS');
    // The management API is not rate limited by the tracker's limits.
    expect((await server.api('/events/v3/event-definitions')).status).toBe(200);
  });
});
