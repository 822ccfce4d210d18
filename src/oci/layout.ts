import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { makeDirectories, removeEmptyDirectories, removeEmptyDirectoriesSync, syncDirectory } from '../directories.js';
import { busyLockText, withFileLock, withFileLockNow } from '../file-lock.js';
import { trackPendingCleanup, trackPendingFile, untrackPendingFile } from '../pending-files.js';
import { replaceFile } from '../replace-file.js';
import { FileTooLargeError, NotRegularFileError, openRegularFile, readSmallFile } from '../small-file.js';
import { ModelsignError, usageError } from '../errors.js';
import type { ContentStore, FetchedManifest, PushedManifest } from './content-store.js';
import { digestOf, digestProblem, parseDigest, verifiedStream } from './digest.js';
import { checkManifest } from './manifest-check.js';
import { manifestShapeProblem } from './manifest-shape.js';
import { isTag } from './reference.js';
import { MAX_MANIFEST_BYTES, OCI_INDEX, type Descriptor, type ImageIndex } from './media-types.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
// index.json lists every manifest of the layout: larger than one manifest, still bounded.
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
// In a local layout, changed bytes are changed content (1) and an unusable manifest is unusable local input (2).
const IN_LAYOUT = { integrity: 'unverified', format: 'usage' } as const;
// Every file of a layout is read as a regular file only: a FIFO put in its place would
// hold a plain open (and so the command) forever.
const REGULAR_ONLY = { regularOnly: true } as const;
// The algorithms blobs are stored under here.
const KNOWN_ALGORITHM = /^sha(?:256|512):/;
const EMPTY_INDEX: ImageIndex = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
// index.json is rewritten under a lock file beside it, which other modelsign processes honour.
// A writer holds it for milliseconds; one still there after this long was left by a process
// that died holding it (or the layout is very busy), and is reported rather than broken.
const LOCK_FILE = 'index.json.lock';
const LOCK_WAIT_MS = 10_000;

/**
 * `oci-layout:PATH[:tag|@digest]` split into its parts: PATH ends at its first `:` or `@`,
 * and what follows must be a tag or a digest. A path holding `:` or `@` itself could not be
 * told from one (`lay:bad/tag` is a bad tag, or a directory `lay:bad`?), so it is refused
 * rather than guessed at (tools that take such paths disagree on where they end).
 * The tag or digest is checked here, as local input (exit 2), before anything is read or
 * created.
 */
export function parseLayoutReference(input: string): { path: string; target: string } {
  const rest = input.slice('oci-layout:'.length);
  const end = rest.search(/[:@]/);
  const path = end === -1 ? rest : rest.slice(0, end);
  if (!path) throw usageError('BAD_REFERENCE', `${input}: names no layout directory (oci-layout:PATH[:tag|@digest])`);
  if (end === -1) return { path, target: 'latest' };
  const target = rest.slice(end + 1);
  // Said when the rest looks like more path: the likely mistake is a ':' or '@' in the path.
  const hint = /[/@]/.test(target) ? `; the layout path ends at its first ':' or '@', so a path holding either cannot be named here` : '';
  if (rest[end] === '@') {
    const problem = digestProblem(target);
    if (problem) throw usageError('BAD_REFERENCE', `${input}: ${problem}${hint}`);
  } else if (!isTag(target)) {
    throw usageError('BAD_REFERENCE', `${input}: ${JSON.stringify(target.slice(0, 200))} is not a valid tag (1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')${hint}`);
  }
  return { path, target };
}

/**
 * An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as skopeo
 * and oras read and write it. Blobs are written to a temporary name, checked and renamed;
 * `index.json` is replaced atomically, its read-modify-write done holding a lock file beside
 * it so that writers in several processes do not lose each other's entries. Referrers are
 * manifests listed in `index.json` whose `subject` names the digest.
 */
export class OciLayout implements ContentStore {
  readonly name: string;
  readonly local = true;
  private writing: Promise<unknown> = Promise.resolve();
  // Opened with `create` where there is no layout: made by the first write, so a push that
  // fails before it has anything to store (an unreadable model) leaves nothing behind.
  private pending = false;
  private creating: Promise<void> | undefined;
  // What this object made, for discardCreated: directories (outermost first) and files.
  private readonly madeDirectories: string[] = [];
  private readonly madeFiles: string[] = [];
  // index.json as this object left it when it made the layout; undefined if it did not.
  private createdIndex: string | undefined;
  // Unregisters the removal of what this object made if the process is interrupted (see create).
  private untrackCreated: (() => void) | undefined;

