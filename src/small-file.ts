import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A file read with `readSmallFile` held more than its cap. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly path: string,
    readonly cap: number,
  ) {
    super(`${path} holds more than ${cap} bytes`);
  }
}

/** A file opened with `openRegularFile` (or read with `readSmallFile`'s `regularOnly`) is not a regular file. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(
    readonly path: string,
    /** What it is instead: `a FIFO`, `a directory`, `a socket`, `a device`. */
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file`);
  }
}

const kindOf = (stats: Stats): string =>
  stats.isFIFO() ? 'a FIFO' : stats.isDirectory() ? 'a directory' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'a special file';

/**
 * Opens a file for reading only if it is a regular file (NotRegularFileError otherwise),
 * never blocking: opened with O_NONBLOCK, a FIFO without a writer does not hold the open
 * (a plain open waits for one forever), and the descriptor itself is checked with fstat,
 * so nothing can be swapped in between. For files whose content is data at rest (the
 * blobs of an OCI layout); keys and passwords may come from a pipe and are read with
 * `readSmallFile`'s default.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new NotRegularFileError(path, kindOf(stats));
    return file;
  } catch (err) {
    await file.close();
    throw err;
  }
}

/**
 * Reads a file that should be small (a key, a certificate, a bundle, a config) whole, but
 * never more than `cap` bytes: a device such as /dev/zero or a huge file named by mistake
 * ends in FileTooLargeError instead of filling memory. Other failures are the errno errors
 * of open and read. The result may be a view of a larger buffer. With `regularOnly`, the
 * file is opened with `openRegularFile`: anything but a regular file fails at once
 * (NotRegularFileError); by default a pipe is read like any file (`--public-key <(...)`).
 */
export async function readSmallFile(path: string, cap: number, { regularOnly = false }: { regularOnly?: boolean } = {}): Promise<Buffer> {
  const file = regularOnly ? await openRegularFile(path) : await open(path, 'r');
  try {
    return await readSmallHandle(file, path, cap);
  } finally {
    await file.close();
  }
}

/**
 * `readSmallFile` for a file already open (`path` names it in the error), from the handle's
 * current position: for a caller that checked the descriptor (fstat) and must read the file
 * it checked, not whatever the path names by then. The handle stays open.
 */
export async function readSmallHandle(file: FileHandle, path: string, cap: number): Promise<Buffer> {
  // A regular file is read into one buffer of its size and a byte more (to see the end, or
  // growth): chunks joined at the end held the file twice and cost a round trip per chunk
  // (a 44 MB bundle read alone: 50 ms, now 24). What has no size (a pipe, a device)
  // starts at 64 KiB and doubles.
  const { size } = await file.stat();
  let buffer = Buffer.allocUnsafe(Math.min(cap + 1, size > 0 ? size + 1 : 64 * 1024));
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > cap) throw new FileTooLargeError(path, cap);
      const larger = Buffer.allocUnsafe(Math.min(cap + 1, 2 * total));
      buffer.copy(larger, 0, 0, total);
      buffer = larger;
    }
    const { bytesRead } = await file.read(buffer, total, buffer.length - total, null);
    if (bytesRead === 0) return buffer.subarray(0, total);
    total += bytesRead;
  }
}
