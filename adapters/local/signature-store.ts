import { stat } from 'node:fs/promises';
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
   * Sigstore bundle: `--signature model/weights.bin` must not replace the weights. Call it
   * before long work; `put` checks again.
   */
  async assertReplaceable(): Promise<void> {
    const info = await stat(this.path).catch(() => undefined);
    if (!info?.isFile()) return;
    const existing = await readSmallFile(this.path, MAX_BUNDLE_BYTES).catch(() => undefined);
    let mediaType: unknown;
    try {
      mediaType = (JSON.parse(existing?.toString('utf8') ?? '') as { mediaType?: unknown } | null)?.mediaType;
    } catch {
      // not JSON: not a bundle
    }
    if (typeof mediaType !== 'string' || !mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX)) {
      throw usageError('SIGNATURE_WOULD_OVERWRITE', `${this.path} exists and is not a signature bundle; it is left as it is (remove it or choose another --signature)`);
    }
  }

  /**
   * Writes the bundle all at once (`replaceFile`): never a half-written bundle. A symbolic
   * link is written through; a device or FIFO (/dev/stdout) is written into, as the
   * reference's open() does. An existing file that is not a bundle is never replaced.
   */
  async put(bundle: Uint8Array): Promise<string> {
    await this.assertReplaceable();
    try {
      await replaceFile(this.path, bundle, { intoSpecial: true });
    } catch (err) {
      throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path} (${(err as NodeJS.ErrnoException).code})`, err);
    }
    return this.path;
  }
}
