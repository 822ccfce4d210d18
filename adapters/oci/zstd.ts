import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unverifiedError, usageError, type ModelsignError } from '../../src/engine.js';

/**
 * The address space the zstd process may use, in KiB. zstd 1.5.4 needs about 220 MiB to
 * decode a stream with the largest window it accepts by default (128 MiB; measured with
 * `ulimit -v`), so this leaves room for other builds while bounding anything else it might
 * be made to decode.
 */
export const ZSTD_MEMORY_KIB = 512 * 1024;

/**
 * Decompresses a zstd stream through the `zstd` command, chunk by chunk. Node 20 has no
 * zstd, and the one JavaScript decoder we evaluated (fzstd 0.1.1) rejected valid zstd
 * 1.5.4 output in streaming mode and allocates whatever window a frame declares; the
 * command streams through pipes and refuses windows over its 128 MiB default. But it also
 * decodes gzip, xz, lzma and lz4 frames wherever one follows a zstd frame (`--format` only
 * applies to compression), and an lzma header may ask for a 4 GiB dictionary: so only zstd
 * frames reach it (`zstdFrames`), and it runs under an address-space limit
 * (ZSTD_MEMORY_KIB) in case anything else makes it allocate more. `layer` names the layer
 * in errors:
 * - no `zstd` on PATH: usage error ZSTD_UNAVAILABLE (a local tool is missing);
 * - data that is not zstd frames, or that zstd cannot decode within the limit: unverified
 *   LAYER_INVALID, with zstd's own message.
 * A failure of `bytes` itself (a digest mismatch) is not reported here: it may surface as
 * LAYER_INVALID or not at all (the check at the end fails after zstd has read every byte).
 * `walkTar`, the caller, checks its source and reports that failure instead.
 * Stopping early (the consumer returns) ends the process.
 */
export async function* zstdDecompress(bytes: AsyncIterable<Uint8Array>, layer: string): AsyncIterable<Uint8Array> {
  // The shell sets the limit and becomes zstd (exec), so the child is zstd itself. A hard
  // limit already lower than ours stays in force: the shell's complaint is not an error.
  const child = spawn('/bin/sh', ['-c', `ulimit -v ${ZSTD_MEMORY_KIB} 2>/dev/null; exec zstd -d -c -q`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  const frames = zstdFrames(layer);
  let refused: ModelsignError | undefined;
  async function* checked(): AsyncIterable<Uint8Array> {
    for await (const chunk of bytes) {
      try {
        frames(chunk);
      } catch (err) {
        // zstd then sees its input end, perhaps cleanly after the last good frame: the
        // refusal must be reported whatever zstd makes of it.
        refused = err as ModelsignError;
        throw err;
      }
      yield chunk;
    }
  }
  // A failed feed (zstd stopped reading, or the source failed) is explained by zstd's status
  // or, for the source, by the caller.
  const fed = pipeline(Readable.from(checked()), child.stdin).catch(() => undefined);
  const unavailable = (cause?: unknown): ModelsignError =>
    usageError('ZSTD_UNAVAILABLE', `layer ${layer} is tar+zstd, which needs the zstd command to decompress (apt-get install zstd); it was not found on PATH`, cause);
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    await fed;
    const { code, error } = await exited;
    if (error) throw error.code === 'ENOENT' ? unavailable(error) : error;
    // 127: the shell found no zstd to exec.
    if (code === 127) throw unavailable();
    if (refused) throw refused;
    if (code !== 0) {
      const message = Buffer.concat(stderr).toString().trim().replace(/^zstd: /, '') || `zstd exited with status ${code}`;
      const limit = /memory|allocat|error 5\b/i.test(message) ? ` (zstd may use at most ${ZSTD_MEMORY_KIB / 1024} MiB here)` : '';
      throw unverifiedError('LAYER_INVALID', `tar+zstd layer ${layer} cannot be decompressed: ${message}${limit}`);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

const ZSTD_MAGIC = 0xfd2fb528;
// Skippable frames: 0x184D2A50 to 0x184D2A5F, then a 4-byte length.
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/**
 * Follows the frames of a zstd stream as its chunks pass (RFC 8878: magic number, frame
 * header, blocks by their 3-byte headers, optional checksum; skippable frames by their
 * length) without decoding them, and throws LAYER_INVALID at the first frame that is
 * neither a zstd frame nor a skippable one, before its bytes are passed on. Where a frame
 * ends follows from its headers alone, as it does for the decoder, so the check and zstd
 * agree on where the next one begins. A reserved header bit or block type, which zstd
 * refuses too, is refused here so the two can never lose step. Legacy zstd formats
 * (before v0.8) have other magic numbers and are refused.
 */
export function zstdFrames(layer: string): (chunk: Uint8Array) => void {
  let position = 0;
  // Bytes to pass unread (block contents, checksums, skippable frames).
  let skip = 0;
  // The field being read and its bytes so far.
  let field: 'magic' | 'descriptor' | 'header' | 'block' | 'skippable' = 'magic';
  let want = 4;
  const bytes: number[] = [];
  let checksum = false;
  const refuse = (what: string, start: number, why = ''): never => {
    throw unverifiedError('LAYER_INVALID', `tar+zstd layer ${layer} ${what} at byte ${start} (${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')})${why}`);
  };
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      bytes.push(chunk[i]!);
      i += 1;
      if (bytes.length < want) continue;
      const start = position + i - want;
      const le = bytes.reduce((value, b, k) => value + b * 2 ** (8 * k), 0);
      switch (field) {
        case 'magic':
          if (le === ZSTD_MAGIC) [field, want] = ['descriptor', 1];
          else if (((le & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) [field, want] = ['skippable', 4];
          else refuse('holds data that is not a zstd frame', start, ': the zstd command would decode gzip, xz, lzma or lz4 there, whose memory its window limit does not bound');
          break;
        case 'descriptor': {
          const d = le;
          if (d & 0x08) refuse('has a zstd frame header with its reserved bit set', start);
          const singleSegment = (d >> 5) & 1;
          checksum = ((d >> 2) & 1) === 1;
          const fcs = d >> 6;
          // Window descriptor, dictionary ID, frame content size.
          const rest = (singleSegment ? 0 : 1) + [0, 1, 2, 4][d & 3]! + (fcs === 0 ? singleSegment : [0, 2, 4, 8][fcs]!);
          [field, want] = rest === 0 ? ['block', 3] : ['header', rest];
          break;
        }
        case 'header':
          [field, want] = ['block', 3];
          break;
        case 'block': {
          const type = (le >> 1) & 3;
          if (type === 3) refuse('has a zstd block of the reserved type', start);
          // An RLE block holds one byte, repeated on decoding.
          skip = type === 1 ? 1 : le >>> 3;
          if (le & 1) {
            skip += checksum ? 4 : 0;
            [field, want] = ['magic', 4];
          }
          break;
        }
        case 'skippable':
          skip = le;
          [field, want] = ['magic', 4];
          break;
      }
      bytes.length = 0;
    }
    position += chunk.length;
  };
}
