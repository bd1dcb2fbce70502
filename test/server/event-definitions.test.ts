import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app';
import { apiErrorSchema, eventDefinitionSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const clickTrigger = {
  kind: 'click',
  url: { match: 'path', value: '/demo/products.html' },
  element: {
    mode: 'unique',
    selector: '[data-product-id="mug-speckled"]',
    quality: 'good',
    reasons: ['test attribute'],
    alternatives: [{ selector: '#mug-speckled > button', quality: 'warning', reasons: ['stable id'] }],
    fingerprint: { tag: 'button', attributes: { 'data-product-id': 'mug-speckled' }, text: 'Add to cart' },
  },
};

describe.each(DATABASE_KINDS)('event definitions API on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a definition, deriving the internal name and tracking type from the trigger', async () => {
    const response = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Add to cart: Speckled mug', trigger: clickTrigger },
    });
    expect(response.status).toBe(201);
    const body = eventDefinitionSchema.parse(await response.json());
    expect(body).toMatchObject({
      name: 'add_to_cart_speckled_mug',
      label: 'Add to cart: Speckled mug',
      fullyQualifiedName: `pe${server.bootstrap.portal.id}_add_to_cart_speckled_mug`,
      primaryObject: 'CONTACT',
      trackingType: 'CLICKED_ELEMENT',
      archived: false,
      status: 'ACTIVE',
      version: 1,
      properties: [],
    });
    expect(body.trigger).toMatchObject(clickTrigger);
  });

  it('reads a definition back by its internal name', async () => {
    const response = await server.api('/events/v3/event-definitions/add_to_cart_speckled_mug');
    expect(response.status).toBe(200);
    expect(eventDefinitionSchema.parse(await response.json()).label).toBe('Add to cart: Speckled mug');
  });

  it('stores properties with their enumeration options', async () => {
    const response = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: {
        label: 'Plan chosen',
        name: 'plan_chosen',
        primaryObject: 'COMPANY',
        propertyDefinitions: [
          {
            name: 'plan',
            label: 'Plan',
            type: 'enumeration',
            options: [
              { label: 'Free', value: 'free' },
              { label: 'Pro', value: 'pro' },
            ],
          },
          { name: 'seats', label: 'Seats', type: 'number' },
        ],
      },
    });
    expect(response.status).toBe(201);
    const body = eventDefinitionSchema.parse(await response.json());
    expect(body.trackingType).toBe('MANUAL');
    expect(body.primaryObject).toBe('COMPANY');
    expect(body.properties.map((property) => [property.name, property.type, property.options.length])).toEqual([
      ['plan', 'enumeration', 2],
      ['seats', 'number', 0],
    ]);
  });

  it.each([
    ['a missing label', { name: 'x' }, 'label'],
    ['a label over 100 characters', { label: 'x'.repeat(101) }, 'label'],
    ['an upper-case name', { label: 'Signup', name: 'SignUp' }, 'name'],
    ['a name starting with a digit', { label: 'Signup', name: '1signup' }, 'name'],
    ['a name over 50 characters', { label: 'Signup', name: 'a'.repeat(51) }, 'name'],
    ['an unknown primary object', { label: 'Signup', primaryObject: 'LEAD' }, 'primaryObject'],
    [
      'an unknown property type',
      { label: 'Signup', propertyDefinitions: [{ name: 'p', label: 'P', type: 'bool' }] },
      'propertyDefinitions.0.type',
    ],
    [
      'an enumeration without options',
      { label: 'Signup', propertyDefinitions: [{ name: 'p', label: 'P', type: 'enumeration' }] },
      'propertyDefinitions.0.options',
    ],
    [
      'a trigger without a selector',
      { label: 'Signup', trigger: { ...clickTrigger, element: { ...clickTrigger.element, selector: '' } } },
      'trigger.element.selector',
    ],
    ['an unknown field', { label: 'Signup', color: 'red' }, 'body'],
    ['a label without letters and no name', { label: '!!!' }, 'name'],
  ])('rejects %s with 400 and the field that is wrong', async (_case, body, field) => {
    const response = await server.api('/events/v3/event-definitions', { method: 'POST', json: body });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.correlationId).toMatch(/[0-9a-f-]{36}/);
    expect(error.errors.map((detail) => detail.in)).toContain(field);
  });

  it('rejects malformed JSON and a wrong content type with 400', async () => {
    const malformed = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"label": ',
    });
    expect(malformed.status).toBe(400);
    expect(apiErrorSchema.parse(await malformed.json()).message).toBe('The request body is not valid JSON.');
    const text = await server.api('/events/v3/event-definitions', { method: 'POST', body: 'label=x' });
    expect(text.status).toBe(400);
  });

  it('answers 409 for a duplicate name and keeps the first definition unchanged', async () => {
    const response = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Something else', name: 'plan_chosen' },
    });
    expect(response.status).toBe(409);
    expect(apiErrorSchema.parse(await response.json()).errors[0]?.in).toBe('name');
    const kept = await server.api('/events/v3/event-definitions/plan_chosen');
    expect(eventDefinitionSchema.parse(await kept.json()).label).toBe('Plan chosen');
  });

  it('saves nothing when part of a definition is invalid', async () => {
    const response = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: {
        label: 'Half saved',
        propertyDefinitions: [
          { name: 'ok', label: 'OK', type: 'string' },
          { name: 'ok', label: 'Duplicate', type: 'string' },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect((await server.api('/events/v3/event-definitions/half_saved')).status).toBe(404);
  });

  it('lists definitions with total and cursor paging', async () => {
    for (const label of ['Paging one', 'Paging two', 'Paging three']) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: { label } })).status).toBe(201);
    }
    const first = (await (await server.api('/events/v3/event-definitions?limit=2')).json()) as {
      total: number;
      results: { name: string }[];
      paging?: { next: { after: string } };
    };
    expect(first.total).toBe(5);
    expect(first.results).toHaveLength(2);
    const names = first.results.map((result) => result.name);
    let after = first.paging?.next.after;
    while (after) {
      const page = (await (
        await server.api(`/events/v3/event-definitions?limit=2&after=${after}`)
      ).json()) as typeof first;
      names.push(...page.results.map((result) => result.name));
      after = page.paging?.next.after;
    }
    expect(names).toEqual(['add_to_cart_speckled_mug', 'plan_chosen', 'paging_one', 'paging_two', 'paging_three']);
    const bad = await server.api('/events/v3/event-definitions?limit=1000');
    expect(bad.status).toBe(400);
  });

  it('answers 404 in the error shape for an unknown definition', async () => {
    const response = await server.api('/events/v3/event-definitions/nope');
    expect(response.status).toBe(404);
    expect(apiErrorSchema.parse(await response.json()).category).toBe('OBJECT_NOT_FOUND');
  });
});

