import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import type { HashAlgorithm, Hasher } from './algorithms.js';

/** One unit of hashing work: bytes `[start, end)` of a local file. */
export interface RangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly algorithm: HashAlgorithm;
  /** The file's size when it was listed: hashing fails if it has another when opened. */
  readonly size?: number;
  /** The file's mtime and ctime (ns) when it was listed, if known: hashing fails if it has others when opened. */
  readonly listedTimes?: readonly [mtimeNs: number, ctimeNs: number];
  /** Open through a symbolic link at `path` (the serialization allows links); otherwise one fails the open. */
  readonly follow?: boolean;
}

// As the listing opens files (inspect.ts): a path listed as a regular file that has become a
// symbolic link fails (O_NOFOLLOW) instead of being read through, and one that has become a
// FIFO fails the regular-file check instead of blocking the open (O_NONBLOCK), which no
// signal could interrupt. Neither changes how a regular file reads.
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const FOLLOW = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Read size. Large enough that the kernel reads ahead in big sequential requests and the
 * syscall cost vanishes, small enough that the buffer stays in a core's L2 cache between
 * the copy out of the page cache and the hash (measured: 1 MiB beats 4 MiB by ~3% and
 * 16 MiB by ~30% with two workers on a 2 MiB-L2 machine).
 */
export const READ_SIZE = 1024 * 1024;

/**
 * A local file held open while ranges of it are hashed, and its state when opened: one
 * open and two stats serve every range, so many small shards of one file cost no more
 * system calls than their reads. `finish` fails if the file changed meanwhile (size, mtime
 * or ctime moved): a digest is then of bytes the file never held all at once, and must not
 * be signed.
 */
export class OpenFileRanges {
  private readonly fd: number;
  private readonly before: BigIntStats;
  /**
   * The file's modification and change times (ns) when it was opened, as numbers (exact
   * to about 0.3 us, far finer than the clock file times come from): ranges of one file
   * hashed under different opens must all see the same.
   */
  readonly times: readonly [mtimeNs: number, ctimeNs: number];

  /**
   * Opens `path` (through a symbolic link only with `follow`); fails if it is not a regular
   * file, if its size is not `listedSize`, or its times not `listedTimes` (NaN: not checked).
   */
  constructor(
    readonly path: string,
    listedSize = NaN,
    listedTimes: readonly [mtimeNs: number, ctimeNs: number] = [NaN, NaN],
    follow = false,
  ) {
    try {
      this.fd = openSync(path, follow ? FOLLOW : NO_FOLLOW);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP' && !follow) throw Object.assign(new Error(`${path} became a symbolic link after it was listed`), { code: 'ELOOP' });
      throw err;
    }
    try {
      this.before = fstatSync(this.fd, { bigint: true });
      if (!this.before.isFile()) throw Object.assign(new Error(`${path} is no longer a regular file (changed after it was listed)`), { code: 'ENOTFILE' });
      if (!Number.isNaN(listedSize) && Number(this.before.size) !== listedSize) throw changedSinceListed(path, listedSize, Number(this.before.size));
      this.times = [Number(this.before.mtimeNs), Number(this.before.ctimeNs)];
      if (!Number.isNaN(listedTimes[0]) && (this.times[0] !== listedTimes[0] || this.times[1] !== listedTimes[1])) throw timesChangedSinceListed(path);
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  /**
   * Hashes bytes `[start, end)` with synchronous reads into a caller-owned buffer, so a
   * thread hashes any amount of data with one fixed allocation; returns the digest. It
   * pauses after every `stepBytes` bytes (at read boundaries), so that a thread with an
   * event loop to keep alive can hash a huge file in slices (`Infinity`: never). Fails if
   * the file is shorter than the range.
   */
  *hashSteps(start: number, end: number, hasher: Hasher, buffer: Buffer, onBytes: ((n: number) => void) | undefined, stepBytes: number): Generator<undefined, string> {
    let position = start;
    let sinceStep = 0;
    while (position < end) {
      const got = readSync(this.fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (got === 0) throw shorterThanListed(this.path);
      hasher.update(buffer.subarray(0, got));
      position += got;
      onBytes?.(got);
      sinceStep += got;
      if (sinceStep >= stepBytes && position < end) {
        sinceStep = 0;
        yield undefined;
      }
    }
    return hasher.digest();
  }

  /** Closes the file, failing if it changed since it was opened. */
  finish(): void {
    try {
      if (!unchanged(this.before, fstatSync(this.fd, { bigint: true }))) throw changedWhileHashing(this.path);
    } finally {
      this.close();
    }
  }

  /** Closes the file without checking it (after a failure). */
  close(): void {
    closeSync(this.fd);
  }
}

const unchanged = (a: BigIntStats, b: BigIntStats): boolean => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

const changedSinceListed = (path: string, listed: number, now: number): Error =>
  new Error(`${path} changed after it was listed (${now} bytes, listed with ${listed}); hash it again once nothing writes to it`);

const timesChangedSinceListed = (path: string): Error =>
  new Error(`${path} changed after it was listed (its modification or change time moved); hash it again once nothing writes to it`);

const changedWhileHashing = (path: string): Error =>
  new Error(`${path} changed while it was being hashed (its size, modification or change time moved); hash it again once nothing writes to it`);

/** Why ranges of one file read under separate opens that saw different times fail (see OpenFileRanges.times). */
export const changedBetweenRanges = (path: string): string =>
  `${path} changed while it was being hashed (its parts were read at different modification or change times); hash it again once nothing writes to it`;

/** The failure of a read that met the end of a file before its listed size. */
export const shorterThanListed = (path: string): Error => new Error(`${path} is shorter than when it was listed (changed while hashing)`);
