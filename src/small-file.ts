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

/**
 * Reads a file that should be small (a key, a certificate, a bundle, a config) whole, but
 * never more than `cap` bytes: a device such as /dev/zero or a huge file named by mistake
 * ends in FileTooLargeError instead of filling memory. Other failures are the errno errors
 * of open and read. The result may be a view of a larger buffer.
 */
export async function readSmallFile(path: string, cap: number): Promise<Buffer> {
  const file = await open(path, 'r');
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
