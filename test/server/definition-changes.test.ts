import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, eventDefinitionSchema, propertyDefinitionSchema } from '../../lib/shared';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const BASE = '/events/v3/event-definitions';

describe.each(DATABASE_KINDS)('changing event definitions on %s', (kind) => {
  let server: TestServer;
  const create = async (body: object) => {
    const response = await server.api(BASE, { method: 'POST', json: body });
    expect(response.status).toBe(201);
    return eventDefinitionSchema.parse(await response.json());
  };
  const get = async (name: string) => eventDefinitionSchema.parse(await (await server.api(`${BASE}/${name}`)).json());
  const error = async (response: Response) => apiErrorSchema.parse(await response.json());

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('PATCH /{eventName}', () => {
    it('updates label and description, bumps the version and returns it as ETag', async () => {
      await create({ label: 'Demo requested', description: 'old' });
      const response = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        json: { label: 'Demo booked', description: null },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('"2"');
      const body = eventDefinitionSchema.parse(await response.json());
      expect(body).toMatchObject({ name: 'demo_requested', label: 'Demo booked', version: 2 });
      expect(body.description).toBeUndefined();
    });

    it('answers 409 to a write conditional on a stale version and changes nothing', async () => {
      const stale = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        headers: { 'If-Match': '"1"' },
        json: { label: 'Lost update' },
      });
      expect(stale.status).toBe(409);
      const body = await error(stale);
      expect(body.category).toBe('CONFLICT');
      expect(body.errors).toEqual([{ message: 'current version is 2', in: 'version', code: 'stale_version' }]);
      expect(await get('demo_requested')).toMatchObject({ label: 'Demo booked', version: 2 });
      const viaBody = await server.api(`${BASE}/demo_requested`, { method: 'PATCH', json: { label: 'x', version: 1 } });
      expect(viaBody.status).toBe(409);
    });

    it('lets exactly one of two clients editing the same version win', async () => {
      const { version } = await get('demo_requested');
      const edit = (label: string) =>
        server.api(`${BASE}/demo_requested`, {
          method: 'PATCH',
          headers: { 'If-Match': `"${version}"` },
          json: { label },
        });
      const responses = await Promise.all([edit('Client A'), edit('Client B')]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const winner = responses[0].status === 200 ? 'Client A' : 'Client B';
      expect(await get('demo_requested')).toMatchObject({ label: winner, version: version + 1 });
    });

    it.each([
      ['name', { name: 'renamed' }],
      ['primaryObject', { primaryObject: 'DEAL' }],
    ])('refuses to change the immutable %s', async (field, body) => {
      const response = await server.api(`${BASE}/demo_requested`, { method: 'PATCH', json: body });
      expect(response.status).toBe(400);
      expect((await error(response)).errors[0]).toMatchObject({ in: field, code: 'immutable' });
    });

    it('accepts the immutable fields when they are unchanged', async () => {
      const response = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        json: { name: 'demo_requested', primaryObject: 'CONTACT', label: 'Demo booked' },
      });
      expect(response.status).toBe(200);
    });

    it.each([
      ['an empty label', { label: ' ' }, 'label'],
      ['an unknown field', { colour: 'red' }, 'body'],
      ['a bad trigger', { trigger: { kind: 'hover' } }, 'trigger.kind'],
    ])('rejects %s with 400', async (_case, body, field) => {
      const response = await server.api(`${BASE}/demo_requested`, { method: 'PATCH', json: body });
      expect(response.status).toBe(400);
      expect((await error(response)).errors.map((detail) => detail.in)).toContain(field);
    });

    it('rejects an unreadable If-Match and a disagreeing body version', async () => {
      const unreadable = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        headers: { 'If-Match': 'banana' },
        json: { label: 'x' },
      });
      expect(unreadable.status).toBe(400);
      const disagree = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        headers: { 'If-Match': '"1"' },
        json: { label: 'x', version: 2 },
      });
      expect(disagree.status).toBe(400);
      expect((await error(disagree)).errors[0]?.in).toBe('version');
    });

    it('sets a page-view trigger and derives the tracking type from it', async () => {
      const response = await server.api(`${BASE}/demo_requested`, {
        method: 'PATCH',
        json: { trigger: { kind: 'pageview', url: { match: 'path', value: '/demo/thanks.html' } } },
      });
      expect(eventDefinitionSchema.parse(await response.json()).trackingType).toBe('VISITED_URL');
    });

    it('answers 404 for an unknown event', async () => {
      expect((await server.api(`${BASE}/nope`, { method: 'PATCH', json: { label: 'x' } })).status).toBe(404);
    });
  });

  describe('DELETE /{eventName}', () => {
    it('archives: hidden from the list, still readable, restorable, name stays taken', async () => {
      await create({ label: 'Old promo clicked' });
      expect((await server.api(`${BASE}/old_promo_clicked`, { method: 'DELETE' })).status).toBe(204);
      expect(await get('old_promo_clicked')).toMatchObject({ archived: true, status: 'ARCHIVED' });

      const names = async (query = '') =>
        ((await (await server.api(`${BASE}?limit=100${query}`)).json()) as { results: { name: string }[] }).results.map(
          (result) => result.name,
        );
      expect(await names()).not.toContain('old_promo_clicked');
      expect(await names('&includeArchived=true')).toContain('old_promo_clicked');

      const again = await server.api(BASE, { method: 'POST', json: { label: 'Old promo clicked' } });
      expect(again.status).toBe(409);

      const restored = await server.api(`${BASE}/old_promo_clicked`, { method: 'PATCH', json: { archived: false } });
      expect(eventDefinitionSchema.parse(await restored.json())).toMatchObject({ archived: false, status: 'ACTIVE' });
      expect(await names()).toContain('old_promo_clicked');
    });

    it('answers 404 for an unknown event and 409 for a stale If-Match', async () => {
      expect((await server.api(`${BASE}/nope`, { method: 'DELETE' })).status).toBe(404);
      const stale = await server.api(`${BASE}/old_promo_clicked`, { method: 'DELETE', headers: { 'If-Match': '"1"' } });
      expect(stale.status).toBe(409);
      expect((await get('old_promo_clicked')).archived).toBe(false);
    });
  });

  describe('properties', () => {
    const property = (path = '') => `${BASE}/plan_changed/property${path}`;

    it('adds a property and bumps the definition version', async () => {
      const { version } = await create({ label: 'Plan changed' });
      const response = await server.api(property(), {
        method: 'POST',
        json: { name: 'plan', label: 'Plan', type: 'enumeration', options: [{ label: 'Free', value: 'free' }] },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('etag')).toBe(`"${version + 1}"`);
      expect(propertyDefinitionSchema.parse(await response.json())).toMatchObject({
        name: 'plan',
        type: 'enumeration',
      });
    });

    it.each([
      ['a duplicate name', { name: 'plan', label: 'Plan', type: 'string' }, 409, 'name'],
      ['an invalid name', { name: 'Plan Name', label: 'Plan', type: 'string' }, 400, 'name'],
      ['a name over 50 characters', { name: 'p'.repeat(51), label: 'Plan', type: 'string' }, 400, 'name'],
      [
        'options on a number',
        { name: 'seats', label: 'Seats', type: 'number', options: [{ label: 'a', value: 'a' }] },
        400,
        'options',
      ],
    ])('rejects %s', async (_case, body, status, field) => {
      const response = await server.api(property(), { method: 'POST', json: body });
      expect(response.status).toBe(status);
      expect((await error(response)).errors.map((detail) => detail.in)).toContain(field);
    });

    it('edits label and options, but not name or type', async () => {
      const response = await server.api(property('/plan'), {
        method: 'PATCH',
        json: {
          label: 'Pricing plan',
          options: [
            { label: 'Free', value: 'free' },
            { label: 'Pro', value: 'pro' },
          ],
        },
      });
      expect(response.status).toBe(200);
      expect(propertyDefinitionSchema.parse(await response.json())).toMatchObject({
        label: 'Pricing plan',
        options: [{ value: 'free' }, { value: 'pro' }],
      });
      for (const [field, body] of [
        ['type', { type: 'string' }],
        ['name', { name: 'tier' }],
        ['options', { options: [] }],
      ] as const) {
        const refused = await server.api(property('/plan'), { method: 'PATCH', json: body });
        expect(refused.status, field).toBe(400);
        expect((await error(refused)).errors[0]?.in).toBe(field);
      }
    });

    it('deletes a property, then answers 404 for it', async () => {
      expect((await server.api(property('/plan'), { method: 'DELETE' })).status).toBe(204);
      expect((await get('plan_changed')).properties).toEqual([]);
      expect((await server.api(property('/plan'), { method: 'DELETE' })).status).toBe(404);
      expect((await server.api(property('/plan'), { method: 'PATCH', json: { label: 'x' } })).status).toBe(404);
      expect(
        (await server.api(`${BASE}/nope/property`, { method: 'POST', json: { name: 'a', label: 'A', type: 'string' } }))
          .status,
      ).toBe(404);
    });
  });

  describe('tenant isolation', () => {
    it('never lets another portal read or change these definitions', async () => {
      const other = await createPortal(server.database.db, 'Other portal');
      const { key } = await createApiKey(server.database.db, other.id, 'other');
      const asOther = (path: string, init: RequestInit = {}) =>
        fetch(server.url + path, {
          ...init,
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
        });
      const list = (await (await asOther(`${BASE}?includeArchived=true`)).json()) as { total: number };
      expect(list.total).toBe(0);
      expect((await asOther(`${BASE}/plan_changed`)).status).toBe(404);
      expect((await asOther(`${BASE}/plan_changed`, { method: 'PATCH', body: '{"label":"x"}' })).status).toBe(404);
      expect((await asOther(`${BASE}/plan_changed`, { method: 'DELETE' })).status).toBe(404);
      // The same internal name is free in the other portal, with its own fully qualified name.
      const mine = await asOther(BASE, { method: 'POST', body: '{"label":"Plan changed"}' });
      expect(mine.status).toBe(201);
      expect(eventDefinitionSchema.parse(await mine.json()).fullyQualifiedName).toBe(`pe${other.id}_plan_changed`);
      expect((await get('plan_changed')).label).toBe('Plan changed');
    });
  });
});
