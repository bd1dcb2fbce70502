import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_OBJECT_ID, apiErrorSchema, collectResultSchema, ingestStatsSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BOTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
];

describe.each(DATABASE_KINDS)('collect endpoint privacy rules on %s', (kind) => {
  let server: TestServer;
  let portal: number;
  let uuid = 0;
  const event = () => ({
    eventName: `pe${portal}_signed_up`,
    occurredAt: new Date().toISOString(),
    uuid: `collect-privacy-${++uuid}`,
    properties: { hs_url: 'https://shop.example.com/' },
  });
  const collect = (body: unknown, userAgent = CHROME) =>
    fetch(`${server.url}/t/${portal}/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': userAgent, Origin: server.url },
      body: JSON.stringify(body),
    });
  const stored = async () =>
    server.database.db
      .selectFrom('completions')
      .select(['object_id', 'uuid'])
      .where('portal_id', '=', portal)
      .orderBy('id')
      .execute();
  const setPrivacy = async (json: unknown) =>
    expect((await server.api('/settings/v1/privacy', { method: 'PATCH', json })).status).toBe(200);

  beforeAll(async () => {
    server = await startTestServer(kind);
    portal = server.bootstrap.portal.id;
    await server.api('/events/v3/event-definitions', { method: 'POST', json: { label: 'Signed up' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a batch without a visitor token unless the portal is cookieless, naming utk', async () => {
    const before = await stored();
    const response = await collect({ events: [event()] });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.errors[0]).toMatchObject({ in: 'utk', code: 'utk_required' });
    await setPrivacy({ consentMode: 'required' });
    expect((await collect({ events: [event()] })).status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('stores token-less completions of a cookieless portal as anonymous: no contact, no visitor token', async () => {
    await setPrivacy({ consentMode: 'cookieless' });
    const contactsBefore = await server.database.db.selectFrom('contacts').select('id').execute();
    const response = await collect({ events: [event(), event()] });
    expect(response.status).toBe(200);
    expect(collectResultSchema.parse(await response.json())).toEqual({ accepted: 2, rejected: [] });
    const rows = await stored();
    expect(rows.slice(-2).map((row) => row.object_id)).toEqual([ANONYMOUS_OBJECT_ID, ANONYMOUS_OBJECT_ID]);
    expect(await server.database.db.selectFrom('contacts').select('id').execute()).toEqual(contactsBefore);
    expect(await server.database.db.selectFrom('contact_utks').selectAll().execute()).toEqual([]);
    // After consent the same portal takes the normal token, which makes a contact.
    expect((await collect({ utk: 'visitorTokenAAAAAAAAA1', events: [event()] })).status).toBe(200);
    expect(await server.database.db.selectFrom('contact_utks').select('utk').execute()).toEqual([
      { utk: 'visitorTokenAAAAAAAAA1' },
    ]);
  });

  it('refuses an email without a visitor token: anonymous completions identify nobody', async () => {
    const response = await collect({ email: 'someone@example.com', events: [event()] });
    expect(response.status).toBe(400);
    expect(apiErrorSchema.parse(await response.json()).errors[0]?.in).toBe('email');
  });

  it('drops completions of crawlers and headless browsers by default, and counts them', async () => {
    const before = await stored();
    for (const bot of BOTS) {
      const response = await collect({ utk: 'botTokenAAAAAAAAAAAAA1', events: [event(), event()] }, bot);
      expect(response.status, bot).toBe(200);
      expect(collectResultSchema.parse(await response.json())).toEqual({ accepted: 0, rejected: [], dropped: 2 });
    }
    expect(await stored()).toEqual(before);
    const stats = ingestStatsSchema.parse(await (await server.api('/settings/v1/privacy/ingest-stats?days=7')).json());
    expect(stats.dropped.bot).toBe(BOTS.length * 2);
    expect(stats.byDay).toEqual([
      { date: new Date().toISOString().slice(0, 10), reason: 'bot', count: BOTS.length * 2 },
    ]);
    const bad = await server.api('/settings/v1/privacy/ingest-stats?days=0');
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(await bad.json()).errors[0]?.in).toBe('days');
  });

  it('keeps real browsers and server-side callers (HTTP libraries are not bot visits)', async () => {
    const before = (await stored()).length;
    for (const agent of [CHROME, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'node']) {
      const response = await collect({ utk: 'humanTokenAAAAAAAAAA1', events: [event()] }, agent);
      expect(collectResultSchema.parse(await response.json()), agent).toEqual({ accepted: 1, rejected: [] });
    }
    expect((await stored()).length).toBe(before + 3);
  });

  it('keeps bots when the portal asks to', async () => {
    await setPrivacy({ keepBots: true });
    const response = await collect({ utk: 'botTokenAAAAAAAAAAAAA1', events: [event()] }, BOTS[0]);
    expect(collectResultSchema.parse(await response.json())).toEqual({ accepted: 1, rejected: [] });
    await setPrivacy({ keepBots: false });
  });
});
