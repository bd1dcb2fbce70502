import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertCompletions } from '../../server/storage/completions';
import type { Database, NewCompletionRow } from '../../server/storage/schema';
import type { LoadResult } from './load';

/**
 * The storage layer's own ceiling: the same completion rows as the HTTP scenarios, inserted with
 * `insertCompletions` in one transaction per batch, back to back, with no HTTP, authentication,
 * validation or contact resolution. What the batch endpoint reaches is compared with this.
 */
export async function measureStorage(
  db: Kysely<Database>,
  target: { portalId: number; definitionId: number },
  options: { batchSize: number; warmupMs: number; durationMs: number },
): Promise<LoadResult> {
  const properties = JSON.stringify({ hs_url: 'https://shop.example.com/products/42', plan: 'pro', amount: 42 });
  let sequence = 0;
  const rows = (): NewCompletionRow[] =>
    Array.from({ length: options.batchSize }, () => {
      const now = Date.now();
      return {
        portal_id: target.portalId,
        definition_id: target.definitionId,
        object_type: 'CONTACT',
        object_id: String(1 + (sequence++ % 1000)),
        occurred_at: now,
        uuid: randomUUID(),
        properties_json: properties,
        received_at: now,
      };
    });
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  for (;;) {
    const batch = rows();
    const sent = performance.now();
    if (sent >= end) break;
    await db.transaction().execute((trx) => insertCompletions(trx, batch));
    if (sent >= measureFrom) latencies.push(performance.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))]!;
  return {
    requests: latencies.length,
    seconds: options.durationMs / 1000,
    latenciesMs: { p50: at(0.5), p99: at(0.99) },
    failures: {},
  };
}
