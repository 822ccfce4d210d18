import type { Stats } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectories } from '../directories.js';
import { usageError } from '../errors.js';
import { busyLockText, withFileLock, type LockFailure } from '../file-lock.js';
import { replaceFile } from '../replace-file.js';
import { openRegularFile, readSmallHandle } from '../small-file.js';
import { isHashAlgorithm, type HashAlgorithm } from './algorithms.js';

/**
 * Digests already computed for byte ranges of files, looked up by a file's identity (the
 * opaque `ModelFile.identity` a source gives files it can vouch for). The engine asks it
 * before hashing a resource and tells it what it hashed.
 */
export interface DigestCache {
  /** The hex digest of bytes [start, end) of the file with this identity, if known. */
  get(identity: string, start: number, end: number, algorithm: HashAlgorithm): string | undefined;
  /** Records a digest just computed. */
  set(identity: string, start: number, end: number, algorithm: HashAlgorithm, digest: string): void;
}

type Entry = readonly [identity: string, start: number, end: number, algorithm: HashAlgorithm, digest: string];

const FORMAT = 'modelsign-digest-cache';
const VERSION = 1;
/** Entries kept: enough for every shard of several large models; the file stays near 20 MB at most. */
const DEFAULT_MAX_ENTRIES = 100_000;
/** A larger file is not this cache's (or is damaged): it is ignored rather than parsed. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
// Saving holds a lock file for milliseconds (a 20 MB cache: about 0.2 s). A lock held longer
// was left by a run that was killed, or the cache is very busy: the save is given up (the
// CLI warns), as a cache is never worth much of the user's time.
const LOCK_WAIT_MS = 3_000;
const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, blake2b: 128, blake3: 64 };
const MAX_IDENTITY_LENGTH = 1024;

const keyOf = (identity: string, start: number, end: number, algorithm: HashAlgorithm): string =>
  JSON.stringify([identity, start, end, algorithm]);

/**
 * A digest cache kept in one JSON file, for re-verifying and re-signing unchanged models
 * without reading them again.
 *
 * Loading fails only for an existing file that is not a cache of ours at all (it does not
 * open with this format's marker; `CACHE_WOULD_OVERWRITE`), which is never replaced: a
 * mistyped `model/weights.bin` must not become a cache. A missing, empty or unreadable
 * file, or a damaged or other-version cache of ours, gives an empty cache and is
 * rewritten, and malformed entries are skipped. `save` merges with what the file holds by
 * then (another run may have added entries), under a lock file beside it, keeps the
 * `maxEntries` most recently used, and replaces the file atomically (a temporary file in
 * the same directory, then rename), readable by its owner only. Whoever can write the file decides what verification
 * believes about unchanged files, which is why the CLI only uses it when asked, and why a
 * file or directory another user could have written is neither read nor written (see
 * `distrusted`).
 */
export class FileDigestCache implements DigestCache {
  /** Least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private changed = false;
  private evictor: Iterator<string> | undefined;
  /** Lookups answered from the cache and lookups that missed, since opening. */
  hits = 0;
  misses = 0;
  /**
   * Why the cache was not trusted when opened (`its directory /c is writable by group and
   * others (mode 0777)`), else undefined. Such a cache holds nothing and `save` writes
   * nothing: the caller should warn, naming it, and hash as if it had none.
   */
  distrusted: string | undefined = undefined;

  private constructor(
    readonly path: string,
    private readonly maxEntries: number,
  ) {}

