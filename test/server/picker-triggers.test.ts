import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, trackerConfigSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const element = {
  mode: 'similar',
  selector: 'li.product-card button.add-to-cart',
  quality: 'good',
  reasons: [],
  fingerprint: { tag: 'button', text: 'Add to cart' },
};
const productName = {
  name: 'product_name',
  source: { kind: 'relative', container: 'li.product-card', selector: 'h3' },
};

describe.each(DATABASE_KINDS)('picker triggers through the definitions API on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  const create = (body: unknown) => server.api('/events/v3/event-definitions', { method: 'POST', json: body });

  it('stores a similar trigger with conditions, a regex URL rule and a page property, and serves it to the tracker', async () => {
    const trigger = {
      kind: 'click',
      element,
      url: { match: 'regex', value: '^https?://[^/]+/demo/products\\.html$' },
      conditions: { text: { operator: 'contains', value: 'add', caseInsensitive: true } },
      properties: [productName],
    };
    const response = await create({
      label: 'Add to cart',
      trigger,
      propertyDefinitions: [{ name: 'product_name', label: 'Product name', type: 'string' }],
    });
    expect(response.status).toBe(201);
    const config = trackerConfigSchema.parse(
      await (await fetch(`${server.url}/t/${server.bootstrap.portal.id}/config`)).json(),
    );
    expect(config.definitions[0]?.trigger).toEqual({
      ...trigger,
      element: {
        ...element,
        alternatives: [],
        path: [],
        fingerprint: { ...element.fingerprint, classes: [], attributes: {}, ancestors: [] },
      },
      properties: [{ ...productName, type: 'string' }],
    });
  });

  it.each([
    [{ match: 'regex', value: '(a+)+$' }, 'trigger.url.value', 'exponential time'],
    [{ match: 'regex', value: '([a-z' }, 'trigger.url.value', 'does not compile'],
    [{ match: 'site', value: 'https://x.example/' }, 'trigger.url.value', 'host name'],
  ])('refuses the URL rule %j with a 400 naming the field', async (url, field, message) => {
    const response = await create({ label: 'Bad rule', trigger: { kind: 'click', element, url } });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.errors?.[0]).toMatchObject({ in: field });
    expect(error.errors?.[0]?.message).toContain(message);
  });

  it('refuses a page property the definition does not define', async () => {
    const response = await create({
      label: 'Undefined property',
      trigger: { kind: 'click', element, url: { match: 'site', value: '127.0.0.1' }, properties: [productName] },
    });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.errors?.[0]).toMatchObject({ in: 'trigger.properties.0.name' });
    expect(error.errors?.[0]?.message).toContain('must also be in propertyDefinitions');
  });

  it('refuses an unsafe regex in a text condition', async () => {
    const response = await create({
      label: 'Bad condition',
      trigger: {
        kind: 'click',
        element,
        url: { match: 'site', value: '127.0.0.1' },
        conditions: { text: { operator: 'regex', value: '(.*a){12}' } },
      },
    });
    expect(response.status).toBe(400);
    expect(apiErrorSchema.parse(await response.json()).errors?.[0]).toMatchObject({
      in: 'trigger.conditions.text.value',
    });
  });
});
