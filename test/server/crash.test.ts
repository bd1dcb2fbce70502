import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { completionListSchema } from '../../lib/shared';
import { scratchDatabase } from '../support/scratch-database';
import { exited, startServerProcess as startChild } from '../support/server-process';
import { DATABASE_KINDS } from '../support/test-server';

describe.each(DATABASE_KINDS)('a crash during ingest on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('loses no acknowledged completion, and no batch is half stored', { timeout: 30_000 }, async () => {
    const database = await scratchDatabase(kind);
    cleanup.push(() => database.dispose());
    const first = await startChild(database.env);
    cleanup.push(async () => {
      first.process.kill('SIGKILL');
      await exited(first.process);
    });
    const key = first.key!;
    expect(key).toMatch(/^ct_/);
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${first.url}/events/v3/event-definitions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        label: 'Crash probe',
        propertyDefinitions: [{ name: 'ref', label: 'Ref', type: 'string' }],
      }),
    });
    expect(created.status).toBe(201);
    const portalId = Number(
      /^pe(\d+)_/.exec(((await created.json()) as { fullyQualifiedName: string }).fullyQualifiedName)![1],
    );
    const input = (ref: string, index: number) => ({
      eventName: `pe${portalId}_crash_probe`,
      email: `visitor-${index % 50}@example.com`,
      uuid: ref,
      properties: { ref },
    });

    // Six clients send singles, two send batches of 20, until the server dies under them.
    const acknowledged: string[] = [];
    const batches: string[][] = [];
    let dead = false;
    const client = async (batchSize: number) => {
      for (let index = 0; !dead; index++) {
        const refs = Array.from({ length: batchSize }, () => randomUUID());
        if (batchSize > 1) batches.push(refs);
        const [pathname, body] =
          batchSize > 1
            ? ['/events/v3/send/batch', { inputs: refs.map((ref, i) => input(ref, index + i)) }]
            : ['/events/v3/send', input(refs[0]!, index)];
        try {
          const response = await fetch(first.url + pathname, { method: 'POST', headers, body: JSON.stringify(body) });
          if (response.status === 204) acknowledged.push(...refs);
          else throw new Error(`unexpected ${response.status}: ${await response.text()}`);
        } catch (error) {
          if (!dead) throw error;
        }
      }
    };
    const clients = Promise.all([1, 1, 1, 1, 1, 1, 20, 20].map(client));
    // Racing the clients makes a client failure (any answer but 204 before the crash) fail the test at once.
    while (acknowledged.length < 1500) await Promise.race([clients, new Promise((resolve) => setTimeout(resolve, 20))]);
    first.process.kill('SIGKILL');
    dead = true;
    await exited(first.process);
    await clients;
    expect(first.process.signalCode).toBe('SIGKILL');

    const second = await startChild(database.env);
    cleanup.push(async () => {
      second.process.kill('SIGTERM');
      await exited(second.process);
    });
    const stored = new Set<string>();
    let after: string | undefined;
    do {
      const response = await fetch(`${second.url}/events/v3/events?limit=500${after ? `&after=${after}` : ''}`, {
        headers,
      });
      expect(response.status).toBe(200);
      const page = completionListSchema.parse(await response.json());
      for (const result of page.results) stored.add(result.properties.ref!);
      after = page.paging?.next?.after;
    } while (after);

    const lost = acknowledged.filter((ref) => !stored.has(ref));
    expect(lost).toEqual([]);
    // Requests in flight at the crash may or may not have been committed, but never in part.
    for (const refs of batches) {
      const kept = refs.filter((ref) => stored.has(ref)).length;
      expect([0, refs.length]).toContain(kept);
    }
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
  });
});
