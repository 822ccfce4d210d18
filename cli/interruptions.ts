import { constants as osConstants } from 'node:os';
import { removePendingFiles } from '../src/core.js';

const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes an interrupted run (Ctrl-C, SIGTERM, a closed terminal) leave nothing behind: the
 * files it was writing (a signature's or the digest cache's temporary file, a lock file;
 * see src/pending-files.ts) are removed as the process exits, and it exits with the
 * shell's status for the signal, 128 + its number, as `pull` does.
 *
 * The removal runs on 'exit', so it also follows a command that handles signals itself
 * and calls process.exit (pull). While such a command has listeners of its own, this one
 * stands aside: the command decides whether and when to exit (pull lets a verified model's
 * move finish first).
 */
export function cleanUpOnInterruption(): void {
  process.on('exit', removePendingFiles);
  for (const signal of INTERRUPTIONS) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      process.exit(128 + (osConstants.signals[signal] ?? 0));
    });
  }
}
