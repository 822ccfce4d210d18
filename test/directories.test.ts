/**
 * removeEmptyDirectories and its synchronous twin, on real directories: what a failed or
 * interrupted run removes of the directories it made (innermost first, only empty ones).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectories, removeEmptyDirectories, removeEmptyDirectoriesSync } from '../dist/src/core.js';
import { tempDir } from './helpers.js';

describe.each([
  ['removeEmptyDirectories', removeEmptyDirectories],
  ['removeEmptyDirectoriesSync', (made: readonly string[]) => Promise.resolve(removeEmptyDirectoriesSync(made))],
] as const)('%s', (_name, remove) => {
  it('removes the directories made, innermost first, passing over one already gone', async () => {
    const root = await tempDir();
    const made = await makeDirectories(join(root, 'a/b/c'));
    expect(made).toEqual([join(root, 'a'), join(root, 'a/b'), join(root, 'a/b/c')]);
    // An earlier removal that stopped after the innermost one: run again, it finishes the job.
    await remove([join(root, 'a/b/c')]);
    await remove(made);
    expect(existsSync(join(root, 'a'))).toBe(false);
  });

  it('stops at a directory someone else has put something in, keeping it and those above', async () => {
    const root = await tempDir();
    const made = await makeDirectories(join(root, 'a/b/c'));
    await writeFile(join(root, 'a/b/theirs'), 'x');
    await remove(made);
    expect(existsSync(join(root, 'a/b/c'))).toBe(false);
    expect(existsSync(join(root, 'a/b/theirs'))).toBe(true);
  });

  it('makeDirectories lists only what it made: a directory that was there stays', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'kept'));
    const made = await makeDirectories(join(root, 'kept/x'));
    expect(made).toEqual([join(root, 'kept/x')]);
    await remove(made);
    expect(existsSync(join(root, 'kept'))).toBe(true);
    expect(existsSync(join(root, 'kept/x'))).toBe(false);
  });
});
