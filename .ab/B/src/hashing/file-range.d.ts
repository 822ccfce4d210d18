import type { HashAlgorithm, Hasher } from './algorithms.js';
/** One unit of hashing work: bytes `[start, end)` of a local file. */
export interface RangeJob {
    readonly path: string;
    readonly start: number;
    readonly end: number;
    readonly algorithm: HashAlgorithm;
    /** The file's size when it was listed: hashing fails if it has another when opened. */
    readonly size?: number;
    /** The file's mtime and ctime (ns) when it was listed, if known: hashing fails if it has others when opened. */
    readonly listedTimes?: readonly [mtimeNs: number, ctimeNs: number];
}
/**
 * Read size. Large enough that the kernel reads ahead in big sequential requests and the
 * syscall cost vanishes, small enough that the buffer stays in a core's L2 cache between
 * the copy out of the page cache and the hash (measured: 1 MiB beats 4 MiB by ~3% and
 * 16 MiB by ~30% with two workers on a 2 MiB-L2 machine).
 */
export declare const READ_SIZE: number;
/**
 * A local file held open while ranges of it are hashed, and its state when opened: one
 * open and two stats serve every range, so many small shards of one file cost no more
 * system calls than their reads. `finish` fails if the file changed meanwhile (size, mtime
 * or ctime moved): a digest is then of bytes the file never held all at once, and must not
 * be signed.
 */
export declare class OpenFileRanges {
    readonly path: string;
    private readonly fd;
    private readonly before;
    /**
     * The file's modification and change times (ns) when it was opened, as numbers (exact
     * to about 0.3 us, far finer than the clock file times come from): ranges of one file
     * hashed under different opens must all see the same.
     */
    readonly times: readonly [mtimeNs: number, ctimeNs: number];
    /** Opens `path`; fails if its size is not `listedSize`, or its times not `listedTimes` (NaN: not checked). */
    constructor(path: string, listedSize?: number, listedTimes?: readonly [mtimeNs: number, ctimeNs: number]);
    /**
     * Hashes bytes `[start, end)` with synchronous reads into a caller-owned buffer, so a
     * thread hashes any amount of data with one fixed allocation; returns the digest. It
     * pauses after every `stepBytes` bytes (at read boundaries), so that a thread with an
     * event loop to keep alive can hash a huge file in slices (`Infinity`: never). Fails if
     * the file is shorter than the range.
     */
    hashSteps(start: number, end: number, hasher: Hasher, buffer: Buffer, onBytes: ((n: number) => void) | undefined, stepBytes: number): Generator<undefined, string>;
    /** Closes the file, failing if it changed since it was opened. */
    finish(): void;
    /** Closes the file without checking it (after a failure). */
    close(): void;
}
/** Why ranges of one file read under separate opens that saw different times fail (see OpenFileRanges.times). */
export declare const changedBetweenRanges: (path: string) => string;
/** The failure of a read that met the end of a file before its listed size. */
export declare const shorterThanListed: (path: string) => Error;
