import { parentPort } from 'node:worker_threads';
import { oneShotHash, sequentialHashers } from './algorithms.js';
import { takeBatches, type BatchOutcome, type WorkRequest } from './batches.js';
import { READ_SIZE } from './file-range.js';
import { takeInspections, type InspectOutcome, type InspectRequest } from './inspect.js';

/** What a pool posts to its workers. */
export type WorkerRequest = WorkRequest | InspectRequest;

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
  port.on('message', async (request: WorkerRequest) => {
    // Hashers are made synchronously per job: no promise per file.
    const outcomes =
      request.kind === 'hash'
        ? // With no step size, every item is an outcome.
          takeBatches(request, await Promise.all(request.algorithms.map(sequentialHashers)), buffer, onBytes, Infinity)
        : takeInspections(request, request.algorithm && (await oneShotHash(request.algorithm)), buffer, onBytes);
    for (const outcome of outcomes) {
      flush();
      port.postMessage(outcome! satisfies WorkerMessage);
    }
  });
}