  static async open(path: string, options: { maxEntries?: number } = {}): Promise<FileDigestCache> {
    const cache = new FileDigestCache(path, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    try {
      for (const e of await readEntries(path, cache.maxEntries)) cache.entries.set(keyOf(e[0], e[1], e[2], e[3]), e);
    } catch (err) {
      if (!(err instanceof Distrusted)) throw err;
      cache.distrusted = err.reason;
    }
    return cache;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** See DigestCache.get; counts hits and misses, and keeps the entry as recently used. */
  get(identity: string, start: number, end: number, algorithm: HashAlgorithm): string | undefined {
    const key = keyOf(identity, start, end, algorithm);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.touch(key, entry);
    return entry[4];
  }

  /** See DigestCache.set; saved by `save`. */
  set(identity: string, start: number, end: number, algorithm: HashAlgorithm, digest: string): void {
    const entry: Entry = [identity, start, end, algorithm, digest];
    if (!isEntry(entry)) return;
    this.touch(keyOf(identity, start, end, algorithm), entry);
    if (this.entries.size > this.maxEntries) this.evictOldest();
  }

  /**
   * Drops the least recently used entry. One live iterator walks the map from its oldest
   * end: entries it passed were evicted, and one used again moves behind it, so it always
   * stands at the oldest. A fresh `keys()` per eviction skipped every slot emptied at the
   * front by earlier moves and evictions: quadratic, 7 s for 100,000 evictions.
   */
  private evictOldest(): void {
    let next = this.evictor?.next();
    if (next === undefined || next.done === true) {
      this.evictor = this.entries.keys();
      next = this.evictor.next();
    }
    if (next.done !== true) this.entries.delete(next.value);
  }

  /**
   * Writes the cache file if anything was looked up or added since opening: reads what it
   * holds now, merges and replaces it, holding `<path>.lock` so that concurrent runs do not
   * lose each other's entries. Fails (CACHE_LOCKED) if another holds the lock for longer than
   * LOCK_WAIT_MS: a cache is not worth waiting long for.
   */
  async save(): Promise<void> {
    if (!this.changed || this.distrusted !== undefined) return;
    // Refused before a lock file is made beside it (--cache-file /dev/zero: none in /dev).
    if ((await stat(this.path).catch(() => undefined))?.isFile() === false) throw Object.assign(new Error(`${this.path} is not a regular file`), { code: 'ENOTREGULAR' });
    await makeDirectories(dirname(this.path), 0o700);
    // Again: the directory may have been made, or changed, since opening. (The file is checked again when merge reads it.)
    const place = await directoryDistrust(this.path);
    if (place !== undefined) throw untrusted(place);
    const lock = `${this.path}.lock`;
    await withFileLock(lock, () => this.merge(), { waitMs: LOCK_WAIT_MS, failure: (f) => lockFailure(this.path, lock, f) });
    this.changed = false;
  }

  private async merge(): Promise<void> {
    const merged = new Map<string, Entry>();
    // A file put there since opening, by someone who could, is neither merged nor replaced.
    const now = await readEntries(this.path, this.maxEntries).catch((err: unknown) => {
      throw err instanceof Distrusted ? untrusted(err.reason) : err;
    });
    for (const e of now) merged.set(keyOf(e[0], e[1], e[2], e[3]), e);
    for (const [key, e] of this.entries) {
      merged.delete(key);
      merged.set(key, e);
    }
    const entries = [...merged.values()].slice(-this.maxEntries);
    // Never renamed over a device or directory named by mistake (--cache-file /dev/zero).
    await replaceFile(this.path, JSON.stringify({ format: FORMAT, version: VERSION, entries }), { mode: 0o600 });
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.changed = true;
  }
}

/** How a cache file we wrote opens (`JSON.stringify` puts `format` first); damage later on does not hide it. */
const OUR_OPENING = new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${FORMAT}"`);
const OPENING_BYTES = 64;

/**
 * The entries of a cache file, oldest first; nothing for a file that is missing, empty,
 * unreadable, or a damaged or other-version cache of ours. Throws for a file that is not
 * a cache of ours at all, and `Distrusted` for one another user could have written.
 */
async function readEntries(path: string, maxEntries: number): Promise<Entry[]> {
  const place = await directoryDistrust(path);
  if (place !== undefined) throw new Distrusted(place);
  // Only a regular file can be a cache: a FIFO would block the read, a device never end it,
  // and opening one can have effects (a tape rewinds): such a path is not even opened.
  if ((await stat(path).catch(() => undefined))?.isFile() !== true) return [];
  // Checked and read through one descriptor, so the file checked is the file read (and one
  // that became a FIFO since the stat neither blocks nor is read).
  const file = await openRegularFile(path).catch(() => undefined);
  if (!file) return [];
  try {
    const info = await file.stat();
    const why = fileDistrust(info);
    if (why !== undefined) throw new Distrusted(why);
    const opening = await readOpening(file);
    if (opening === undefined || info.size === 0) return [];
    const ours = OUR_OPENING.test(opening);
    // No cache of ours gets this large: not read at all.
    if (!ours && info.size > MAX_FILE_BYTES) throw notACache(path);
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readSmallHandle(file, path, MAX_FILE_BYTES)).toString('utf8'));
    } catch {
      if (ours) return [];
      throw notACache(path);
    }
    const doc = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { format?: unknown; version?: unknown; entries?: unknown };
    // Ours too if rewritten with `format` elsewhere than first.
    if (!ours && doc.format !== FORMAT) throw notACache(path);
    if (doc.version !== VERSION || !Array.isArray(doc.entries)) return [];
    return (doc.entries as unknown[]).filter(isEntry).slice(-maxEntries);
  } finally {
    await file.close();
  }
}

