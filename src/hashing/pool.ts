import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import type { HashAlgorithm } from './algorithms.js';
import { cgroupCpuLimit, defaultThreads } from './cpu-limit.js';
import type { BatchOutcome, WorkRequest } from './batches.js';
import { changedBetweenRanges, READ_SIZE, type RangeJob } from './file-range.js';
import { INSPECT_CHUNK, type InspectMore, type InspectOutcome, type InspectRequest } from './inspect.js';
import { takeWork, type WorkerRequest } from './work.js';
import type { WorkerMessage } from './worker.js';

/** How local files are hashed across threads. */
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

/** The threads a run hashes on at most: `maxWorkers` (at least one), else the default. */
const hashThreads = (options: PoolOptions): number => Math.max(1, options.maxWorkers ?? defaultWorkers());

/**
 * The workers a run starts at most beside the calling thread: none when that thread
 * hashes alone, and so nothing else can run while it hashes.
 */
export const workersBeside = (options: PoolOptions): number => hashThreads(options) - (options.hashOnCallingThread === true ? 1 : 0);

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

/** A request posted to workers, whose outcomes are settled as they arrive. */
interface Launched<O extends BatchOutcome | InspectOutcome> {
  /** Resolves once the expected units are all settled; rejects with the first failure. */
  readonly done: Promise<void>;
  /** Sets the number of units in all (a listing may still be adding work when launched). */
  expect(units: number): void;
  /** Settles one outcome, from a worker or the calling thread. */
  take(outcome: O): void;
  fail(err: Error): void;
  failed(): boolean;
  /** Removes the listeners, so the workers can be ended or parked. */
  detach(): void;
}

/**
 * Posts a request to workers and settles their outcomes with `settle` as they come (failures
 * never get there). Error wording: "cannot <verb> <path>: ...".
 */
function launch<O extends BatchOutcome | InspectOutcome>(
  workers: readonly Worker[],
  request: WorkerRequest,
  verb: string,
  settle: (outcome: Exclude<O, { type: 'error' }>) => void,
  onProgress: ((bytes: number) => void) | undefined,
): Launched<O> {
  let failure: Error | undefined;
  let units = Infinity;
  let settled = 0;
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A worker may fail while a listing still runs, before anyone awaits the run.
  done.catch(() => undefined);
  const fail = (err: Error): void => {
    failure ??= err;
    reject(failure);
  };
  const take = (outcome: O): void => {
    if (outcome.type === 'error') return fail(readFailed(verb, outcome.path, outcome.message));
    settle(outcome as Exclude<O, { type: 'error' }>);
    settled += 1;
    if (settled === units) resolve();
  };
  const onMessage = (msg: WorkerMessage): void => (msg.type === 'progress' ? onProgress?.(msg.bytes) : take(msg as O));
  const onExit = (code: number): void => fail(new Error(`hash worker exited with code ${code}`));
  for (const worker of workers) {
    worker.on('message', onMessage).on('error', fail).on('exit', onExit);
    worker.postMessage(request);
  }
  return {
    done,
    expect: (n) => {
      units = n;
      if (settled === n) resolve();
    },
    take,
    fail,
    failed: () => failure !== undefined,
    detach: () => {
      for (const worker of workers) worker.off('message', onMessage).off('error', fail).off('exit', onExit);
    },
  };
}

/**
 * The calling thread's part of a launched run whose units are all known: other work
 * (`meanwhile`, when there are workers), then its own share if it takes part. Resolves
 * when the run is done; the first failure rejects.
 */