  private constructor(
    readonly root: string,
    readonly target: string,
    // The directory as the user wrote it, for messages.
    private readonly path: string,
  ) {
    this.name = `oci-layout:${root}`;
  }

  /**
   * Opens a layout; `create` lets a push make one where none exists, when it first writes.
   * An `index.json` already there (a directory without `oci-layout`) is kept if it is an
   * image index and refused (LAYOUT_INVALID) if not: never replaced.
   */
  static async open(reference: string, options: { create?: boolean } = {}): Promise<OciLayout> {
    const { path, target } = parseLayoutReference(reference);
    const layout = new OciLayout(resolve(path), target, path);
    const marker = await readSmallFile(join(layout.root, 'oci-layout'), MAX_MANIFEST_BYTES, REGULAR_ONLY).catch((err: unknown) => {
      if (err instanceof NotRegularFileError) throw usageError('LAYOUT_INVALID', `${path} is not a usable OCI image layout: ${err.message}`, err);
      return undefined;
    });
    if (marker === undefined) {
      if (!options.create) throw usageError('LAYOUT_NOT_FOUND', `${path} is not an OCI image layout (no oci-layout file)`);
      // Checked now, so that a push refuses before it hashes the model.
      if (!(await layout.existingIndex())) await layout.refuseOtherContent();
      layout.pending = true;
    }
    return layout;
  }

  /**
   * A directory that holds something, but neither `oci-layout` nor `index.json`, is not a
   * layout: a model directory named by mistake would get blobs/, index.json and oci-layout
   * written among its files. Refused (NOT_A_LAYOUT); a new or empty directory is made one.
   */
  private async refuseOtherContent(): Promise<void> {
    const entries = await readdir(this.root).catch(() => []);
    if (entries.length === 0) return;
    throw usageError(
      'NOT_A_LAYOUT',
      `${this.path} is a directory that is neither empty nor an OCI image layout (no oci-layout or index.json, but ${entries.length} other entr${entries.length === 1 ? 'y' : 'ies'}); push makes a layout only in a new or empty directory or adds to an existing layout: name another directory`,
    );
  }

