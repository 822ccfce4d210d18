import { type ModelSource } from '../../src/core.js';
/** Where a StagedDownload is: see `StagedDownload.state`. */
export type DownloadState = 'staging' | 'committing' | 'committed' | 'aborted';
/**
 * Downloads a model into a directory without ever showing unverified bytes there: files
 * are written under a hidden staging directory as the engine hashes them, or as the source
 * lists them when listing means reading them (tar layers), so each byte is downloaded
 * once; they are moved into place only by `commit`, after verification, which names the
 * files the verifying signature covers. `abort` removes everything staged.
 *
 * A new destination appears in one rename, whole or not at all: the staging directory is
 * its sibling, and the verified files are gathered there first. Into an existing directory
 * the files are moved one by one, so `state` tells a signal handler to let a commit finish.
 */
export declare class StagedDownload {
    readonly destination: string;
    private readonly destinationExisted;
    private readonly staging;
    private readonly incoming;
    private readonly written;
    private readonly complete;
    private originalsKept;
    private phase;
    private madeParents;
    private constructor();
    static create(destination: string): Promise<StagedDownload>;
    /**
     * `staging` until `commit` or `abort`. From `committing` on, verified files are landing
     * in the destination: an interruption should let that finish rather than abort.
     */
    get state(): DownloadState;
    /** Wraps a source so every file it streams is also written to the staging directory. */
    tee(source: ModelSource): ModelSource;
    /** The hidden directory the download is staged in (named when a forced stop leaves it). */
    get stagingDirectory(): string;
    /**
     * Moves the staged files named in `verified` into the destination and drops the rest
     * (bytes streamed only to check a signature that did not verify). Returns the names moved.
     * A new destination is assembled beside it and renamed into place at once.
     */
    commit(verified: ReadonlySet<string>): Promise<string[]>;
    /**
     * Renames each file into place. The pre-check cannot see everything (a bind mount is a
     * rename boundary with the same device number; a file can be immutable; things change
     * meanwhile), so a file in the way is first moved aside into the staging directory, and
     * when a rename fails every step so far is undone: the destination is left as it was.
     */
    private moveAll;
    /** Runs the undo steps newest first; says what the destination was left with. */
    private undo;
    /**
     * Before anything moves into an existing destination: every file must land on nothing or
     * on a regular file (or link) it replaces, below real directories, and the directory it
     * goes into must take it in one rename from the staging directory: writable, and on the
     * same file system (a rename cannot cross devices: EXDEV). A directory in a file's place
     * or an unwritable directory would stop the moves halfway, and a symbolic link among the
     * directories would send the file outside the destination. DESTINATION_INVALID, with
     * nothing moved.
     */
    private checkPlaces;
    /** Removes everything staged, and the parent directories this download made; the destination is left as it was. */
    abort(): Promise<void>;
    /** `abort`, synchronously: for a process about to exit (a signal), which cannot wait. */
    abortNow(): void;
}
