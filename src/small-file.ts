import { open } from 'node:fs/promises';

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
 * of open and read.
 */
export async function readSmallFile(path: string, cap: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, cap + 1 - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) throw new FileTooLargeError(path, cap);
    }
  } finally {
    await file.close();
  }
}
