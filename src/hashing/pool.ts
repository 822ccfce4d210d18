import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import type { HashAlgorithm } from './algorithms.js';
import { cgroupCpuLimit, defaultThreads } from './cpu-limit.js';
import type { BatchOutcome, WorkRequest } from './batches.js';
import { changedBetweenRanges, READ_SIZE, type RangeJob } from './file-range.js';
import { INSPECT_CHUNK, type InspectOutcome, type InspectRequest } from './inspect.js';
import { takeWork, type WorkerRequest } from './work.js';
import type { WorkerMessage } from './worker.js';

export interface PoolOptions {
  /** Threads that hash (workers, and the calling thread if it takes part); defaults to `defaultWorkers()` (one per core, within a cgroup CPU limit). */
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
  /**
   * Other work for the calling thread, run while workers hash: called in each run that has
   * workers, once they have their request and before the calling thread takes its own share.
   * A caller whose work must run once makes later calls return at once.
   */
  readonly meanwhile?: () => void;
}

// Small files are packed into batches of about this many bytes, so per-message cost stays
// negligible next to the hashing; anything larger travels alone.
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_JOBS = 512;
// Below this much data (or this many files to inspect), starting threads costs more than it saves.
const INLINE_BYTES = 8 * 1024 * 1024;
const INLINE_FILES = 32;
// The calling thread lets its event loop run (worker messages, progress) this often.
const CALLING_THREAD_SLICE = 64 * 1024 * 1024;

const workerUrl = new URL('./worker.js', import.meta.url);

/** A local file that could not be read or hashed as listed: "cannot <verb> <path>: <why>". */
const readFailed = (verb: string, path: string, why: string): Error => usageError('READ_FAILED', `cannot ${verb} ${path}: ${why}`);

let workersByDefault: number | undefined;

/**
 * The default number of hash threads: one per CPU the process may run on, within its
 * cgroup CPU limit (a container's), rounded up (see `defaultThreads`). Read once.
 */
export const defaultWorkers = (): number => (workersByDefault ??= defaultThreads(availableParallelism(), cgroupCpuLimit()));

/** A worker waiting for work, and how its start-up went. */
interface Idle {
  readonly worker: Worker;
  failure?: Error;
}

// Workers waiting for the next call: started ahead of need, or left by inspectLocalFiles for
// the hashing that follows a listing. They do not keep the process alive.
const idle: Idle[] = [];

/** Keeps a worker for the next call, without holding the process open. */
function park(worker: Worker): void {
  const entry: Idle = { worker };
  worker.once('error', (err) => (entry.failure = err));
  worker.unref();
  idle.push(entry);
}

/**
 * Starts hash workers now, so their start-up (tens of ms each) overlaps whatever the
 * caller does before hashing (loading modules, parsing arguments, listing the model).
 * The next `hashRanges` or `inspectLocalFiles` call takes them; workers that are never
 * used do not keep the process alive.
 */
export function prestartWorkers(count: number = defaultWorkers()): void {
  while (idle.length < count) park(new Worker(workerUrl));
}

/** How many workers are waiting for the next call (for diagnostics and tests). */
export const waitingWorkers = (): number => idle.length;

/** `count` workers: waiting ones first (the rest of those ended), then new ones. */
function takeWorkers(count: number): Worker[] {
  const taken = idle.splice(0);
  for (const extra of taken.splice(count)) void extra.worker.terminate();
  const failed = taken.find((t) => t.failure !== undefined);
  if (failed) {
    for (const t of taken) void t.worker.terminate();
    throw failed.failure!;
  }
  const workers = taken.map((t) => {
    t.worker.removeAllListeners('error');
    t.worker.ref();
    return t.worker;
  });
  while (workers.length < count) workers.push(new Worker(workerUrl));
  return workers;
}

/** Ends workers without waiting for them: a worker takes ~10 ms to tear down, which need not delay the caller. */
function endWorkers(workers: readonly Worker[]): void {
  for (const worker of workers) {
    worker.unref();
    void worker.terminate();
  }
}

/** One request run on a set of threads, each taking units of work from the request's shared counter. */
interface PoolRun<O extends BatchOutcome | InspectOutcome> {
  readonly request: WorkerRequest;
  /** Outcomes expected in all (one per unit). */
  readonly units: number;
  /** Error wording: "cannot <verb> <path>: ...". */
  readonly verb: string;
  /** Records one unit's outcome (failures never get here). */
  settle(outcome: Exclude<O, { type: 'error' }>): void;
  /** The calling thread takes a share too, in slices with its event loop let in between. */
  readonly here: boolean;
}

