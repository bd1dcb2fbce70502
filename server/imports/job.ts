import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { fullyQualifiedName, IMPORT_LIMITS, type ImportFileType } from '../../lib/shared';
import { insertCompletions, loadIngestTargets } from '../storage/completions';
import { resolveContacts } from '../storage/contacts';
import type { Database, ImportRow, NewCompletionRow } from '../storage/schema';
import { readRows, UnreadableFileError, type ReadProgress } from './readers';
import { cellText, checkRow, DuplicateRows, importUuidRange, type RowContext, type RowError } from './rows';
import type { StoredPlan } from './store';

export interface JobOptions {
  /** Rows past this many data rows are rejected (the source material's million). */
  maxRows?: number;
  /**
   * Rows per transaction. Each batch holds the database (SQLite has one writer) for its commit, so
   * this bounds the wait of API requests arriving meanwhile; see bench/results/import.md.
   */
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?: (row: ImportRow) => void;
  /** Checked after each batch: true pauses the job (server shutdown); it resumes at the next start. */
  shouldStop?: () => boolean;
}

/** A job that cannot go on; it ends FAILED with this message. */
export class ImportFailure extends Error {}

interface Pending {
  row: number;
  completion: NewCompletionRow;
  email: string;
}

const ERROR_CHUNK = 500;
const YIELD_EVERY_ROWS = 200;

/**
 * Runs (or resumes) one claimed import to its end: streams the file, checks every row, and commits
 * each batch — contacts, completions, rejected rows and progress — in one transaction, so a crash
 * loses at most the batch in flight, which the resume writes again. Rows up to `last_row` are only
 * re-read (for duplicate detection), never written again; each completion's uuid is derived from
 * the import id and row number, so even a replay could not store one twice. Returns when the job
 * completed, or stopped because it was cancelled (CANCELLING).
 */
export async function runImportJob(db: Kysely<Database>, claimed: ImportRow, options: JobOptions = {}): Promise<void> {
  const maxRows = options.maxRows ?? IMPORT_LIMITS.maxRows;
  const batchSize = options.batchSize ?? 1000;
  if (!claimed.plan_json) throw new ImportFailure('The import was queued without a plan.');
  const { plan, eventName, dateFormat } = JSON.parse(claimed.plan_json) as StoredPlan;
  const portalId = claimed.portal_id;
  const target = (await loadIngestTargets(db, portalId, [eventName])).get(eventName);
  if (!target) throw new ImportFailure(`The event "${eventName}" no longer exists.`);
  if (target.target.archived) throw new ImportFailure(`The event "${eventName}" is archived.`);
  if (!fs.existsSync(claimed.file_path)) throw new ImportFailure('The uploaded file is gone; upload it again.');

  const context: RowContext = {
    importId: claimed.id,
    portalId,
    fullyQualifiedName: fullyQualifiedName(portalId, eventName),
    target: target.target,
    plan,
    dateFormat,
  };
  const lastRow = claimed.last_row;
  const counts = { read: claimed.rows_read, imported: claimed.rows_imported, rejected: claimed.rows_rejected };
  const duplicates = new DuplicateRows();
  const progress: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  let pending: Pending[] = [];
  let errors: { row: number; error: RowError }[] = [];
  let batchRows = 0;
  let lastInBatch = lastRow;
  let dataRows = 0;
  let overLimit: { first: number; count: number } | undefined;
  let header = true;
  let cancelled = false;

  const flush = async () => {
    if (batchRows === 0) return;
    const now = Date.now();
    const fraction = progress.totalBytes > 0 ? Math.min(0.999, progress.bytesRead / progress.totalBytes) : 0;
    const writing = pending;
    const rejecting = errors;
    counts.read += batchRows;
    counts.imported += writing.length;
    counts.rejected += new Set(rejecting.map((entry) => entry.row)).size;
    const through = lastInBatch;
    pending = [];
    errors = [];
    batchRows = 0;
    const status = await db.transaction().execute(async (trx) => {
      if (writing.length > 0) {
        const contactIds = await resolveContacts(
          trx,
          portalId,
          writing.map((item) => ({ email: item.email })),
        );
        await insertCompletions(
          trx,
          writing.map((item, index) => ({ ...item.completion, object_id: String(contactIds[index]) })),
        );
      }
      await insertErrors(trx, claimed.id, rejecting);
      await trx
        .updateTable('imports')
        .set({
          rows_read: counts.read,
          rows_imported: counts.imported,
          rows_rejected: counts.rejected,
          last_row: through,
          progress: fraction,
          heartbeat_at: now,
        })
        .where('id', '=', claimed.id)
        .execute();
      return await trx.selectFrom('imports').selectAll().where('id', '=', claimed.id).executeTakeFirstOrThrow();
    });
    options.onBatch?.(status);
    if (status.status === 'CANCELLING') cancelled = true;
    // Let requests that queued behind the batch run before the next one is parsed.
    await new Promise((resolve) => setImmediate(resolve));
  };

  const rows = readRows(claimed.file_path, claimed.file_type as ImportFileType, progress);
  let sinceYield = 0;
  try {
    for await (const { row, cells } of rows) {
      // A parsed chunk holds thousands of rows; give waiting requests a turn every few hundred.
      if (++sinceYield >= YIELD_EVERY_ROWS) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (header) {
        header = false;
        const headers = cells.map(cellText);
        if (headers.length !== plan.headers.length || headers.some((text, index) => text !== plan.headers[index])) {
          throw new ImportFailure('The file changed since it was uploaded: its header row is different.');
        }
        continue;
      }
      dataRows++;
      if (dataRows > maxRows) {
        if (row > lastRow)
          overLimit = overLimit ? { ...overLimit, count: overLimit.count + 1 } : { first: row, count: 1 };
        continue;
      }
      const outcome = checkRow(context, row, cells, Date.now());
      const firstRow = outcome.ok ? duplicates.firstRowOf(outcome.completion, row) : undefined;
      if (row <= lastRow) continue; // committed before a restart: only its duplicate key was needed
      batchRows++;
      lastInBatch = row;
      if (!outcome.ok) {
        for (const error of outcome.errors) errors.push({ row, error });
      } else if (firstRow !== undefined) {
        errors.push({
          row,
          error: { column: '', value: '', reason: `duplicate of row ${firstRow}: same email, time and properties` },
        });
      } else {
        const { completion } = outcome;
        pending.push({
          row,
          email: completion.email!,
          completion: {
            portal_id: portalId,
            definition_id: target.id,
            object_type: completion.objectType,
            object_id: '',
            occurred_at: completion.occurredAt,
            uuid: completion.uuid ?? null,
            properties_json: JSON.stringify(completion.properties),
            received_at: Date.now(),
          },
        });
      }
      if (batchRows >= batchSize) {
        await flush();
        if (cancelled || options.shouldStop?.()) return;
      }
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ImportFailure(error.message);
    throw error;
  } finally {
    await rows.return(undefined);
  }
  if (header) throw new ImportFailure('The file is empty: it has no header row.');
  await flush();
  if (cancelled) return;
  await db.transaction().execute(async (trx) => {
    let rejected = 0;
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
