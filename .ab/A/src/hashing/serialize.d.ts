import type { ModelFile, ModelListing, ModelSource } from '../source.js';
import { type Manifest, type Resource, type Serialization } from '../manifest/manifest.js';
import { type HashAlgorithm } from './algorithms.js';
import type { DigestCache } from './digest-cache.js';
import { type PoolOptions } from './pool.js';
/** The reference's default shard size. */
export declare const DEFAULT_SHARD_SIZE = 1000000000;
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
export declare function serializationFor(options: HashOptions, singleFile: boolean): Serialization;
/** Normalized, de-duplicated, sorted ignore paths, plus the git paths when asked. */
export declare function effectiveIgnorePaths(paths: readonly string[], ignoreGitPaths: boolean): string[];
/** How `listModel` lists. */
export interface ListModelOptions {
    /** Give files identities: a digest cache will be used (and small files are not hashed while listing). */
    readonly identify?: boolean;
    /** The hash threads a source may use while listing. */
    readonly pool?: PoolOptions;
}
/**
 * Lists a model's files under a serialization's symlink and ignore rules. For `files`
 * without a digest cache, the source may hash files as it lists them (`listedDigest`).
 */
export declare function listModel(source: ModelSource, serialization: Serialization, options?: ListModelOptions): Promise<ModelListing>;
/**
 * Cuts files into resources in the reference's order: files by path components; shards
 * `[start, end)` of `shardSize` bytes by (path, start), and empty files give no shards.
 */
export declare function planResources(files: readonly ModelFile[], serialization: Serialization): PlannedResource[];
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
/** True when a file's content address is its `files`/sha256 digest, so it need not be read. */
export declare function usesContentAddress(file: ModelFile, serialization: Serialization, options?: HashPlanOptions): boolean;
/** The hex digest a file's content address stands for, when `usesContentAddress`; otherwise undefined. */
export declare function addressedDigest(file: ModelFile, serialization: Serialization, options?: HashPlanOptions): string | undefined;
/**
 * Hashes planned resources: digests the listing or the cache knows are taken from them,
 * content addresses stand in where they can, local files go to the worker pool, and other
 * sources are streamed once (in one pass where the source offers it, splitting the bytes at shard
 * boundaries). Returns hex digests in plan order.
 */
export declare function hashPlanned(source: ModelSource, plan: readonly PlannedResource[], serialization: Serialization, options?: HashPlanOptions): Promise<string[]>;
/** Turns planned resources and their digests into manifest resources. */
export declare function toResources(plan: readonly PlannedResource[], digests: readonly string[], serialization: Serialization): Resource[];
/**
 * Hashes a model with the OMS serialization and returns its manifest, ready to sign.
 * Ignore paths are relative to the model root.
 */
export declare function hashModel(source: ModelSource, options?: HashOptions): Promise<HashResult>;