  /** Whether index.json exists; one that is not an image index is refused, naming the file. */
  private async existingIndex(): Promise<boolean> {
    const file = join(this.root, 'index.json');
    const present = await stat(file).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return false;
        throw usageError('LAYOUT_INVALID', `cannot read ${file}: ${err.message}`, err);
      },
    );
    if (!present) return false;
    const loaded = await this.loadIndex();
    if ('problem' in loaded) {
      throw usageError('LAYOUT_INVALID', `${file} exists but ${loaded.problem}; it is not replaced: move it away, or push to another directory`, loaded.cause);
    }
    return true;
  }

  /** Makes a pending layout, once: directories, index.json unless one is there, the oci-layout marker last. */
  private prepare(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    this.creating ??= this.create().then(
      () => {
        this.pending = false;
      },
      (err: unknown) => {
        this.creating = undefined;
        throw err;
      },
    );
    return this.creating;
  }

  private async create(): Promise<void> {
    // Until a manifest is recorded, the layout is this run's work in progress: a process
    // interrupted meanwhile (Ctrl-C mid-upload) removes it as a failed push does, rather than
    // leave an empty layout. Unregistered once index.json changes (updateIndex).
    this.untrackCreated ??= trackPendingCleanup(() => this.discardCreatedNow());
    try {
      this.madeDirectories.push(...(await makeDirectories(join(this.root, 'blobs'))));
      await this.withIndexLock(async () => {
        const marker = join(this.root, 'oci-layout');
        // Another process may have made the layout since open (it is theirs), or index.json was there: kept.
        const ours = !(await stat(marker).then(() => true, () => false));
        if (!(await this.existingIndex())) {
          await this.writeIndex(EMPTY_INDEX);
          this.madeFiles.push(join(this.root, 'index.json'));
        }
        if (ours) {
          // Set before the marker is written, so an interruption while writing it still cleans up.
          this.createdIndex = JSON.stringify(await this.readIndex());
          await replaceFile(marker, '{"imageLayoutVersion":"1.0.0"}');
          this.madeFiles.push(marker);
        }
      });
    } catch (err) {
      if (err instanceof ModelsignError) throw err;
      throw usageError('LAYOUT_INVALID', `cannot create an OCI image layout at ${this.path}: ${(err as Error).message}`, err);
    }
  }

  /**
   * After a push that failed: if this object made the layout, removes what it wrote (blobs,
   * index.json, oci-layout, the directories it made), so a failed push to a new layout leaves
   * none. Nothing is removed once index.json has changed since (another process recorded a
   * manifest), nor from a layout that was there before, but the directories it made, if empty.
   */
  async discardCreated(): Promise<void> {
    this.untrackCreated?.();
    // A layout whose creation failed before its index.json (a full disk) has only directories.
    if (this.createdIndex === undefined) return void (await removeEmptyDirectories(this.madeDirectories));
    const unchanged = await this.withIndexLock(async () => {
      const now = await this.loadIndex();
      if (!('index' in now) || JSON.stringify(now.index) !== this.createdIndex) return false;
      for (const file of [...this.madeFiles].reverse()) await rm(file, { force: true });
      return true;
    }).catch(() => false);
    if (unchanged) await removeEmptyDirectories(this.madeDirectories);
    this.createdIndex = undefined;
  }

  /**
   * discardCreated for a process ending on a signal, which cannot wait for promises: the same
   * removals, synchronously. The lock is taken without waiting: if another process holds it,
   * it is recording something in the layout, which then is not this run's alone and stays.
   * Directories this object made are removed if empty either way.
   */
  private discardCreatedNow(): void {
    const created = this.createdIndex;
    if (created !== undefined) {
      try {
        withFileLockNow(join(this.root, LOCK_FILE), () => {
          const now = JSON.stringify(JSON.parse(readFileSync(join(this.root, 'index.json'), 'utf8')));
          if (now === created) for (const file of [...this.madeFiles].reverse()) rmSync(file, { force: true });
        });
      } catch {
        // Unreadable: leave the layout as it is.
      }
    }
    removeEmptyDirectoriesSync(this.madeDirectories);
  }

  async fetchManifest(target: string): Promise<FetchedManifest> {
    const found = await this.fetchManifestIfExists(target);
    if (!found) throw new ModelsignError('usage', 'NOT_FOUND', `${this.name} has no manifest ${target}`);
    return found;
  }

  async fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined> {
    let descriptor: Descriptor | undefined;
    if (target.includes(':')) {
      parseDigest(target, (problem) => usageError('BAD_REFERENCE', `${this.name}: ${problem}`));
      descriptor = (await this.readIndex()).manifests.find((m) => m.digest === target);
      if (!descriptor && !(await this.blobExists(target))) return undefined;
    } else {
      descriptor = (await this.readIndex()).manifests.find((m) => m.annotations?.[REF_NAME] === target);
      if (!descriptor) return undefined;
    }
    const digest = descriptor?.digest ?? target;
    let bytes: Buffer;
    try {
      bytes = await readSmallFile(this.blobPath(digest), MAX_MANIFEST_BYTES, REGULAR_ONLY);
    } catch (err) {
      if (err instanceof ModelsignError) throw err;
      if (err instanceof FileTooLargeError) throw new ModelsignError('usage', 'MANIFEST_TOO_LARGE', `manifest ${digest} in ${this.name} is over ${MAX_MANIFEST_BYTES} bytes`);
      throw this.unreadableBlob('manifest', digest, err);
    }
    return checkManifest(bytes, { digest, ...(descriptor ? { mediaType: descriptor.mediaType } : {}) }, `manifest ${digest} in ${this.name}`, IN_LAYOUT);
  }

  async *fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array> {
    const path = this.blobPath(descriptor.digest);
    let handle;
    try {
      handle = await openRegularFile(path);
    } catch (err) {
      throw this.unreadableBlob('blob', descriptor.digest, err);
    }
    try {
      yield* verifiedStream(handle.createReadStream({ highWaterMark: 1024 * 1024 }), descriptor, `blob ${descriptor.digest} in ${this.name}`, 'unverified');
    } catch (err) {
      throw err instanceof ModelsignError ? err : this.unreadableBlob('blob', descriptor.digest, err);
    }
  }

  /** A blob the layout names but that is missing or cannot be read: the layout is damaged (LAYOUT_INVALID). */
  private unreadableBlob(what: string, digest: string, err: unknown): ModelsignError {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing' : err instanceof NotRegularFileError ? `is ${err.what}, not a regular file (${err.path})` : `cannot be read (${code ?? (err as Error).message})`;
    return usageError('LAYOUT_INVALID', `${what} ${digest} of ${this.name} ${why}`, err);
  }

  /** Whether the layout holds a blob with this digest. */
  async blobExists(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(() => true, () => false);
  }

  async pushBlob(descriptor: Descriptor, open: (start: number, end: number) => Readable): Promise<void> {
    await this.prepare();
    if (await this.blobExists(descriptor.digest)) return;
    const final = this.blobPath(descriptor.digest);
    // A local write that fails (a full disk, a read-only mount) is the user's output, as any
    // file the CLI cannot write: WRITE_FAILED naming the blob, not an unexpected failure.
    const unwritten = (err: Error): ModelsignError => usageError('WRITE_FAILED', `cannot write blob ${descriptor.digest} to ${this.name}: ${err.message}`, err);
    this.madeDirectories.push(...(await makeDirectories(join(final, '..')).catch((err: Error) => Promise.reject(unwritten(err)))));
    const temp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    // flush: on disk before the rename, so a crash cannot leave a blob's name over lost bytes.
    const out = createWriteStream(temp, { flags: 'wx', flush: true });
    // A failed write surfaces at the next write or drain, or at close, not as a crash.
    let failure: Error | undefined;
    out.on('error', (err) => (failure ??= err));
    trackPendingFile(temp);
    try {
      for await (const chunk of verifiedStream(open(0, descriptor.size), descriptor, `blob ${descriptor.digest}`)) {
        if (!out.write(chunk)) await once(out, 'drain').catch(() => undefined);
        if (failure) throw unwritten(failure);
      }
      out.end();
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      if (failure) throw unwritten(failure);
      await rename(temp, final).catch((err: Error) => Promise.reject(unwritten(err)));
      this.madeFiles.push(final);
      await syncDirectory(dirname(final));
    } catch (err) {
      // Closed before the file is removed: bytes that fail at once can do so while the file
      // is still being opened, and an rm run first would let the open leave it behind.
      out.destroy();
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      await rm(temp, { force: true });
      throw err;
    } finally {
      untrackPendingFile(temp);
    }
  }

  async pushManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PushedManifest> {
    const descriptor: Descriptor = { mediaType, digest: digestOf(bytes, 'sha256'), size: bytes.length };
    await this.pushBlob(descriptor, () => Readable.from([bytes]));
    const json = JSON.parse(bytes.toString('utf8')) as { artifactType?: string; annotations?: Record<string, string> };
    await this.updateIndex((manifests) => {
      const kept = manifests.filter((m) => (tag ? m.annotations?.[REF_NAME] !== tag : m.digest !== descriptor.digest));
      const entry: Descriptor = {
        ...descriptor,
        ...(json.artifactType ? { artifactType: json.artifactType } : {}),
        ...(tag || json.annotations ? { annotations: { ...(json.annotations ?? {}), ...(tag ? { [REF_NAME]: tag } : {}) } } : {}),
      };
      return [...kept, entry];
    });
    return { descriptor, subjectIndexed: true };
  }

  /**
   * The manifests listed in index.json whose subject is `subject`. Finding them means reading
   * every entry, and a layout holds other things than this model and its signatures: an entry
   * that cannot be read (a missing blob, a manifest over the size limit, a media type this tool
   * does not read, such as the artifact manifests older oras and notation wrote) is passed over
   * and named in `skipped`, so that it breaks none of the models beside it.
   */
  async referrers(subject: string, artifactType?: string): Promise<{ descriptors: Descriptor[]; via: 'index'; skipped: string[] }> {
    const descriptors: Descriptor[] = [];
    const skipped: string[] = [];
    for (const entry of (await this.readIndex()).manifests) {
      // An entry under another algorithm (which readIndex let pass) cannot be read here.
      if (!KNOWN_ALGORITHM.test(entry.digest)) continue;
      const manifest = await this.scannedEntry(entry.digest, skipped);
      const json = manifest?.json as { subject?: Descriptor; artifactType?: string; annotations?: Record<string, string> } | undefined;
      if (json?.subject?.digest !== subject) continue;
      if (artifactType && json.artifactType !== artifactType) continue;
      descriptors.push({ ...manifest!.descriptor, ...(json.artifactType ? { artifactType: json.artifactType } : {}), ...(json.annotations ? { annotations: json.annotations } : {}) });
    }
    return { descriptors, via: 'index', skipped };
  }

  /** An index.json entry read in the referrer scan; one that cannot be read is named in `skipped` and gives undefined. */
  private async scannedEntry(digest: string, skipped: string[]): Promise<FetchedManifest | undefined> {
    try {
      return await this.fetchManifestIfExists(digest);
    } catch (err) {
      if (!(err instanceof ModelsignError)) throw err;
      skipped.push(`index.json entry ${digest} was skipped while looking for signatures: ${err.message}`);
      return undefined;
    }
  }

  /** Where a blob lives; a digest the layout cannot use (from its own manifests) makes it LAYOUT_INVALID. */
  private blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest, (problem) => usageError('LAYOUT_INVALID', `${this.name} names a blob it cannot hold: ${problem}`));
    return join(this.root, 'blobs', algorithm, hex);
  }

  private async readIndex(): Promise<ImageIndex> {
    const loaded = await this.loadIndex();
    if ('problem' in loaded) throw usageError('LAYOUT_INVALID', `the index.json of ${this.name} ${loaded.problem}`, loaded.cause);
    return loaded.index;
  }

  /** index.json, or what is wrong with it: unreadable, not an image index, or a digest that cannot be used. */
  private async loadIndex(): Promise<{ index: ImageIndex } | { problem: string; cause?: unknown }> {
    let json: unknown;
    try {
      json = JSON.parse((await readSmallFile(join(this.root, 'index.json'), MAX_INDEX_BYTES, REGULAR_ONLY)).toString('utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = err instanceof SyntaxError ? 'is not JSON' : err instanceof NotRegularFileError ? `is ${err.what}, not a regular file` : err instanceof FileTooLargeError ? `is over ${MAX_INDEX_BYTES} bytes` : code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (err as Error).message})`;
      return { problem: why, cause: err };
    }
    const problem = manifestShapeProblem(json, OCI_INDEX);
    if (problem) return { problem };
    const index = json as ImageIndex;
    for (const [i, entry] of index.manifests.entries()) {
      // An algorithm this tool does not hash with (a digest the shape check found well-formed
      // per the image spec) fails only where that entry is used; a sha256 or sha512 digest
      // that is malformed breaks the whole index.
      const bad = KNOWN_ALGORITHM.test(entry.digest) ? digestProblem(entry.digest) : undefined;
      if (bad) return { problem: `has manifests[${i}] with a digest it cannot use: ${bad}` };
    }
    return { index };
  }

  /** Read-modify-write of index.json: one at a time within this process, under the lock file across processes, replaced atomically. */
  private updateIndex(change: (manifests: readonly Descriptor[]) => Descriptor[]): Promise<void> {
    const run = this.writing.catch(() => undefined).then(() =>
      this.withIndexLock(async () => {
        const index = await this.readIndex();
        await this.writeIndex({ ...index, manifests: change(index.manifests ?? []) });
        // The layout now records something: it is no longer only this run's work in progress.
        this.untrackCreated?.();
      }),
    );
    this.writing = run;
    return run;
  }

  /** Runs `work` holding `index.json.lock` (see withFileLock), waiting for another holder at most LOCK_WAIT_MS. */
  private withIndexLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = join(this.root, LOCK_FILE);
    return withFileLock(lock, work, {
      waitMs: LOCK_WAIT_MS,
      failure: (f) => {
        if (f.reason !== 'busy') {
          const what = f.reason === 'create' ? `create the lock file ${lock} to update the index of ${this.name}` : `write the lock file ${lock}`;
          return usageError('WRITE_FAILED', `cannot ${what}: ${f.cause.message}`, f.cause);
        }
        return usageError('LAYOUT_INVALID', `the index of ${this.name} ${busyLockText(lock, f, LOCK_WAIT_MS, 'another process is writing to this layout')}`);
      },
    });
  }

  private async writeIndex(index: ImageIndex): Promise<void> {
    const file = join(this.root, 'index.json');
    await replaceFile(file, JSON.stringify(index)).catch((err: Error) => Promise.reject(usageError('WRITE_FAILED', `cannot write ${file}: ${err.message}`, err)));
  }
}
