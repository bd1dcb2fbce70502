import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountDetailsSchema,
  completionListSchema,
  eventDefinitionListSchema,
  eventDefinitionSchema,
  eventTypesSchema,
  propertyDefinitionSchema,
  type CompletionList,
} from '../../lib/shared';
import { createApp } from '../../server/app';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

type QueryValue = string | number | Date | string[] | undefined;

/**
 * Calls the API the way HubSpot's generated clients (openapi-generator, `@hubspot/api-client`) do:
 * paths as HubSpot's specification spells them (`/events/v3/events/` with its trailing slash),
 * query values through the generator's serialiser (a `Date` as `toISOString()`, numbers as their
 * digits, arrays joined with commas), bodies through `JSON.stringify` (so `Date`s become ISO strings)
 * and every property value of a completion as a string.
 */
class GeneratedStyleClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, options: { query?: Record<string, QueryValue>; body?: unknown } = {}) {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      const serialised =
        value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
      url.searchParams.set(name, serialised);
    }
    return fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: 'application/json, */*;q=0.8',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  }

  async json(method: string, path: string, options: Parameters<GeneratedStyleClient['call']>[2] = {}) {
    const response = await this.call(method, path, options);
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

const T0 = Date.UTC(2024, 5, 1);

describe.each(DATABASE_KINDS)('HubSpot generated-client compatibility on %s', (kind) => {
  let server: TestServer;
  let client: GeneratedStyleClient;
  let portalId: number;
  const fqn = (name: string) => `pe${portalId}_${name}`;

  beforeAll(async () => {
    server = await startTestServer(kind);
    portalId = server.bootstrap.portal.id;
    client = new GeneratedStyleClient(server.url, server.apiKey);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('drives every event-definition route with a trailing slash', async () => {
    const created = eventDefinitionSchema.parse(
      await client.json('POST', '/events/v3/event-definitions/', {
        body: {
          label: 'Plan chosen',
          name: 'plan_chosen',
          propertyDefinitions: [
            { name: 'plan', label: 'Plan', type: 'string' },
            { name: 'seats', label: 'Seats', type: 'number' },
          ],
        },
      }),
    );
    expect(created.fullyQualifiedName).toBe(fqn('plan_chosen'));
    const list = eventDefinitionListSchema.parse(
      await client.json('GET', '/events/v3/event-definitions/', { query: { limit: 10, includeArchived: 'false' } }),
    );
    expect(list.results.map((definition) => definition.name)).toContain('plan_chosen');
    expect(
      eventDefinitionSchema.parse(await client.json('GET', '/events/v3/event-definitions/plan_chosen/')).name,
    ).toBe('plan_chosen');
    const patched = eventDefinitionSchema.parse(
      await client.json('PATCH', '/events/v3/event-definitions/plan_chosen/', {
        body: { description: 'Pricing page' },
      }),
    );
    expect(patched.description).toBe('Pricing page');
    const added = propertyDefinitionSchema.parse(
      await client.json('POST', '/events/v3/event-definitions/plan_chosen/property/', {
        body: { name: 'coupon', label: 'Coupon', type: 'string' },
      }),
    );
    expect(added.name).toBe('coupon');
    const edited = propertyDefinitionSchema.parse(
      await client.json('PATCH', '/events/v3/event-definitions/plan_chosen/property/coupon/', {
        body: { label: 'Coupon code' },
      }),
    );
    expect(edited.label).toBe('Coupon code');
    expect((await client.call('DELETE', '/events/v3/event-definitions/plan_chosen/property/coupon/')).status).toBe(204);

    await client.json('POST', '/events/v3/event-definitions/', { body: { label: 'Temporary' } });
    expect((await client.call('DELETE', '/events/v3/event-definitions/temporary/')).status).toBe(204);
  });

  it('sends completions with Date occurredAt and string property values, and reads them back with every filter', async () => {
    const email = `gen-${randomUUID()}@example.com`;
    const uuids = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      (
        await client.call('POST', '/events/v3/send/', {
          body: {
            eventName: fqn('plan_chosen'),
            email,
            occurredAt: new Date(T0),
            properties: { plan: 'pro', seats: '12' },
            uuid: uuids[0],
          },
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await client.call('POST', '/events/v3/send/batch/', {
          body: {
            inputs: [1, 2].map((minutes, index) => ({
              eventName: fqn('plan_chosen'),
              email,
              occurredAt: new Date(T0 + minutes * 60_000),
              properties: { plan: index === 0 ? 'team' : 'pro', seats: String(3 + index) },
              uuid: uuids[index + 1],
            })),
          },
        })
      ).status,
    ).toBe(204);

    const read = async (query: Record<string, QueryValue>): Promise<CompletionList> =>
      completionListSchema.parse(await client.json('GET', '/events/v3/events/', { query }));
    const all = await read({ objectType: 'contact', eventType: fqn('plan_chosen'), occurredAfter: new Date(T0 - 1) });
    expect(all.results).toHaveLength(3);
    const objectId = Number(all.results[0]!.objectId);

    // Date serialisation and a numeric objectId, as the client's types make them.
    const window = await read({
      objectType: 'contact',
      objectId,
      occurredAfter: new Date(T0),
      occurredBefore: new Date(T0 + 2 * 60_000),
    });
    expect(window.results.map((completion) => completion.occurredAt)).toEqual([new Date(T0 + 60_000).toISOString()]);

    const ascending = await read({ objectType: 'contact', objectId, sort: ['occurredAt'], limit: 2 });
    expect(ascending.results.map((completion) => completion.occurredAt)).toEqual([
      new Date(T0).toISOString(),
      new Date(T0 + 60_000).toISOString(),
    ]);
    const next = await read({
      objectType: 'contact',
      objectId,
      sort: ['occurredAt'],
      limit: 2,
      after: ascending.paging!.next!.after,
    });
    expect(next.results.map((completion) => completion.occurredAt)).toEqual([new Date(T0 + 2 * 60_000).toISOString()]);
    const back = await read({
      objectType: 'contact',
      objectId,
      sort: ['occurredAt'],
      limit: 2,
      before: next.paging!.prev!.before,
    });
    expect(back.results.map((completion) => completion.id)).toEqual(
      ascending.results.map((completion) => completion.id),
    );

    const ids = [all.results[0]!.id, all.results[2]!.id];
    expect((await read({ id: ids })).results.map((completion) => completion.id).sort()).toEqual([...ids].sort());
    expect((await read({ 'property.plan': 'pro' })).results).toHaveLength(2);
    expect(
      (await read({ 'property.plan': 'pro', 'property.seats': '12' })).results.map((c) => c.properties.seats),
    ).toEqual(['12']);
    expect((await read({ 'objectProperty.email': email.toUpperCase() })).results).toHaveLength(3);
    expect((await read({ 'objectProperty.email': 'nobody@example.com' })).results).toEqual([]);
  });

  it('lists event types at /events/v3/events/event-types', async () => {
    const body = eventTypesSchema.parse(await client.json('GET', '/events/v3/events/event-types'));
    expect(body.eventTypes).toContain(fqn('plan_chosen'));
    expect(body.eventTypes).toContain(fqn('temporary'));
    expect(eventTypesSchema.parse(await client.json('GET', '/events/v3/events/event-types/')).eventTypes).toEqual(
      body.eventTypes,
    );
  });

  it('reads the account with a trailing slash', async () => {
    expect(accountDetailsSchema.parse(await client.json('GET', '/account-info/v3/details/')).portalId).toBe(portalId);
  });

  it('answers every API route of the app with and without a trailing slash alike', async () => {
    const routes = createApp(server.database.db)
      .routes.filter((route) => /^\/(events|account-info)\//.test(route.path) && route.method === 'GET')
      .map((route) => route.path.replace(':eventName', 'plan_chosen').replace(/\/$/, ''));
    expect(routes.length).toBeGreaterThan(3);
    for (const path of new Set(routes)) {
      const plain = await client.call('GET', path);
      const slashed = await client.call('GET', `${path}/`);
      expect(slashed.status, path).toBe(plain.status);
      expect(plain.status, path).not.toBe(404);
    }
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, 'colour', /unknown query parameter "colour"/],
    ['indexTableName (HubSpot-internal)', { indexTableName: 'x' }, 'indexTableName', /unknown query parameter/],
    [
      "the client's placeholder property.{propname}",
      { 'property.{propname}': 'x' },
      'property.{propname}',
      /name the event property/,
    ],
    [
      'an objectProperty other than email',
      { 'objectProperty.firstname': 'Ada' },
      'objectProperty.firstname',
      /only objectProperty.email/,
    ],
    ['a sort on another field', { sort: ['name'] }, 'sort', /sort must be occurredAt/],
    ['a non-numeric id', { id: ['abc'] }, 'id', /id must be completion ids/],
    ['after and before together', { after: 'MS4x', before: 'MS4x' }, 'before', /not both/],
  ])('answers %s with a 400 naming it', async (_label, query, parameter, message) => {
    const response = await client.call('GET', '/events/v3/events/', { query });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { in: string; message: string }[] };
    const detail = body.errors.find((error) => error.in === parameter);
    expect(detail?.message, JSON.stringify(body.errors)).toMatch(message);
  });

  it('refuses a repeated single-valued parameter instead of using one of them', async () => {
    const response = await server.api('/events/v3/events/?objectType=contact&objectType=deal');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ in: 'objectType', code: 'repeated' }] });
  });

  it('accepts repeated ids as well as comma-separated ones', async () => {
    const all = completionListSchema.parse(await (await server.api('/events/v3/events/?limit=2')).json());
    const [a, b] = all.results.map((completion) => completion.id);
    const page = completionListSchema.parse(await (await server.api(`/events/v3/events/?id=${a}&id=${b}`)).json());
    expect(page.results.map((completion) => completion.id).sort()).toEqual([a, b].sort());
  });
});
