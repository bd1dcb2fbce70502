import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSchema, timelineSchema, type ApiError, type Contact, type Timeline } from '../../lib/shared';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

type Api = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;

const at = (day: number, hour = 12) =>
  `2025-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** Contact lookup and the contact timeline (`/contacts/v1/contacts`). */
describe.each(DATABASE_KINDS)('contact timeline on %s', (kind) => {
  let server: TestServer;
  let portalId: number;
  let ada: Contact;
  let otherApi: Api;
  const api: Api = (path, init) => server.api(path, init);

  const get = async <T>(path: string, schema: { parse: (value: unknown) => T }, client: Api = api): Promise<T> => {
    const response = await client(path);
    expect(response.status, await response.clone().text()).toBe(200);
    return schema.parse(await response.json());
  };
  const timeline = (query = '') => get(`/contacts/v1/contacts/${ada.id}/timeline${query}`, timelineSchema);
  const events = (page: Timeline) => page.results.map((entry) => [entry.eventName, entry.occurredAt]);

  beforeAll(async () => {
    server = await startTestServer(kind);
    portalId = server.bootstrap.portal.id;
    for (const json of [
      {
        label: 'Signed up',
        propertyDefinitions: [
          {
            name: 'plan',
            label: 'Plan',
            type: 'enumeration',
            options: [
              { label: 'Free plan', value: 'free' },
              { label: 'Pro plan', value: 'pro' },
            ],
          },
        ],
      },
      { label: 'Viewed pricing' },
      { label: 'Paid', propertyDefinitions: [{ name: 'amount', label: 'Amount', type: 'number' }] },
    ]) {
      expect((await api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);
    }
    const fqn = (name: string) => `pe${portalId}_${name}`;
    const inputs = [
      // ada browses anonymously first, then identifies herself with the same utk.
      { eventName: fqn('viewed_pricing'), utk: 'utk-ada-0123456789', occurredAt: at(1) },
      {
        eventName: fqn('signed_up'),
        email: 'Ada@Example.com',
        utk: 'utk-ada-0123456789',
        occurredAt: at(2),
        properties: { plan: 'free;pro', hs_url: 'https://shop.example/signup' },
      },
      { eventName: fqn('viewed_pricing'), email: 'ada@example.com', occurredAt: at(3) },
      { eventName: fqn('paid'), email: 'ada@example.com', occurredAt: at(4), properties: { amount: '49.5' } },
      { eventName: fqn('viewed_pricing'), email: 'ada@example.com', occurredAt: at(5) },
      { eventName: fqn('viewed_pricing'), email: 'bob@example.com', occurredAt: at(6) },
    ];
    const response = await api('/events/v3/send/batch', { method: 'POST', json: { inputs } });
    expect(response.status, await response.clone().text()).toBe(204);
    ada = await get('/contacts/v1/contacts?email=ada@example.com', contactSchema);

    const other = await createPortal(server.database.db, 'Other portal');
    const key = await createApiKey(server.database.db, other.id, 'other');
    otherApi = (path) => fetch(server.url + path, { headers: { Authorization: `Bearer ${key.key}` } });
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('GET /contacts/v1/contacts', () => {
    it('finds a contact by email, whatever its case, with its visitor tokens', async () => {
      expect(ada).toEqual({
        id: expect.stringMatching(/^\d+$/) as string,
        email: 'ada@example.com',
        createdAt: expect.any(String) as string,
        utks: ['utk-ada-0123456789'],
      });
      expect(await get('/contacts/v1/contacts?email=ADA@example.com', contactSchema)).toEqual(ada);
    });

    it('finds a contact by utk', async () => {
      expect(await get('/contacts/v1/contacts?utk=utk-ada-0123456789', contactSchema)).toEqual(ada);
    });

    it('answers 404 for an unknown email or utk', async () => {
      const response = await api('/contacts/v1/contacts?email=nobody@example.com');
      expect(response.status).toBe(404);
      expect(((await response.json()) as ApiError).message).toContain('nobody@example.com');
      expect((await api('/contacts/v1/contacts?utk=nope')).status).toBe(404);
    });

    it.each(['', '?email=a@example.com&utk=x', '?name=ada'])(
      'refuses %s with a 400 naming the parameter',
      async (query) => {
        const response = await api(`/contacts/v1/contacts${query}`);
        expect(response.status).toBe(400);
        const body = (await response.json()) as ApiError;
        expect(body.errors[0]!.in).toBe(query === '?name=ada' ? 'name' : 'email');
      },
    );
  });

  describe('GET /contacts/v1/contacts/{id}/timeline', () => {
    it('lists the contact’s completions newest first, anonymous ones included, with labels', async () => {
      const page = await timeline();
      expect(events(page)).toEqual([
        ['viewed_pricing', at(5)],
        ['paid', at(4)],
        ['viewed_pricing', at(3)],
        ['signed_up', at(2)],
        ['viewed_pricing', at(1)],
      ]);
      expect(page.paging).toBeUndefined();
      expect(page.contactId).toBe(ada.id);
      const signup = page.results[3]!;
      expect(signup).toMatchObject({ eventType: `pe${portalId}_signed_up`, eventLabel: 'Signed up' });
      expect(signup.properties).toEqual(
        expect.arrayContaining([
          { name: 'plan', label: 'Plan', value: 'free;pro', displayValue: 'Free plan; Pro plan' },
          {
            name: 'hs_url',
            label: 'hs_url',
            value: 'https://shop.example/signup',
            displayValue: 'https://shop.example/signup',
          },
        ]),
      );
      expect(page.results[1]!.properties).toEqual([
        { name: 'amount', label: 'Amount', value: '49.5', displayValue: '49.5' },
      ]);
    });

    it('pages with limit and the paging cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let query = '?limit=2';
      let pages = 0;
      for (;;) {
        const page = await timeline(query);
        pages++;
        expect(page.results.length).toBeLessThanOrEqual(2);
        seen.push(...page.results.map((entry) => entry.occurredAt));
        if (!page.paging) break;
        query = `?limit=2&after=${page.paging.next.after}`;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([at(5), at(4), at(3), at(2), at(1)]);
    });

    it('filters by one or several events', async () => {
      expect(events(await timeline('?eventName=paid'))).toEqual([['paid', at(4)]]);
      expect(events(await timeline(`?eventName=paid&eventName=pe${portalId}_signed_up`))).toEqual([
        ['paid', at(4)],
        ['signed_up', at(2)],
      ]);
    });

    it.each([
      ['?eventName=nope', 'eventName'],
      ['?limit=0', 'limit'],
      ['?after=bogus', 'after'],
      ['?colour=red', 'colour'],
    ])('refuses %s with a 400 naming %s', async (query, parameter) => {
      const response = await api(`/contacts/v1/contacts/${ada.id}/timeline${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ApiError).errors[0]!.in).toBe(parameter);
    });

    it('answers 404 for a contact that is not the portal’s', async () => {
      expect((await api('/contacts/v1/contacts/999999/timeline')).status).toBe(404);
      expect((await api('/contacts/v1/contacts/abc/timeline')).status).toBe(404);
      expect((await otherApi(`/contacts/v1/contacts/${ada.id}/timeline`)).status).toBe(404);
      expect((await otherApi('/contacts/v1/contacts?email=ada@example.com')).status).toBe(404);
    });
  });
});
