import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ImportFileType } from '../../lib/shared';
import { ImportFailure, type CheckedBatch, type CheckedEnd, type CheckInput } from './checked-batches';

/** Batches the worker may post before the job has taken them (a few hundred rows each on SQLite). */
export const WORKER_WINDOW = 4;

/**
 * The worker's heap, in MB. Rows stream through it, so a small heap suffices and keeps the server
 * process within its 300 MB: the young generation's default (16 MB semi-spaces) alone would take
 * more than the worker needs (bench:import). Spreadsheets get more room: ExcelJS keeps a workbook's
 * shared strings, and legacy .xls is read whole (its format stops at 65,536 rows).
 */
const WORKER_HEAP: Record<ImportFileType, ResourceLimits> = {
  csv: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 },
  xlsx: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
  xls: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
};

export type ToWorker = { taken: number };
export type FromWorker =
  | { kind: 'batch'; batch: CheckedBatch }
  | { kind: 'end'; end: CheckedEnd }
  | { kind: 'failed'; message: string }
  | { kind: 'crashed'; message: string; stack?: string };

/**
 * `checkedBatches` in a worker thread: reading, parsing and checking the file (most of an import's
 * CPU time) run beside the server's event loop instead of on it, and on the second core. The job
 * only writes what arrives. Returning early (cancel, shutdown, a failed write) ends the worker.
 */
export async function* checkInWorker(input: CheckInput): AsyncGenerator<CheckedBatch, CheckedEnd> {
  const worker = new Worker(new URL('./check-worker.cjs', import.meta.url), {
    execArgv: [],
    workerData: input,
    resourceLimits: WORKER_HEAP[input.fileType],
  });
  const inbox: FromWorker[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const arrived = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: FromWorker) => {
    inbox.push(message);
    arrived();
  });
  worker.on('error', (error) => {
    failure ??=
      (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new ImportFailure(
            `Reading the file took more than the ${WORKER_HEAP[input.fileType].maxOldGenerationSizeMb} MB an import may use; save it as CSV and import that.`,
          )
        : error;
    arrived();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the import's worker thread stopped (exit code ${code})`);
    arrived();
  });
  let taken = 0;
  try {
    for (;;) {
      const message = inbox.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'end') return message.end;
      if (message.kind === 'failed') throw new ImportFailure(message.message);
      if (message.kind === 'crashed') throw Object.assign(new Error(message.message), { stack: message.stack });
      worker.postMessage({ taken: ++taken } satisfies ToWorker);
      yield message.batch;
    }
  } finally {
    await worker.terminate();
  }
}
