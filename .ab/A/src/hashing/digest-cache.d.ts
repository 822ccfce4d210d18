import { type HashAlgorithm } from './algorithms.js';
/**
 * Digests already computed for byte ranges of files, looked up by a file's identity (the
 * opaque `ModelFile.identity` a source gives files it can vouch for). The engine asks it
 * before hashing a resource and tells it what it hashed.
 */
export interface DigestCache {
    get(identity: string, start: number, end: number, algorithm: HashAlgorithm): string | undefined;
    set(identity: string, start: number, end: number, algorithm: HashAlgorithm, digest: string): void;
}
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
 * believes about unchanged files, which is why the CLI only uses it when asked.
 */
export declare class FileDigestCache implements DigestCache {
    readonly path: string;
    private readonly maxEntries;
    /** Least recently used first. */
    private readonly entries;
    private changed;
    /** Lookups answered from the cache and lookups that missed, since opening. */
    hits: number;
    misses: number;
    private constructor();
    static open(path: string, options?: {
        maxEntries?: number;
    }): Promise<FileDigestCache>;
    /** Entries held now. */
    get size(): number;
    get(identity: string, start: number, end: number, algorithm: HashAlgorithm): string | undefined;
    set(identity: string, start: number, end: number, algorithm: HashAlgorithm, digest: string): void;
    /**
     * Writes the cache file if anything was looked up or added since opening: reads what it
     * holds now, merges and replaces it, holding `<path>.lock` so that concurrent runs do not
     * lose each other's entries. Fails (CACHE_LOCKED) if another holds the lock for longer than
     * LOCK_WAIT_MS: a cache is not worth waiting long for.
     */
    save(): Promise<void>;
    private merge;
    private touch;
}
