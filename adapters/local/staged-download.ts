import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, rmdirSync, rmSync } from 'node:fs';
import { lstat, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { once } from 'node:events';
import { makeDirectories, removeEmptyDirectories, usageError, type ListOptions, type ModelFile, type ModelListing, type ModelSource } from '../../src/core.js';

/** Where a StagedDownload is: see `StagedDownload.state`. */
export type DownloadState = 'staging' | 'committing' | 'committed' | 'aborted';

/**
 * Downloads a model into a directory without ever showing unverified bytes there: files
 * are written under a hidden staging directory as the engine hashes them, or as the source
 * lists them when listing means reading them (tar layers), so each byte is downloaded
 * once; they are moved into place only by `commit`, after verification, which names the
 * files the verifying signature covers. `abort` removes everything staged.
 *
 * A new destination appears in one rename, whole or not at all: the staging directory is
 * its sibling, and the verified files are gathered there first. Into an existing directory
 * the files are moved one by one, so `state` tells a signal handler to let a commit finish.
 */
export class StagedDownload {
  private readonly staging: string;
  // Where the bytes are written while they stream, below the staging directory.
  private readonly incoming: string;
  // Insertion-ordered; a Set so that the check for a second stream stays cheap on large models.
  private readonly written = new Set<string>();
  // Files the source had to read to list the model (tar entries), staged on the way.
  private readonly stagedWhileListing = new Set<string>();
  private phase: DownloadState = 'staging';
  // Directories above the staging area that this download made (a new destination's missing
  // parents), outermost first: an abort removes them too, so a failed pull leaves nothing.
  private madeParents: string[] = [];

  private constructor(
    readonly destination: string,
    private readonly destinationExisted: boolean,
  ) {
    const name = `.modelsign-pull-${randomBytes(6).toString('hex')}`;
    this.staging = destinationExisted ? join(destination, name) : join(dirname(destination), `.${basename(destination)}${name}`);
    this.incoming = join(this.staging, 'files');
  }

  static async create(destination: string): Promise<StagedDownload> {
    const existed = await stat(destination).then((s) => {
      if (!s.isDirectory()) throw usageError('DESTINATION_INVALID', `${destination} exists and is not a directory`);
      return true;
    }, () => false);
    const download = new StagedDownload(destination, existed);
    const made = await makeDirectories(download.incoming).catch((err: Error) => {
      throw usageError('DESTINATION_INVALID', `cannot create a staging directory for ${destination}: ${err.message}`, err);
    });
    download.madeParents = made.filter((dir) => !isWithin(dir, resolve(download.staging)));
    return download;
  }

  /**
   * `staging` until `commit` or `abort`. From `committing` on, verified files are landing
   * in the destination: an interruption should let that finish rather than abort.
   */
  get state(): DownloadState {
    return this.phase;
  }

  /** Wraps a source so every file it streams is also written to the staging directory. */
  tee(source: ModelSource): ModelSource {
    const stage = async function* (this: StagedDownload, name: string, bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
      if (this.phase === 'aborted') throw usageError('ABORTED', `the download into ${this.destination} was abandoned`);
      if (this.written.has(name)) throw usageError('STAGED_TWICE', `${name} was already downloaded in this pull`);
      const path = join(this.incoming, name);
      await makeDirectories(dirname(path)).catch((err: Error) => {
        throw usageError('WRITE_FAILED', `cannot write ${path}: ${err.message}`, err);
      });
      const out = createWriteStream(path, { flags: 'wx' });
      // A failed write surfaces at the next write or drain, or at close, not as a crash.
      let failure: Error | undefined;
      out.on('error', (err) => (failure ??= err));
      this.written.add(name);
      try {
        for await (const chunk of bytes) {
          // once() rejects on 'error', which the listener above has already recorded.
          if (!out.write(chunk)) await once(out, 'drain').catch(() => undefined);
          if (failure) throw usageError('WRITE_FAILED', `cannot write ${path}: ${failure.message}`, failure);
          yield chunk;
        }
      } finally {
        out.end();
        if (!out.closed) await once(out, 'close').catch(() => undefined);
      }
      if (failure) throw usageError('WRITE_FAILED', `cannot write ${path}: ${failure.message}`, failure);
    }.bind(this);
    // Bytes read to list the model are staged as they pass, so they are downloaded once. A
    // name seen twice passes unstaged: the source's own check then names the duplicate.
    const passBytes = (name: string, bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> => {
      if (this.written.has(name)) return bytes;
      this.stagedWhileListing.add(name);
      return stage(name, bytes);
    };
    return {
      location: source.location,
      modelName: source.modelName,
      singleFile: source.singleFile,
      list: (options: ListOptions): Promise<ModelListing> => source.list({ ...options, passBytes }),
      read: (file, start, end) => source.read(file, start, end),
      stream: async (files, visit) => {
        // Files staged while listing are read back from the staging copy, not downloaded again.
        const remote: ModelFile[] = [];
        for (const file of files) {
          if (this.stagedWhileListing.has(file.name)) await visit(file, createReadStream(join(this.incoming, file.name)));
          else remote.push(file);
        }
        const inner = source.stream?.bind(source) ?? (async (fs: readonly ModelFile[], v: typeof visit) => {
          for (const f of fs) await v(f, source.read(f, 0, f.size));
        });
        if (remote.length > 0) await inner(remote, (file, bytes) => visit(file, stage(file.name, bytes)));
      },
    };
  }

  /**
   * Moves the staged files named in `verified` into the destination and drops the rest
   * (bytes streamed only to check a signature that did not verify). Returns the names moved.
   * A new destination is assembled beside it and renamed into place at once.
   */
  async commit(verified: ReadonlySet<string>): Promise<string[]> {
    this.phase = 'committing';
    try {
      const root = this.destinationExisted ? this.destination : join(this.staging, 'verified');
      const names = [...this.written].filter((name) => verified.has(name));
      if (this.destinationExisted) await this.checkPlaces(names);
      await makeDirectories(root);
      const moved: string[] = [];
      for (const name of names) {
        const target = join(root, name);
        try {
          await makeDirectories(dirname(target));
          await rename(join(this.incoming, name), target);
        } catch (err) {
          const done = moved.length === 0 ? 'nothing was moved' : `${moved.length} verified file(s) were already in place`;
          throw usageError('WRITE_FAILED', `cannot move ${name} into ${this.destination}: ${(err as Error).message} (${done})`, err);
        }
        moved.push(name);
      }
      if (!this.destinationExisted) {
        await rename(root, this.destination).catch((err: NodeJS.ErrnoException) => {
          throw usageError('DESTINATION_INVALID', `${this.destination} appeared while the model was being pulled (${err.code}); nothing was written to it`, err);
        });
      }
      await rm(this.staging, { recursive: true, force: true });
      this.phase = 'committed';
      return moved;
    } catch (err) {
      // A commit that failed is abandoned: the caller aborts, and nothing more may land.
      this.phase = 'staging';
      throw err;
    }
  }

  /**
   * Before anything moves into an existing destination: every file must land on nothing or
   * on a regular file (or link) it replaces, below real directories. A directory in a file's
   * place would stop the moves halfway, and a symbolic link among the directories would send
   * the file outside the destination. DESTINATION_INVALID, with nothing moved.
   */
  private async checkPlaces(names: readonly string[]): Promise<void> {
    const checked = new Set<string>();
    const kind = async (path: string): Promise<'none' | 'directory' | 'file' | 'link' | 'other'> => {
      const info = await lstat(path).catch(() => undefined);
      if (!info) return 'none';
      return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'link' : 'other';
    };
    const refuse = (rel: string, why: string): never => {
      throw usageError('DESTINATION_INVALID', `cannot pull into ${this.destination}: ${rel} ${why}; nothing was moved`);
    };
    for (const name of names) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i += 1) {
        const rel = parts.slice(0, i).join('/');
        if (checked.has(rel)) continue;
        const found = await kind(join(this.destination, rel));
        if (found === 'link') refuse(rel, 'is a symbolic link, and pull does not write through links');
        if (found !== 'none' && found !== 'directory') refuse(rel, `is a file where the model has a directory`);
        checked.add(rel);
      }
      const found = await kind(join(this.destination, name));
      if (found === 'directory') refuse(name, 'is a directory where the model has a file');
      if (found === 'other') refuse(name, 'is a special file (a pipe, socket or device) where the model has a file');
    }
  }

  /** Removes everything staged, and the parent directories this download made; the destination is left as it was. */
  async abort(): Promise<void> {
    this.phase = 'aborted';
    await rm(this.staging, { recursive: true, force: true });
    await removeEmptyDirectories(this.madeParents);
  }

  /** `abort`, synchronously: for a process about to exit (a signal), which cannot wait. */
  abortNow(): void {
    this.phase = 'aborted';
    rmSync(this.staging, { recursive: true, force: true });
    // Innermost first, each only if empty, as removeEmptyDirectories does.
    for (const dir of [...this.madeParents].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
}

/** True when `path` is `dir` or below it. */
function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}${sep}`);
}
