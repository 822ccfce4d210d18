import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { usageError, type SignatureStore, type StoredSignature } from '../../src/core.js';

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
            return await readFile(path);
          } catch (err) {
            throw usageError('SIGNATURE_NOT_FOUND', `cannot read signature ${path} (${(err as NodeJS.ErrnoException).code})`, err);
          }
        },
      },
    ];
  }

  /** Writes to a temporary name in the same directory, then renames: never a half-written bundle. */
  async put(bundle: Uint8Array): Promise<string> {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bundle, { flag: 'wx' });
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path} (${(err as NodeJS.ErrnoException).code})`, err);
    }
    return this.path;
  }
}
