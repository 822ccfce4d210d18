import { parentPort } from 'node:worker_threads';
import { sequentialHashers, type HashAlgorithm, type Hasher } from './algorithms.js';
import { hashFileRange, READ_SIZE } from './file-range.js';

/**
 * Jobs in the form that is cheapest to copy to a worker: parallel arrays instead of one
 * object per job (20,000 job objects took ~10 ms to copy into each worker; these, ~1 ms).
 */
export interface JobBatch {
  readonly paths: readonly string[];
  /** `[start, end)` of each job: start at 2k, end at 2k + 1. */
  readonly ranges: Float64Array;
  /** Each job's algorithm, as an index into `WorkRequest.algorithms`. */
  readonly algorithms: Uint8Array;
}

/**
 * The work of one `hashRanges` call, sent once to every worker: batches of jobs, and a
 * shared counter from which each worker takes the next batch index itself, so no worker
 * ever waits for the main thread between batches.
 */
export interface WorkRequest {
  readonly algorithms: readonly HashAlgorithm[];
  readonly batches: readonly JobBatch[];
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
  port.on('message', async ({ algorithms, batches, next }: WorkRequest) => {
    // Hashers are made synchronously per job: no promise per file.
    const makers: (() => Hasher)[] = await Promise.all(algorithms.map(sequentialHashers));
    for (let id = Atomics.add(next, 0, 1); id < batches.length; id = Atomics.add(next, 0, 1)) {
      const { paths, ranges, algorithms: which } = batches[id]!;
      const digests: string[] = [];
      for (let k = 0; k < paths.length; k += 1) {
        try {
          digests.push(hashFileRange(paths[k]!, ranges[2 * k]!, ranges[2 * k + 1]!, makers[which[k]!]!(), buffer, onBytes));
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          port.postMessage({ type: 'error', id, path: paths[k]!, message: e.message, code: e.code } satisfies WorkerMessage);
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
