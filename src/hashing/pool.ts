import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import { sequentialHashers, type HashAlgorithm, type Hasher } from './algorithms.js';
import { hashFileRange, READ_SIZE, type RangeJob } from './file-range.js';
import type { WorkerMessage, WorkRequest } from './worker.js';

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

/** A worker started ahead of need, and how its start-up went. */
interface Prestarted {
  readonly worker: Worker;
  failure?: Error;
}

// Workers waiting for the next hashRanges call. They do not keep the process alive.
const prestarted: Prestarted[] = [];

/**
 * Starts hash workers now, so their start-up (tens of ms each) overlaps whatever the
 * caller does before hashing (loading modules, parsing arguments, listing the model).
 * The next `hashRanges` call takes them, and ends those it does not need; workers that
 * are never used do not keep the process alive.
 */
export function prestartWorkers(count: number = defaultWorkers()): void {
  while (prestarted.length < count) {
    const entry: Prestarted = { worker: new Worker(workerUrl) };
    entry.worker.once('error', (err) => (entry.failure = err));
    entry.worker.unref();
    prestarted.push(entry);
  }
}

/** `count` workers: prestarted ones first (the rest of those ended), then new ones. */
function takeWorkers(count: number): Worker[] {
  const taken = prestarted.splice(0);
  for (const extra of taken.splice(count)) void extra.worker.terminate();
  const failed = taken.find((t) => t.failure !== undefined);
  if (failed) {
    for (const t of taken) void t.worker.terminate();
    throw failed.failure!;
  }
  const workers = taken.map((t) => {
    t.worker.ref();
    return t.worker;
  });
  while (workers.length < count) workers.push(new Worker(workerUrl));
  return workers;
}

/**
 * Hashes byte ranges of local files across a pool of worker threads and returns the hex
 * digests in job order. Jobs are grouped into batches (small files together, large ranges
 * alone, largest first to shorten the tail); every worker takes the next batch from a
 * shared counter as soon as it is free. Each worker reads through one fixed buffer, so at
 * most `workers x READ_SIZE` bytes are in flight and memory stays flat whatever the
 * model's size; every byte is read once.
 */
export async function hashRanges(jobs: readonly RangeJob[], options: PoolOptions = {}): Promise<string[]> {
  const total = jobs.reduce((sum, j) => sum + span(j), 0);
  if (total <= INLINE_BYTES || (jobs.length === 1 && total <= BATCH_BYTES)) {
    takeWorkers(0); // ends any prestarted workers: none are needed
    return hashInline(jobs, options);
  }

  const batches = makeBatches(jobs);
  const digests: string[] = new Array<string>(jobs.length);
  const size = Math.max(1, Math.min(options.maxWorkers ?? defaultWorkers(), batches.length));
  const workers = takeWorkers(size);
  const request = workRequest(jobs, batches);
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      for (const worker of workers) {
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'progress') {
            options.onProgress?.(msg.bytes);
          } else if (msg.type === 'error') {
            reject(usageError('READ_FAILED', `cannot hash ${msg.path}: ${msg.message}`));
          } else {
            batches[msg.id]!.forEach((jobIndex, k) => (digests[jobIndex] = msg.digests[k]!));
            finished += 1;
            if (finished === batches.length) resolve();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`hash worker exited with code ${code}`)));
        worker.postMessage(request);
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

/** The batches in the compact form workers take (see JobBatch). */
function workRequest(jobs: readonly RangeJob[], batches: readonly number[][]): WorkRequest {
  const algorithms = [...new Set(jobs.map((j) => j.algorithm))];
  return {
    algorithms,
    batches: batches.map((batch) => ({
      paths: batch.map((i) => jobs[i]!.path),
      ranges: Float64Array.from(batch.flatMap((i) => [jobs[i]!.start, jobs[i]!.end])),
      algorithms: Uint8Array.from(batch.map((i) => algorithms.indexOf(jobs[i]!.algorithm))),
    })),
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
}

const span = (job: RangeJob): number => job.end - job.start;

async function hashInline(jobs: readonly RangeJob[], options: PoolOptions): Promise<string[]> {
  const buffer = Buffer.allocUnsafe(Math.min(READ_SIZE, jobs.reduce((m, j) => Math.max(m, span(j)), 1)));
  const makers = new Map<HashAlgorithm, () => Hasher>();
  const digests: string[] = [];
  for (const job of jobs) {
    let make = makers.get(job.algorithm);
    if (!make) makers.set(job.algorithm, (make = await sequentialHashers(job.algorithm)));
    try {
      digests.push(hashFileRange(job.path, job.start, job.end, make(), buffer, options.onProgress));
    } catch (err) {
      throw usageError('READ_FAILED', `cannot hash ${job.path}: ${(err as Error).message}`, err);
    }
  }
  return digests;
}
