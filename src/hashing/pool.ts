import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import { sequentialHashers, type Hasher } from './algorithms.js';
import { takeBatches, type BatchOutcome, type WorkRequest } from './batches.js';
import { READ_SIZE, type RangeJob } from './file-range.js';
import type { WorkerMessage } from './worker.js';

export interface PoolOptions {
  /** Threads that hash (workers, and the calling thread if it takes part); defaults to the number of cores. */
  readonly maxWorkers?: number;
  /**
   * Let the calling thread hash too, as one of the `maxWorkers` threads, so one worker fewer
   * is started (each costs tens of ms of CPU to start). Its event loop then runs only
   * between slices of at most 64 MiB (tens of ms each), so a program that must stay
   * responsive while hashing (a server) should leave this off. The CLI turns it on.
   */
  readonly hashOnCallingThread?: boolean;
  /** Called with byte counts as they are hashed. */
  readonly onProgress?: (bytes: number) => void;
}

// Small files are packed into batches of about this many bytes, so per-message cost stays
// negligible next to the hashing; anything larger travels alone.
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_JOBS = 512;
// Below this much data, starting threads costs more than it saves.
const INLINE_BYTES = 8 * 1024 * 1024;
// The calling thread lets its event loop run (worker messages, progress) this often.
const CALLING_THREAD_SLICE = 64 * 1024 * 1024;

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
 * Hashes byte ranges of local files across a pool of threads and returns the hex digests
 * in job order. Jobs are grouped into batches (small files together, large ranges alone,
 * largest first to shorten the tail); every thread takes the next batch from a shared
 * counter as soon as it is free. Each thread reads through one fixed buffer, so at most
 * `threads x READ_SIZE` bytes are in flight and memory stays flat whatever the model's
 * size; every byte is read once. Below 8 MiB in all (or one range below 16 MiB), the
 * calling thread hashes alone.
 */
export async function hashRanges(jobs: readonly RangeJob[], options: PoolOptions = {}): Promise<string[]> {
  if (jobs.length === 0) {
    takeWorkers(0); // ends any prestarted workers: none are needed
    return [];
  }
  const total = jobs.reduce((sum, j) => sum + span(j), 0);
  const batches = makeBatches(jobs);
  const inline = total <= INLINE_BYTES || (jobs.length === 1 && total <= BATCH_BYTES);
  const threads = inline ? 1 : Math.max(1, Math.min(options.maxWorkers ?? defaultWorkers(), batches.length));
  const here = inline || options.hashOnCallingThread === true;
  // Any prestarted workers beyond these are ended.
  const workers = takeWorkers(here ? threads - 1 : threads);
  const request = workRequest(jobs, batches);
  const digests: string[] = new Array<string>(jobs.length);
  let failure: Error | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const fail = (err: Error): void => {
        failure ??= err;
        reject(failure);
      };
      const settle = (outcome: BatchOutcome): void => {
        if (outcome.type === 'error') return fail(usageError('READ_FAILED', `cannot hash ${outcome.path}: ${outcome.message}`));
        batches[outcome.id]!.forEach((jobIndex, k) => (digests[jobIndex] = outcome.digests[k]!));
        finished += 1;
        if (finished === batches.length) resolve();
      };
      for (const worker of workers) {
        worker.on('message', (msg: WorkerMessage) => (msg.type === 'progress' ? options.onProgress?.(msg.bytes) : settle(msg)));
        worker.on('error', fail);
        worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
        worker.postMessage(request);
      }
      if (here) hashHere(request, options.onProgress, settle, () => failure !== undefined).catch(fail);
    });
  } finally {
    // Not awaited: a worker takes ~10 ms to tear down, which need not delay the caller.
    for (const worker of workers) {
      worker.unref();
      void worker.terminate();
    }
  }
  return digests;
}

/**
 * The calling thread's share of a pool's work: batches from the same counter as the
 * workers, hashed in slices with the event loop let in between (so worker messages and
 * progress keep flowing), until none are left or the pool has failed.
 */
async function hashHere(request: WorkRequest, onBytes: ((n: number) => void) | undefined, settle: (outcome: BatchOutcome) => void, failed: () => boolean): Promise<void> {
  const makers: (() => Hasher)[] = await Promise.all(request.algorithms.map(sequentialHashers));
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  for (const outcome of takeBatches(request, makers, buffer, onBytes, CALLING_THREAD_SLICE)) {
    if (outcome) settle(outcome);
    if (failed()) return;
    await new Promise((r) => setImmediate(r));
  }
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
    batches: batches.map((batch) => {
      const paths: string[] = new Array<string>(batch.length);
      const ranges = new Float64Array(2 * batch.length);
      const which = new Uint8Array(batch.length);
      batch.forEach((i, k) => {
        const job = jobs[i]!;
        paths[k] = job.path;
        ranges[2 * k] = job.start;
        ranges[2 * k + 1] = job.end;
        which[k] = algorithms.indexOf(job.algorithm);
      });
      return { paths, ranges, algorithms: which };
    }),
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
}

const span = (job: RangeJob): number => job.end - job.start;
