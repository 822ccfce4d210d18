import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** How `replaceFile` treats a path that exists but is not a regular file. */
export interface ReplaceOptions {
  /** Mode of a new file. */
  readonly mode?: number;
  /**
   * Write into a device or FIFO (`--signature /dev/stdout`) instead of refusing it. A rename
   * over one would put a file in its place (in /dev, as root).
   */
  readonly intoSpecial?: boolean;
}

/**
 * Replaces a file's content all at once: written to a temporary name beside it and renamed
 * over it, so a reader sees the old bytes or the new, never part of them, and a failure
 * leaves nothing behind. A symbolic link to a file is written through (the link stays). A
 * path that exists and is not a regular file is refused with code ENOTREGULAR, unless
 * `intoSpecial` lets a device or FIFO be written into.
 */
export async function replaceFile(path: string, data: Uint8Array | string, options: ReplaceOptions = {}): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info && !info.isFile()) {
    if (options.intoSpecial && !info.isDirectory()) return writeFile(path, data);
    throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR', path });
  }
  const target = info ? await realpath(path) : path;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }) });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
