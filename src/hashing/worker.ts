import { parentPort } from 'node:worker_threads';
import type { BatchOutcome } from './batches.js';
import { READ_SIZE } from './file-range.js';
import { extendInspection, type InspectMore, type InspectOutcome, type InspectRequest } from './inspect.js';
import { takeWork, type WorkerRequest } from './work.js';

export type WorkerMessage = { readonly type: 'progress'; readonly bytes: number } | BatchOutcome | InspectOutcome;

// Progress is reported in coarse steps so messages stay rare on fast disks.
const PROGRESS_STEP = 64 * 1024 * 1024;

if (parentPort) {
  const port = parentPort;
  // The worker's one read buffer: memory stays flat whatever is hashed.
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  let pending = 0;
  const flush = (): void => {
    if (pending > 0) port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
    pending = 0;
  };
  const onBytes = (n: number): void => {
    pending += n;
    if (pending >= PROGRESS_STEP) flush();
  };
  // The inspection under way, which later messages may extend with more paths.
  let inspection: InspectRequest | undefined;
  port.on('message', async (message: WorkerRequest | InspectMore) => {
    let request: WorkerRequest;
    if (message.kind === 'inspect-more') {
      extendInspection(inspection!, message);
      request = inspection!;
    } else {
      request = message;
      inspection = message.kind === 'inspect' ? message : undefined;
    }
    // With no step size, every item is an outcome.
    for (const outcome of await takeWork(request, buffer, onBytes, Infinity)) {
      flush();
      port.postMessage(outcome! satisfies WorkerMessage);
    }
  });
}
