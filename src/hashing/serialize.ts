import { usageError } from '../errors.js';
import type { ModelFile, ModelListing, ModelSource } from '../source.js';
import {
  comparePaths,
  resourceAlgorithm,
  rootDigest,
  shardName,
  type Manifest,
  type Resource,
  type Serialization,
} from '../manifest/manifest.js';
import { createHasher, type HashAlgorithm } from './algorithms.js';
import type { DigestCache } from './digest-cache.js';
import { GIT_PATHS, ignoreMatcher, normalizeRelative } from './ignore.js';
import { hashRanges, type PoolOptions } from './pool.js';

/** The reference's default shard size. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** How resources are hashed, whatever the serialization. */
export interface HashingOptions extends PoolOptions {
  /**
   * Digests from earlier runs, used for files whose source gave them an `identity` and
   * updated with what is hashed now. Without it every byte is read.
   */
  readonly cache?: DigestCache;
  /** Called once with the number of bytes that will be read (cache hits excluded), before reading starts. */
  readonly onTotal?: (bytes: number) => void;
}

/** How to hash a model. Ignore paths are relative to the model root. */
export interface HashOptions extends HashingOptions {
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
  if (method === 'shards' && (!Number.isSafeInteger(shardSize) || shardSize <= 0)) {
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

/** Lists a model's files under a serialization's symlink and ignore rules. */
export function listModel(source: ModelSource, serialization: Serialization): Promise<ModelListing> {
  const isIgnored = source.singleFile ? () => false : ignoreMatcher(serialization.ignorePaths ?? []);
  return source.list({ allowSymlinks: serialization.allowSymlinks, isIgnored });
}

/**
 * Cuts files into resources in the reference's order: files by path components; shards
 * `[start, end)` of `shardSize` bytes by (path, start), and empty files give no shards.
 */
export function planResources(files: readonly ModelFile[], serialization: Serialization): PlannedResource[] {
  const sorted = [...files].sort((a, b) => comparePaths(a.name, b.name));
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
 * Hashes planned resources: digests the cache knows are taken from it, local files are
 * hashed in the worker pool, other sources by streaming their bytes once. Returns hex
 * digests in plan order.
 */
export async function hashPlanned(
  source: ModelSource,
  plan: readonly PlannedResource[],
  algorithm: HashAlgorithm,
  options: HashingOptions = {},
): Promise<string[]> {
  const { cache } = options;
  const digests = new Array<string>(plan.length);
  const remember = (i: number, hex: string): void => {
    const p = plan[i]!;
    digests[i] = hex;
    if (p.file.identity !== undefined) cache?.set(p.file.identity, p.start, p.end, algorithm, hex);
  };
  const toRead: number[] = [];
  plan.forEach((p, i) => {
    const known = p.file.identity === undefined ? undefined : cache?.get(p.file.identity, p.start, p.end, algorithm);
    if (known === undefined) toRead.push(i);
    else digests[i] = known;
  });
  options.onTotal?.(toRead.reduce((n, i) => n + (plan[i]!.end - plan[i]!.start), 0));

  const local: number[] = [];
  for (const i of toRead) {
    const p = plan[i]!;
    if (p.file.localPath !== undefined) {
      local.push(i);
      continue;
    }
    const hasher = await createHasher(algorithm);
    for await (const chunk of source.read(p.file, p.start, p.end)) {
      hasher.update(chunk);
      options.onProgress?.(chunk.length);
    }
    remember(i, hasher.digest());
  }
  const jobs = local.map((i) => {
    const p = plan[i]!;
    return { path: p.file.localPath!, start: p.start, end: p.end, algorithm };
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
 * Ignore paths are relative to the model root.
 */
export async function hashModel(source: ModelSource, options: HashOptions = {}): Promise<HashResult> {
  const serialization = serializationFor(options, source.singleFile);
  const listing = await listModel(source, serialization);
  const plan = planResources(listing.files, serialization);
  const digests = await hashPlanned(source, plan, serialization.hashType, options);
  const resources = toResources(plan, digests, serialization);
  return {
    listing,
    manifest: { modelName: source.modelName, serialization, resources, rootDigest: rootDigest(resources) },
  };
}
