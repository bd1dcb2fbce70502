import { parentPort, workerData } from 'node:worker_threads';
import { checkedBatches, ImportFailure, type CheckInput } from './checked-batches';
import { WORKER_WINDOW, type FromWorker, type ToWorker } from './check-in-worker';

/**
 * The worker side of `checkInWorker`: runs `checkedBatches` over the file and posts each batch,
 * never more than WORKER_WINDOW ahead of what the job has taken (the rest waits in the parser, so
 * memory stays bounded however fast the file reads).
 */
const port = parentPort!;
let taken = 0;
let wake: (() => void) | undefined;
port.on('message', (message: ToWorker) => {
  taken = message.taken;
  wake?.();
});
const post = (message: FromWorker) => port.postMessage(message);

async function main(): Promise<void> {
  let sent = 0;
  try {
    const batches = checkedBatches(workerData as CheckInput);
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        post({ kind: 'end', end: next.value });
        break;
      }
      post({ kind: 'batch', batch: next.value });
      sent++;
      while (sent - taken >= WORKER_WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    if (error instanceof ImportFailure) post({ kind: 'failed', message: error.message });
    else if (error instanceof Error) post({ kind: 'crashed', message: error.message, stack: error.stack });
    else post({ kind: 'crashed', message: String(error) });
  } finally {
    port.close();
  }
}

void main();
