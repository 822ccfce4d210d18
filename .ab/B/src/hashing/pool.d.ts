import type { HashAlgorithm } from './algorithms.js';
import { type RangeJob } from './file-range.js';
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
/**
 * The default number of hash threads: one per CPU the process may run on, within its
 * cgroup CPU limit (a container's), rounded up (see `defaultThreads`). Read once.
 */
export declare const defaultWorkers: () => number;
/**
 * The workers a run starts at most beside the calling thread: none when that thread
 * hashes alone, and so nothing else can run while it hashes.
 */
export declare const workersBeside: (options: PoolOptions) => number;
/**
 * Starts hash workers now, so their start-up (tens of ms each) overlaps whatever the
 * caller does before hashing (loading modules, parsing arguments, listing the model).
 * The next `hashRanges` or `inspectLocalFiles` call takes them; workers that are never
 * used do not keep the process alive.
 */
export declare function prestartWorkers(count?: number): void;
/** How many workers are waiting for the next call (for diagnostics and tests). */
export declare const waitingWorkers: () => number;
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
export declare function hashRanges(jobs: readonly RangeJob[], options?: PoolOptions): Promise<string[]>;
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
/** A listing's files, inspected by the hash threads while the listing still finds more (see `startInspection`). */
export interface Inspection {
    /** Adds a file to inspect; `follow` when it is an allowed symbolic link, opened through. */
    add(path: string, follow: boolean): void;
    /** Hands the files added since the last call to the hash threads, which may start on them at once. */
    flush(): void;
    /**
     * No more files: inspects the rest (the calling thread too, if it takes part) and returns
     * what was found, in the order added. Workers are kept, waiting, for the `hashRanges`
     * call that usually follows.
     */
    finish(): Promise<InspectedFiles>;
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
 * thread alone) nothing starts before `finish`.
 */
export declare function startInspection(options?: InspectOptions): Inspection;
/**
 * Opens local files across the hash threads and returns, in order, each one's size (and
 * precise stat fields, if asked), with small files hashed in the same pass: a listing of
 * many small files is then parallel, and each is read right after its stat. A path that is
 * no longer a regular file, or became a symbolic link, fails (READ_FAILED). The workers
 * are kept, waiting, for the `hashRanges` call that usually follows. 32 files or fewer are
 * inspected on the calling thread alone, leaving any waiting workers be.
 */
export declare function inspectLocalFiles(paths: readonly string[], options?: InspectOptions): Promise<InspectedFiles>;
