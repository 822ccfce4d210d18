import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackPendingFile, untrackPendingFile } from './pending-files.js';
import { readSmallFile } from './small-file.js';

/** What a lock file holds: its holder, `pid@host`, for whoever finds one left behind. */
const holder = (): string => `${process.pid}@${hostname()}\n`;

/** Why a lock could not be taken; the caller turns it into its own error. */
export type LockFailure =
  /**
   * Still held by another after `waitMs`; `holder` is what its holder wrote (pid@host),
   * possibly empty. `holderGone`: the holder named this host and a process id that no
   * longer exists here, so the lock was left behind (it is still not removed: see withFileLock).
   */
  | { readonly reason: 'busy'; readonly holder: string; readonly holderGone: boolean }
  /** The lock file could not be created (other than because it exists) or written. */
  | { readonly reason: 'create' | 'write'; readonly cause: Error };

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
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    let handle;
    try {
      handle = await open(lockPath, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw options.failure({ reason: 'create', cause: err as Error });
      if (Date.now() >= deadline) {
        const holder = (await readSmallFile(lockPath, 1024).catch(() => Buffer.alloc(0))).toString('utf8').trim();
        throw options.failure({ reason: 'busy', holder: holder.slice(0, 200), holderGone: holderGone(holder) });
      }
      await sleep(pause * (0.5 + Math.random()));
      continue;
    }
    trackPendingFile(lockPath);
    try {
      await handle.writeFile(holder());
      await handle.close();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await release(lockPath);
      throw options.failure({ reason: 'write', cause: err as Error });
    }
    break;
  }
  try {
    return await work();
  } finally {
    await release(lockPath);
  }
}

/**
 * True when a lock's holder (`pid@host`, as `holder()` writes it) names this host and a
 * process that does not exist: signal 0 checks without sending anything (EPERM means it
 * exists under another user). Anything else, another host included, cannot be told. (A
 * process in another PID namespace under the same host name, a container sharing the
 * directory, looks gone: only the message can mislead, as the lock is never removed.)
 */
function holderGone(written: string): boolean {
  const match = /^(\d+)@(.+)$/.exec(written);
  if (!match || match[2] !== hostname()) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The callers' message for a busy lock, after what is locked: `is locked by LOCK (written by
 * process "pid@host"), still after N s: <activity>, or one stopped while it held the lock;
 * if none is, remove LOCK`; for a holder seen to be gone, `...: it was left behind; remove LOCK`.
 */
export function busyLockText(lock: string, failure: { readonly holder: string; readonly holderGone: boolean }, waitMs: number, activity: string): string {
  const holder = failure.holder ? ` (written by process ${JSON.stringify(failure.holder)}${failure.holderGone ? ', which is no longer running' : ''})` : '';
  return failure.holderGone
    ? `is locked by ${lock}${holder}: it was left behind; remove ${lock}`
    : `is locked by ${lock}${holder}, still after ${waitMs / 1000} s: ${activity}, or one stopped while it held the lock; if none is, remove ${lock}`;
}

async function release(lockPath: string): Promise<void> {
  // Untracked first: an interruption during the rm must not remove a lock another process
  // took just after it (a lock left behind is reported; one removed under its holder is not).
  untrackPendingFile(lockPath);
  await rm(lockPath, { force: true });
}

/**
 * `withFileLock` for a process about to end on a signal, which cannot wait: takes the lock
 * only if it is free, runs `work`, and removes it. False when another holds it (or it
 * cannot be made), and `work` did not run.
 */
export function withFileLockNow(lockPath: string, work: () => void): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch {
    return false;
  }
  try {
    writeSync(fd, holder());
    work();
    return true;
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}
