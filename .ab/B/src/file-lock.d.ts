/** Why a lock could not be taken; the caller turns it into its own error. */
export type LockFailure = 
/** Still held by another after `waitMs`; `holder` is what its holder wrote (pid@host), possibly empty. */
{
    readonly reason: 'busy';
    readonly holder: string;
}
/** The lock file could not be created (other than because it exists) or written. */
 | {
    readonly reason: 'create' | 'write';
    readonly cause: Error;
};
export interface FileLockOptions {
    /** How long to wait for another holder before giving up, in ms. */
    readonly waitMs: number;
    /** The error thrown when the lock cannot be taken. */
    readonly failure: (failure: LockFailure) => Error;
}
/**
 * Runs `work` holding a lock file that cooperating processes honour: created exclusively
 * ('wx'), holding `pid@host` so that a user who finds one left behind (its holder was
 * killed) knows whose it was, and removed when `work` ends, however it ends. While another
 * process holds it, retries with a short jittered backoff for at most `waitMs`. A lock left
 * behind is reported, never broken: two processes that both thought it stale could each
 * remove the other's. While held, the lock is a pending file (removed if the process is
 * interrupted).
 */
export declare function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions): Promise<T>;
/**
 * `withFileLock` for a process about to end on a signal, which cannot wait: takes the lock
 * only if it is free, runs `work`, and removes it. False when another holds it (or it
 * cannot be made), and `work` did not run.
 */
export declare function withFileLockNow(lockPath: string, work: () => void): boolean;
