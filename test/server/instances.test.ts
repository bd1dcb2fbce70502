import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionListSchema, eventDefinitionSchema, type Completion } from '../../lib/shared';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process';
import { DATABASE_KINDS } from '../support/test-server';

const clickTrigger = {
  kind: 'click',
  url: { match: 'any' },
  element: { selector: '#buy', quality: 'good', fingerprint: { tag: 'button', text: 'Buy' } },
};

/**
 * The stateless claim of DESIGN.md: two server processes on one PostgreSQL behave as one server.
 * Nothing a request depends on may live in one process's memory (except the tracker's rate limits,
 * documented as per process).
 */
describe.runIf(DATABASE_KINDS.includes('postgres'))('two server processes on one PostgreSQL', () => {
  let database: ScratchDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let headers: Record<string, string>;
  let portalId: number;
  const call = (server: ServerProcess, path: string, init: RequestInit = {}) =>
    fetch(server.url + path, { ...init, headers: { ...headers, ...init.headers } });
  const readAll = async (server: ServerProcess, query: string): Promise<Completion[]> => {
    const results: Completion[] = [];
    let after: string | undefined;
    do {
      const response = await call(server, `/events/v3/events?limit=500${query}${after ? `&after=${after}` : ''}`);
      expect(response.status).toBe(200);
      const page = completionListSchema.parse(await response.json());
      results.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return results;
  };

  beforeAll(async () => {
    database = await scratchDatabase('postgres');
    // One after the other, as a rolling deploy does: the first migrates and makes the portal.
    a = await startServerProcess(database.env);
    b = await startServerProcess(database.env);
    expect(a.key).toMatch(/^ct_/);
    expect(b.key).toBeUndefined();
    expect(a.url).not.toBe(b.url);
    headers = { Authorization: `Bearer ${a.key!}`, 'Content-Type': 'application/json' };
    const created = await call(b, '/events/v3/event-definitions', {
      method: 'POST',
      body: JSON.stringify({
        label: 'Buy clicked',
        trigger: clickTrigger,
        propertyDefinitions: [{ name: 'ref', label: 'Ref', type: 'string' }],
      }),
    });
    expect(created.status).toBe(201);
    portalId = Number(/^pe(\d+)_/.exec(eventDefinitionSchema.parse(await created.json()).fullyQualifiedName)![1]);
  }, 180_000);
  afterAll(async () => {
    await stopServerProcess(a);
    await stopServerProcess(b);
    await database?.dispose();
  });

  it('lets exactly one of two concurrent edits of the same version win; the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const current = eventDefinitionSchema.parse(
        await (await call(a, '/events/v3/event-definitions/buy_clicked')).json(),
      );
      const edit = (server: ServerProcess, label: string) =>
        call(server, '/events/v3/event-definitions/buy_clicked', {
          method: 'PATCH',
          headers: { 'If-Match': `"${current.version}"` },
          body: JSON.stringify({ label }),
        });
      const [fromA, fromB] = await Promise.all([edit(a, `A${round}`), edit(b, `B${round}`)]);
      expect([fromA.status, fromB.status].sort()).toEqual([200, 409]);
      const winner = fromA.status === 200 ? `A${round}` : `B${round}`;
      for (const server of [a, b]) {
        const now = eventDefinitionSchema.parse(
          await (await call(server, '/events/v3/event-definitions/buy_clicked')).json(),
        );
        expect(now).toMatchObject({ label: winner, version: current.version + 1 });
      }
    }
  });

  it('stores completions sent to either process, and both read all of them', async () => {
    const refs = Array.from({ length: 60 }, () => randomUUID());
    const input = (ref: string, index: number) => ({
      eventName: `pe${portalId}_buy_clicked`,
      email: `buyer-${index % 7}@example.com`,
      uuid: ref,
      properties: { ref },
    });
    await Promise.all([
      ...refs.slice(0, 40).map(async (ref, index) => {
        const response = await call(index % 2 ? a : b, '/events/v3/send', {
          method: 'POST',
          body: JSON.stringify(input(ref, index)),
        });
        expect(response.status).toBe(204);
      }),
      ...[refs.slice(40, 50), refs.slice(50)].map(async (batch, index) => {
        const response = await call(index ? a : b, '/events/v3/send/batch', {
          method: 'POST',
          body: JSON.stringify({ inputs: batch.map((ref, i) => input(ref, 40 + index * 10 + i)) }),
        });
        expect(response.status).toBe(204);
      }),
    ]);
    for (const server of [a, b]) {
      const stored = (await readAll(server, `&eventType=pe${portalId}_buy_clicked`)).map((c) => c.properties.ref);
      expect(new Set(stored)).toEqual(new Set(refs));
      expect(stored).toHaveLength(refs.length);
    }
    // The seven emails are seven contacts, though both processes created them concurrently.
    const contacts = new Set((await readAll(a, `&eventType=pe${portalId}_buy_clicked`)).map((c) => c.objectId));
    expect(contacts.size).toBe(7);
  });

  it('stores a completion sent to both processes at once under one uuid exactly once', async () => {
    const uuids: string[] = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(
      uuids.flatMap((uuid) =>
        [a, b, a, b].map(async (server) => {
          const response = await call(server, '/events/v3/send', {
            method: 'POST',
            body: JSON.stringify({
              eventName: `pe${portalId}_buy_clicked`,
              email: 'dedupe@example.com',
              uuid,
              properties: { ref: uuid },
            }),
          });
          expect(response.status).toBe(204);
        }),
      ),
    );
    const stored = (await readAll(b, `&eventType=pe${portalId}_buy_clicked`)).filter((c) =>
      uuids.includes(c.properties.ref!),
    );
    expect(stored.map((c) => c.properties.ref).sort()).toEqual([...uuids].sort());
  });

  it('serves the same tracker config and ETag from both, before and after an edit through one of them', async () => {
    const config = async (server: ServerProcess) => {
      const response = await fetch(`${server.url}/t/${portalId}/config`);
      expect(response.status).toBe(200);
      return { etag: response.headers.get('etag'), body: await response.text() };
    };
    const before = await config(a);
    expect(await config(b)).toEqual(before);
    expect((await fetch(`${b.url}/t/${portalId}/config`, { headers: { 'If-None-Match': before.etag! } })).status).toBe(
      304,
    );
    const changed = await call(a, '/events/v3/event-definitions/buy_clicked', {
      method: 'PATCH',
      body: JSON.stringify({
        trigger: { ...clickTrigger, element: { ...clickTrigger.element, selector: '#buy-now' } },
      }),
    });
    expect(changed.status).toBe(200);
    const after = await config(b);
    expect(after.etag).not.toBe(before.etag);
    expect(await config(a)).toEqual(after);
    expect((await fetch(`${a.url}/t/${portalId}/config`, { headers: { 'If-None-Match': before.etag! } })).status).toBe(
      200,
    );
  });
});
