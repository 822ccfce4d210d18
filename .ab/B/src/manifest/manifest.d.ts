import type { HashAlgorithm } from '../hashing/algorithms.js';
/** How a model was serialized; recorded in the predicate so verification can repeat it. */
export interface Serialization {
    readonly method: 'files' | 'shards';
    readonly hashType: HashAlgorithm;
    readonly allowSymlinks: boolean;
    /** Present for `shards`. */
    readonly shardSize?: number;
    /** Paths relative to the model root that were excluded. */
    readonly ignorePaths?: readonly string[];
}
/** One signed resource: a file (`files`) or a shard `path:start:end` (`shards`). */
export interface Resource {
    readonly name: string;
    /** `sha256`, or the reference's `sha256-sharded-<size>` for shards. */
    readonly algorithm: string;
    /** Lowercase hex. */
    readonly digest: string;
}
/** The result of hashing a model: what gets signed, and what verification compares. */
export interface Manifest {
    /** Subject name: the model's final path component (informative only). */
    readonly modelName: string;
    readonly serialization: Serialization;
    /** In signing order (the reference's order when we produced it, the payload's when parsed). */
    readonly resources: readonly Resource[];
    /** SHA-256 over the raw bytes of every resource digest, in order (hex). */
    readonly rootDigest: string;
}
/** Computes the OMS root digest: SHA-256 over the concatenated raw digest bytes. */
export declare function rootDigest(resources: readonly Resource[]): string;
/**
 * Hands hex digests to `take` joined into strings of about 64 KiB, in order: one hash
 * update per resource cost ~10 ms for 20,000 files, decoding all into one buffer first
 * ~4-6 ms, this less. `digestAt(i)` gives digest i, or undefined to stop; `take` returns
 * false to stop. True when every digest was taken.
 */
export declare function forJoinedHex(count: number, digestAt: (i: number) => string | undefined, take: (hex: string) => boolean): boolean;
/** The length forJoinedHex joins digests to; a joined string can pass it by one digest. */
export declare const HEX_JOIN = 65536;
/** The resource algorithm name the reference writes for a serialization. */
export declare function resourceAlgorithm(serialization: Serialization): string;
/** The file a resource name stands for: the name itself, or a shard's path. */
export declare function resourcePath(name: string, method: Serialization['method']): string;
/** A shard resource name split into its parts; paths may themselves contain `:`. */
export interface ShardName {
    readonly path: string;
    readonly start: number;
    readonly end: number;
}
/** Parses `path:start:end` from the last two colons; undefined when malformed. */
export declare function parseShardName(name: string): ShardName | undefined;
export declare const shardName: (path: string, start: number, end: number) => string;
/**
 * Orders paths as the reference does: by path components, each compared by code point
 * (so `a/b` sorts before `a-b`). Replacing `/` with NUL and comparing UTF-8 bytes gives
 * exactly that order. Compared in place, without building those bytes: below the
 * surrogates, UTF-16 code units order as code points and so as UTF-8 bytes; only a first
 * difference at or above U+D800 (where an astral character's surrogate would sort before
 * U+E000-U+FFFF) takes the byte comparison. Returns a negative, zero or positive number.
 */
export declare function comparePaths(a: string, b: string): number;
/**
 * Items sorted by `comparePaths` on their names. A local listing arrives in this order
 * already (a depth-first walk of name-sorted directories), so that is checked first: the
 * check is linear, the sort is not (and stable, so equal names keep their order). The
 * input is left as it is.
 */
export declare function sortByPath<T>(items: readonly T[], nameOf: (item: T) => string): T[];
/**
 * True when the names are in strictly increasing `comparePaths` order, and so unique: two
 * such lists can be matched in one merge instead of through sets of names.
 */
export declare function inStrictPathOrder<T>(items: readonly T[], nameOf: (item: T) => string): boolean;
