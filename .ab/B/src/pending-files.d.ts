export declare function trackPendingFile(path: string): void;
export declare function untrackPendingFile(path: string): void;
/**
 * Registers a synchronous removal to run if the process ends on a signal, after the pending
 * files are gone (so a lock or temporary file of its own no longer stands in its way).
 * Returns the function that unregisters it.
 */
export declare function trackPendingCleanup(cleanup: () => void): () => void;
/**
 * Removes every pending file, then runs the pending cleanups, synchronously: called where the process is about to exit
 * (a signal, `process.exit`) and cannot wait for promises. Errors are ignored: a file
 * already gone is as good, and nothing else can be done at that point.
 */
export declare function removePendingFiles(): void;
