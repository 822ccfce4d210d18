import { FileTooLargeError, MAX_BUNDLE_BYTES, readSmallFile, replaceFile, unverifiedError, usageError, type SignatureStore, type StoredSignature } from '../../src/core.js';

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
   * Writes the bundle all at once (`replaceFile`): never a half-written bundle. A symbolic
   * link is written through; a device or FIFO (/dev/stdout) is written into, as the
   * reference's open() does.
   */
  async put(bundle: Uint8Array): Promise<string> {
    try {
      await replaceFile(this.path, bundle, { intoSpecial: true });
    } catch (err) {
      throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path} (${(err as NodeJS.ErrnoException).code})`, err);
    }
    return this.path;
  }
}
