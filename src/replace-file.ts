import { randomBytes } from 'node:crypto';
import { chmod, lstat, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { trackPendingFile, untrackPendingFile } from './pending-files.js';
import { syncDirectory } from './directories.js';

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

/** As the kernel's limit on links followed in one path (Linux: 40). */
const MAX_LINKS = 40;

/**
 * Replaces a file's content all at once: written to a temporary name beside it and renamed
 * over it, so a reader sees the old bytes or the new, never part of them, and a failure or
 * an interruption (the temporary file is pending until renamed: see pending-files.ts)
 * leaves nothing behind. A symbolic link is written through, the link stays: its file is
 * replaced, or made if the link dangles and the directory it points into exists. A path
 * that exists and is not a regular file is refused with code ENOTREGULAR, unless
 * `intoSpecial` lets a device or FIFO be written into.
 */
export async function replaceFile(path: string, data: Uint8Array | string, options: ReplaceOptions = {}): Promise<void> {
  // First what the kernel reaches, links followed: /dev/stdout and /dev/fd/N lead through
  // /proc/self/fd/N, whose link text for a pipe or socket (`pipe:[123]`) names no path, so
  // following the links by name (below) would look for a file `pipe:[123]` and fail.
  const reached = await stat(path).catch(() => undefined);
  if (reached && !reached.isFile()) return intoSpecial(path, reached, data, options);
  const { target, info } = await linkTarget(path);
  if (info && !info.isFile()) return intoSpecial(target, info, data, options, path);
  if (!info && target !== path && !(await stat(dirname(target)).catch(() => undefined))?.isDirectory()) {
    // Without this, the error would name only the temporary file in the missing directory.
    throw Object.assign(new Error(`${path} is a symbolic link to ${target}, whose directory ${dirname(target)} does not exist`), { code: 'ENOENT', path });
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  trackPendingFile(temp);
  try {
    // A file replaced keeps its permissions (a bundle made private stays so), unless the
    // caller sets them; set after the write, as the umask would take bits from the open's.
    const mode = options.mode ?? (info ? info.mode & 0o7777 : undefined);
    // flush: on disk before the rename, so a crash leaves the old content or the new, not an empty file.
    await writeFile(temp, data, { flag: 'wx', flush: true, ...(mode === undefined ? {} : { mode: mode & 0o700 }) });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
    await syncDirectory(dirname(target));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    untrackPendingFile(temp);
  }
}

/** Writes into a device or FIFO when `intoSpecial` allows it; refuses anything else that is no regular file. */
async function intoSpecial(target: string, info: Stats, data: Uint8Array | string, options: ReplaceOptions, path = target): Promise<void> {
  if (options.intoSpecial && !info.isDirectory()) return writeFile(target, data);
  throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR', path });
}

/**
 * The file a path names once symbolic links are followed (each resolved against the
 * directory of the link), and its stat; no stat when nothing is there (a dangling link's
 * target, or a path that cannot be looked at, whose write then fails with the reason).
 * `stat` alone cannot tell a dangling link from a missing file, and a rename over the
 * link would replace it with a file.
 */
async function linkTarget(path: string): Promise<{ target: string; info: Stats | undefined }> {
  let target = path;
  for (let hops = 0; hops <= MAX_LINKS; hops += 1) {
    const info = await lstat(target).catch(() => undefined);
    if (!info?.isSymbolicLink()) return { target, info };
    // From the link's real directory, as the kernel follows it: `..` in the link must not
    // be taken textually against a path that itself went through a link.
    target = resolve(await realpath(dirname(target)), await readlink(target));
  }
  throw Object.assign(new Error(`${path}: too many levels of symbolic links`), { code: 'ELOOP', path });
}
