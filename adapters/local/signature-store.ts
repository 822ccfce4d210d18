import { randomBytes } from 'node:crypto';
import { readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
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

  /**
   * Writes to a temporary name in the same directory, then renames: never a half-written
   * bundle. A symbolic link to a file is written through (the file is replaced, the link
   * stays), and a path that is neither a file nor a directory (/dev/stdout, a FIFO) is
   * written into, as the reference does: renaming over it would put a file in its place.
   */
  async put(bundle: Uint8Array): Promise<string> {
    const failed = (err: unknown): Error => usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${this.path} (${(err as NodeJS.ErrnoException).code})`, err);
    const info = await stat(this.path).catch(() => undefined);
    if (info && !info.isFile() && !info.isDirectory()) {
      await writeFile(this.path, bundle).catch((err: unknown) => {
        throw failed(err);
      });
      return this.path;
    }
    let temp: string | undefined;
    try {
      const target = info?.isFile() ? await realpath(this.path) : this.path;
      temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(temp, bundle, { flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      if (temp) await rm(temp, { force: true });
      throw failed(err);
    }
    return this.path;
  }
}
