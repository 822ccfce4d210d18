import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unverifiedError, usageError } from '../../src/index.js';

/**
 * Decompresses a zstd stream through the `zstd` command, chunk by chunk. Node 20 has no
 * zstd, and the one JavaScript decoder we evaluated (fzstd 0.1.1) rejected valid zstd
 * 1.5.4 output in streaming mode and allocates whatever window a frame declares; the
 * command streams through pipes and refuses windows over its 128 MiB default, so memory
 * stays bounded. `layer` names the layer in errors:
 * - no `zstd` on PATH: usage error ZSTD_UNAVAILABLE (a local tool is missing);
 * - data zstd cannot decode: unverified LAYER_INVALID, with zstd's own message.
 * A failure of `bytes` itself (a digest mismatch) is not reported here: it may surface as
 * LAYER_INVALID or not at all (the check at the end fails after zstd has read every byte).
 * `walkTar`, the caller, checks its source and reports that failure instead.
 * Stopping early (the consumer returns) ends the process.
 */
export async function* zstdDecompress(bytes: AsyncIterable<Uint8Array>, layer: string): AsyncIterable<Uint8Array> {
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  // A failed feed (zstd stopped reading, or the source failed) is explained by zstd's status
  // or, for the source, by the caller.
  const fed = pipeline(Readable.from(bytes), child.stdin).catch(() => undefined);
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    await fed;
    const { code, error } = await exited;
    if (error) {
      throw error.code === 'ENOENT'
        ? usageError('ZSTD_UNAVAILABLE', `layer ${layer} is tar+zstd, which needs the zstd command to decompress (apt-get install zstd); it was not found on PATH`, error)
        : error;
    }
    if (code !== 0) {
      const message = Buffer.concat(stderr).toString().trim().replace(/^zstd: /, '') || `zstd exited with status ${code}`;
      throw unverifiedError('LAYER_INVALID', `tar+zstd layer ${layer} cannot be decompressed: ${message}`);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
