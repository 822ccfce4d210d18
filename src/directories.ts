import { rmdirSync } from 'node:fs';
import { mkdir, open, rmdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { trackPendingCleanup } from './pending-files.js';

/**
 * `mkdir -p`: creates a directory and any missing parents. Node's own `recursive` mkdir
 * retries forever where a parent exists but refuses new entries with ENOENT (as /proc
 * does), which would hang the command; here each missing directory is made once, and the
 * first refusal is thrown (with its errno code). Returns the directories it made, outermost
 * first, so a caller that fails later can remove exactly those. Until it returns, the ones
 * made so far are a pending cleanup (see `removePendingFiles`): a process that ends on a
 * signal between two of its mkdirs removes them, as the caller would not know of them yet.
 */
export async function makeDirectories(path: string, mode?: number): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((await stat(dir)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: dir });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw err;
      missing.push(dir);
    }
  }
  const made: string[] = [];
  const untrack = trackPendingCleanup(() => removeEmptyDirectoriesSync(made));
  try {
    for (const dir of missing.reverse()) {
      try {
        await mkdir(dir, mode === undefined ? {} : { mode });
        made.push(dir);
      } catch (err) {
        // Made meanwhile by someone else: as good (and not ours to remove).
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          await removeEmptyDirectories(made);
          throw err;
        }
      }
    }
  } finally {
    untrack();
  }
  return made;
}

/**
 * Removes directories a run made (as `makeDirectories` lists them), innermost first, each
 * only if empty: whatever someone else put there meanwhile stays, with the directories above
 * it. One already gone is passed over (a removal interrupted half way, then run again).
 */
export async function removeEmptyDirectories(made: readonly string[]): Promise<void> {
  for (const dir of [...made].reverse()) {
    try {
      await rmdir(dir);
    } catch (err) {
      if (!alreadyGone(err)) return;
    }
  }
}

/** `removeEmptyDirectories`, synchronously: for a process about to end on a signal, which cannot wait. */
export function removeEmptyDirectoriesSync(made: readonly string[]): void {
  for (const dir of [...made].reverse()) {
    try {
      rmdirSync(dir);
    } catch (err) {
      if (!alreadyGone(err)) return;
    }
  }
}

const alreadyGone = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Makes the entries renamed into a directory durable (fsync on the directory). Best effort:
 * the files' bytes were flushed before their renames, so a crash can lose a rename, leaving
 * the old state, but never show a name over unwritten bytes; and some file systems refuse
 * fsync on a directory.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}
