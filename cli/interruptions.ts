import { removePendingFiles } from '../src/core.js';
import { eraseProgressLines } from './progress.js';

/** The signals that interrupt a run: Ctrl-C, SIGTERM, a closed terminal. */
export const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes an interrupted run (Ctrl-C, SIGTERM, a closed terminal) leave nothing behind: the
 * progress line on the terminal is erased, the files it was writing (a signature's or the
 * digest cache's temporary file, a lock file; see src/pending-files.ts) are removed, and
 * the signal then ends the process as it would have (a shell reports 128 + its number, as
 * for `pull`).
 *
 * The removal runs on 'exit', so it also follows a command that handles signals itself
 * and calls process.exit (pull). While such a command has listeners of its own, this one
 * stands aside: the command decides whether and when to exit (pull lets a verified model's
 * move finish first).
 */
export function cleanUpOnInterruption(): void {
  process.on('exit', removePendingFiles);
  for (const signal of INTERRUPTIONS) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      eraseProgressLines();
      removePendingFiles();
      // The signal's own default action ends the process, as it did before this handler:
      // process.exit() would wait for a file operation stuck in libuv's thread pool (a FIFO
      // given as a key, a hung NFS mount) and never return.
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
