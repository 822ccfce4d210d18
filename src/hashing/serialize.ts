import { MAX_BUNDLE_BYTES } from '../limits.js';
import { usageError } from '../errors.js';
import type { ListOptions, ModelFile, ModelListing, ModelSource } from '../source.js';
import {
  resourceAlgorithm,
  rootDigest,
  shardName,
  sortByPath,
  type Manifest,
  type Resource,
  type Serialization,
} from '../manifest/manifest.js';
import { createHasher, type HashAlgorithm } from './algorithms.js';
import type { DigestCache } from './digest-cache.js';
import { GIT_PATHS, ignoreMatcher, normalizeRelative } from './ignore.js';
import { ListedManifest } from './listed-manifest.js';
import { hashRanges, type PoolOptions } from './pool.js';

/** The reference's default shard size. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** How to hash a model. Ignore paths are relative to the model root. */
export interface HashOptions extends HashPlanOptions {
  readonly method?: 'files' | 'shards';
  readonly hashAlgorithm?: HashAlgorithm;
  readonly shardSize?: number;
  readonly allowSymlinks?: boolean;
  readonly ignorePaths?: readonly string[];
  /** Ignore `.git`, `.gitattributes`, `.github`, `.gitignore` (default true). */
  readonly ignoreGitPaths?: boolean;
}

/** A hashed model: the manifest to sign, and what the listing saw. */
export interface HashResult {
  readonly manifest: Manifest;
  readonly listing: ModelListing;
}

/** One resource to hash: a whole file or one shard of it. */
export interface PlannedResource {
  readonly name: string;
  readonly file: ModelFile;
  readonly start: number;
  readonly end: number;
}

/** Builds the serialization a hash run records, validating the options. */
export function serializationFor(options: HashOptions, singleFile: boolean): Serialization {
  const method = options.method ?? 'files';
  const hashType = options.hashAlgorithm ?? 'sha256';
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  // Checked whatever the method: a bad size usually means --method shards was forgotten.
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) {
    throw usageError('BAD_SHARD_SIZE', `shard size must be a positive integer, got ${shardSize}`);
  }
  // As in the reference, ignore paths only mean something for a directory model.
  const ignorePaths = singleFile ? [] : effectiveIgnorePaths(options.ignorePaths ?? [], options.ignoreGitPaths ?? true);
  return {
    method,
    hashType,
    allowSymlinks: options.allowSymlinks ?? false,
    ...(method === 'shards' ? { shardSize } : {}),
    ...(ignorePaths.length > 0 ? { ignorePaths } : {}),
  };
}

/** Normalized, de-duplicated, sorted ignore paths, plus the git paths when asked. */
export function effectiveIgnorePaths(paths: readonly string[], ignoreGitPaths: boolean): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const n = normalizeRelative(p);
    if (n === undefined) throw usageError('BAD_IGNORE_PATH', `ignore path ${JSON.stringify(p)} is not inside the model root`);
    if (n !== '') out.add(n);
  }
  if (ignoreGitPaths) GIT_PATHS.forEach((p) => out.add(p));
  return [...out].sort();
}

/** How `listModel` lists. */
export interface ListModelOptions {
  /** Give files identities: a digest cache will be used (and small files are not hashed while listing). */
  readonly identify?: boolean;
  /** The hash threads a source may use while listing. */
  readonly pool?: PoolOptions;
  /** Files as the source completes them, in listing order (see `ListOptions.onFiles`). */
  readonly onFiles?: ListOptions['onFiles'];
  /** List entries that cannot be hashed instead of failing (see `ListOptions.listUnhashable`). */
  readonly listUnhashable?: boolean;
}

/**
 * Lists a model's files under a serialization's symlink and ignore rules. For `files`
 * without a digest cache, the source may hash files as it lists them (`listedDigest`).
 */
export function listModel(source: ModelSource, serialization: Serialization, options: ListModelOptions = {}): Promise<ModelListing> {
  const isIgnored = source.singleFile ? () => false : ignoreMatcher(serialization.ignorePaths ?? []);
  const identify = options.identify === true;
  return source.list({
    allowSymlinks: serialization.allowSymlinks,
    isIgnored,
    identify,
    ...(serialization.method === 'files' && !identify ? { digestAlgorithm: serialization.hashType } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.onFiles ? { onFiles: options.onFiles } : {}),
    ...(options.listUnhashable ? { listUnhashable: true } : {}),
  });
}

/**
 * Cuts files into resources in the reference's order: files by path components; shards
 * `[start, end)` of `shardSize` bytes by (path, start), and empty files give no shards.
 */
export function planResources(files: readonly ModelFile[], serialization: Serialization): PlannedResource[] {
  const sorted = sortByPath(files, (f) => f.name);
  if (serialization.method === 'files') return sorted.map((file) => ({ name: file.name, file, start: 0, end: file.size }));
  const size = serialization.shardSize ?? DEFAULT_SHARD_SIZE;
  const out: PlannedResource[] = [];
  for (const file of sorted) {
    for (let start = 0; start < file.size; start += size) {
      const end = Math.min(start + size, file.size);
      out.push({ name: shardName(file.name, start, end), file, start, end });
    }
  }
  return out;
}

