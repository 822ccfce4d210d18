import { parentPort } from 'node:worker_threads';
import { hashFileRange, READ_SIZE, type RangeJob } from './file-range.js';

/**
 * The work of one `hashRanges` call, sent once to every worker: batches of jobs, and a
 * shared counter from which each worker takes the next batch index itself, so no worker
 * ever waits for the main thread between batches.
 */
export interface WorkRequest {
  readonly batches: readonly (readonly RangeJob[])[];
  /** Int32Array(1) over a SharedArrayBuffer: the next batch index to take. */
  readonly next: Int32Array;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly digests: string[] }
  | { readonly type: 'error'; readonly id: number; readonly path: string; readonly message: string; readonly code?: string };

// Progress is reported in coarse steps so messages stay rare on fast disks.
const PROGRESS_STEP = 64 * 1024 * 1024;

if (parentPort) {
  const port = parentPort;
  // The worker's one read buffer: memory stays flat whatever is hashed.
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  let pending = 0;
  const onBytes = (n: number): void => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
      pending = 0;
    }
  };
  port.on('message', async ({ batches, next }: WorkRequest) => {
    for (let id = Atomics.add(next, 0, 1); id < batches.length; id = Atomics.add(next, 0, 1)) {
      const digests: string[] = [];
      for (const job of batches[id]!) {
        try {
          digests.push(await hashFileRange(job, buffer, onBytes));
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          port.postMessage({ type: 'error', id, path: job.path, message: e.message, code: e.code } satisfies WorkerMessage);
          return;
        }
      }
      if (pending > 0) {
        port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
        pending = 0;
      }
      port.postMessage({ type: 'done', id, digests } satisfies WorkerMessage);
    }
  });
}
