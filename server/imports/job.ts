import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { fullyQualifiedName, IMPORT_LIMITS, type ImportFileType } from '../../lib/shared';
import { insertCompletionsBulk, loadIngestTargets } from '../storage/completions';
import { resolveContacts } from '../storage/contacts';
import { log } from '../log';
import { sqliteHandleOf } from '../storage/database';
import type { Database, ImportRow } from '../storage/schema';
import { checkInWorker } from './check-in-worker';
import { ImportFailure, type CheckedEnd } from './checked-batches';
import { importUuidRange, type RowError } from './rows';
import type { StoredPlan } from './store';

/** How often the checkpoint thread copies the WAL into the database file while an import runs. */
const CHECKPOINT_EVERY_MS = 250;
/** SQLite page cache while an import runs: 16 MB (negative: in KiB). */
const IMPORT_CACHE_SIZE = -16_384;

/**
 * Rows per transaction on SQLite. Its one connection serves every request, so a request that needs
 * the database waits for the batch being written: 250 rows kept the API's p99 under 100 ms where
 * 1,000 did not (bench:import, 300,000 rows: p99 63-84 ms against 151-164 ms), at the same rate.
 */
const SQLITE_BATCH = 250;
/** On PostgreSQL other requests use other connections; larger batches save round trips. */
const POSTGRES_BATCH = 1000;

export interface JobOptions {
  /** Rows past this many data rows are rejected (the source material's million). */
  maxRows?: number;
  /**
   * Rows per transaction; by default SQLITE_BATCH or POSTGRES_BATCH. See bench/results/import.md.
   */
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?: (row: ImportRow) => void;
  /** Checked after each batch: true pauses the job (server shutdown); it resumes at the next start. */
  shouldStop?: () => boolean;
}

/**
 * Runs (or resumes) one claimed import to its end. A worker thread streams the file and checks
 * every row (`checkInWorker`); this side commits each batch — contacts, completions, rejected rows
 * and progress — in one transaction, so a crash loses at most the batch in flight, which the
 * resume writes again. Rows up to `last_row` are only re-read (for duplicate detection), never
 * written again; each completion's uuid is derived from the import id and row number, so even a
 * replay could not store one twice. Returns when the job completed, or stopped because it was
 * cancelled (CANCELLING).
 */