/**
 * The most resources a bundle can carry: each takes at least 128 of its MAX_BUNDLE_BYTES
 * (a digest, a name and their JSON, base64-encoded; about 230 in practice).
 */
const MAX_RESOURCES = MAX_BUNDLE_BYTES / 128;

/**
 * Refuses a shard size that cuts the files into more than MAX_RESOURCES shards, before any
 * is planned: such a manifest could be neither signed nor verified, and planning takes
 * about 1 KB of memory per shard (a 2 MB file cut into 1-byte shards needed 2 GB, larger
 * ones ran out of memory).
 */
function checkShardCount(files: readonly ModelFile[], shardSize: number): void {
  let shards = 0;
  let bytes = 0;
  for (const f of files) {
    shards += Math.ceil(f.size / shardSize);
    bytes += f.size;
  }
  if (shards <= MAX_RESOURCES) return;
  // ceil(size / s) <= size / s + 1 for each file, so this size gives at most MAX_RESOURCES.
  const enough = files.length < MAX_RESOURCES ? `; a shard size of ${Math.ceil(bytes / (MAX_RESOURCES - files.length))} or more would do` : '';
  throw usageError('BAD_SHARD_SIZE', `shard size ${shardSize} cuts the model into ${shards} shards, more than the ${MAX_RESOURCES} resources a signature can carry${enough}`);
}

/** How planned resources are hashed, whatever the serialization. */
export interface HashPlanOptions extends PoolOptions {
  /**
   * Digests from earlier runs, used for files whose source gave them an `identity` and
   * updated with what is hashed now. Without it every byte is read.
   */
  readonly cache?: DigestCache;
  /** Called once with the number of bytes that will be read (cache hits and content addresses excluded), before reading starts. */
  readonly onTotal?: (bytes: number) => void;
  /**
   * Read and hash content-addressed files too (`--full`). By default a file whose source
   * checks it against a sha256 content address needs no reading for `files`/sha256.
   */
  readonly readContentAddressed?: boolean;
  /**
   * Stream content-addressed files through the source (so a caller can keep the bytes, as
   * `pull` does) while the source's own digest check stands for hashing them again.
   */
  readonly streamContentAddressed?: boolean;
  /**
   * Digests already read in this run, by file name, range and algorithm, updated with what
   * is read now (content addresses streamed through included). Checking one model against
   * several signatures with one memo reads each byte once, from any source; it is meant
   * for one pass over one unchanging listing, and knows nothing of file changes.
   */
  readonly memo?: Map<string, string>;
}

const memoKey = (p: PlannedResource, algorithm: HashAlgorithm): string => `${p.file.name}\u0000${p.start}\u0000${p.end}\u0000${algorithm}`;

/** True when a file's content address is its `files`/sha256 digest, so it need not be read. */
export function usesContentAddress(file: ModelFile, serialization: Serialization, options: HashPlanOptions = {}): boolean {
  return !options.readContentAddressed && serialization.method === 'files' && serialization.hashType === 'sha256' && file.contentDigest?.startsWith('sha256:') === true;
}

/** The hex digest a file's content address stands for, when `usesContentAddress`; otherwise undefined. */
export function addressedDigest(file: ModelFile, serialization: Serialization, options: HashPlanOptions = {}): string | undefined {
  return usesContentAddress(file, serialization, options) ? file.contentDigest!.slice('sha256:'.length) : undefined;
}

/** A resource's digest from the listing: the whole file, hashed with this algorithm as it was listed. */
function listedDigest(p: PlannedResource, algorithm: HashAlgorithm): string | undefined {
  const d = p.file.listedDigest;
  return d !== undefined && d.algorithm === algorithm && p.start === 0 && p.end === p.file.size ? d.hex : undefined;
}

/**
 * Hashes planned resources: digests the listing or the cache knows are taken from them,
 * content addresses stand in where they can, local files go to the worker pool, and other
 * sources are streamed once (in one pass where the source offers it, splitting the bytes at shard
 * boundaries). Returns hex digests in plan order.
 */
