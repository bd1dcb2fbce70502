import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { insertCompletions } from '../../server/storage/completions';
import type { Database, NewCompletionRow } from '../../server/storage/schema';
import type { LoadResult } from './load';

interface Target {
  portalId: number;
  definitionId: number;
}
interface Timing {
  batchSize: number;
  warmupMs: number;
  durationMs: number;
}

const COLUMNS = [
  'portal_id',
  'definition_id',
  'object_type',
  'object_id',
  'occurred_at',
  'uuid',
  'properties_json',
  'received_at',
] as const satisfies readonly (keyof NewCompletionRow)[];

/** The rows the HTTP scenarios store: 1,000 contacts, a fresh (random, v4) uuid each, three properties. */
function rowSource(target: Target, batchSize: number): () => NewCompletionRow[] {
  const properties = JSON.stringify({ hs_url: 'https://shop.example.com/products/42', plan: 'pro', amount: 42 });
  let sequence = 0;
  return () =>
    Array.from({ length: batchSize }, () => {
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
}

/** Runs `commit` back to back (warm-up first, not measured) and times each call. */
async function timeCommits(
  timing: Timing,
  commit: (rows: NewCompletionRow[]) => unknown,
  next: () => NewCompletionRow[],
) {
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + timing.warmupMs;
  const end = measureFrom + timing.durationMs;
  for (;;) {
    const batch = next();
    const sent = performance.now();
    if (sent >= end) break;
    await commit(batch);
    if (sent >= measureFrom) latencies.push(performance.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))]!;
  return {
    requests: latencies.length,
    seconds: timing.durationMs / 1000,
    latenciesMs: { p50: at(0.5), p99: at(0.99) },
    failures: {},
  } satisfies LoadResult;
}

/**
 * The storage layer's own ceiling: the same completion rows as the HTTP scenarios, inserted with
 * `insertCompletions` in one transaction per batch, back to back, with no HTTP, authentication,
 * validation or contact resolution. What the batch endpoint reaches is compared with this.
 */
export function measureStorage(db: Kysely<Database>, target: Target, timing: Timing): Promise<LoadResult> {
  return timeCommits(
    timing,
    (rows) => db.transaction().execute((trx) => insertCompletions(trx, rows)),
    rowSource(target, timing.batchSize),
  );
}

/**
 * SQLite's own ceiling for this schema: the same rows through one prepared multi-row INSERT (the
 * statement insertCompletions sends) on a better-sqlite3 connection of its own, with the server's
 * durability settings (WAL, synchronous=FULL), without Kysely. No layer above SQLite can beat it.
 */
export function measureRawSqlite(file: string, target: Target, timing: Timing): Promise<LoadResult> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  const values = Array.from({ length: timing.batchSize }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
  const insert = sqlite.prepare(
    `INSERT INTO completions (${COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING`,
  );
  const commit = sqlite.transaction((rows: NewCompletionRow[]) =>
    insert.run(rows.flatMap((row) => COLUMNS.map((column) => row[column]))),
  );
  return timeCommits(timing, commit, rowSource(target, timing.batchSize)).finally(() => sqlite.close());
}
