import { rmSync } from 'node:fs';
/**
 * Files this process has made and not yet finished with (temporary files before their
 * rename, lock files while held): what would be left behind if it stopped now. A process
 * about to end on a signal removes them with `removePendingFiles`.
 */
const pending = new Set();
/**
 * Synchronous removals of more than one file (a layout a push is making: its blobs, index
 * and directories), each deciding for itself what is still its own to remove.
 */
const cleanups = new Set();
export function trackPendingFile(path) {
    pending.add(path);
}
export function untrackPendingFile(path) {
    pending.delete(path);
}
/**
 * Registers a synchronous removal to run if the process ends on a signal, after the pending
 * files are gone (so a lock or temporary file of its own no longer stands in its way).
 * Returns the function that unregisters it.
 */
export function trackPendingCleanup(cleanup) {
    cleanups.add(cleanup);
    return () => {
        cleanups.delete(cleanup);
    };
}
/**
 * Removes every pending file, then runs the pending cleanups, synchronously: called where the process is about to exit
 * (a signal, `process.exit`) and cannot wait for promises. Errors are ignored: a file
 * already gone is as good, and nothing else can be done at that point.
 */
export function removePendingFiles() {
    for (const path of pending) {
        try {
            rmSync(path, { force: true });
        }
        catch {
            // best effort: the process is ending
        }
    }
    pending.clear();
    for (const cleanup of cleanups) {
        try {
            cleanup();
        }
        catch {
            // best effort: the process is ending
        }
    }
    cleanups.clear();
}
//# sourceMappingURL=pending-files.js.map