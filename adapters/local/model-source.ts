import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { usageError, type ListOptions, type ModelFile, type ModelListing, type ModelSource } from '../../src/index.js';

/** A model on the local file system: a directory tree or a single file. */
export class LocalModelSource implements ModelSource {
  readonly location: string;
  readonly modelName: string;
  readonly singleFile: boolean;

  private constructor(root: string, singleFile: boolean) {
    this.location = root;
    this.modelName = basename(root);
    this.singleFile = singleFile;
  }

  /** Opens a model path; a missing path or one that is neither a file nor a directory is a usage error. */
  static async open(path: string): Promise<LocalModelSource> {
    const root = resolve(path);
    let info;
    try {
      info = await stat(root);
    } catch (err) {
      throw usageError('MODEL_NOT_FOUND', `model path ${path} does not exist or cannot be read (${(err as NodeJS.ErrnoException).code})`, err);
    }
    if (!info.isDirectory() && !info.isFile()) throw usageError('MODEL_NOT_FOUND', `model path ${path} is neither a file nor a directory`);
    return new LocalModelSource(root, info.isFile());
  }

  async list(options: ListOptions): Promise<ModelListing> {
    if (this.singleFile) {
      const info = await stat(this.location);
      return { files: [{ name: '.', size: info.size, localPath: this.location }], ignored: [], warnings: [] };
    }
    const walk = new Walk(this.location, options);
    await walk.directory(this.location, '', [await realpath(this.location)]);
    return { files: walk.files, ignored: walk.ignored, warnings: walk.warnings };
  }

  async *read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array> {
    if (end <= start) return;
    yield* createReadStream(file.localPath ?? join(this.location, file.name), { start, end: end - 1, highWaterMark: 4 * 1024 * 1024 });
  }
}

/**
 * One listing pass. Ignored paths are pruned before they are looked at, so an ignored `.git`
 * costs nothing. Symbolic links fail unless allowed; allowed links are followed and listed
 * under their own path, a link back into a directory being walked is a loop, and a link
 * that leaves the model is reported.
 */
class Walk {
  readonly files: ModelFile[] = [];
  readonly ignored: string[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly root: string,
    private readonly options: ListOptions,
  ) {}

  async directory(dir: string, rel: string, ancestors: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (this.options.isIgnored(name)) {
        this.ignored.push(name);
        continue;
      }
      const path = join(dir, entry.name);
      let info = await lstat(path);
      if (info.isSymbolicLink()) {
        if (!this.options.allowSymlinks) {
          throw usageError('SYMLINK', `${name} is a symbolic link; symbolic links are only hashed with --allow-symlinks`);
        }
        let target: string;
        try {
          target = await realpath(path);
          info = await stat(path);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') throw usageError('SYMLINK_LOOP', `${name} is a symbolic link loop`, err);
          throw usageError('SYMLINK_BROKEN', `${name} is a symbolic link to a missing target (${code})`, err);
        }
        if (ancestors.includes(target) || (info.isDirectory() && ancestors.some((a) => a.startsWith(target + sep)))) {
          throw usageError('SYMLINK_LOOP', `${name} is a symbolic link loop: it points back to ${target}, which contains it`);
        }
        const inside = relative(ancestors[0]!, target);
        if (inside.startsWith('..') || inside === target) this.warnings.push(`${name} is a symbolic link to ${target}, outside the model`);
        if (info.isDirectory()) {
          await this.directory(path, name, [...ancestors, target]);
          continue;
        }
      }
      if (info.isDirectory()) await this.directory(path, name, [...ancestors, await realpath(path)]);
      else if (info.isFile()) this.files.push({ name, size: info.size, localPath: path });
      else throw usageError('SPECIAL_FILE', `${name} is not a regular file or directory (a socket, pipe or device cannot be hashed)`);
    }
  }
}
