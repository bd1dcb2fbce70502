import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import {
  importStatusValueSchema,
  type ImportColumn,
  type ImportDateFormat,
  type ImportFileType,
  type ImportStatus,
  type ImportStatusValue,
  type HeaderLanguage,
} from '../../lib/shared';
import type { Database, ImportRow } from '../storage/schema';
import type { ImportPlan } from './mapping';

/** What a started job needs besides the file: fixed at start, read again by every resume. */
export interface StoredPlan {
  plan: ImportPlan;
  eventName: string;
  dateFormat: ImportDateFormat;
}

export interface NewImport {
  id: string;
  portalId: number;
  fileName: string;
  fileType: ImportFileType;
  filePath: string;
  ownsFile: boolean;
  sizeBytes: number;
  headerLanguage: HeaderLanguage;
  columns: ImportColumn[];
  eventName?: string;
}

export async function insertImport(db: Kysely<Database>, input: NewImport): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      id: input.id,
      portal_id: input.portalId,
      status: 'UPLOADED',
      file_name: input.fileName,
      file_type: input.fileType,
      file_path: input.filePath,
      owns_file: input.ownsFile ? 1 : 0,
      size_bytes: input.sizeBytes,
      header_language: input.headerLanguage,
      columns_json: JSON.stringify(input.columns),
      event_name: input.eventName ?? null,
      plan_json: null,
      run_started_at: null,
      heartbeat_at: null,
      error: null,
      created_at: Date.now(),
      started_at: null,
      finished_at: null,
    })
    .execute();
}

export async function getImport(db: Kysely<Database>, portalId: number, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('portal_id', '=', portalId).where('id', '=', id).executeTakeFirst();
}

/** Queues an uploaded import with its plan; false when it is no longer UPLOADED (started twice). */
export async function queueImport(
  db: Kysely<Database>,
  portalId: number,
  id: string,
  stored: StoredPlan,
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status: 'QUEUED', plan_json: JSON.stringify(stored), event_name: stored.eventName, started_at: Date.now() })
    .where('portal_id', '=', portalId)
    .where('id', '=', id)
    .where('status', '=', 'UPLOADED')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The API's view of an import row. */
export function toImportStatus(row: ImportRow, now = Date.now()): ImportStatus {
  const status = importStatusValueSchema.parse(row.status);
  const runRows = row.rows_read - row.run_rows_start;
  const elapsed = row.run_started_at === null ? 0 : (now - Number(row.run_started_at)) / 1000;
  const rowsPerSecond = elapsed > 0 && runRows > 0 ? Math.round(runRows / elapsed) : 0;
  let etaSeconds: number | undefined;
  // Left to read, at the pace the bytes went so far: rows per byte differ little within a file.
  if (status === 'RUNNING' && row.progress > 0.001 && elapsed > 0 && row.run_started_at !== null) {
    const progressAtRunStart = row.run_rows_start === 0 ? 0 : row.progress * (row.run_rows_start / row.rows_read);
    const done = row.progress - progressAtRunStart;
    if (done > 0) etaSeconds = Math.max(0, Math.round((elapsed * (1 - row.progress)) / done));
  }
  const iso = (time: number | null) => (time === null ? undefined : new Date(Number(time)).toISOString());
  return {
    id: row.id,
    status,
    fileName: row.file_name,
    fileType: row.file_type as ImportFileType,
    ...(row.event_name !== null ? { eventName: row.event_name } : {}),
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsRejected: row.rows_rejected,
    rowsPerSecond,
    progress: status === 'COMPLETED' ? 1 : Math.min(1, row.progress),
    ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    rolledBack: Boolean(row.rolled_back),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: iso(row.created_at)!,
    ...(row.started_at !== null ? { startedAt: iso(row.started_at) } : {}),
    ...(row.finished_at !== null ? { finishedAt: iso(row.finished_at) } : {}),
  };
}

/**
 * Asks a job to stop: UPLOADED and QUEUED imports are cancelled at once, a RUNNING one becomes
 * CANCELLING and its runner stops after the batch it is writing. With `rollback` the rows it stored
 * are removed too (also allowed for a COMPLETED or CANCELLED import). Returns the new status, or
 * undefined when the import cannot be cancelled (FAILED, or already rolled back).
 */
export async function requestCancel(
  db: Kysely<Database>,
  portalId: number,
  id: string,
  rollback: boolean,
): Promise<{ ok: true; needsRunner: boolean } | { ok: false; status: ImportStatusValue }> {
  return db.transaction().execute(async (trx) => {
    const row = await getImport(trx, portalId, id);
    if (!row) throw new Error(`import ${id} vanished`);
    const status = row.status as ImportStatusValue;
    const set = (values: Partial<Pick<ImportRow, 'status' | 'rollback' | 'finished_at' | 'heartbeat_at'>>) =>
      trx.updateTable('imports').set(values).where('id', '=', id).execute();
    if (status === 'UPLOADED' || (status === 'QUEUED' && !rollback)) {
      await set({ status: 'CANCELLED', finished_at: Date.now() });
      return { ok: true, needsRunner: false };
    }
    if (status === 'QUEUED' || status === 'RUNNING' || status === 'CANCELLING') {
      // A queued job may have run part way before a restart: the runner rolls back what it stored.
      await set({ status: 'CANCELLING', rollback: rollback || row.rollback ? 1 : 0 });
      return { ok: true, needsRunner: status === 'QUEUED' };
    }
    if ((status === 'COMPLETED' || status === 'CANCELLED') && rollback && !row.rolled_back) {
      // Nobody runs it any more: the runner picks it up as an orphan and removes its rows.
      await set({ status: 'CANCELLING', rollback: 1, heartbeat_at: 0 });
      return { ok: true, needsRunner: true };
    }
    return { ok: false, status };
  });
}

/** errors.csv of an import, a page of rows at a time (header first): never the whole report in memory. */
export async function* errorReportChunks(
  db: Kysely<Database>,
  importId: string,
  pageSize = 2000,
): AsyncGenerator<string> {
  yield stringify([['row', 'column', 'value', 'reason']]);
  let after: { row: number; seq: number } | undefined;
  for (;;) {
    const page = await db
      .selectFrom('import_errors')
      .select(['row_number', 'seq', 'column_name', 'value', 'reason'])
      .where('import_id', '=', importId)
      .$if(after !== undefined, (query) =>
        query.where((eb) => eb(eb.refTuple('row_number', 'seq'), '>', eb.tuple(after!.row, after!.seq))),
      )
      .orderBy('row_number')
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (page.length > 0)
      yield stringify(page.map((error) => [error.row_number, error.column_name, error.value, error.reason]));
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
    after = { row: last.row_number, seq: last.seq };
  }
}
