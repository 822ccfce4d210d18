import { randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream, createWriteStream, rmSync } from 'node:fs';
import { access, lstat, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { isWithin, makeDirectories, removeEmptyDirectories, removeEmptyDirectoriesSync, syncDirectory, usageError, type ListOptions, type ModelFile, type ModelListing, type ModelSource } from '../../src/core.js';

/**
 * Whether the destination exists, as a directory (or a link to one); anything else there, a
 * link to nothing or a path that cannot be looked at is DESTINATION_INVALID now, before
 * anything is downloaded (a dangling link used to count as absent, failing the last rename).
 */
async function destinationExists(destination: string): Promise<boolean> {
  const refuse = (why: string, err?: unknown): never => {
    throw usageError('DESTINATION_INVALID', `cannot pull into ${destination}: ${why}`, err);
  };
  const found = await lstat(destination).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : refuse(`it cannot be looked at (${err.code})`, err)));
  if (found === undefined) return false;
  const info = found.isSymbolicLink() ? await stat(destination).catch((err: NodeJS.ErrnoException) => refuse(`it is a symbolic link to nothing usable (${err.code})`, err)) : found;
  if (!info.isDirectory()) refuse('it exists and is not a directory');
  return true;
}

/** Fails if a directory between `root` and the file `name` below it is not a real directory (a symbolic link, say). */
async function noLinkAmong(root: string, name: string): Promise<void> {
  const parts = name.split('/').slice(0, -1);
  for (let k = 1; k <= parts.length; k += 1) {
    const info = await lstat(join(root, ...parts.slice(0, k)));
    if (!info.isDirectory()) throw Object.assign(new Error(`${parts.slice(0, k).join('/')} is no longer a directory (a symbolic link appeared among its directories)`), { code: 'ELOOP' });
  }
}

/**
 * How staging is removed. Writes already handed to libuv's threads when an interruption
 * comes may still create entries while the removal runs (ENOTEMPTY): Node retries those.
 */
