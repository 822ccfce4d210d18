import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { usageError } from '../errors.js';
import { cgroupCpuLimit, defaultThreads } from './cpu-limit.js';
import { changedBetweenRanges, READ_SIZE } from './file-range.js';
import { INSPECT_CHUNK } from './inspect.js';
import { takeWork } from './work.js';
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
const readFailed = (verb, path, why) => usageError('READ_FAILED', `cannot ${verb} ${path}: ${why}`);
let workersByDefault;
/**
 * The default number of hash threads: one per CPU the process may run on, within its
 * cgroup CPU limit (a container's), rounded up (see `defaultThreads`). Read once.
 */
export const defaultWorkers = () => (workersByDefault ??= defaultThreads(availableParallelism(), cgroupCpuLimit()));
/** The threads a run hashes on at most: `maxWorkers` (at least one), else the default. */
const hashThreads = (options) => Math.max(1, options.maxWorkers ?? defaultWorkers());
/**
 * The workers a run starts at most beside the calling thread: none when that thread
 * hashes alone, and so nothing else can run while it hashes.
 */
export const workersBeside = (options) => hashThreads(options) - (options.hashOnCallingThread === true ? 1 : 0);
// Workers waiting for the next call: started ahead of need, or left by inspectLocalFiles for
// the hashing that follows a listing. They do not keep the process alive.
const idle = [];
/** Keeps a worker for the next call, without holding the process open. */
function park(worker) {
    const entry = { worker };
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
export function prestartWorkers(count = defaultWorkers()) {
    while (idle.length < count)
        park(new Worker(workerUrl));
}
/** How many workers are waiting for the next call (for diagnostics and tests). */
export const waitingWorkers = () => idle.length;
/** `count` workers: waiting ones first (the rest of those ended), then new ones. */
function takeWorkers(count) {
    const taken = idle.splice(0);
    for (const extra of taken.splice(count))
        void extra.worker.terminate();
    const failed = taken.find((t) => t.failure !== undefined);
    if (failed) {
        for (const t of taken)
            void t.worker.terminate();
        throw failed.failure;
    }
    const workers = taken.map((t) => {
        t.worker.removeAllListeners('error');
        t.worker.ref();
        return t.worker;
    });
    while (workers.length < count)
        workers.push(new Worker(workerUrl));
    return workers;
}
/** Ends workers without waiting for them: a worker takes ~10 ms to tear down, which need not delay the caller. */
function endWorkers(workers) {
    for (const worker of workers) {
        worker.unref();
        void worker.terminate();
    }
}
/**
 * Posts a request to workers and settles their outcomes with `settle` as they come (failures
 * never get there). Error wording: "cannot <verb> <path>: ...".
 */
function launch(workers, request, verb, settle, onProgress) {
    let failure;
    let units = Infinity;
    let settled = 0;
    let resolve;
    let reject;
    const done = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    // A worker may fail while a listing still runs, before anyone awaits the run.
    done.catch(() => undefined);
    const fail = (err) => {
        failure ??= err;
        reject(failure);
    };
    const take = (outcome) => {
        if (outcome.type === 'error')
            return fail(readFailed(verb, outcome.path, outcome.message));
        settle(outcome);
        settled += 1;
        if (settled === units)
            resolve();
    };
    const onMessage = (msg) => (msg.type === 'progress' ? onProgress?.(msg.bytes) : take(msg));
    const onExit = (code) => fail(new Error(`hash worker exited with code ${code}`));
    for (const worker of workers) {
        worker.on('message', onMessage).on('error', fail).on('exit', onExit);
        worker.postMessage(request);
    }
    return {
        done,
        expect: (n) => {
            units = n;
            if (settled === n)
                resolve();
        },
        take,
        fail,
        failed: () => failure !== undefined,
        detach: () => {
            for (const worker of workers)
                worker.off('message', onMessage).off('error', fail).off('exit', onExit);
        },
    };
}
/**
 * The calling thread's part of a launched run whose units are all known: other work
 * (`meanwhile`, when there are workers), then its own share if it takes part. Resolves
 * when the run is done; the first failure rejects.
 */
async function finishRun(run, workers, request, here, options) {
    if (workers.length > 0 && options.meanwhile) {
        try {
            options.meanwhile();
        }
        catch (err) {
            run.fail(err);
        }
    }
    if (here && !run.failed())
        driveHere(request, options.onProgress, run.take, run.failed).catch(run.fail);
    await run.done;
}
/**
 * The calling thread's share of a run, taken as a worker takes its own but in slices: its
 * outcomes, with the event loop let in after each (so worker messages and progress keep
 * flowing), until none are left or the run failed.
 */
async function driveHere(request, onProgress, take, failed) {
    const share = (await takeWork(request, Buffer.allocUnsafe(READ_SIZE), onProgress, CALLING_THREAD_SLICE));
    for (const outcome of share) {
        if (outcome)
            take(outcome);
        if (failed())
            return;
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
export async function hashRanges(jobs, options = {}) {
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
    const digests = new Array(jobs.length);
    const times = new Float64Array(2 * jobs.length);
    const run = launch(workers, request, 'hash', (outcome) => batches[outcome.id].forEach((jobIndex, k) => {
        digests[jobIndex] = outcome.digests[k];
        times[2 * jobIndex] = outcome.times[2 * k];
        times[2 * jobIndex + 1] = outcome.times[2 * k + 1];
    }), options.onProgress);
    run.expect(batches.length);
    try {
        await finishRun(run, workers, request, here, options);
    }
    finally {
        run.detach();
        endWorkers(workers);
    }
    // Each range saw its file unchanged while it was read; the shards of one file, read under
    // different opens (other batches, other threads), must also have seen the same file, or
    // the manifest would mix two versions of it that never existed together.
    for (let i = 1; i < jobs.length; i += 1) {
        const path = jobs[i].path;
        if (path === jobs[i - 1].path && (times[2 * i] !== times[2 * i - 2] || times[2 * i + 1] !== times[2 * i - 1]))
            throw readFailed('hash', path, changedBetweenRanges(path));
    }
    return digests;
}
/**
 * Starts inspecting local files while a listing is still finding them: each file is opened
 * and checked to be a regular file on the open descriptor, for its size (and precise stat
 * fields, if asked), and small files are hashed in the same pass (see `inspectLocalFiles`).
 * Once every hash thread has a chunk of files, flushed files go to the workers at once,
 * so they work while the calling thread lists; a failure among them is reported by
 * `finish`. Until then (and for 32 files or fewer in all, inspected on the calling
 * thread alone) nothing starts before `finish`.
 */
export function startInspection(options = {}) {
    const request = {
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
    const chunks = [];
    let workers = [];
    let run;
    // Paths the workers have been sent.
    let sent = 0;
    const launchOn = (taken) => {
        workers = taken;
        sent = paths.length;
        return (run = launch(workers, request, 'read', (outcome) => (chunks[outcome.id] = outcome), options.onProgress));
    };
    const start = (threads, here) => launchOn(takeWorkers(here ? threads - 1 : threads));
    const sendRest = () => {
        const more = { kind: 'inspect-more', paths: paths.slice(sent), follow: follow.slice(sent), complete: request.complete };
        for (const worker of workers)
            worker.postMessage(more);
        sent = paths.length;
    };
    return {
        add: (path, linked) => {
            paths.push(path);
            follow.push(linked ? 1 : 0);
        },
        flush: () => {
            if (run) {
                if (sent < paths.length)
                    sendRest();
                return;
            }
            // Before the thread count, which may read the CPU limit: a listing of a few files never does.
            if (paths.length < INSPECT_CHUNK)
                return;
            // Workers join once each thread would have a chunk, if there is a worker at all.
            const threads = hashThreads(options);
            if (paths.length >= INSPECT_CHUNK * threads && workersBeside(options) > 0)
                start(threads, callingThreadHashes);
        },
        finish: async () => {
            if (!run && paths.length === 0)
                return gather([], 0, request.precise);
            const units = Math.ceil(paths.length / INSPECT_CHUNK);
            // Inline, any waiting workers are left for the hashing that follows.
            const inline = !run && paths.length <= INLINE_FILES;
            const here = callingThreadHashes || inline;
            request.complete = true;
            if (run)
                sendRest();
            const running = run ?? (inline ? launchOn([]) : start(Math.min(hashThreads(options), units), here));
            running.expect(units);
            try {
                await finishRun(running, workers, request, here, options);
            }
            catch (err) {
                endWorkers(workers); // some may still be working
                throw err;
            }
            finally {
                running.detach();
            }
            workers.forEach(park);
            return gather(chunks, paths.length, request.precise);
        },
        abandon: () => {
            run?.detach();
            endWorkers(workers);
        },
    };
}
/** Joins inspected chunks, in order, into one set of columns. */
function gather(chunks, count, precise) {
    const found = {
        sizes: new Float64Array(count),
        digests: new Array(count),
        ...(precise ? { stats: new Array(4 * count) } : {}),
    };
    chunks.forEach(({ sizes, digests, stats }, id) => {
        const first = id * INSPECT_CHUNK;
        found.sizes.set(sizes, first);
        for (let k = 0; k < digests.length; k += 1)
            found.digests[first + k] = digests[k];
        if (stats && found.stats)
            for (let k = 0; k < stats.length; k += 1)
                found.stats[4 * first + k] = stats[k];
    });
    return found;
}
/**
 * Opens local files across the hash threads and returns, in order, each one's size (and
 * precise stat fields, if asked), with small files hashed in the same pass: a listing of
 * many small files is then parallel, and each is read right after its stat. A path that is
 * no longer a regular file, or became a symbolic link, fails (READ_FAILED). The workers
 * are kept, waiting, for the `hashRanges` call that usually follows. 32 files or fewer are
 * inspected on the calling thread alone, leaving any waiting workers be.
 */
export function inspectLocalFiles(paths, options = {}) {
    const inspection = startInspection(options);
    paths.forEach((path, i) => inspection.add(path, options.follow?.[i] === 1));
    return inspection.finish();
}
/** Groups job indexes into batches, largest jobs first. */
function makeBatches(jobs) {
    const order = jobs.map((_, i) => i).sort((a, b) => span(jobs[b]) - span(jobs[a]));
    const batches = [];
    let current = [];
    let bytes = 0;
    for (const i of order) {
        const n = span(jobs[i]);
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
    if (current.length > 0)
        batches.push(current);
    return batches;
}
/** The batches in the compact form workers take (see JobBatch). */
function workRequest(jobs, batches) {
    const algorithms = [...new Set(jobs.map((j) => j.algorithm))];
    return {
        algorithms,
        kind: 'hash',
        batches: batches.map((batch) => {
            const paths = new Array(batch.length);
            const ranges = new Float64Array(5 * batch.length);
            const which = new Uint8Array(batch.length);
            batch.forEach((i, k) => {
                const job = jobs[i];
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
const span = (job) => job.end - job.start;
//# sourceMappingURL=pool.js.map