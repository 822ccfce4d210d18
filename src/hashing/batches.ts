import type { HashAlgorithm, Hasher } from './algorithms.js';
import { OpenFileRanges } from './file-range.js';

/**
 * Jobs in the form that is cheapest to copy to a worker: parallel arrays instead of one
 * object per job (20,000 job objects took ~10 ms to copy into each worker; these, ~1 ms).
 */
export interface JobBatch {
  readonly paths: readonly string[];
  /**
   * `[start, end)` of each job, its file's listed size and listed mtime and ctime (NaN: not
   * checked): at 5k to 5k + 4.
   */
  readonly ranges: Float64Array;
  /** Each job's algorithm, as an index into `WorkRequest.algorithms`. */
  readonly algorithms: Uint8Array;
  /** 1 where a job's path may be opened through a symbolic link (`RangeJob.follow`), else 0. */
  readonly follow: Uint8Array;
}

/**
 * The work of one `hashRanges` call, shared by every thread that hashes: batches of jobs,
 * and a shared counter from which each thread takes the next batch index itself, so no
 * worker ever waits for the main thread between batches.
 */
export interface WorkRequest {
  readonly kind: 'hash';
  readonly algorithms: readonly HashAlgorithm[];
  readonly batches: readonly JobBatch[];
  /** Int32Array(1) over a SharedArrayBuffer: the next batch index to take. */
  readonly next: Int32Array;
}

/** A unit of work that failed, at `path`. */
export interface ErrorOutcome {
  readonly type: 'error';
  readonly id: number;
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

/** The outcome for unit `id` failing on `path`; `message` replaces the error's own. */
export function errorOutcome(id: number, path: string, err: unknown, message?: string): ErrorOutcome {
  const e = err as NodeJS.ErrnoException;
  const text = message ?? (e.code === 'ENOENT' && path.includes('\uFFFD') ? NOT_UTF8_NAME : e.message);
  return { type: 'error', id, path, message: text, ...(e.code === undefined ? {} : { code: e.code }) };
}

/**
 * Why a listed path may not open: Node reads directory entries as UTF-8 text, so a name
 * that is not valid UTF-8 comes back with U+FFFD in place of its bytes, and that path does
 * not exist. OMS names resources by UTF-8 path, so such a file cannot be signed as it is.
 */
export const NOT_UTF8_NAME = 'its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)';

/**
 * What became of one batch: each job's digest, and the modification and change times of
 * its file when opened (job k's at 2k and 2k + 1; see OpenFileRanges.times).
 */
export type BatchOutcome = { readonly type: 'done'; readonly id: number; readonly digests: string[]; readonly times: Float64Array } | ErrorOutcome;

/**
 * Takes batches from the request's shared counter until none are left and hashes their
 * jobs, yielding each batch's outcome; it ends after the first failure. With a finite
 * `stepBytes` it also yields `undefined` after every that many bytes of a file, for a
 * thread that must let its event loop run. `makers[i]` makes hashers for
 * `request.algorithms[i]`, one at a time.
 */
export function* takeBatches(
  request: WorkRequest,
  makers: readonly (() => Hasher)[],
  buffer: Buffer,
  onBytes: ((n: number) => void) | undefined,
  stepBytes: number,
): Generator<BatchOutcome | undefined> {
  const { batches, next } = request;
  for (let id = Atomics.add(next, 0, 1); id < batches.length; id = Atomics.add(next, 0, 1)) {
    const { paths, ranges, algorithms, follow } = batches[id]!;
    const digests: string[] = [];
    const times = new Float64Array(2 * paths.length);
    // Consecutive jobs on one file (its shards) share one open; `path` names what may fail.
    let file: OpenFileRanges | undefined;
    let path = '';
    const finishFile = (): void => {
      const done = file;
      file = undefined;
      done?.finish();
    };
    try {
      for (let k = 0; k < paths.length; k += 1) {
        if (file !== undefined && file.path !== paths[k]) finishFile();
        path = paths[k]!;
        file ??= new OpenFileRanges(path, ranges[5 * k + 2]!, [ranges[5 * k + 3]!, ranges[5 * k + 4]!], follow[k] === 1);
        times.set(file.times, 2 * k);
        digests.push(yield* file.hashSteps(ranges[5 * k]!, ranges[5 * k + 1]!, makers[algorithms[k]!]!(), buffer, onBytes, stepBytes));
      }
      finishFile();
    } catch (err) {
      yield errorOutcome(id, path, err);
      return;
    } finally {
      // Also when the caller abandons this generator half way.
      file?.close();
    }
    yield { type: 'done', id, digests, times };
  }
}
