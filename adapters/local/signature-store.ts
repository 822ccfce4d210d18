import { open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileTooLargeError, MAX_BUNDLE_BYTES, readSmallFile, replaceFile, unverifiedError, usageError, type SignatureStore, type StoredSignature } from '../../src/core.js';

// Every Sigstore bundle media type (v0.1, v0.2, v0.3) starts so.
const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';

/** A detached bundle file next to or inside the model (`model.sig` by default). */
export class SidecarSignatureStore implements SignatureStore {
  constructor(readonly path: string) {}

  async list(): Promise<StoredSignature[]> {
    const path = this.path;
    return [
      {
        location: path,
        bytes: async () => {
          try {
            return await readSmallFile(path, MAX_BUNDLE_BYTES);
          } catch (err) {
            if (err instanceof FileTooLargeError) throw unverifiedError('BUNDLE_MALFORMED', `signature ${path} holds more than ${MAX_BUNDLE_BYTES} bytes, which no bundle does`);
            throw usageError('SIGNATURE_NOT_FOUND', `cannot read signature ${path} (${(err as NodeJS.ErrnoException).code})`, err);
          }
        },
      },
    ];
  }

  /**
   * Refuses (SIGNATURE_WOULD_OVERWRITE) when the path holds a regular file that is not a
   * Sigstore bundle: `--signature model/weights.bin` must not replace the weights. An empty
   * file holds nothing to lose (a shell's `> out.sig` made it, or `touch`), so it is written
   * over. A directory, or a path whose directory does not exist, cannot be written
   * (SIGNATURE_WRITE_FAILED): refused here too, before the work (and, keyless, before a log
   * entry is made for a signature that could not be kept). Call it before long work; `put`
   * checks again.
   */
  async assertReplaceable(): Promise<void> {
    const info = await stat(this.path).catch(() => undefined);
    if (info?.isDirectory()) throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path}: it is a directory`);
    if (info === undefined && !(await stat(dirname(resolve(this.path))).catch(() => undefined))?.isDirectory()) {
      throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path}: its directory ${dirname(resolve(this.path))} does not exist`);
    }
    if (!info?.isFile() || info.size === 0 || (await startsAsBundle(this.path)) || isBundle(await readSmallFile(this.path, MAX_BUNDLE_BYTES).catch(() => undefined))) return;
    throw usageError('SIGNATURE_WOULD_OVERWRITE', `${this.path} exists and is not a signature bundle; it is left as it is (remove it or choose another --signature)`);
  }

  /**
   * Writes the bundle all at once (`replaceFile`): never a half-written bundle. A symbolic
   * link is written through (a dangling one makes its target); a device or FIFO
   * (/dev/stdout) is written into, as the reference's open() does. An existing file that is
   * not a bundle is never replaced.
   */
  async put(bundle: Uint8Array): Promise<string> {
    await this.assertReplaceable();
    try {
      await replaceFile(this.path, bundle, { intoSpecial: true });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // A system error's message names the temporary file, so only its code is kept;
      // replaceFile's own errors explain the path (a dangling link: its target).
      const why = e.syscall === undefined ? `: ${e.message}` : ` (${e.code})`;
      throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path}${why}`, err);
    }
    return this.path;
  }
}

// Bundles written by the Sigstore clients and by us open with their media type.
const MEDIA_TYPE_FIRST = /^\s*\{\s*"mediaType"\s*:\s*"([^"\\]*)"/;
const HEAD_BYTES = 256;

/**
 * Whether a file opens as a Sigstore bundle does: its first bytes are enough to know it is
 * no model file, without reading and parsing a bundle of tens of MB (twice per `sign`).
 */
async function startsAsBundle(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, HEAD_BYTES, 0);
    const mediaType = MEDIA_TYPE_FIRST.exec(head.subarray(0, bytesRead).toString('latin1'))?.[1];
    return mediaType?.startsWith(BUNDLE_MEDIA_TYPE_PREFIX) === true;
  } catch {
    return false;
  } finally {
    await file.close();
  }
}

/** Whether a document is JSON with a Sigstore bundle media type, wherever that key stands. */
function isBundle(bytes: Buffer | undefined): boolean {
  let mediaType: unknown;
  try {
    mediaType = (JSON.parse(bytes?.toString('utf8') ?? '') as { mediaType?: unknown } | null)?.mediaType;
  } catch {
    // not JSON: not a bundle
  }
  return typeof mediaType === 'string' && mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX);
}
