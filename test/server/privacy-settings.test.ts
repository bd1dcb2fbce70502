import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, privacySettingsSchema, trackerConfigSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

describe.each(DATABASE_KINDS)('privacy settings on %s', (kind) => {
  let server: TestServer;
  const patch = (json: unknown) => server.api('/settings/v1/privacy', { method: 'PATCH', json });
  const read = async () => privacySettingsSchema.parse(await (await server.api('/settings/v1/privacy')).json());

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts with the defaults: no consent needed, completions kept, DNT ignored, bots dropped', async () => {
    expect(await read()).toEqual({
      consentMode: 'none',
      retentionMonths: null,
      respectDoNotTrack: false,
      keepBots: false,
      updatedAt: null,
    });
  });

  it('needs an API key', async () => {
    expect((await fetch(`${server.url}/settings/v1/privacy`)).status).toBe(401);
    const response = await fetch(`${server.url}/settings/v1/privacy`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ consentMode: 'none' }),
    });
    expect(response.status).toBe(401);
  });

  it('updates the fields sent and keeps the others', async () => {
    const response = await patch({ consentMode: 'required', retentionMonths: 25 });
    expect(response.status).toBe(200);
    const updated = privacySettingsSchema.parse(await response.json());
    expect(updated).toMatchObject({ consentMode: 'required', retentionMonths: 25, respectDoNotTrack: false });
    expect(updated.updatedAt).not.toBeNull();
    await patch({ respectDoNotTrack: true, keepBots: true });
    expect(await read()).toMatchObject({
      consentMode: 'required',
      retentionMonths: 25,
      respectDoNotTrack: true,
      keepBots: true,
    });
    await patch({ retentionMonths: null });
    expect((await read()).retentionMonths).toBeNull();
  });

  it.each([
    [{ consentMode: 'always' }, 'consentMode', 'consentMode must be none, required or cookieless'],
    [{ retentionMonths: 0 }, 'retentionMonths', 'retentionMonths must be at least 1'],
    [{ retentionMonths: 2.5 }, 'retentionMonths', 'retentionMonths must be a whole number of months'],
    [{ retentionMonths: '25' }, 'retentionMonths', 'retentionMonths must be a whole number of months, or null'],
    [{ respectDoNotTrack: 'yes' }, 'respectDoNotTrack', 'respectDoNotTrack must be true or false'],
    [{ keepbots: true }, 'body', 'Unrecognized key'],
    [{}, 'body', 'send at least one of consentMode'],
  ])('refuses %j with 400 naming %s, and changes nothing', async (body, field, message) => {
    const before = await read();
    const response = await patch(body);
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.errors[0]?.in).toBe(field);
    expect(error.message).toContain(message);
    expect(await read()).toEqual(before);
  });

  it('tells the tracker the consent mode in the config it already fetches, with a new ETag on change', async () => {
    const config = `${server.url}/t/${server.bootstrap.portal.id}/config`;
    await patch({ consentMode: 'none', respectDoNotTrack: false });
    const first = await fetch(config);
    expect(trackerConfigSchema.parse(await first.json()).privacy).toEqual({
      consentMode: 'none',
      respectDoNotTrack: false,
    });
    const etag = first.headers.get('etag')!;
    expect((await fetch(config, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await patch({ consentMode: 'cookieless', respectDoNotTrack: true });
    const second = await fetch(config, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(200);
    expect(trackerConfigSchema.parse(await second.json()).privacy).toEqual({
      consentMode: 'cookieless',
      respectDoNotTrack: true,
    });
    // Retention and bots are the server's business: changing them leaves the tracker's config alone.
    const etag2 = second.headers.get('etag')!;
    await patch({ retentionMonths: 13, keepBots: false });
    expect((await fetch(config, { headers: { 'If-None-Match': etag2 } })).status).toBe(304);
  });
});
