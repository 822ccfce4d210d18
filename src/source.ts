import type { ErrorCode } from './errors.js';
import type { HashAlgorithm } from './hashing/algorithms.js';
import type { PoolOptions } from './hashing/pool.js';

/**
 * The two interfaces every adapter implements: where a model's bytes come from
 * (`ModelSource`) and where its signatures are kept (`SignatureStore`).
 * The engine knows nothing else about a source.
 */

/** One regular file of a model. */
export interface ModelFile {
  /** POSIX path relative to the model root; `"."` for a model that is a single file. */
  readonly name: string;
  /** Size in bytes when listed. */
  readonly size: number;
  /**
   * A path on this machine that can be read with random access. When present the engine
   * hashes the file in its worker pool; otherwise it streams `ModelSource.read`.
   */
  readonly localPath?: string;
  /**
   * The digest the bytes can only be fetched by, checked by the source's client as they
   * arrive (an OCI raw layer: `sha256:<hex>`), or one the source computed itself from bytes
   * so checked (an entry of an OCI tar layer, hashed while the layer was listed). A signed
   * digest equal to it proves the content without reading it again. Never set for a digest
   * a source merely advertises.
   */
  readonly contentDigest?: string;
  /**
   * An opaque token for the file's content as listed, set only by sources that can promise
   * that an equal token means unchanged bytes (the local adapter uses device, inode, size,
   * mtime and ctime). The engine keys its optional digest cache on it; without it the file
   * is always hashed.
   */
  readonly identity?: string;
  /**
   * With `localPath`, when the listing took a precise stat (`ListOptions.identify`): the
   * file's modification and change times when listed, in ns (as numbers, exact to about
   * 0.3 us). Reading the file then fails if it has other times, so what is read now and
   * digests taken from the cache for its identity are of one version of the file.
   */
  readonly listedTimes?: readonly [mtimeNs: number, ctimeNs: number];
  /**
   * The whole file's digest with `ListOptions.digestAlgorithm`, computed by this run from
   * the bytes as the file was listed (the local adapter hashes small files in the same pass
   * as their stat). The engine uses it instead of reading the file again.
   */
  readonly listedDigest?: { readonly algorithm: HashAlgorithm; readonly hex: string };
}

/** What the engine asks of a listing. */
export interface ListOptions {
  /** Follow symbolic links to files (hashed under the link's own path) instead of failing on them; a link to a directory adds nothing, as in the reference. */
  readonly allowSymlinks: boolean;
  /** True for a name (POSIX, relative to the root) the serialization excludes. */
  isIgnored(name: string): boolean;
  /**
   * Give files an `identity`. The engine asks only when a digest cache will use it, so a
   * source may skip what it costs otherwise (a precise stat per local file).
   */
  readonly identify?: boolean;
  /**
   * The algorithm whole files will be hashed with (`files` serialization, no digest cache).
   * A source that reads files anyway, or cheaply, as it lists them may set `listedDigest`.
   */
  readonly digestAlgorithm?: HashAlgorithm;
  /** How a source may use the engine's hash threads while listing (`startInspection`, `inspectLocalFiles`). */
  readonly pool?: PoolOptions;
  /**
   * A source may call this with files as it completes them, in the order `list` will return
   * them, before `list` resolves: the engine then builds what it can from them meanwhile.
   * Together the calls give exactly `ModelListing.files` (the same objects), or the engine
   * ignores them. Sources that list all at once need not call it.
   */
  readonly onFiles?: (files: readonly ModelFile[]) => void;
  /**
   * Bytes a source has to read to list a model (a tar layer's entries, which only reading
   * can list) pass through this, by file name, so a caller that keeps the bytes (pull)
   * need not have them read again. It yields them unchanged.
   */
  readonly passBytes?: (name: string, bytes: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
  /**
   * List the entries that cannot be hashed under these rules (a symbolic link not allowed,
   * a link loop or to nothing, a socket, pipe or device, a name that is not UTF-8) in
   * `ModelListing.unhashable` instead of failing on the first: a verifier reports them as
   * files that differ from the signed model, beside every other difference.
   */
  readonly listUnhashable?: boolean;
}

/** An entry that cannot be hashed, listed with `ListOptions.listUnhashable`. */
export interface UnhashableEntry {
  /** POSIX path relative to the model root. */
  readonly name: string;
  /** The error code listing without `listUnhashable` fails with (SYMLINK, SPECIAL_FILE...). */
  readonly code: ErrorCode;
  /** Why, as a phrase after the name (`is a symbolic link loop`). */
  readonly reason: string;
}

/** A listed model: its files, what was excluded, and anything worth telling the user. */
export interface ModelListing {
  readonly files: ModelFile[];
  /** Paths that exist but were excluded by the ignore rules (a directory stands for its subtree). */
  readonly ignored: string[];
  readonly warnings: string[];
  /** With `ListOptions.listUnhashable`: the entries that could not be hashed, in listing order. */
  readonly unhashable?: UnhashableEntry[];
}

/** A model held somewhere: a local directory or file, an OCI artifact, a hub repository. */
export interface ModelSource {
  /** Where the model is, for reports (a path or a URL). */
  readonly location: string;
  /** The model's name for the statement subject: the final component of its path. */
  readonly modelName: string;
  /** True when the model is one file rather than a tree (its resource is named `"."`). */
  readonly singleFile: boolean;
  /** Lists the model's regular files. */
  list(options: ListOptions): Promise<ModelListing>;
  /** Streams bytes `[start, end)` of a listed file. */
  read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array>;
  /**
   * For sources that are cheapest (or only able) to read in one pass, such as a tar layer:
   * calls `visit` once per requested file with all of its bytes, in the source's own order.
   * When present the engine uses it instead of `read`.
   */
  stream?(files: readonly ModelFile[], visit: (file: ModelFile, bytes: AsyncIterable<Uint8Array>) => Promise<void>): Promise<void>;
}

/** A signature kept by a store. */
export interface StoredSignature {
  /** Where it is (a file path, a referrer digest). */
  readonly location: string;
  /** The bundle's bytes. */
  bytes(): Promise<Uint8Array>;
}

/** A place that keeps signature bundles for a model: a sidecar file, OCI referrers, release assets. */
export interface SignatureStore {
  /** The signatures stored for the model (possibly none). */
  list(): Promise<StoredSignature[]>;
  /** What the last `list` passed over while looking for signatures, and why, to be shown as warnings. */
  readonly skipped?: readonly string[];
  /** Stores a bundle; nothing partial is ever visible. Returns where it went. */
  put(bundle: Uint8Array): Promise<string>;
}