/** A cache file or directory another user could have written: why, for the caller's message. */
class Distrusted extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const untrusted = (reason: string) => usageError('CACHE_UNTRUSTED', `${reason}: another user could have written it; it is left as it is`);

// As ssh treats its key files. The cache's content is believed, so it must be what a run of
// ours wrote: the file owned by us and writable by no one else (checked on the descriptor
// read from: no swap between check and read). Its directory must be writable by no one else
// either, sticky or not (/tmp): otherwise another user could put a file there (caught by the
// owner check), but also a symbolic link at the cache's name before it exists, through which
// the save would write elsewhere, or move the lock file away. Ancestors are not checked: a
// directory another user swaps in higher up is theirs (caught), and a file of ours in it
// still holds only what our runs wrote. Without uids (Windows) nothing is checked.

/** Why the cache file, as fstat describes it, could have been written by another user; undefined if not. */
function fileDistrust(info: Stats): string | undefined {
  const euid = process.geteuid?.();
  if (euid === undefined) return undefined;
  if (info.uid !== euid) return `it is owned by uid ${info.uid}, not by this user (uid ${euid})`;
  if ((info.mode & 0o022) !== 0) return `it is writable by ${writers(info.mode)} (mode ${modeText(info.mode)})`;
  return undefined;
}

/** Why the directory holding `path` lets another user write there; undefined if not, or if it does not exist yet. */
async function directoryDistrust(path: string): Promise<string | undefined> {
  const euid = process.geteuid?.();
  if (euid === undefined) return undefined;
  const dir = dirname(path);
  // Missing: `save` makes it (0700), then checks again.
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.uid !== euid && info.uid !== 0) return `its directory ${dir} is owned by uid ${info.uid}, not by this user (uid ${euid}) or root`;
  if ((info.mode & 0o022) !== 0) return `its directory ${dir} is writable by ${writers(info.mode)} (mode ${modeText(info.mode)})`;
  return undefined;
}

const writers = (mode: number): string => ['group', 'others'].filter((_, i) => (mode & (i === 0 ? 0o020 : 0o002)) !== 0).join(' and ');
const modeText = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

function lockFailure(path: string, lock: string, f: LockFailure): Error {
  if (f.reason !== 'busy') return usageError('WRITE_FAILED', `cannot ${f.reason} the lock file ${lock}: ${f.cause.message}`, f.cause);
  return usageError('CACHE_LOCKED', `${path} ${busyLockText(lock, f, LOCK_WAIT_MS, 'another run is saving to it')}`);
}

const notACache = (path: string) =>
  usageError('CACHE_WOULD_OVERWRITE', `${path} exists and is not a modelsign digest cache; it is left as it is (remove it or choose another cache file)`);

/** A file's first bytes as text, read at position 0 (the handle's own position stays at the start); undefined if it cannot be read. */
async function readOpening(file: FileHandle): Promise<string | undefined> {
  try {
    const head = Buffer.alloc(OPENING_BYTES);
    const { bytesRead } = await file.read(head, 0, OPENING_BYTES, 0);
    return head.subarray(0, bytesRead).toString('latin1');
  } catch {
    return undefined;
  }
}

function isEntry(value: unknown): value is Entry {
  if (!Array.isArray(value) || value.length !== 5) return false;
  const [identity, start, end, algorithm, digest] = value as unknown[];
  return (
    typeof identity === 'string' &&
    identity.length > 0 &&
    identity.length <= MAX_IDENTITY_LENGTH &&
    Number.isSafeInteger(start) &&
    Number.isSafeInteger(end) &&
    (start as number) >= 0 &&
    (start as number) <= (end as number) &&
    isHashAlgorithm(algorithm) &&
    typeof digest === 'string' &&
    digest.length === HEX_LENGTH[algorithm] &&
    /^[0-9a-f]+$/.test(digest)
  );
}