export async function runImportJob(db: Kysely<Database>, claimed: ImportRow, options: JobOptions = {}): Promise<void> {
  const maxRows = options.maxRows ?? IMPORT_LIMITS.maxRows;
  if (!claimed.plan_json) throw new ImportFailure('The import was queued without a plan.');
  const { plan, eventName, dateFormat } = JSON.parse(claimed.plan_json) as StoredPlan;
  const portalId = claimed.portal_id;
  const target = (await loadIngestTargets(db, portalId, [eventName])).get(eventName);
  if (!target) throw new ImportFailure(`The event "${eventName}" no longer exists.`);
  if (target.target.archived) throw new ImportFailure(`The event "${eventName}" is archived.`);
  if (!fs.existsSync(claimed.file_path)) throw new ImportFailure('The uploaded file is gone; upload it again.');

  const sqlite = sqliteHandleOf(db);
  const counts = { read: claimed.rows_read, imported: claimed.rows_imported, rejected: claimed.rows_rejected };
  const batches = checkInWorker({
    file: claimed.file_path,
    fileType: claimed.file_type as ImportFileType,
    context: {
      importId: claimed.id,
      portalId,
      fullyQualifiedName: fullyQualifiedName(portalId, eventName),
      target: target.target,
      plan,
      dateFormat,
    },
    headers: plan.headers,
    lastRow: claimed.last_row,
    maxRows,
    batchSize: options.batchSize ?? (sqlite ? SQLITE_BATCH : POSTGRES_BATCH),
  });
  // The server's 64 MB page cache (server/storage/database.ts) would fill with the pages of the
  // growing table and indexes, taking the process past 300 MB; 16 MB wrote a million rows as fast
  // (the pages it drops stay in the OS's file cache). Restored when the job ends.
  const cacheSize = sqlite?.pragma('cache_size', { simple: true }) as number | undefined;
  sqlite?.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`);
  let checkpoints: ReturnType<typeof backgroundCheckpoints>;
  let end: CheckedEnd;
  try {
    if (sqlite) checkpoints = backgroundCheckpoints(sqlite);
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        end = next.value;
        break;
      }
      const batch = next.value;
      const now = Date.now();
      counts.read += batch.rows;
      counts.imported += batch.completions.length;
      counts.rejected += new Set(batch.errors.map((entry) => entry.row)).size;
      const status = await batchTransaction(db, sqlite, async (trx) => {
        if (batch.completions.length > 0) {
          const contactIds = await resolveContacts(
            trx,
            portalId,
            batch.completions.map((item) => ({ email: item.email })),
          );
          await insertCompletionsBulk(
            trx,
            sqlite,
            batch.completions.map((item, index) => ({
              portal_id: portalId,
              definition_id: target.id,
              object_type: target.target.primaryObject,
              object_id: String(contactIds[index]),
              occurred_at: item.occurredAt,
              uuid: item.uuid,
              properties_json: item.propertiesJson,
              received_at: now,
            })),
          );
        }
        await insertErrors(trx, claimed.id, batch.errors);
        await trx
          .updateTable('imports')
          .set({
            rows_read: counts.read,
            rows_imported: counts.imported,
            rows_rejected: counts.rejected,
            last_row: batch.through,
            progress: batch.progress,
            heartbeat_at: now,
          })
          .where('id', '=', claimed.id)
          .execute();
        return await trx.selectFrom('imports').selectAll().where('id', '=', claimed.id).executeTakeFirstOrThrow();
      });
      options.onBatch?.(status);
      if (status.status === 'CANCELLING' || options.shouldStop?.()) return;
      // Let requests that queued behind the batch run before the next one is written.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (cacheSize !== undefined) sqlite?.pragma(`cache_size = ${cacheSize}`);
    await checkpoints?.stop();
    await batches.return({});
  }
  await db.transaction().execute(async (trx) => {
    let rejected = 0;
    const { overLimit } = end;
    if (overLimit) {
      rejected = overLimit.count;
      await insertErrors(trx, claimed.id, [
        {
          row: overLimit.first,
          error: {
            column: '',
            value: '',
            reason: `the file has more than ${maxRows.toLocaleString('en-US')} rows: this row and the ${(overLimit.count - 1).toLocaleString('en-US')} after it were not imported`,
          },
        },
      ]);
    }
    await trx
      .updateTable('imports')
      .set((eb) => ({
        status: 'COMPLETED',
        rows_read: eb('rows_read', '+', rejected),
        rows_rejected: eb('rows_rejected', '+', rejected),
        progress: 1,
        finished_at: Date.now(),
        heartbeat_at: Date.now(),
      }))
      .where('id', '=', claimed.id)
      .where('status', '=', 'RUNNING')
      .execute();
  });
}

/**
 * The transaction of one batch. On SQLite its commit skips the fsync (synchronous=NORMAL on this
 * connection for that commit only; the server's commits are FULL): a batch a power cut loses takes
 * its progress (last_row) with it, so the resume writes it again and every row is still stored
 * exactly once, and a kill -9 loses nothing (the OS has the WAL). The connection is held
 * throughout, so no other request commits while the setting is lowered.
 */
async function batchTransaction<T>(
  db: Kysely<Database>,
  sqlite: SQLite.Database | undefined,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!sqlite) return db.transaction().execute(work);
  return db.connection().execute(async (connection) => {
    const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
    sqlite.pragma('synchronous = NORMAL');
    try {
      return await connection.transaction().execute(work);
    } finally {
      sqlite.pragma(`synchronous = ${synchronous}`);
    }
  });
}

/**
 * Moves the WAL's checkpoints off the server's thread while an import runs. A commit that finds the
 * WAL past `wal_autocheckpoint` pages checkpoints it there and then, synchronously: during a
 * million-row import that was a 100-170 ms stall every 100-150 batches (the API's p99), against
 * 6 ms for a batch. A thread with a connection of its own checkpoints instead (PASSIVE: it never
 * waits for the writer); the server's automatic checkpoint is off until the job ends. Nothing for
 * an in-memory database.
 */
function backgroundCheckpoints(sqlite: SQLite.Database): { stop(): Promise<void> } | undefined {
  if (sqlite.memory) return undefined;
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), {
    execArgv: [],
    workerData: { file: sqlite.name, everyMs: CHECKPOINT_EVERY_MS },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  });
  // Should the thread die, the WAL only grows until the job ends and the setting is restored.
  worker.on('error', (error) => log('warn', 'import: the checkpoint thread failed', { error }));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  return {
    async stop() {
      sqlite.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
      worker.postMessage('stop');
      await exited;
    },
  };
}

const ERROR_CHUNK = 500;

async function insertErrors(
  db: Kysely<Database>,
  importId: string,
  errors: readonly { row: number; error: RowError }[],
): Promise<void> {
  const seq = new Map<number, number>();
  const values = errors.map(({ row, error }) => {
    const next = (seq.get(row) ?? 0) + 1;
    seq.set(row, next);
    return {
      import_id: importId,
      row_number: row,
      seq: next,
      column_name: error.column,
      value: error.value,
      reason: error.reason,
    };
  });
  for (let start = 0; start < values.length; start += ERROR_CHUNK) {
    await db
      .insertInto('import_errors')
      .values(values.slice(start, start + ERROR_CHUNK))
      .onConflict((conflict) => conflict.columns(['import_id', 'row_number', 'seq']).doNothing())
      .execute();
  }
}

/** Removes every completion an import stored, a chunk per transaction so writers are never held long. */
export async function rollBackImport(db: Kysely<Database>, portalId: number, importId: string): Promise<number> {
  const { from, to } = importUuidRange(importId);
  let removed = 0;
  for (;;) {
    const ids = await db
      .selectFrom('completions')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('uuid', '>=', from)
      .where('uuid', '<', to)
      .limit(5000)
      .execute();
    if (ids.length === 0) return removed;
    await db
      .deleteFrom('completions')
      .where(
        'id',
        'in',
        ids.map((row) => row.id),
      )
      .execute();
    removed += ids.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
