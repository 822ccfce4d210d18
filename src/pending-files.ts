import { rmSync } from 'node:fs';

/**
 * Files this process has made and not yet finished with (temporary files before their
 * rename, lock files while held): what would be left behind if it stopped now. A process
 * about to end on a signal removes them with `removePendingFiles`.
 */
const pending = new Set<string>();

export function trackPendingFile(path: string): void {
  pending.add(path);
}

export function untrackPendingFile(path: string): void {
  pending.delete(path);
}

/**
 * Removes every pending file, synchronously: called where the process is about to exit
 * (a signal, `process.exit`) and cannot wait for promises. Errors are ignored: a file
 * already gone is as good, and nothing else can be done at that point.
 */
export function removePendingFiles(): void {
  for (const path of pending) {
    try {
      rmSync(path, { force: true });
    } catch {
      // best effort: the process is ending
    }
  }
  pending.clear();
}
