/**
 * withFileLock's report of a lock another holds: whether its holder, as written in the
 * lock (`pid@host`), can be seen to be gone. Real processes: one that has exited, this one,
 * and names of another host or of nothing recognisable.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock, type LockFailure } from '../dist/src/engine.js';
import { tempDir } from './helpers.js';

/** What withFileLock reports for a lock file holding `written`, waiting 50 ms; the work must not run. */
async function failureFor(written: string): Promise<LockFailure> {
  const lock = join(await tempDir(), 'x.lock');
  await writeFile(lock, written);
  let failure: LockFailure | undefined;
  let ran = false;
  await expect(
    withFileLock(lock, async () => void (ran = true), {
      waitMs: 50,
      failure: (f) => {
        failure = f;
        return new Error('busy');
      },
    }),
  ).rejects.toThrow('busy');
  expect(ran).toBe(false);
  // Reported, never removed.
  expect(await readFile(lock, 'utf8')).toBe(written);
  return failure!;
}

describe('a lock held by another', () => {
  it('is reported as left behind when its holder is a process of this host that has exited', async () => {
    const exited = spawnSync(process.execPath, ['-e', '0']);
    expect(exited.status).toBe(0);
    const written = `${exited.pid}@${hostname()}\n`;
    expect(await failureFor(written)).toEqual({ reason: 'busy', holder: written.trim(), holderGone: true });
  });

  it.each([
    ['a running process of this host', () => `${process.pid}@${hostname()}\n`],
    ['a process of another host', () => `${process.pid + 1_000_000}@not-${hostname()}\n`],
    ['no recognisable holder', () => 'garbage\n'],
    ['an empty lock', () => ''],
  ])('is not called left behind for %s', async (_, written) => {
    const failure = await failureFor(written());
    expect(failure).toMatchObject({ reason: 'busy', holderGone: false });
  });
});