async function finishRun<O extends BatchOutcome | InspectOutcome>(run: Launched<O>, workers: readonly Worker[], request: WorkerRequest, here: boolean, options: PoolOptions): Promise<void> {
  if (workers.length > 0 && options.meanwhile) {
    try {
      options.meanwhile();
    } catch (err) {
      run.fail(err as Error);
    }
  }
  if (here && !run.failed()) driveHere(request, options.onProgress, run.take, run.failed).catch(run.fail);
  await run.done;
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
  const threads = inline ? 1 : Math.min(hashThreads(options), batches.length);
  const here = inline || options.hashOnCallingThread === true;
  // Any waiting workers beyond these are ended.
  const workers = takeWorkers(here ? threads - 1 : threads);
  const request = workRequest(jobs, batches);
  const digests: string[] = new Array<string>(jobs.length);
  const times = new Float64Array(2 * jobs.length);
  const run = launch<BatchOutcome>(
    workers,
    request,
    'hash',
    (outcome) =>
      batches[outcome.id]!.forEach((jobIndex, k) => {
        digests[jobIndex] = outcome.digests[k]!;
        times[2 * jobIndex] = outcome.times[2 * k]!;
        times[2 * jobIndex + 1] = outcome.times[2 * k + 1]!;
      }),
    options.onProgress,
  );
  run.expect(batches.length);
  try {
    await finishRun(run, workers, request, here, options);
  } finally {
    run.detach();
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

/** Where `startInspection` hands its results. */
export interface InspectionOptions extends InspectOptions {
  /**
   * Called on the calling thread with each chunk of results, in order (`first` is the index
   * of its first file), as soon as it and every chunk before it are in: a listing can build
   * its entries while the threads still inspect, instead of after. An exception fails the run.
   */
  readonly onInspected: (first: number, chunk: InspectedFiles) => void;
}

/** A listing's files, inspected by the hash threads while the listing still finds more (see `startInspection`). */
export interface Inspection {
  /** Adds a file to inspect; `follow` when it is an allowed symbolic link, opened through. */
  add(path: string, follow: boolean): void;
  /** Hands the files added since the last call to the hash threads, which may start on them at once. */
  flush(): void;
  /**
   * No more files: inspects the rest (the calling thread too, if it takes part); resolves
   * once every chunk has been handed to `onInspected`. Workers are kept, waiting, for the
   * `hashRanges` call that usually follows.
   */
  finish(): Promise<void>;
  /** Gives up (the listing failed): workers at work are ended, any failure of theirs dropped. */
  abandon(): void;
}

/**
 * Starts inspecting local files while a listing is still finding them: each file is opened
 * and checked to be a regular file on the open descriptor, for its size (and precise stat
 * fields, if asked), and small files are hashed in the same pass (see `inspectLocalFiles`).
 * Once every hash thread has a chunk of files, flushed files go to the workers at once,
 * so they work while the calling thread lists; a failure among them is reported by
 * `finish`. Until then (and for 32 files or fewer in all, inspected on the calling
 * thread alone) nothing starts before `finish`. Results go to `onInspected`, chunk by chunk.
 */
export function startInspection(options: InspectionOptions): Inspection {
  const request: InspectRequest = {
    kind: 'inspect',
    paths: [],
    follow: [],
    ...(options.algorithm ? { algorithm: options.algorithm } : {}),
    precise: options.precise === true,
    next: new Int32Array(new SharedArrayBuffer(4)),
    complete: false,
  };
  const { paths, follow } = request;
  const callingThreadHashes = options.hashOnCallingThread === true;
  const chunks: (Exclude<InspectOutcome, { type: 'error' }> | undefined)[] = [];
  let workers: Worker[] = [];
  let run: Launched<InspectOutcome> | undefined;
  // Paths the workers have been sent.
  let sent = 0;
  // Chunks handed to onInspected, which takes them in order; one that comes early waits here.
  let delivered = 0;
  const settle = (outcome: Exclude<InspectOutcome, { type: 'error' }>): void => {
    chunks[outcome.id] = outcome;
    try {
      for (let next = chunks[delivered]; next !== undefined; next = chunks[delivered]) {
        chunks[delivered] = undefined;
        delivered += 1;
        options.onInspected((delivered - 1) * INSPECT_CHUNK, next);
      }
    } catch (err) {
      run!.fail(err as Error);
    }
  };
  const launchOn = (taken: Worker[]): Launched<InspectOutcome> => {
    workers = taken;
    sent = paths.length;
    return (run = launch<InspectOutcome>(workers, request, 'read', settle, options.onProgress));
  };
  const start = (threads: number, here: boolean): Launched<InspectOutcome> => launchOn(takeWorkers(here ? threads - 1 : threads));
  const sendRest = (): void => {
    const more: InspectMore = { kind: 'inspect-more', paths: paths.slice(sent), follow: follow.slice(sent), complete: request.complete };
    for (const worker of workers) worker.postMessage(more);
    sent = paths.length;
  };
  return {
    add: (path, linked) => {
      paths.push(path);
      follow.push(linked ? 1 : 0);
    },
    flush: () => {
      if (run) {
        if (sent < paths.length) sendRest();
        return;
      }
      // Before the thread count, which may read the CPU limit: a listing of a few files never does.
      if (paths.length < INSPECT_CHUNK) return;
      // Workers join once each thread would have a chunk, if there is a worker at all.
      const threads = hashThreads(options);
      if (paths.length >= INSPECT_CHUNK * threads && workersBeside(options) > 0) start(threads, callingThreadHashes);
    },
    finish: async () => {
      if (!run && paths.length === 0) return;
      const units = Math.ceil(paths.length / INSPECT_CHUNK);
      // Inline, any waiting workers are left for the hashing that follows.
      const inline = !run && paths.length <= INLINE_FILES;
      const here = callingThreadHashes || inline;
      request.complete = true;
      if (run) sendRest();
      const running = run ?? (inline ? launchOn([]) : start(Math.min(hashThreads(options), units), here));
      running.expect(units);
      try {
        await finishRun(running, workers, request, here, options);
      } catch (err) {
        endWorkers(workers); // some may still be working
        throw err;
      } finally {
        running.detach();
      }
      workers.forEach(park);
    },
    abandon: () => {
      run?.detach();
      endWorkers(workers);
    },
  };
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
  const found: InspectedFiles = {
    sizes: new Float64Array(paths.length),
    digests: new Array<string>(paths.length),
    ...(options.precise ? { stats: new Array<bigint>(4 * paths.length) } : {}),
  };
  const inspection = startInspection({
    ...options,
    onInspected: (first, { sizes, digests, stats }) => {
      found.sizes.set(sizes, first);
      for (let k = 0; k < digests.length; k += 1) found.digests[first + k] = digests[k]!;
      if (stats && found.stats) for (let k = 0; k < stats.length; k += 1) found.stats[4 * first + k] = stats[k]!;
    },
  });
  paths.forEach((path, i) => inspection.add(path, options.follow?.[i] === 1));
  await inspection.finish();
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
      const follow = new Uint8Array(batch.length);
      batch.forEach((i, k) => {
        const job = jobs[i]!;
        paths[k] = job.path;
        ranges[5 * k] = job.start;
        ranges[5 * k + 1] = job.end;
        ranges[5 * k + 2] = job.size ?? NaN;
        ranges[5 * k + 3] = job.listedTimes?.[0] ?? NaN;
        ranges[5 * k + 4] = job.listedTimes?.[1] ?? NaN;
        which[k] = algorithms.indexOf(job.algorithm);
        follow[k] = job.follow ? 1 : 0;
      });
      return { paths, ranges, algorithms: which, follow };
    }),
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
}

const span = (job: RangeJob): number => job.end - job.start;
