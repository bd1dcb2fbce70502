import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { randomId } from '../../lib/tracker/visitor';
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

/** The rows the HTTP scenarios store: 1,000 contacts, a fresh time-ordered uuid (v7) each, three properties. */
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
        uuid: randomId(),
        properties_json: properties,
        received_at: now,
      };
    });
}

/** Fewer timed commits than this say nothing about a median, let alone a p99. */
const MIN_SAMPLES = 5;

/**
 * Runs `commit` back to back (warm-up first, not measured) and times each call, for the duration
 * or until MIN_SAMPLES commits were timed, whichever is later; the rate is over the time measured.
 */
async function timeCommits(
  timing: Timing,
  commit: (rows: NewCompletionRow[]) => unknown,
  next: () => NewCompletionRow[],
) {
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + timing.warmupMs;
  const end = measureFrom + timing.durationMs;
  let measuredUntil = measureFrom;
  for (;;) {
    const batch = next();
    const sent = performance.now();
    if (sent >= end && latencies.length >= MIN_SAMPLES) break;
    await commit(batch);
    if (sent >= measureFrom) {
      measuredUntil = performance.now();
      latencies.push(measuredUntil - sent);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))]!;
  return {
    requests: latencies.length,
    seconds: (measuredUntil - measureFrom) / 1000,
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

/** Opens the server's SQLite file the way the server does (WAL, synchronous=FULL). */
function openLikeServer(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  return sqlite;
}

function inserter(sqlite: SQLite.Database, batchSize: number) {
  const values = Array.from({ length: batchSize }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
  const insert = sqlite.prepare(
    `INSERT INTO completions (${COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING`,
  );
  return sqlite.transaction((rows: NewCompletionRow[]) => {
    for (let start = 0; start < rows.length; start += batchSize) {
      insert.run(rows.slice(start, start + batchSize).flatMap((row) => COLUMNS.map((column) => row[column])));
    }
  });
}

/**
 * Fills the completions table with `count` rows like the measured ones, so every scenario that is
 * compared with another starts from a table of the same size (an index costs more the larger it is).
 */
export function fillSqlite(file: string, target: Target, count: number, batchSize: number): void {
  const sqlite = openLikeServer(file);
  try {
    const commit = inserter(sqlite, batchSize);
    const next = rowSource(target, batchSize);
    for (let done = 0; done < count; done += RAW_ROWS_PER_TRANSACTION) {
      const rows: NewCompletionRow[] = [];
      while (rows.length < Math.min(RAW_ROWS_PER_TRANSACTION, count - done)) rows.push(...next());
      commit(rows.slice(0, Math.min(RAW_ROWS_PER_TRANSACTION, count - done)));
    }
  } finally {
    sqlite.close();
  }
}

/**
 * SQLite's own ceiling for this schema: the same rows through a prepared multi-row INSERT (the
 * statement insertCompletions sends) into the same completions table with all its indexes, on a
 * better-sqlite3 connection of its own with the server's durability settings (WAL,
 * synchronous=FULL), without Kysely, in transactions as large as the server's largest group
 * commit (GROUP_MAX_INPUTS rows). No layer above SQLite can beat it.
 */
export function measureRawSqlite(file: string, target: Target, timing: Timing): Promise<LoadResult> {
  const sqlite = openLikeServer(file);
  const commit = inserter(sqlite, timing.batchSize);
  return timeCommits(timing, commit, rowSource(target, RAW_ROWS_PER_TRANSACTION)).finally(() => sqlite.close());
}