/**
 * Posts a run's request to the workers, takes the calling thread's share if it has one,
 * and resolves when every unit is settled; the first failure rejects. Listeners are
 * removed afterwards, so the workers can be ended or parked.
 */
async function runPool<O extends BatchOutcome | InspectOutcome>(workers: readonly Worker[], run: PoolRun<O>, options: PoolOptions): Promise<void> {
  const { onProgress, meanwhile } = options;
  let failure: Error | undefined;
  const detach: (() => void)[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const fail = (err: Error): void => {
        failure ??= err;
        reject(failure);
      };
      const take = (outcome: O): void => {
        if (outcome.type === 'error') return fail(readFailed(run.verb, outcome.path, outcome.message));
        run.settle(outcome as Exclude<O, { type: 'error' }>);
        finished += 1;
        if (finished === run.units) resolve();
      };
      const onMessage = (msg: WorkerMessage): void => (msg.type === 'progress' ? onProgress?.(msg.bytes) : take(msg as O));
      const onExit = (code: number): void => fail(new Error(`hash worker exited with code ${code}`));
      for (const worker of workers) {
        worker.on('message', onMessage).on('error', fail).on('exit', onExit);
        detach.push(() => worker.off('message', onMessage).off('error', fail).off('exit', onExit));
        worker.postMessage(run.request);
      }
      if (workers.length > 0 && meanwhile) {
        try {
          meanwhile();
        } catch (err) {
          return fail(err as Error);
        }
      }
      if (run.here) driveHere(run.request, onProgress, take, () => failure !== undefined).catch(fail);
    });
  } finally {
    for (const off of detach) off();
  }
}

/**
 * The calling thread's share of a run, taken as a worker takes its own but in slices: its
 * outcomes, with the event loop let in after each (so worker messages and progress keep
 * flowing), until none are left or the run failed.
 */
