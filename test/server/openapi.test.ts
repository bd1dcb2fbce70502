import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app';
import { ImportRunner } from '../../server/imports/runner';
import { startTestServer, type TestServer } from '../support/test-server';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

describe('GET /openapi.json', () => {
  let server: TestServer;
  let doc: OpenApi;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as OpenApi;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is an OpenAPI 3.1 document served without an API key', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every API route the server has, with the same methods', () => {
    // The import routes are mounted when the app has an import runner (as `startServer` gives it).
    const db = server.database.db;
    const app = createApp(db, { imports: { runner: new ImportRunner(db), dir: path.join(os.tmpdir(), 'unused') } });
    const apiRoutes = app.routes
      .filter(
        (route) =>
          /^\/(events|account-info|t|analytics|contacts|settings|imports|automation)\//.test(route.path) &&
          route.method !== 'ALL',
      )
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`);
    expect(apiRoutes.length).toBeGreaterThan(5);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key))
        .map((method) => `${method} ${path}`),
    );
    expect([...new Set(documented)].sort()).toEqual([...new Set(apiRoutes)].sort());
  });

  it('resolves every $ref to a generated schema', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (match) => match[1]!,
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
  });

  it('carries the validation rules of the zod schemas', () => {
    expect(doc.components.schemas.EventDefinitionCreate).toMatchObject({
      required: ['label'],
      properties: { name: { pattern: '^[a-z][a-z0-9_-]*$', maxLength: 50 }, label: { maxLength: 100 } },
    });
  });
});