const REMOVE = { recursive: true, force: true, maxRetries: 5, retryDelay: 20 } as const;

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
  // Files whose staged copy is whole (written to the end and closed): a later stream of one,
  // for another signature or because listing it read it (a tar entry), reads that copy back.
  private readonly complete = new Set<string>();
  // Set when a failed move could not put back a file it had replaced: those originals stay
  // in the staging directory, which is then not removed.
  private originalsKept = false;
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
    const existed = await destinationExists(destination);
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
      // flush: the bytes are on disk before the copy counts as whole, so no rename can later
      // put a name over bytes a crash lost.
      const out = createWriteStream(path, { flags: 'wx', flush: true });
      // A failed write surfaces at the next write or drain, or at close, not as a crash.
      let failure: Error | undefined;
      out.on('error', (err) => (failure ??= err));
      // Only a file this stage created is removed if it fails (an exclusive open may not be).
      let created = false;
      out.once('open', () => (created = true));
      this.written.add(name);
      let whole = false;
      try {
        for await (const chunk of bytes) {
          // once() rejects on 'error', which the listener above has already recorded.
          if (!out.write(chunk)) await once(out, 'drain').catch(() => undefined);
          if (failure) throw usageError('WRITE_FAILED', `cannot write ${path}: ${failure.message}`, failure);
          yield chunk;
        }
        whole = true;
      } finally {
        out.end();
        if (!out.closed) await once(out, 'close').catch(() => undefined);
        // A copy cut short (its stream failed, or stopped) is forgotten, so that another
        // signature's check downloads the file again instead of refusing it as staged twice.
        if (!whole || failure) await this.drop(name, created);
      }
      if (failure) throw usageError('WRITE_FAILED', `cannot write ${path}: ${failure.message}`, failure);
      this.complete.add(name);
    }.bind(this);
    return {
      location: source.location,
      modelName: source.modelName,
      singleFile: source.singleFile,
      list: async (options: ListOptions): Promise<ModelListing> => {
        // Bytes read to list the model are staged as they pass, so they are downloaded once.
        // A name seen twice passes unstaged: the source's own check then names the duplicate.
        const staged: string[] = [];
        const passBytes = (name: string, bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> => {
          if (this.written.has(name)) return bytes;
          staged.push(name);
          return stage(name, bytes);
        };
        try {
          return await source.list({ ...options, passBytes });
        } catch (err) {
          // A tar entry is staged whole before its layer's digest is checked at the layer's
          // end: copies from a listing that failed are not the layer's content, and another
          // signature's listing must stage the files again, not read these back. (A copy cut
          // short has already been dropped by `stage`.)
          for (const name of staged.filter((n) => this.complete.has(n))) await this.drop(name, true);
          throw err;
        }
      },
      read: (file, start, end) => source.read(file, start, end),
      stream: async (files, visit) => {
        // Files already staged whole (while listing, or for an earlier signature) are read
        // back from the staging copy, not downloaded again. One staged only in part (its
        // stream failed) was forgotten, and is streamed (and staged) again.
        const remote: ModelFile[] = [];
        for (const file of files) {
          if (this.complete.has(file.name)) await visit(file, createReadStream(join(this.incoming, file.name)));
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
   * Forgets a staged copy, so that its name can be staged again, and removes its file when
   * this download made it. A failed removal is passed over: the error that led here is the
   * one to report.
   */
  private async drop(name: string, removeFile: boolean): Promise<void> {
    this.written.delete(name);
    this.complete.delete(name);
    if (removeFile) await rm(join(this.incoming, name), { force: true }).catch(() => undefined);
  }

  /** The hidden directory the download is staged in (named when a forced stop leaves it). */
  get stagingDirectory(): string {
    return this.staging;
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
      const moved = await this.moveAll(root, names);
      for (const dir of new Set(moved.map((name) => dirname(join(root, name))))) await syncDirectory(dir);
      if (!this.destinationExisted) {
        await rename(root, this.destination).catch((err: NodeJS.ErrnoException) => {
          throw usageError('DESTINATION_INVALID', `${this.destination} appeared while the model was being pulled (${err.code}); nothing was written to it`, err);
        });
        await syncDirectory(dirname(this.destination));
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
   * Renames each file into place. The pre-check cannot see everything (a bind mount is a
   * rename boundary with the same device number; a file can be immutable; things change
   * meanwhile), so a file in the way is first moved aside into the staging directory, and
   * when a rename fails every step so far is undone: the destination is left as it was.
   */
  private async moveAll(root: string, names: readonly string[]): Promise<string[]> {
    // Newest last, undone in reverse.
    const undo: (() => Promise<unknown>)[] = [];
    const aside = join(this.staging, 'replaced');
    let asideMade = false;
    for (const [i, name] of names.entries()) {
      const target = join(root, name);
      try {
        const made = await makeDirectories(dirname(target));
        if (made.length > 0) undo.push(() => removeEmptyDirectories(made));
        // checkPlaces found no link among an existing destination's directories; one swapped
        // in since would send the file (and the one it replaces) elsewhere. Node has no
        // renameat, so each is looked at again just before the rename: a narrower window, not none.
        if (this.destinationExisted) await noLinkAmong(root, name);
        // Only an existing destination can hold something in the way.
        const found = this.destinationExisted ? await lstat(target).catch(() => undefined) : undefined;
        if (found) {
          // A directory that appeared since the check would be moved aside whole, then deleted with the staging directory.
          if (found.isDirectory()) throw Object.assign(new Error('a directory appeared in its place'), { code: 'EISDIR' });
          if (!asideMade) {
            await makeDirectories(aside);
            asideMade = true;
          }
          const original = join(aside, String(i));
          await rename(target, original);
          undo.push(() => rename(original, target));
        }
        await rename(join(this.incoming, name), target);
        undo.push(() => rename(target, join(this.incoming, name)));
      } catch (err) {
        const undone = await this.undo(undo);
        throw usageError('WRITE_FAILED', `cannot move ${name} into ${this.destination}: ${(err as Error).message} (${undone})`, err);
      }
    }
    return [...names];
  }

  /** Runs the undo steps newest first; says what the destination was left with. */
  private async undo(steps: readonly (() => Promise<unknown>)[]): Promise<string> {
    if (steps.length === 0) return 'nothing was moved';
    const failures: string[] = [];
    for (const step of [...steps].reverse()) await step().catch((err: Error) => failures.push(err.message));
    if (failures.length === 0) return 'the files moved so far were taken back and any they replaced put back: the destination is as it was';
    // The originals not put back must outlive the abort that follows.
    this.originalsKept = true;
    return `undoing the move failed too (${failures[0]}): files it replaced that are not back in place are kept in ${join(this.staging, 'replaced')}`;
  }

  /**
   * Before anything moves into an existing destination: every file must land on nothing or
   * on a regular file (or link) it replaces, below real directories, and the directory it
   * goes into must take it in one rename from the staging directory: writable, and on the
   * same file system (a rename cannot cross devices: EXDEV). A directory in a file's place
   * or an unwritable directory would stop the moves halfway, and a symbolic link among the
   * directories would send the file outside the destination. DESTINATION_INVALID, with
   * nothing moved.
   */
  private async checkPlaces(names: readonly string[]): Promise<void> {
    const kinds = new Map<string, 'none' | 'directory' | 'file' | 'link' | 'other'>();
    const kind = async (rel: string): Promise<'none' | 'directory' | 'file' | 'link' | 'other'> => {
      const known = kinds.get(rel);
      if (known) return known;
      const info = await lstat(join(this.destination, rel)).catch(() => undefined);
      const found = !info ? 'none' : info.isDirectory() ? 'directory' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'link' : 'other';
      kinds.set(rel, found);
      return found;
    };
    const refuse = (rel: string, why: string): never => {
      throw usageError('DESTINATION_INVALID', `cannot pull into ${this.destination}: ${rel === '' ? 'it' : rel} ${why}; nothing was moved`);
    };
    const device = (await stat(this.incoming)).dev;
    const receiving = new Set<string>();
    // The existing directory a file (or the first directory made for it) is created in.
    const receives = async (rel: string): Promise<void> => {
      if (receiving.has(rel)) return;
      receiving.add(rel);
      const path = join(this.destination, rel);
      await access(path, fsConstants.W_OK).catch((err: NodeJS.ErrnoException) => refuse(rel, `is not writable (${err.code})`));
      if ((await stat(path)).dev !== device) refuse(rel, 'is on another file system than the staging directory, and a file cannot be renamed across file systems');
    };
    for (const name of names) {
      const parts = name.split('/');
      let deepest = '';
      for (let i = 1; i < parts.length; i += 1) {
        const rel = parts.slice(0, i).join('/');
        const found = await kind(rel);
        if (found === 'none') break;
        if (found === 'link') refuse(rel, 'is a symbolic link, and pull does not write through links');
        if (found !== 'directory') refuse(rel, `is a file where the model has a directory`);
        deepest = rel;
      }
      const found = await kind(name);
      if (found === 'directory') refuse(name, 'is a directory where the model has a file');
      if (found === 'other') refuse(name, 'is a special file (a pipe, socket or device) where the model has a file');
      await receives(deepest);
    }
  }

  /** Removes everything staged, and the parent directories this download made; the destination is left as it was. */
  async abort(): Promise<void> {
    this.phase = 'aborted';
    await rm(this.originalsKept ? this.incoming : this.staging, REMOVE);
    if (!this.originalsKept) await removeEmptyDirectories(this.madeParents);
  }

  /**
   * `abort`, synchronously: for a process about to exit (a signal), which cannot wait. Never
   * throws: a staging directory that cannot be removed is returned, with why, for the
   * message the process ends with.
   */
  abortNow(): { left: string; why: string } | undefined {
    this.phase = 'aborted';
    const target = this.originalsKept ? this.incoming : this.staging;
    try {
      rmSync(target, REMOVE);
    } catch (err) {
      return { left: target, why: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
    }
    if (!this.originalsKept) removeEmptyDirectoriesSync(this.madeParents);
    return undefined;
  }
}
