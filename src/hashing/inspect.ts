import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { HashAlgorithm } from './algorithms.js';
import { errorOutcome, type ErrorOutcome } from './batches.js';
import { shorterThanListed } from './file-range.js';

/**
 * Files up to this size are hashed in the same pass as their stat, read whole into the
 * thread's buffer (READ_SIZE, no smaller). Larger ones are left to `hashRanges`, which deals
 * them out largest first so the threads finish together.
 */
export const HASH_WHILE_INSPECTING_BYTES = 1024 * 1024;

/** Files per unit of work: threads take the next chunk from a shared counter. */
export const INSPECT_CHUNK = 128;

// O_NOFOLLOW: a path listed as a regular file that became a symbolic link fails instead of
// being followed. O_NONBLOCK: one that became a FIFO fails the regular-file check instead of
// blocking the open. Neither changes how a regular file reads.
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const FOLLOW = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * The work of one inspection, shared by every thread that takes part. A listing may still
 * be adding files: until `complete`, a thread takes only whole chunks of the paths it has.
 */
export interface InspectRequest {
  readonly kind: 'inspect';
  readonly paths: string[];
  /** 1 where the path is a symbolic link the listing allows (opened through it), else 0. */
  readonly follow: number[];
  /** Hash files of at most HASH_WHILE_INSPECTING_BYTES with this; none when absent. */
  readonly algorithm?: HashAlgorithm;
  /** Report the precise (bigint) stat fields an identity is made of. */
  readonly precise: boolean;
  /** Int32Array(1) over a SharedArrayBuffer: the next chunk to take. */
  readonly next: Int32Array;
  /** No more paths will come. */
  complete: boolean;
}

/** More paths for the inspection a worker has, sent while the listing goes on. */
export interface InspectMore {
  readonly kind: 'inspect-more';
  readonly paths: readonly string[];
  readonly follow: readonly number[];
  readonly complete: boolean;
}

/** Adds paths a worker received to its copy of the inspection. */
export function extendInspection(request: InspectRequest, more: InspectMore): void {
  for (let i = 0; i < more.paths.length; i += 1) {
    request.paths.push(more.paths[i]!);
    request.follow.push(more.follow[i]!);
  }
  request.complete = more.complete;
}

/**
 * The next chunk for this thread, or -1: chunks are taken in order from the shared counter,
 * and only those whose paths this thread has in full (the last, partial one once complete).
 */
function claimChunk(request: InspectRequest): number {
  const have = request.paths.length / INSPECT_CHUNK;
  const limit = request.complete ? Math.ceil(have) : Math.floor(have);
  for (;;) {
    const id = Atomics.load(request.next, 0);
    if (id >= limit) return -1;
    if (Atomics.compareExchange(request.next, 0, id, id + 1) === id) return id;
  }
}

/** What became of one chunk of an InspectRequest. */
export type InspectOutcome =
  | {
      readonly type: 'inspected';
      readonly id: number;
      readonly sizes: Float64Array;
      /** Hex digests; '' for a file too large to hash here (or no algorithm). */
      readonly digests: string[];
      /** With `precise`: dev, ino, mtimeNs, ctimeNs of each file, in turn. */
      readonly stats?: bigint[];
    }
  | ErrorOutcome;

/**
 * Takes chunks of the request from its shared counter until none are left that this
 * thread has the paths of (paths added later are taken when they come). Each file is
 * opened once, checked to be a regular file on the open descriptor (so what is hashed is
 * what was checked, whatever happens to the path meanwhile), and, if small, read and hashed
 * right away. Yields each chunk's outcome; ends after the first failure.
 */
export function* takeInspections(
  request: InspectRequest,
  hashOnce: ((data: Uint8Array) => string) | undefined,
  buffer: Buffer,
  onBytes: ((n: number) => void) | undefined,
): Generator<InspectOutcome> {
  const { paths, follow, precise } = request;
  for (let id = claimChunk(request); id !== -1; id = claimChunk(request)) {
    const first = id * INSPECT_CHUNK;
    const count = Math.min(INSPECT_CHUNK, paths.length - first);
    const sizes = new Float64Array(count);
    const digests: string[] = new Array<string>(count);
    const stats: bigint[] | undefined = precise ? new Array<bigint>(4 * count) : undefined;
    for (let k = 0; k < count; k += 1) {
      const path = paths[first + k]!;
      try {
        const fd = openSync(path, follow[first + k] === 1 ? FOLLOW : NO_FOLLOW);
        try {
          const info = fstatSync(fd, { bigint: precise });
          if (!info.isFile()) throw Object.assign(new Error('it is no longer a regular file (changed while listing)'), { code: 'ENOTFILE' });
          const size = Number(info.size);
          sizes[k] = size;
          if (stats && 'mtimeNs' in info) {
            stats[4 * k] = info.dev;
            stats[4 * k + 1] = info.ino;
            stats[4 * k + 2] = info.mtimeNs;
            stats[4 * k + 3] = info.ctimeNs;
          }
          digests[k] = hashOnce && size <= HASH_WHILE_INSPECTING_BYTES ? hashOnce(readWhole(fd, path, size, buffer)) : '';
          if (digests[k] !== '') onBytes?.(size);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        const linked = (err as NodeJS.ErrnoException).code === 'ELOOP';
        yield errorOutcome(id, path, err, linked ? 'it became a symbolic link (changed while listing)' : undefined);
        return;
      }
    }
    yield { type: 'inspected', id, sizes, digests, ...(stats ? { stats } : {}) };
  }
}

/** Reads a whole open file of known size (at most the buffer's) into the buffer. */
function readWhole(fd: number, path: string, size: number, buffer: Buffer): Buffer {
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buffer, got, size - got, got);
    if (n === 0) throw shorterThanListed(path);
    got += n;
  }
  return buffer.subarray(0, size);
}
