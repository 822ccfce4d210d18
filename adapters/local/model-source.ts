import { createReadStream, lstatSync, readdirSync, realpathSync, type BigIntStats, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { usageError, type ListOptions, type ModelFile, type ModelListing, type ModelSource } from '../../src/core.js';

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
    const listedAt = BigInt(Date.now()) * 1_000_000n;
    if (this.singleFile) {
      const info = await stat(this.location, { bigint: options.identify === true });
      return { files: [fileEntry('.', this.location, info, listedAt)], ignored: [], warnings: [] };
    }
    const walk = new Walk(options, listedAt);
    await walk.directory(this.location, '', [await realpath(this.location)]);
    return { files: walk.files, ignored: walk.ignored, warnings: walk.warnings };
  }

  async *read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array> {
    if (end <= start) return;
    yield* createReadStream(file.localPath ?? join(this.location, file.name), { start, end: end - 1, highWaterMark: 4 * 1024 * 1024 });
  }
}

/**
 * A file changed within this long before the listing gets no identity. File times come
 * from a coarse clock (a few ms on Linux, 1 s or 2 s on some file systems), so a second
 * change in the same tick as the one seen would leave mtime and ctime as they were; a file
 * that has been still for longer than a tick cannot do that unnoticed.
 */
const SETTLE_NS = 2_000_000_000n;

/**
 * A listed file. Its identity, from a precise (bigint) stat, is (device, inode, size, mtime,
 * ctime) in nanoseconds: a write changes mtime, and ctime, which no user can set, changes
 * with any write, rename, chmod or `touch -d` that puts mtime back. A plain stat (no
 * identity asked for) costs less and leaves far less garbage on big listings.
 */
function fileEntry(name: string, path: string, info: Stats | BigIntStats, listedAt: bigint): ModelFile {
  if (!isPrecise(info)) return { name, size: info.size, localPath: path };
  const settled = info.ctimeNs < listedAt - SETTLE_NS;
  const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  return { name, size: Number(info.size), localPath: path, ...(settled ? { identity } : {}) };
}

const isPrecise = (info: Stats | BigIntStats): info is BigIntStats => typeof info.size === 'bigint';

/**
 * A directory entry's path. Directories here are already normalized (resolved, then built
 * by this function), so plain concatenation is right, and path.join's normalizing was
 * measured at 28 ms of a 100 ms listing of 20,000 files.
 */
const childPath = (dir: string, name: string): string => (dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`);

// Directories are read and entries stat'ed synchronously, this many entries at a time with the
// event loop let in between (about a millisecond each on a local disk). Listing 20,000 files
// took ~350 ms with one awaited fs/promises stat per entry, ~170 ms with batches of concurrent
// callback stats (submitting and completing an asynchronous stat costs the main thread more
// than the system call itself) and ~105 ms like this.
const STAT_SLICE = 256;
const letLoopRun = (): Promise<void> => new Promise((r) => setImmediate(r));

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

  private readonly bigint: boolean;

  constructor(
    private readonly options: ListOptions,
    private readonly listedAt: bigint,
  ) {
    this.bigint = options.identify === true;
  }

  async directory(dir: string, rel: string, ancestors: string[]): Promise<void> {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const kept: { name: string; path: string }[] = [];
    for (const entry of entries) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (this.options.isIgnored(name)) this.ignored.push(name);
      else kept.push({ name, path: childPath(dir, entry.name) });
    }
    for (let i = 0; i < kept.length; i += 1) {
      if (i > 0 && i % STAT_SLICE === 0) await letLoopRun();
      const { name, path } = kept[i]!;
      const info = lstatSync(path, { bigint: this.bigint });
      if (info.isFile()) this.files.push(fileEntry(name, path, info, this.listedAt));
      else await this.entry(name, path, info, ancestors);
    }
  }

  private async entry(name: string, path: string, linkInfo: Stats | BigIntStats, ancestors: string[]): Promise<void> {
    let info = linkInfo;
    if (info.isSymbolicLink()) {
      if (!this.options.allowSymlinks) {
        throw usageError('SYMLINK', `${name} is a symbolic link; symbolic links are only hashed with --allow-symlinks`);
      }
      let target: string;
      try {
        target = await realpath(path);
        info = await stat(path, { bigint: this.bigint });
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
        return;
      }
    }
    if (info.isDirectory()) await this.directory(path, name, [...ancestors, realpathSync(path)]);
    else if (info.isFile()) this.files.push(fileEntry(name, path, info, this.listedAt));
    else throw usageError('SPECIAL_FILE', `${name} is not a regular file or directory (a socket, pipe or device cannot be hashed)`);
  }
}