export async function hashPlanned(
  source: ModelSource,
  plan: readonly PlannedResource[],
  serialization: Serialization,
  options: HashPlanOptions = {},
): Promise<string[]> {
  const algorithm = serialization.hashType;
  const { cache, memo } = options;
  const digests = new Array<string>(plan.length);
  const remember = (i: number, hex: string): void => {
    const p = plan[i]!;
    digests[i] = hex;
    memo?.set(memoKey(p, algorithm), hex);
    if (p.file.identity !== undefined) cache?.set(p.file.identity, p.start, p.end, algorithm, hex);
  };
  const local: number[] = [];
  const remote = new Map<ModelFile, number[]>();
  // Files whose bytes must pass through although their content address is their digest.
  const passThrough = new Map<ModelFile, number[]>();
  let toRead = 0;
  // Bytes this run read while listing: progress counts them as done.
  let readWhileListing = 0;
  plan.forEach((p, i) => {
    const listed = listedDigest(p, algorithm);
    if (listed !== undefined) {
      remember(i, listed);
      readWhileListing += p.end - p.start;
      return;
    }
    const known = memo?.get(memoKey(p, algorithm)) ?? (p.file.identity === undefined ? undefined : cache?.get(p.file.identity, p.start, p.end, algorithm));
    if (known !== undefined) {
      digests[i] = known;
      return;
    }
    const addressed = addressedDigest(p.file, serialization, options);
    if (addressed !== undefined) {
      digests[i] = addressed;
      if (!options.streamContentAddressed) return;
      passThrough.set(p.file, [i]);
    } else if (p.file.localPath !== undefined) local.push(i);
    else {
      const indexes = remote.get(p.file);
      if (indexes) indexes.push(i);
      else remote.set(p.file, [i]);
    }
    toRead += p.end - p.start;
  });
  options.onTotal?.(readWhileListing + toRead);

  const hashFile = async (file: ModelFile, bytes: AsyncIterable<Uint8Array>): Promise<void> => {
    const passing = passThrough.get(file);
    if (passing) {
      // The source fails the stream if these bytes do not match the content address.
      for await (const chunk of bytes) options.onProgress?.(chunk.length);
      for (const i of passing) remember(i, digests[i]!);
      return;
    }
    const indexes = remote.get(file) ?? [];
    let k = 0;
    let position = 0;
    let hasher = await createHasher(algorithm);
    // Finishes every resource that ends here (an empty file's ends before any byte).
    const finish = async (): Promise<void> => {
      while (k < indexes.length && plan[indexes[k]!]!.end === position) {
        remember(indexes[k]!, hasher.digest());
        k += 1;
        hasher = await createHasher(algorithm);
      }
    };
    await finish();
    for await (const chunk of bytes) {
      options.onProgress?.(chunk.length);
      let offset = 0;
      while (offset < chunk.length && k < indexes.length) {
        const take = Math.min(chunk.length - offset, plan[indexes[k]!]!.end - position);
        hasher.update(chunk.subarray(offset, offset + take));
        offset += take;
        position += take;
        await finish();
      }
    }
    if (k < indexes.length) throw usageError('READ_FAILED', `${file.name} ended after ${position} bytes, before its listed size ${file.size}`);
  };
  if (remote.size > 0 || passThrough.size > 0) {
    const files = [...remote.keys(), ...passThrough.keys()];
    if (source.stream) await source.stream(files, hashFile);
    else for (const file of files) await hashFile(file, source.read(file, 0, file.size));
  }

  const jobs = local.map((i) => {
    const p = plan[i]!;
    return { path: p.file.localPath!, start: p.start, end: p.end, algorithm, size: p.file.size, listedTimes: p.file.listedTimes, follow: serialization.allowSymlinks };
  });
  const localDigests = await hashRanges(jobs, options);
  local.forEach((planIndex, k) => remember(planIndex, localDigests[k]!));
  return digests;
}

/** Turns planned resources and their digests into manifest resources. */
export function toResources(plan: readonly PlannedResource[], digests: readonly string[], serialization: Serialization): Resource[] {
  const algorithm = resourceAlgorithm(serialization);
  return plan.map((p, i) => ({ name: p.name, algorithm, digest: digests[i]! }));
}

/**
 * Hashes a model with the OMS serialization and returns its manifest, ready to sign.
 * Ignore paths are relative to the model root. A source that hands its files over as it
 * lists them (`ListOptions.onFiles`) with their digests gets its manifest built meanwhile.
 */
export async function hashModel(source: ModelSource, options: HashOptions = {}): Promise<HashResult> {
  const serialization = serializationFor(options, source.singleFile);
  // Where the listing may bring every digest (files, no cache or memo to fill), the manifest
  // is built as the files come, while the threads still inspect the rest.
  const early = serialization.method === 'files' && options.cache === undefined && options.memo === undefined ? new ListedManifest(serialization) : undefined;
  const listing = await listModel(source, serialization, {
    identify: options.cache !== undefined,
    pool: options,
    ...(early ? { onFiles: (files: readonly ModelFile[]) => early.add(files) } : {}),
  });
  const built = early?.result(listing.files);
  if (built) {
    // As hashPlanned would: every byte was read while listing, and no thread is needed now.
    options.onTotal?.(listing.files.reduce((sum, f) => sum + f.size, 0));
    await hashRanges([], options);
    return { listing, manifest: { modelName: source.modelName, serialization, ...built } };
  }
  if (serialization.method === 'shards') checkShardCount(listing.files, serialization.shardSize!);
  const plan = planResources(listing.files, serialization);
  const digests = await hashPlanned(source, plan, serialization, options);
  const resources = toResources(plan, digests, serialization);
  return {
    listing,
    manifest: { modelName: source.modelName, serialization, resources, rootDigest: rootDigest(resources) },
  };
}
