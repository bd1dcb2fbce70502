import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedOriginAddedSchema, allowedOriginsSchema, apiErrorSchema } from '../../lib/shared';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const SITE = 'https://shop.example.com';

describe.each(DATABASE_KINDS)('allowed site origins (/settings/v1/origins) on %s', (kind) => {
  let server: TestServer;
  const list = async () => allowedOriginsSchema.parse(await (await server.api('/settings/v1/origins')).json()).results;
  const add = (origin: unknown) => server.api('/settings/v1/origins', { method: 'POST', json: { origin } });
  const trackerConfig = () =>
    fetch(`${server.url}/t/${server.bootstrap.portal.id}/config`, { headers: { Origin: SITE } });

  beforeAll(async () => {
    server = await startTestServer(kind, { demo: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('needs an API key', async () => {
    expect((await fetch(`${server.url}/settings/v1/origins`)).status).toBe(401);
    const response = await fetch(`${server.url}/settings/v1/origins`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ origin: SITE }),
    });
    expect(response.status).toBe(401);
    expect(await list()).toEqual([]);
  });

  it('adds an origin as browsers send it, and the tracker accepts that site from then on', async () => {
    expect((await trackerConfig()).status).toBe(403);
    const response = await add('HTTPS://Shop.Example.com/checkout?x=1');
    expect(response.status).toBe(201);
    expect(allowedOriginAddedSchema.parse(await response.json())).toEqual({ origin: SITE, added: true });
    expect(await list()).toEqual([SITE]);
    expect((await trackerConfig()).status).toBe(200);
  });

  it('adding an origin already allowed changes nothing and says so', async () => {
    const response = await add(SITE);
    expect(response.status).toBe(200);
    expect(allowedOriginAddedSchema.parse(await response.json())).toEqual({ origin: SITE, added: false });
    expect(await list()).toEqual([SITE]);
  });

  it.each([
    ['not a URL', 'shop.example.com'],
    ['another scheme', 'ftp://shop.example.com'],
    ['not a string', 42],
  ])('refuses %s with the reason on the origin field', async (_case, origin) => {
    const response = await add(origin);
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.errors?.[0]?.in).toBe('origin');
    expect(await list()).toEqual([SITE]);
  });

  it('refuses fields it does not know', async () => {
    const response = await server.api('/settings/v1/origins', {
      method: 'POST',
      json: { origin: 'https://other.example', portalId: 99 },
    });
    expect(response.status).toBe(400);
    expect(await list()).toEqual([SITE]);
  });

  it('keeps portals apart', async () => {
    const other = await createPortal(server.database.db, 'Other portal');
    const key = await createApiKey(server.database.db, other.id, 'other');
    const response = await fetch(`${server.url}/settings/v1/origins`, {
      headers: { Authorization: `Bearer ${key.key}` },
    });
    expect(allowedOriginsSchema.parse(await response.json()).results).toEqual([]);
  });

  it('removes an origin, and then the tracker refuses that site again', async () => {
    const query = new URLSearchParams({ origin: SITE });
    expect((await server.api(`/settings/v1/origins?${query}`, { method: 'DELETE' })).status).toBe(204);
    expect(await list()).toEqual([]);
    expect((await trackerConfig()).status).toBe(403);
    expect((await server.api(`/settings/v1/origins?${query}`, { method: 'DELETE' })).status).toBe(404);
    expect((await server.api('/settings/v1/origins?origin=nope', { method: 'DELETE' })).status).toBe(400);
  });
});
