import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, eventDefinitionSchema, trackerConfigSchema } from '../../lib/shared';
import { addOrigin } from '../../server/storage/portal-origins';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const SITE = 'https://shop.example.com';
const SIGNED_UP = "clicktrail.track('pe1_signed_up', { plan: 'pro' });";

describe.each(DATABASE_KINDS)('custom code on %s', (kind) => {
  let server: TestServer;
  let portal: number;
  const definitions = '/events/v3/event-definitions';
  const create = (body: object) => server.api(definitions, { method: 'POST', json: body });
  const patch = (name: string, body: object) => server.api(`${definitions}/${name}`, { method: 'PATCH', json: body });
  const script = (headers: Record<string, string> = { Origin: SITE }, query = '') =>
    fetch(`${server.url}/t/${portal}/custom.js${query}`, { headers });
  const config = async () =>
    trackerConfigSchema.parse(
      await (await fetch(`${server.url}/t/${portal}/config`, { headers: { Origin: SITE } })).json(),
    );

  beforeAll(async () => {
    server = await startTestServer(kind);
    portal = server.bootstrap.portal.id;
    await addOrigin(server.database.db, portal, SITE);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores the code of a custom-script event and returns it', async () => {
    const response = await create({ label: 'Signed up', trackingType: 'CUSTOM_SCRIPT', customCode: SIGNED_UP });
    expect(response.status).toBe(201);
    const definition = eventDefinitionSchema.parse(await response.json());
    expect(definition).toMatchObject({ trackingType: 'CUSTOM_SCRIPT', customCode: SIGNED_UP, status: 'ACTIVE' });
  });

  it.each([
    ['a syntax error', 'clicktrail.track("x", {', 'line 1'],
    ['code on a later line', 'const a = 1;\nconst b = ;', 'line 2, column 11'],
    ['an attempt to close the wrapper', '}); alert(1); (function () {', 'line 1'],
    ['an ES module', "import x from 'y';", 'line 1'],
    ['a top-level return', 'return 1;', 'line 1'],
  ])('refuses %s with the line and column', async (_, customCode, where) => {
    const response = await create({
      label: `Bad ${where} ${customCode.length}`,
      trackingType: 'CUSTOM_SCRIPT',
      customCode,
    });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.errors?.[0]).toMatchObject({ in: 'customCode', code: 'syntax_error' });
    expect(error.message).toContain(where);
  });

  it('refuses code over 32 KB, and code on events that are not custom scripts', async () => {
    const big = await create({
      label: 'Big',
      trackingType: 'CUSTOM_SCRIPT',
      customCode: `// ${'x'.repeat(32 * 1024)}`,
    });
    expect(big.status).toBe(400);
    expect(apiErrorSchema.parse(await big.json()).message).toContain('32 KB');
    const manual = await create({ label: 'Manual with code', customCode: 'void 0;' });
    expect(manual.status).toBe(400);
    expect(apiErrorSchema.parse(await manual.json()).errors?.[0]?.in).toBe('customCode');
    expect((await create({ label: 'Plain' })).status).toBe(201);
    const later = await patch('plain', { customCode: 'void 0;' });
    expect(later.status).toBe(400);
    expect(apiErrorSchema.parse(await later.json()).message).toContain('custom-script');
  });

  it('versions code changes (409 on a stale write) and keeps their history with the API key', async () => {
    const first = eventDefinitionSchema.parse(await (await server.api(`${definitions}/signed_up`)).json());
    const changed = await patch('signed_up', { customCode: `${SIGNED_UP}\n// v2`, version: first.version });
    expect(changed.status).toBe(200);
    const stale = await patch('signed_up', { customCode: 'void 0;', version: first.version });
    expect(stale.status).toBe(409);
    const history = (await (await server.api(`${definitions}/signed_up/custom-code/history`)).json()) as {
      results: { version: number; code: string | null; apiKey: { prefix: string } | null }[];
    };
    expect(history.results.map((change) => [change.version, change.code])).toEqual([
      [first.version + 1, `${SIGNED_UP}\n// v2`],
      [1, SIGNED_UP],
    ]);
    expect(server.apiKey.startsWith(history.results[0]!.apiKey!.prefix)).toBe(true);
  });

  it('serves active code in one script to allowed origins only, each snippet on its own', async () => {
    expect((await create({ label: 'Throws', trackingType: 'CUSTOM_SCRIPT', customCode: 'null.boom();' })).status).toBe(
      201,
    );
    const response = await script();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    const body = await response.text();
    expect(body).toContain(`c.run("pe${portal}_signed_up", function (clicktrail) {\n${SIGNED_UP}\n// v2\n});`);
    expect(body).toContain(`c.run("pe${portal}_throws", function (clicktrail) {\nnull.boom();\n});`);
    // The other portal's code and events without code are not there.
    expect(body.match(/c\.run\(/g)).toHaveLength(2);

    expect((await script({ Origin: 'https://evil.example' })).status).toBe(403);
    const bare = await script({});
    expect(bare.status).toBe(403);
    expect(apiErrorSchema.parse(await bare.json()).errors?.[0]?.code).toBe('origin_required');
  });

  it('names the script version in the config, caches it by version and revalidates by ETag', async () => {
    const { customScript } = await config();
    expect(customScript).toMatch(/^[\w-]{22}$/);
    const versioned = await script({ Origin: SITE }, `?v=${customScript}`);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = versioned.headers.get('etag')!;
    expect(etag).toBe(`"${customScript}"`);
    expect((await script({ Origin: SITE }, '?v=old')).headers.get('cache-control')).toBe('no-cache');
    expect((await script({ Origin: SITE, 'If-None-Match': etag })).status).toBe(304);

    await patch('throws', { customCode: 'void "fixed";' });
    const next = await config();
    expect(next.customScript).not.toBe(customScript);
    const refreshed = await script({ Origin: SITE, 'If-None-Match': etag });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.text()).toContain('void "fixed";');
  });

  it('leaves paused and archived events out of the script; nothing to load when no code is active', async () => {
    const paused = await patch('signed_up', { paused: true });
    expect(eventDefinitionSchema.parse(await paused.json())).toMatchObject({ status: 'PAUSED', paused: true });
    await server.api(`${definitions}/throws`, { method: 'DELETE' });
    expect((await script()).status).toBe(200);
    expect(await (await script()).text()).not.toContain('c.run(');
    expect((await config()).customScript).toBeUndefined();
    await patch('signed_up', { paused: false });
    expect((await config()).customScript).toBeDefined();
  });

  it('leaves paused click and page-view events out of the tracker config', async () => {
    await create({ label: 'Pricing viewed', trigger: { kind: 'pageview', url: { match: 'path', value: '/pricing' } } });
    expect((await config()).definitions.map((definition) => definition.name)).toContain('pricing_viewed');
    await patch('pricing_viewed', { paused: true });
    expect((await config()).definitions.map((definition) => definition.name)).not.toContain('pricing_viewed');
  });

  it('counts reported errors per day, path and error name, and ignores unknown events', async () => {
    const send = (body: unknown) =>
      fetch(`${server.url}/t/${portal}/errors`, {
        method: 'POST',
        headers: { Origin: SITE, 'Content-Type': 'text/plain' },
        body: JSON.stringify(body),
      });
    const error = {
      eventName: `pe${portal}_signed_up`,
      name: 'TypeError',
      message: 'x is undefined',
      path: '/checkout',
    };
    for (let i = 0; i < 3; i++) expect((await send({ errors: [error] })).status).toBe(200);
    const mixed = await send({
      errors: [
        { ...error, path: '/checkout?coupon=secret#top', name: 'not a name!' },
        { ...error, eventName: `pe${portal}_pricing_viewed` },
        { ...error, eventName: 'pe999_other_portal' },
      ],
    });
    expect(await mixed.json()).toEqual({ accepted: 1, ignored: 2 });
    expect((await send({ errors: [] })).status).toBe(400);
    expect((await send({ errors: Array.from({ length: 21 }, () => error) })).status).toBe(400);
    expect(
      (await fetch(`${server.url}/t/${portal}/errors`, { method: 'POST', headers: { Origin: SITE }, body: '{' }))
        .status,
    ).toBe(400);

    const summary = (await (await server.api(`${definitions}/signed_up/custom-code/errors?days=1`)).json()) as {
      results: { path: string; errorName: string; count: number; lastMessage: string }[];
    };
    expect(summary.results).toEqual([
      expect.objectContaining({ path: '/checkout', errorName: 'TypeError', count: 3, lastMessage: 'x is undefined' }),
      expect.objectContaining({ path: '/checkout', errorName: 'Error', count: 1 }),
    ]);
    expect((await server.api(`${definitions}/signed_up/custom-code/errors?days=0`)).status).toBe(400);
  });
});
