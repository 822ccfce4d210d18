import type { HashAlgorithm } from './algorithms.js';
import { type ErrorOutcome } from './batches.js';
/**
 * Files up to this size are hashed in the same pass as their stat, read whole into the
 * thread's buffer (READ_SIZE, no smaller). Larger ones are left to `hashRanges`, which deals
 * them out largest first so the threads finish together.
 */
export declare const HASH_WHILE_INSPECTING_BYTES: number;
/** Files per unit of work: threads take the next chunk from a shared counter. */
export declare const INSPECT_CHUNK = 128;
/**
 * The work of one inspection, shared by every thread that takes part. A listing may still
 * be adding files: until `complete`, a thread takes only whole chunks of the paths it has.
 */
export interface InspectRequest {
    readonly kind: 'inspect';
    readonly paths: string[];
    /** 1 where the path is a symbolic link the listing allows (opened through it), else 0. */
    readonly follow: number[];
    /** Hash files of at most HASH_WHILE_INSPECTING_BYTES with this; none when absent. */
    readonly algorithm?: HashAlgorithm;
    /** Report the precise (bigint) stat fields an identity is made of. */
    readonly precise: boolean;
    /** Int32Array(1) over a SharedArrayBuffer: the next chunk to take. */
    readonly next: Int32Array;
    /** No more paths will come. */
    complete: boolean;
}
/** More paths for the inspection a worker has, sent while the listing goes on. */
export interface InspectMore {
    readonly kind: 'inspect-more';
    readonly paths: readonly string[];
    readonly follow: readonly number[];
    readonly complete: boolean;
}
/** Adds paths a worker received to its copy of the inspection. */
export declare function extendInspection(request: InspectRequest, more: InspectMore): void;
/** What became of one chunk of an InspectRequest. */
export type InspectOutcome = {
    readonly type: 'inspected';
    readonly id: number;
    readonly sizes: Float64Array;
    /** Hex digests; '' for a file too large to hash here (or no algorithm). */
    readonly digests: string[];
    /** With `precise`: dev, ino, mtimeNs, ctimeNs of each file, in turn. */
    readonly stats?: bigint[];
} | ErrorOutcome;
/**
 * Takes chunks of the request from its shared counter until none are left that this
 * thread has the paths of (paths added later are taken when they come). Each file is
 * opened once, checked to be a regular file on the open descriptor (so what is hashed is
 * what was checked, whatever happens to the path meanwhile), and, if small, read and hashed
 * right away. Yields each chunk's outcome; ends after the first failure.
 */
export declare function takeInspections(request: InspectRequest, hashOnce: ((data: Uint8Array) => string) | undefined, buffer: Buffer, onBytes: ((n: number) => void) | undefined): Generator<InspectOutcome>;
