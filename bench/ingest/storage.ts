import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { GROUP_MAX_INPUTS, insertCompletions } from '../../server/storage/completions';
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

/** Rows per transaction of measureRawSqlite: the server's largest group commit. */
export const RAW_ROWS_PER_TRANSACTION = GROUP_MAX_INPUTS;

/**
 * SQLite's own ceiling for this schema: the same rows through a prepared multi-row INSERT (the
 * statement insertCompletions sends) on a better-sqlite3 connection of its own, with the server's
 * durability settings (WAL, synchronous=FULL), without Kysely, in transactions as large as the
 * server's largest group commit (GROUP_MAX_INPUTS rows). No layer above SQLite can beat it.
 *
 * `appendOnly`: the same into a copy of the table with only the indexes whose keys grow with time
 * (no uuid index, no contact-timeline index), to show what those two random-key indexes cost.
 */
export function measureRawSqlite(
  file: string,
  target: Target,
  timing: Timing,
  options: { appendOnly: boolean },
): Promise<LoadResult> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  let table = 'completions';
  let onConflict = 'ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING';
  if (options.appendOnly) {
    table = 'bench_completions_append_only';
    onConflict = '';
    sqlite.exec(`
      DROP TABLE IF EXISTS ${table};
      CREATE TABLE ${table} (id INTEGER PRIMARY KEY, ${COLUMNS.join(', ')});
      CREATE INDEX ${table}_portal_time ON ${table} (portal_id, occurred_at, id);
      CREATE INDEX ${table}_definition_time ON ${table} (definition_id, occurred_at, id);
    `);
  }
  const values = Array.from({ length: timing.batchSize }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
  const insert = sqlite.prepare(`INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${values} ${onConflict}`);
  const commit = sqlite.transaction((rows: NewCompletionRow[]) => {
    for (let start = 0; start < rows.length; start += timing.batchSize) {
      insert.run(rows.slice(start, start + timing.batchSize).flatMap((row) => COLUMNS.map((column) => row[column])));
    }
  });
  return timeCommits(timing, commit, rowSource(target, RAW_ROWS_PER_TRANSACTION)).finally(() => {
    if (options.appendOnly) sqlite.exec(`DROP TABLE ${table}`);
    sqlite.close();
  });
}
