import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionJob, retentionCutoff } from '../../server/privacy/retention';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import type { NewCompletionRow } from '../../server/storage/schema';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const DAY = 86_400_000;

describe('retentionCutoff', () => {
  it.each([
    ['2026-12-01T10:00:00.000Z', 25, '2024-11-01T10:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2024-03-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'],
    ['2026-01-15T12:30:00.000Z', 13, '2024-12-15T12:30:00.000Z'],
  ])('%s minus %i months is %s', (now, months, expected) => {
    expect(new Date(retentionCutoff(Date.parse(now), months)).toISOString()).toBe(expected);
  });
});

describe.each(DATABASE_KINDS)('retention job on %s', (kind) => {
  let server: TestServer;
  let portal: number;
  let clock = Date.parse('2026-06-15T12:00:00Z');

  const completionsOf = async (portalId: number) =>
    (
      await server.database.db
        .selectFrom('completions')
        .select('occurred_at')
        .where('portal_id', '=', portalId)
        .orderBy('occurred_at')
        .execute()
    ).map((row) => new Date(Number(row.occurred_at)).toISOString());
  /** Inserts completions straight into the table (fast, and at any date). */
  const insertRows = async (portalId: number, definitionId: number, times: number[]) => {
    const rows: NewCompletionRow[] = times.map((time) => ({
      portal_id: portalId,
      definition_id: definitionId,
      object_type: 'CONTACT',
      object_id: '1',
      occurred_at: time,
      uuid: null,
      properties_json: '{}',
      received_at: time,
    }));
    await server.database.db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += 1000) {
        await trx
          .insertInto('completions')
          .values(rows.slice(start, start + 1000))
          .execute();
      }
    });
  };
  const definition = async (apiKey: string, label: string) => {
    const response = await fetch(`${server.url}/events/v3/event-definitions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label }),
    });
    expect(response.status).toBe(201);
    return Number(((await response.json()) as { id: string }).id);
  };

  beforeAll(async () => {
    // The server's own hourly job stays off: these tests drive the job with their own clock.
    server = await startTestServer(kind, { retention: false });
    portal = server.bootstrap.portal.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('deletes what is older than the retention period, by a controllable clock; other portals keep theirs', async () => {
    const other = await createPortal(server.database.db, 'Other portal');
    const otherKey = (await createApiKey(server.database.db, other.id, 'test')).key;
    const mine = await definition(server.apiKey, 'Clock test');
    const theirs = await definition(otherKey, 'Clock test');
    const times = ['2024-04-01T00:00:00Z', '2024-06-10T00:00:00Z', '2024-07-01T00:00:00Z', '2026-06-14T00:00:00Z'];
    await insertRows(portal, mine, times.map(Date.parse));
    await insertRows(other.id, theirs, times.map(Date.parse));
    expect((await server.api('/settings/v1/privacy', { method: 'PATCH', json: { retentionMonths: 24 } })).status).toBe(
      200,
    );

    const job = new RetentionJob(server.database.db, { now: () => clock, batchSize: 2, pauseMs: 0 });
    const first = await job.runOnce();
    expect(first.deleted.get(portal)).toBe(2); // before 2024-06-15T12:00
    expect(await completionsOf(portal)).toEqual(['2024-07-01T00:00:00.000Z', '2026-06-14T00:00:00.000Z']);
    // No retention set: nothing of the other portal's goes.
    expect(first.deleted.has(other.id)).toBe(false);
    expect(await completionsOf(other.id)).toHaveLength(4);

    // A month later the next one is past the period too; the read API shows only what is kept.
    clock += 31 * DAY;
    expect((await job.runOnce()).deleted.get(portal)).toBe(1);
    const read = await server.api(`/events/v3/events?eventType=pe${portal}_clock_test`);
    const results = ((await read.json()) as { results: { occurredAt: string }[] }).results;
    expect(results.map((result) => result.occurredAt)).toEqual(['2026-06-14T00:00:00.000Z']);

    // Turned off again: nothing more is deleted.
    await server.api('/settings/v1/privacy', { method: 'PATCH', json: { retentionMonths: null } });
    clock += 10 * 365 * DAY;
    expect((await job.runOnce()).deleted.size).toBe(0);
    expect(await completionsOf(portal)).toHaveLength(1);
  });

  it('runs on its schedule once started, and stop() ends it', async () => {
    await server.api('/settings/v1/privacy', { method: 'PATCH', json: { retentionMonths: 1 } });
    const id = await definition(server.apiKey, 'Schedule test');
    await insertRows(portal, id, [clock - 100 * DAY]);
    const job = new RetentionJob(server.database.db, { now: () => clock, initialDelayMs: 0, intervalMs: 50 });
    job.start();
    await expect.poll(() => completionsOf(portal), { timeout: 5000 }).toEqual([]);
    await insertRows(portal, id, [clock - 100 * DAY]);
    await expect.poll(() => completionsOf(portal), { timeout: 5000 }).toEqual([]);
    await job.stop();
    await insertRows(portal, id, [clock - 100 * DAY]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await completionsOf(portal)).toHaveLength(1);
  });

  it('deletes a large table in batches while ingest keeps running, never blocking it for long', async () => {
    const OLD = 100_000;
    const now = Date.now();
    const id = await definition(server.apiKey, 'Bulk');
    const old: number[] = [];
    for (let index = 0; index < OLD; index++) old.push(now - 400 * DAY - index * 1000);
    await insertRows(portal, id, old);
    await server.api('/settings/v1/privacy', { method: 'PATCH', json: { retentionMonths: 12 } });
    const before = (await completionsOf(portal)).length;

    const job = new RetentionJob(server.database.db, { now: () => now });
    let done = false;
    const started = performance.now();
    const running = job.runOnce().finally(() => (done = true));
    // Ingest through the real HTTP API, one send after another, for as long as the job runs.
    const latencies: number[] = [];
    let sent = 0;
    while (!done) {
      const t0 = performance.now();
      const response = await server.api('/events/v3/send', {
        method: 'POST',
        json: { eventName: `pe${portal}_bulk`, email: `visitor${sent}@example.com` },
      });
      latencies.push(performance.now() - t0);
      expect(response.status).toBe(204);
      sent++;
    }
    const run = await running;
    const jobMs = performance.now() - started;

    expect(run.deleted.get(portal)).toBe(OLD);
    const remaining = await server.database.db
      .selectFrom('completions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('definition_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(remaining.n)).toBe(sent); // every old row gone, every send of the meantime kept
    expect((await completionsOf(portal)).length).toBe(before - OLD + sent);
    // Ingest went on during the job, and no send waited anywhere near the whole job (one DELETE of
    // every old row would make a send wait about as long as the job; the machine's load cannot).
    const worst = Math.max(...latencies);
    console.log(
      `${kind}: deleted ${OLD} in ${Math.round(jobMs)} ms; ${sent} sends meanwhile, slowest ${Math.round(worst)} ms`,
    );
    expect(sent).toBeGreaterThan(5);
    expect(worst, `slowest send ${Math.round(worst)} ms of a ${Math.round(jobMs)} ms job`).toBeLessThan(jobMs / 2);
  }, 120_000);
});
