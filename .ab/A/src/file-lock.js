import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackPendingFile, untrackPendingFile } from './pending-files.js';
import { readSmallFile } from './small-file.js';
/** What a lock file holds: its holder, `pid@host`, for whoever finds one left behind. */
const holder = () => `${process.pid}@${hostname()}\n`;
/**
 * Runs `work` holding a lock file that cooperating processes honour: created exclusively
 * ('wx'), holding `pid@host` so that a user who finds one left behind (its holder was
 * killed) knows whose it was, and removed when `work` ends, however it ends. While another
 * process holds it, retries with a short jittered backoff for at most `waitMs`. A lock left
 * behind is reported, never broken: two processes that both thought it stale could each
 * remove the other's. While held, the lock is a pending file (removed if the process is
 * interrupted).
 */
export async function withFileLock(lockPath, work, options) {
    const deadline = Date.now() + options.waitMs;
    for (let pause = 2;; pause = Math.min(pause * 2, 100)) {
        let handle;
        try {
            handle = await open(lockPath, 'wx');
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw options.failure({ reason: 'create', cause: err });
            if (Date.now() >= deadline) {
                const holder = (await readSmallFile(lockPath, 1024).catch(() => Buffer.alloc(0))).toString('utf8').trim();
                throw options.failure({ reason: 'busy', holder: holder.slice(0, 200) });
            }
            await sleep(pause * (0.5 + Math.random()));
            continue;
        }
        trackPendingFile(lockPath);
        try {
            await handle.writeFile(holder());
            await handle.close();
        }
        catch (err) {
            await handle.close().catch(() => undefined);
            await release(lockPath);
            throw options.failure({ reason: 'write', cause: err });
        }
        break;
    }
    try {
        return await work();
    }
    finally {
        await release(lockPath);
    }
}
async function release(lockPath) {
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
export function withFileLockNow(lockPath, work) {
    let fd;
    try {
        fd = openSync(lockPath, 'wx');
    }
    catch {
        return false;
    }
    try {
        writeSync(fd, holder());
        work();
        return true;
    }
    finally {
        closeSync(fd);
        rmSync(lockPath, { force: true });
    }
}
//# sourceMappingURL=file-lock.js.map