async function driveHere<O>(request: WorkerRequest, onProgress: ((bytes: number) => void) | undefined, take: (outcome: O) => void, failed: () => boolean): Promise<void> {
  const share = (await takeWork(request, Buffer.allocUnsafe(READ_SIZE), onProgress, CALLING_THREAD_SLICE)) as Iterable<O | undefined>;
  for (const outcome of share) {
    if (outcome) take(outcome);
    if (failed()) return;
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Hashes byte ranges of local files across a pool of threads and returns the hex digests
 * in job order. Jobs are grouped into batches (small files together, large ranges alone,
 * largest first to shorten the tail); every thread takes the next batch from a shared
 * counter as soon as it is free. Each thread reads through one fixed buffer, so at most
 * `threads x READ_SIZE` bytes are in flight and memory stays flat whatever the model's
 * size; every byte is read once. Below 8 MiB in all (or one range below 16 MiB), the
 * calling thread hashes alone. Consecutive jobs on one path (the shards of a file) fail
 * together (READ_FAILED) if the file changed between the reads of any two of them.
 */
export async function hashRanges(jobs: readonly RangeJob[], options: PoolOptions = {}): Promise<string[]> {
  if (jobs.length === 0) {
    takeWorkers(0); // ends any waiting workers: none are needed
    return [];
  }
  const total = jobs.reduce((sum, j) => sum + span(j), 0);
  const batches = makeBatches(jobs);
  const inline = total <= INLINE_BYTES || (jobs.length === 1 && total <= BATCH_BYTES);
  const threads = inline ? 1 : Math.max(1, Math.min(options.maxWorkers ?? defaultWorkers(), batches.length));
  const here = inline || options.hashOnCallingThread === true;
  // Any waiting workers beyond these are ended.
  const workers = takeWorkers(here ? threads - 1 : threads);
  const request = workRequest(jobs, batches);
  const digests: string[] = new Array<string>(jobs.length);
  const times = new Float64Array(2 * jobs.length);
  try {
    await runPool<BatchOutcome>(
      workers,
      {
        request,
        units: batches.length,
        verb: 'hash',
        settle: (outcome) =>
          batches[outcome.id]!.forEach((jobIndex, k) => {
            digests[jobIndex] = outcome.digests[k]!;
            times[2 * jobIndex] = outcome.times[2 * k]!;
            times[2 * jobIndex + 1] = outcome.times[2 * k + 1]!;
          }),
        here,
      },
      options,
    );
  } finally {
    endWorkers(workers);
  }
  // Each range saw its file unchanged while it was read; the shards of one file, read under
  // different opens (other batches, other threads), must also have seen the same file, or
  // the manifest would mix two versions of it that never existed together.
  for (let i = 1; i < jobs.length; i += 1) {
    const path = jobs[i]!.path;
    if (path === jobs[i - 1]!.path && (times[2 * i] !== times[2 * i - 2] || times[2 * i + 1] !== times[2 * i - 1])) throw readFailed('hash', path, changedBetweenRanges(path));
  }
  return digests;
}

/**
 * Local files as `inspectLocalFiles` found them, one column per field (the order given):
 * one object per file would be garbage the calling thread must collect on big listings.
 */
export interface InspectedFiles {
  readonly sizes: Float64Array;
  /** Hex digests of the whole files up to HASH_WHILE_INSPECTING_BYTES when an algorithm was given; '' for the others. */
  readonly digests: string[];
  /** With `precise`: the nanosecond stat fields an identity is made of, dev, ino, mtimeNs and ctimeNs of file i at 4i to 4i + 3. */
  readonly stats?: bigint[];
}

/** What `inspectLocalFiles` does besides finding sizes. */
export interface InspectOptions extends PoolOptions {
  /** Hash the small files (up to HASH_WHILE_INSPECTING_BYTES) with this, as they are opened. */
  readonly algorithm?: HashAlgorithm;
  /** Report precise (bigint) stat fields, for identities. */
  readonly precise?: boolean;
  /** 1 where `paths[i]` is a symbolic link to open through; otherwise a link fails. */
  readonly follow?: Uint8Array;
}

/**
 * Opens local files across the hash threads and returns, in order, each one's size (and
 * precise stat fields, if asked), with small files hashed in the same pass: a listing of
 * many small files is then parallel, and each is read right after its stat. A path that is
 * no longer a regular file, or became a symbolic link, fails (READ_FAILED). The workers
 * are kept, waiting, for the `hashRanges` call that usually follows. 32 files or fewer are
 * inspected on the calling thread alone, leaving any waiting workers be.
 */
export async function inspectLocalFiles(paths: readonly string[], options: InspectOptions = {}): Promise<InspectedFiles> {
  const units = Math.ceil(paths.length / INSPECT_CHUNK);
  const inline = paths.length <= INLINE_FILES;
  const threads = inline ? 1 : Math.max(1, Math.min(options.maxWorkers ?? defaultWorkers(), units));
  const here = inline || options.hashOnCallingThread === true;
  // Inline, any waiting workers are left for the hashing that follows.
  const workers = inline ? [] : takeWorkers(here ? threads - 1 : threads);
  const request: InspectRequest = {
    kind: 'inspect',
    paths,
    follow: options.follow ?? new Uint8Array(paths.length),
    ...(options.algorithm ? { algorithm: options.algorithm } : {}),
    precise: options.precise === true,
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
  const found: InspectedFiles = {
    sizes: new Float64Array(paths.length),
    digests: new Array<string>(paths.length),
    ...(request.precise ? { stats: new Array<bigint>(4 * paths.length) } : {}),
  };
  if (paths.length === 0) return found;
  try {
    await runPool<InspectOutcome>(
      workers,
      {
        request,
        units,
        verb: 'read',
        settle: ({ id, sizes, digests, stats }) => {
          const first = id * INSPECT_CHUNK;
          found.sizes.set(sizes, first);
          for (let k = 0; k < digests.length; k += 1) found.digests[first + k] = digests[k]!;
          if (stats && found.stats) for (let k = 0; k < stats.length; k += 1) found.stats[4 * first + k] = stats[k]!;
        },
        here,
      },
      options,
    );
  } catch (err) {
    endWorkers(workers); // some may still be working
    throw err;
  }
  workers.forEach(park);
  return found;
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
    kind: 'hash',
    batches: batches.map((batch) => {
      const paths: string[] = new Array<string>(batch.length);
      const ranges = new Float64Array(5 * batch.length);
      const which = new Uint8Array(batch.length);
      batch.forEach((i, k) => {
        const job = jobs[i]!;
        paths[k] = job.path;
        ranges[5 * k] = job.start;
        ranges[5 * k + 1] = job.end;
        ranges[5 * k + 2] = job.size ?? NaN;
        ranges[5 * k + 3] = job.listedTimes?.[0] ?? NaN;
        ranges[5 * k + 4] = job.listedTimes?.[1] ?? NaN;
        which[k] = algorithms.indexOf(job.algorithm);
      });
      return { paths, ranges, algorithms: which };
    }),
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
}

const span = (job: RangeJob): number => job.end - job.start;