describe.each(DATABASE_KINDS)('authentication on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed header', 'Token abc'],
    ['an unknown key', 'Bearer ct_not_a_real_key'],
  ])('answers 401 for %s', async (_case, header) => {
    const response = await fetch(`${server.url}/events/v3/event-definitions`, {
      headers: header ? { Authorization: header } : {},
    });
    expect(response.status).toBe(401);
    expect(apiErrorSchema.parse(await response.json()).category).toBe('INVALID_AUTHENTICATION');
  });

  it('tells the extension which portal a key belongs to', async () => {
    const response = await server.api('/account-info/v3/details');
    expect(await response.json()).toEqual({ portalId: server.bootstrap.portal.id, name: 'Default portal' });
  });

  it('rejects bodies over the size limit with 413', async () => {
    const response = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Big', description: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(apiErrorSchema.parse(await response.json()).category).toBe('PAYLOAD_TOO_LARGE');
  });

  /** A new definition whose JSON body arrives in these chunks, with Transfer-Encoding: chunked. */
  const postStreamed = (chunks: string[]) => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    return server.api('/events/v3/event-definitions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
  };

  it('rejects a streamed body (no Content-Length) with 413 once it passes the limit, and stores nothing', async () => {
    // 2 MB in all, in chunks of 64 KB.
    const response = await postStreamed(Array.from({ length: 32 }, () => 'x'.repeat(64 * 1024)));
    expect(response.status).toBe(413);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.category).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('The request body is larger than 1048576 bytes.');
    const list = await server.api('/events/v3/event-definitions');
    expect(((await list.json()) as { total: number }).total).toBe(0);
  });

  it('applies the same limit when the app is called without a Node server (app.request)', async () => {
    const app = createApp(server.database.db);
    const headers = { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' };
    const big = await app.request('/events/v3/event-definitions', {
      method: 'POST',
      headers,
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(big.status).toBe(413);
    const small = await app.request('/events/v3/event-definitions', {
      method: 'POST',
      headers,
      body: JSON.stringify({ label: 'Without a socket' }),
    });
    expect(small.status).toBe(201);
  });

  it('takes a client that hangs up mid-body in its stride: nothing stored, no server error', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      const { hostname, port } = new URL(server.url);
      const socket = net.connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        'POST /events/v3/event-definitions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `Authorization: Bearer ${server.apiKey}\r\nContent-Length: 1000\r\n\r\n{"label":"Half`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(errors).not.toHaveBeenCalled();
      const list = await server.api('/events/v3/event-definitions');
      const { results } = (await list.json()) as { results: { label: string }[] };
      expect(results.map((definition) => definition.label)).not.toContain('Half');
    } finally {
      errors.mockRestore();
    }
  });

  it('reads a streamed body under the limit like any other', async () => {
    const json = JSON.stringify({ label: 'Streamed signup' });
    const response = await postStreamed([json.slice(0, 10), json.slice(10)]);
    expect(response.status).toBe(201);
    expect(((await response.json()) as { name: string }).name).toBe('streamed_signup');
  });
});
