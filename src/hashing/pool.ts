import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import { hashFileRange, READ_SIZE, type RangeJob } from './file-range.js';
import type { BatchRequest, WorkerMessage } from './worker.js';

export interface PoolOptions {
  /** Worker threads to use; defaults to the number of cores. */
  readonly maxWorkers?: number;
  /** Called with byte counts as they are hashed. */
  readonly onProgress?: (bytes: number) => void;
}

// Small files are packed into batches of about this many bytes, so per-message cost stays
// negligible next to the hashing; anything larger travels alone.
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_JOBS = 512;
// Below this much data, starting threads costs more than it saves.
const INLINE_BYTES = 8 * 1024 * 1024;

const workerUrl = new URL('./worker.js', import.meta.url);

/** The default degree of parallelism: one worker per core. */
export const defaultWorkers = (): number => availableParallelism();

/**
 * Hashes byte ranges of local files across a pool of worker threads and returns the hex
 * digests in job order. Each worker owns one read buffer, so memory stays flat whatever the
 * model's size. Large ranges are scheduled first to shorten the tail.
 */
export async function hashRanges(jobs: readonly RangeJob[], options: PoolOptions = {}): Promise<string[]> {
  const total = jobs.reduce((sum, j) => sum + (j.end - j.start), 0);
  if (jobs.length === 0) return [];
  if (total <= INLINE_BYTES || jobs.length === 1 && total <= BATCH_BYTES) return hashInline(jobs, options);

  const batches = makeBatches(jobs);
  const digests: string[] = new Array<string>(jobs.length);
  const size = Math.max(1, Math.min(options.maxWorkers ?? defaultWorkers(), batches.length));
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let finished = 0;
      let failed = false;
      const fail = (err: Error): void => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const feed = (worker: Worker): void => {
        const batch = batches[next];
        if (batch === undefined) return;
        const request: BatchRequest = { id: next, jobs: batch.map((i) => jobs[i]!) };
        next += 1;
        worker.postMessage(request);
      };
      for (let w = 0; w < size; w += 1) {
        const worker = new Worker(workerUrl);
        workers.push(worker);
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'progress') {
            options.onProgress?.(msg.bytes);
          } else if (msg.type === 'error') {
            fail(usageError('READ_FAILED', `cannot hash ${msg.path}: ${msg.message}`));
          } else {
            const batch = batches[msg.id]!;
            batch.forEach((jobIndex, k) => (digests[jobIndex] = msg.digests[k]!));
            finished += 1;
            if (finished === batches.length) resolve();
            else feed(worker);
          }
        });
        worker.on('error', (err) => fail(err));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new Error(`hash worker exited with code ${code}`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return digests;
}

/** Groups job indexes into batches, largest jobs first. */
function makeBatches(jobs: readonly RangeJob[]): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => span(jobs[b]!) - span(jobs[a]!));
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of order) {
    const n = span(jobs[i]!);
    if (n >= BATCH_BYTES) {
      batches.push([i]);
      continue;
    }
    if (current.length > 0 && (bytes + n > BATCH_BYTES || current.length >= BATCH_JOBS)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

const span = (job: RangeJob): number => job.end - job.start;

async function hashInline(jobs: readonly RangeJob[], options: PoolOptions): Promise<string[]> {
  const buffer = Buffer.allocUnsafe(Math.min(READ_SIZE, jobs.reduce((m, j) => Math.max(m, span(j)), 1)));
  const digests: string[] = [];
  for (const job of jobs) {
    try {
      digests.push(await hashFileRange(job, buffer, options.onProgress));
    } catch (err) {
      throw usageError('READ_FAILED', `cannot hash ${job.path}: ${(err as Error).message}`, err);
    }
  }
  return digests;
}
