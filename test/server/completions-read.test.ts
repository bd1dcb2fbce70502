import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionListSchema, type CompletionList, type ErrorDetail } from '../../lib/shared';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const T0 = Date.UTC(2024, 0, 1);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** Reading completions (`GET /events/v3/events`) and tenant isolation of the whole completion API. */
describe.each(DATABASE_KINDS)('reading event completions on %s', (kind) => {
  let server: TestServer;
  let portalId: number;
  let ada: string;
  let bob: string;
  const fqn = (name: string) => `pe${portalId}_${name}`;

  const send = async (json: Record<string, unknown>) => {
    const response = await server.api('/events/v3/send', { method: 'POST', json: { uuid: randomUUID(), ...json } });
    expect(response.status, await response.clone().text()).toBe(204);
  };
  const read = async (query: string, api?: TestServer['api']): Promise<CompletionList> => {
    const response = await (api ?? server.api)(`/events/v3/events${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return completionListSchema.parse(await response.json());
  };
  /** Every page of a query, following paging.next.after. */
  const readAll = async (query: string): Promise<CompletionList['results']> => {
    const results: CompletionList['results'] = [];
    let after: string | undefined;
    do {
      const page = await read(`${query}${after ? `&after=${after}` : ''}`);
      results.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return results;
  };
  const contactId = async (email: string) =>
    String(
      (
        await server.database.db
          .selectFrom('contacts')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id,
    );

  beforeAll(async () => {
    server = await startTestServer(kind);
    portalId = server.bootstrap.portal.id;
    for (const json of [
      { label: 'Page viewed' },
      { label: 'Clicked', propertyDefinitions: [{ name: 'size', label: 'Size', type: 'number' }] },
      { label: 'Deal won', primaryObject: 'DEAL' },
      { label: 'Tied' },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);
    }
    await send({ eventName: fqn('page_viewed'), email: 'ada@example.com', occurredAt: at(1) });
    await send({ eventName: fqn('clicked'), email: 'ada@example.com', occurredAt: at(2), properties: { size: '2' } });
    await send({ eventName: fqn('page_viewed'), email: 'bob@example.com', occurredAt: at(3) });
    await send({ eventName: fqn('deal_won'), objectId: '501', occurredAt: at(4) });
    await send({ eventName: fqn('clicked'), email: 'bob@example.com', occurredAt: at(5), properties: { size: 10 } });
    await send({ eventName: fqn('page_viewed'), email: 'ada@example.com', occurredAt: at(6) });
    ada = await contactId('ada@example.com');
    bob = await contactId('bob@example.com');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists the portal’s completions newest first, in HubSpot’s shape', async () => {
    const page = await read('?eventType=' + fqn('page_viewed'));
    expect(page).toEqual({
      results: [
        {
          id: expect.any(String) as string,
          eventType: fqn('page_viewed'),
          objectType: 'contact',
          objectId: ada,
          occurredAt: at(6),
          properties: {},
        },
        expect.objectContaining({ objectId: bob, occurredAt: at(3) }) as object,
        expect.objectContaining({ objectId: ada, occurredAt: at(1) }) as object,
      ],
    });
    const all = await read('');
    expect(all.results.map((result) => result.occurredAt)).toEqual([6, 5, 4, 3, 2, 1].map(at));
    expect(all.paging).toBeUndefined();
  });

  it('returns property values as strings, like HubSpot', async () => {
    const page = await read(`?eventType=${fqn('clicked')}`);
    expect(page.results.map((result) => result.properties)).toEqual([{ size: '10' }, { size: '2' }]);
  });

  it('filters by contact (objectType and objectId), the contact timeline', async () => {
    const page = await read(`?objectType=contact&objectId=${ada}`);
    expect(page.results.map((result) => [result.eventType, result.occurredAt])).toEqual([
      [fqn('page_viewed'), at(6)],
      [fqn('clicked'), at(2)],
      [fqn('page_viewed'), at(1)],
    ]);
    const hubspotId = await read(`?objectType=0-1&objectId=${bob}`);
    expect(hubspotId.results).toHaveLength(2);
  });

  it('filters by object type alone', async () => {
    const page = await read('?objectType=DEAL');
    expect(page.results).toEqual([expect.objectContaining({ objectType: 'deal', objectId: '501' })]);
  });

  it('filters by occurredAfter and occurredBefore, both exclusive, as ISO or epoch milliseconds', async () => {
    const page = await read(`?occurredAfter=${at(2)}&occurredBefore=${T0 + 5 * 60_000}`);
    expect(page.results.map((result) => result.occurredAt)).toEqual([at(4), at(3)]);
  });

  it('combines filters', async () => {
    const page = await read(
      `?eventType=${fqn('page_viewed')}&objectType=contact&objectId=${ada}&occurredAfter=${at(1)}`,
    );
    expect(page.results.map((result) => result.occurredAt)).toEqual([at(6)]);
  });

  it('pages with a stable cursor, even through equal occurredAt values and new writes', async () => {
    const occurredAt = at(100);
    const inputs = Array.from({ length: 25 }, (_, index) => ({
      eventName: fqn('tied'),
      email: `tie-${index}@example.com`,
      occurredAt,
      uuid: randomUUID(),
    }));
    expect((await server.api('/events/v3/send/batch', { method: 'POST', json: { inputs } })).status).toBe(204);
    const everything = (await read(`?eventType=${fqn('tied')}&limit=500`)).results;
    expect(everything).toHaveLength(25);

    const first = await read(`?eventType=${fqn('tied')}&limit=10`);
    expect(first.results).toEqual(everything.slice(0, 10));
    // Newer completions arriving between pages do not shift the pages after the cursor.
    await send({ eventName: fqn('tied'), email: 'late@example.com', occurredAt: at(101) });
    const rest = [];
    let after = first.paging?.next?.after;
    while (after) {
      const page = await read(`?eventType=${fqn('tied')}&limit=10&after=${after}`);
      rest.push(...page.results);
      after = page.paging?.next?.after;
    }
    expect([...first.results, ...rest]).toEqual(everything);
    expect(await readAll(`?eventType=${fqn('tied')}&limit=7`)).toHaveLength(26);
  });

  it('defaults to 100 results per page', async () => {
    const inputs = Array.from({ length: 120 }, (_, index) => ({
      eventName: fqn('page_viewed'),
      utk: `visitor-${String(index).padStart(12, '0')}`,
      occurredAt: at(200),
    }));
    expect((await server.api('/events/v3/send/batch', { method: 'POST', json: { inputs } })).status).toBe(204);
    const page = await read('');
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toEqual(expect.any(String));
  });

  it('still lists the completions of an archived event', async () => {
    await server.database.db
      .updateTable('event_definitions')
      .set({ archived: 1 })
      .where('name', '=', 'deal_won')
      .execute();
    expect((await read(`?eventType=${fqn('deal_won')}`)).results).toHaveLength(1);
  });

  describe('rejects bad filters with 400 and the parameter', () => {
    it.each<[string, string, ErrorDetail]>([
      ['limit 0', '?limit=0', { message: 'limit must be between 1 and 500', in: 'limit', code: 'custom' }],
      ['limit 501', '?limit=501', { message: 'limit must be between 1 and 500', in: 'limit', code: 'custom' }],
      [
        'a non-numeric limit',
        '?limit=ten',
        { message: 'limit must be a whole number', in: 'limit', code: 'invalid_format' },
      ],
      [
        'an unknown objectType',
        '?objectType=lead',
        {
          message: 'objectType must be contact, company, deal or ticket (or 0-1, 0-2, 0-3, 0-5)',
          in: 'objectType',
          code: 'invalid_format',
        },
      ],
      [
        'objectId without objectType',
        '?objectId=1',
        { message: 'objectId needs objectType (ids are per object type)', in: 'objectId', code: 'custom' },
      ],
      [
        'an eventType that is not fully qualified',
        '?eventType=page_viewed',
        {
          message: 'eventType must be the fully qualified name pe{portalId}_{name}',
          in: 'eventType',
          code: 'invalid_format',
        },
      ],
      [
        'a malformed occurredAfter',
        '?occurredAfter=yesterday',
        {
          message: 'occurredAfter must be an ISO 8601 date-time or epoch milliseconds',
          in: 'occurredAfter',
          code: 'custom',
        },
      ],
      [
        'a malformed cursor',
        '?after=garbage',
        { message: 'after must be the cursor returned in paging.next.after', in: 'after', code: 'invalid_cursor' },
      ],
      [
        'an empty time range',
        `?occurredAfter=${at(5)}&occurredBefore=${at(5)}`,
        { message: 'occurredAfter must be earlier than occurredBefore', in: 'occurredAfter', code: 'invalid_range' },
      ],
      [
        'an unknown parameter',
        '?colour=red',
        {
          message:
            'unknown query parameter "colour"; the supported ones are objectType, objectId, eventType, occurredAfter, occurredBefore, limit, after, before, sort, id, property.{name} and objectProperty.email',
          in: 'colour',
          code: 'unknown_parameter',
        },
      ],
    ])('%s', async (_case, query, detail) => {
      const response = await server.api(`/events/v3/events${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { status: string; category: string; message: string; errors: unknown };
      expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', errors: [detail] });
      expect(body.message).toMatch(/^Invalid query: /);
    });

    it('an unknown event type, naming it', async () => {
      const response = await server.api(`/events/v3/events?eventType=${fqn('nope')}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: 'Invalid query: no event named "nope" exists.',
        correlationId: response.headers.get('x-correlation-id'),
        errors: [{ message: 'no event named "nope" exists', in: 'eventType', code: 'unknown_event' }],
      });
    });
  });

  describe('tenant isolation', () => {
    let other: TestServer['api'];
    let otherPortal: number;

    beforeAll(async () => {
      const portal = await createPortal(server.database.db, 'Other portal');
      otherPortal = portal.id;
      const { key } = await createApiKey(server.database.db, portal.id, 'other');
      other = (pathname, init = {}) =>
        server.api(pathname, { ...init, headers: { ...init.headers, Authorization: `Bearer ${key}` } });
      const response = await other('/events/v3/event-definitions', { method: 'POST', json: { label: 'Page viewed' } });
      expect(response.status).toBe(201);
    });

    it('cannot send to another portal’s events', async () => {
      const eventName = fqn('page_viewed');
      const response = await other('/events/v3/send', {
        method: 'POST',
        json: { eventName, email: 'mallory@example.com' },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: ErrorDetail[] }).errors).toEqual([
        {
          message: `"${eventName}" is not an event of portal ${otherPortal}; its events are named pe${otherPortal}_{name}`,
          in: 'eventName',
          code: 'wrong_portal',
        },
      ]);
    });

    it('cannot see another portal’s completions, nor filter by its events', async () => {
      expect((await read('', other)).results).toEqual([]);
      expect((await read(`?objectType=contact&objectId=${ada}`, other)).results).toEqual([]);
      const response = await other(`/events/v3/events?eventType=${fqn('page_viewed')}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: ErrorDetail[] }).errors[0]?.code).toBe('wrong_portal');
    });

    it('cannot attach completions to another portal’s contact', async () => {
      const response = await other('/events/v3/send', {
        method: 'POST',
        json: { eventName: `pe${otherPortal}_page_viewed`, objectId: ada },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: ErrorDetail[] }).errors).toEqual([
        { message: `no contact has the id "${ada}"`, in: 'objectId', code: 'unknown_object' },
      ]);
    });

    it('keeps contacts and uuids per portal', async () => {
      const uuid = randomUUID();
      await send({ eventName: fqn('page_viewed'), email: 'shared@example.com', uuid, occurredAt: at(300) });
      const response = await other('/events/v3/send', {
        method: 'POST',
        json: { eventName: `pe${otherPortal}_page_viewed`, email: 'shared@example.com', uuid, occurredAt: at(300) },
      });
      expect(response.status).toBe(204);
      const mine = (await read(`?occurredAfter=${at(299)}`)).results;
      const theirs = (await read('', other)).results;
      expect(mine).toHaveLength(1);
      expect(theirs).toHaveLength(1);
      expect(theirs[0]?.eventType).toBe(`pe${otherPortal}_page_viewed`);
      expect(theirs[0]?.objectId).not.toBe(mine[0]?.objectId);
    });
  });
});
