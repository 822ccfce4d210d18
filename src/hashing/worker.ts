import { parentPort } from 'node:worker_threads';
import { hashFileRange, READ_SIZE, type RangeJob } from './file-range.js';

/** A batch sent by the pool; small files travel together so one message carries many. */
export interface BatchRequest {
  readonly id: number;
  readonly jobs: RangeJob[];
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly digests: string[] }
  | { readonly type: 'error'; readonly id: number; readonly path: string; readonly message: string; readonly code?: string };

// Progress is reported in coarse steps so messages stay rare on fast disks.
const PROGRESS_STEP = 64 * 1024 * 1024;

if (parentPort) {
  const port = parentPort;
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  let pending = 0;
  const onBytes = (n: number): void => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
      pending = 0;
    }
  };
  port.on('message', async (batch: BatchRequest) => {
    const digests: string[] = [];
    for (const job of batch.jobs) {
      try {
        digests.push(await hashFileRange(job, buffer, onBytes));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        port.postMessage({ type: 'error', id: batch.id, path: job.path, message: e.message, code: e.code } satisfies WorkerMessage);
        return;
      }
    }
    if (pending > 0) {
      port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
      pending = 0;
    }
    port.postMessage({ type: 'done', id: batch.id, digests } satisfies WorkerMessage);
  });
}
