import type { HashAlgorithm, Hasher } from './algorithms.js';
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
export declare function errorOutcome(id: number, path: string, err: unknown, message?: string): ErrorOutcome;
/**
 * Why a listed path may not open: Node reads directory entries as UTF-8 text, so a name
 * that is not valid UTF-8 comes back with U+FFFD in place of its bytes, and that path does
 * not exist. OMS names resources by UTF-8 path, so such a file cannot be signed as it is.
 */
export declare const NOT_UTF8_NAME = "its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)";
/**
 * What became of one batch: each job's digest, and the modification and change times of
 * its file when opened (job k's at 2k and 2k + 1; see OpenFileRanges.times).
 */
export type BatchOutcome = {
    readonly type: 'done';
    readonly id: number;
    readonly digests: string[];
    readonly times: Float64Array;
} | ErrorOutcome;
/**
 * Takes batches from the request's shared counter until none are left and hashes their
 * jobs, yielding each batch's outcome; it ends after the first failure. With a finite
 * `stepBytes` it also yields `undefined` after every that many bytes of a file, for a
 * thread that must let its event loop run. `makers[i]` makes hashers for
 * `request.algorithms[i]`, one at a time.
 */
export declare function takeBatches(request: WorkRequest, makers: readonly (() => Hasher)[], buffer: Buffer, onBytes: ((n: number) => void) | undefined, stepBytes: number): Generator<BatchOutcome | undefined>;
