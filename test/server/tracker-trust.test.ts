import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, type CollectResult } from '../../lib/shared';
import { startServer, type RunningServer } from '../../server/server';
import { addOrigin } from '../../server/storage/portal-origins';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { DATABASE_KINDS, type DatabaseKind } from '../support/test-server';

const SITE = 'https://shop.example.com';

interface Started extends RunningServer {
  apiKey: string;
  scratch: ScratchDatabase;
}

/** A server as `npm run server` starts it (no --demo), with a small tracker limit. */
async function start(kind: DatabaseKind, options: { trustProxy?: string; limit?: number; demo?: boolean } = {}) {
  const scratch = await scratchDatabase(kind);
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      database: scratch.config,
      clientAddress: options.trustProxy ? { kind: 'header', header: options.trustProxy } : { kind: 'socket' },
    },
    { demo: options.demo ?? false, trackerLimits: { limit: options.limit ?? 1000, windowMs: 60_000 } },
  );
  return { ...server, apiKey: server.bootstrap.newKey!, scratch } satisfies Started;
}

async function stop(server: Started | undefined) {
  if (!server) return;
  await server.close();
  await server.scratch.dispose();
}

describe.each(DATABASE_KINDS)('tracker trust model on %s', (kind) => {
  let server: Started;
  let portalId: number;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(server.url + path, {
      ...init,
      headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json', ...init.headers },
    });
  const collect = (body: object, headers: Record<string, string> = { Origin: SITE }) =>
    fetch(`${server.url}/t/${portalId}/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
      body: JSON.stringify(body),
    });
  const event = () => ({
    eventName: `pe${portalId}_signed_up`,
    occurredAt: new Date().toISOString(),
    uuid: randomUUID(),
  });
  const utk = () => randomUUID();
  const contactCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const linkedEmail = async (token: string) =>
    (
      await server.database.db
        .selectFrom('contact_utks')
        .innerJoin('contacts', 'contacts.id', 'contact_utks.contact_id')
        .select('contacts.email')
        .where('contact_utks.utk', '=', token)
        .executeTakeFirst()
    )?.email;

  beforeAll(async () => {
    server = await start(kind);
    portalId = server.bootstrap.portal.id;
    await addOrigin(server.database.db, portalId, SITE);
    const created = await api('/events/v3/event-definitions', {
      method: 'POST',
      body: JSON.stringify({ label: 'Signed up' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await stop(server);
  });

  it('refuses a collect request without an Origin header (403 origin_required), storing nothing', async () => {
    const before = await contactCount();
    const response = await collect({ utk: utk(), email: 'curl@example.com', events: [event()] }, {});
    expect(response.status).toBe(403);
    expect(apiErrorSchema.parse(await response.json()).errors[0]).toMatchObject({ code: 'origin_required' });
    expect(await contactCount()).toBe(before);
  });

  it('accepts the same request from an allowed origin', async () => {
    const response = await collect({ utk: utk(), events: [event()] });
    expect(response.status).toBe(200);
    expect(((await response.json()) as CollectResult).accepted).toBe(1);
  });

  it('trusts no page of its own without --demo: the server origin is refused and /demo/ is not served', async () => {
    expect(server.demoOrigins).toEqual([]);
    expect((await collect({ utk: utk(), events: [event()] }, { Origin: server.url })).status).toBe(403);
    expect((await fetch(`${server.url}/t/${portalId}/config`, { headers: { Origin: server.url } })).status).toBe(403);
    expect((await fetch(`${server.url}/demo/index.html`)).status).toBe(404);
  });

  it('never re-links a visitor token to another email: 409 visitor_token_taken, nothing stored, link unchanged', async () => {
    const token = utk();
    expect((await collect({ utk: token, email: 'ada@example.com', events: [event()] })).status).toBe(200);
    const contacts = await contactCount();
    const response = await collect({ utk: token, email: 'mallory@example.com', events: [event()] });
    expect(response.status).toBe(409);
    expect(apiErrorSchema.parse(await response.json()).errors[0]).toMatchObject({
      in: 'email',
      code: 'visitor_token_taken',
    });
    expect(await contactCount()).toBe(contacts);
    expect(await linkedEmail(token)).toBe('ada@example.com');
    // The same email in another case is the same contact.
    expect((await collect({ utk: token, email: 'ADA@example.com', events: [event()] })).status).toBe(200);
  });

  it('lets an anonymous visitor identify once, then keeps it (one contact per visitor token)', async () => {
    const token = utk();
    expect((await collect({ utk: token, events: [event()] })).status).toBe(200);
    expect(await linkedEmail(token)).toBeNull();
    const contacts = await contactCount();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await collect({ utk: token, email: `visitor${i}@example.com`, events: [event()] })).status);
    }
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    expect(await contactCount()).toBe(contacts);
    expect(await linkedEmail(token)).toBe('visitor0@example.com');
  });

  it('caps contacts per visitor token under concurrency too: 20 simultaneous emails make one contact', async () => {
    const token = utk();
    const contacts = await contactCount();
    const statuses = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await collect({ utk: token, email: `race${i}@example.com`, events: [event()] })).status,
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await contactCount()).toBe(contacts + 1);
  });

  it('still lets the authenticated HTTP API re-link a visitor token (the key holder is trusted)', async () => {
    const token = utk();
    const send = (email: string) =>
      api('/events/v3/send', {
        method: 'POST',
        body: JSON.stringify({ eventName: `pe${portalId}_signed_up`, utk: token, email, uuid: randomUUID() }),
      });
    expect((await send('first@example.com')).status).toBe(204);
    expect((await send('second@example.com')).status).toBe(204);
    expect(await linkedEmail(token)).toBe('second@example.com');
  });
});

describe.each(DATABASE_KINDS)('tracker rate limits on %s', (kind) => {
  const servers: Started[] = [];
  afterAll(async () => {
    for (const server of servers) await stop(server);
  });
  const startLimited = async (trustProxy?: string) => {
    const server = await start(kind, { limit: 5, trustProxy });
    servers.push(server);
    return server;
  };
  const statuses = async (count: number, request: () => Promise<Response>) => {
    const result: number[] = [];
    for (let i = 0; i < count; i++) result.push((await request()).status);
    return result;
  };

  it('limits requests to unknown portals too: the limit is checked before any database lookup', async () => {
    const server = await startLimited();
    const result = await statuses(8, () =>
      fetch(`${server.url}/t/${900_000 + Math.floor(Math.random() * 1000)}/config`),
    );
    expect(result).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
  });

  it('counts every portal id against one client address (enumerating portals does not multiply the limit)', async () => {
    const server = await startLimited();
    const result = await statuses(6, async () => fetch(`${server.url}/t/${Math.floor(Math.random() * 1e9)}/config`));
    expect(result.at(-1)).toBe(429);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names it', async () => {
    const server = await startLimited();
    let i = 0;
    const result = await statuses(6, () =>
      fetch(`${server.url}/t/${server.bootstrap.portal.id}/config`, {
        headers: { 'X-Forwarded-For': `10.0.0.${i++}` },
      }),
    );
    expect(result).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('with TRUST_PROXY=X-Forwarded-For keys the limit on the address the proxy appended', async () => {
    const server = await startLimited('x-forwarded-for');
    const config = `${server.url}/t/${server.bootstrap.portal.id}/config`;
    // Clients behind the proxy, each with its own budget...
    for (const client of ['203.0.113.1', '203.0.113.2']) {
      expect(await statuses(5, () => fetch(config, { headers: { 'X-Forwarded-For': client } }))).toEqual([
        200, 200, 200, 200, 200,
      ]);
    }
    // ...and a client that forges the left-hand entries is still counted by the proxy's (last) one.
    let forged = 0;
    const result = await statuses(1, () =>
      fetch(config, { headers: { 'X-Forwarded-For': `198.51.100.${forged++}, 203.0.113.1` } }),
    );
    expect(result).toEqual([429]);
  });
});
