import type { ImportFileType } from '../../lib/shared';
import { readRows, UnreadableFileError, type ReadProgress } from './readers';
import { cellText, checkRow, DuplicateRows, type RowContext, type RowError } from './rows';

/** A job that cannot go on; it ends FAILED with this message. */
export class ImportFailure extends Error {}

/** A valid row, ready to store once its contact is known. */
export interface CheckedRow {
  row: number;
  email: string;
  occurredAt: number;
  uuid: string;
  /** The stored properties, already serialised (the writer stores the text as is). */
  propertiesJson: string;
}

/** The rows of the file between two commits. */
export interface CheckedBatch {
  /** Data rows this batch covers (valid, rejected and duplicate). */
  rows: number;
  /** The number of the last file row in the batch: the resume point once it is committed. */
  through: number;
  completions: CheckedRow[];
  errors: { row: number; error: RowError }[];
  /** How far through the file's bytes the reader is (0..1), for the ETA. */
  progress: number;
}

/** What the whole file held past the row limit, known only at its end. */
export interface CheckedEnd {
  overLimit?: { first: number; count: number };
}

export interface CheckInput {
  file: string;
  fileType: ImportFileType;
  context: RowContext;
  /** The header row the import was planned with; a different one fails the job. */
  headers: readonly string[];
  /** Rows up to this one were committed before (a resume): re-read for duplicates only. */
  lastRow: number;
  maxRows: number;
  batchSize: number;
}

/**
 * Streams the file and checks every row (`checkRow`: the rules of `POST /events/v3/send`, future
 * dates, the chosen date format), repeats of an earlier row and rows past the limit, and yields the
 * result a batch of `batchSize` data rows at a time, then the end. No database: it runs in the
 * import's worker thread, so parsing and checking never hold up the server's requests.
 */
export async function* checkedBatches(input: CheckInput): AsyncGenerator<CheckedBatch, CheckedEnd> {
  const { context, lastRow, maxRows, batchSize } = input;
  const duplicates = new DuplicateRows();
  const progress: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  let batch: CheckedBatch | undefined;
  let dataRows = 0;
  let overLimit: { first: number; count: number } | undefined;
  let header = true;

  const rows = readRows(input.file, input.fileType, progress);
  try {
    for await (const { row, cells } of rows) {
      if (header) {
        header = false;
        const headers = cells.map(cellText);
        if (headers.length !== input.headers.length || headers.some((text, index) => text !== input.headers[index])) {
          throw new ImportFailure('The file changed since it was uploaded: its header row is different.');
        }
        continue;
      }
      dataRows++;
      if (dataRows > maxRows) {
        if (row > lastRow) overLimit = { first: overLimit?.first ?? row, count: (overLimit?.count ?? 0) + 1 };
        continue;
      }
      const outcome = checkRow(context, row, cells, Date.now());
      const propertiesJson = outcome.ok ? JSON.stringify(outcome.completion.properties) : '';
      const firstRow = outcome.ok
        ? duplicates.firstRowOf(outcome.completion.email!, outcome.completion.occurredAt, propertiesJson, row)
        : undefined;
      if (row <= lastRow) continue; // committed before a restart: only its duplicate key was needed
      batch ??= { rows: 0, through: row, completions: [], errors: [], progress: 0 };
      batch.rows++;
      batch.through = row;
      if (!outcome.ok) {
        for (const error of outcome.errors) batch.errors.push({ row, error });
      } else if (firstRow !== undefined) {
        batch.errors.push({
          row,
          error: { column: '', value: '', reason: `duplicate of row ${firstRow}: same email, time and properties` },
        });
      } else {
        const { completion } = outcome;
        batch.completions.push({
          row,
          email: completion.email!,
          occurredAt: completion.occurredAt,
          uuid: completion.uuid!,
          propertiesJson,
        });
      }
      if (batch.rows >= batchSize) {
        yield withProgress(batch, progress);
        batch = undefined;
      }
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ImportFailure(error.message);
    throw error;
  } finally {
    await rows.return(undefined);
  }
  if (header) throw new ImportFailure('The file is empty: it has no header row.');
  if (batch) yield withProgress(batch, progress);
  return overLimit ? { overLimit } : {};
}

function withProgress(batch: CheckedBatch, progress: ReadProgress): CheckedBatch {
  batch.progress = progress.totalBytes > 0 ? Math.min(0.999, progress.bytesRead / progress.totalBytes) : 0;
  return batch;
}
