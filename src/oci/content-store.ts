import type { Readable } from 'node:stream';
import type { Descriptor } from './media-types.js';

/** A manifest as fetched: exact bytes (checked against its digest) and its descriptor. */
/** A manifest as a store returned it: its descriptor, exact bytes and parsed JSON. */
export interface FetchedManifest {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
  readonly json: Record<string, unknown>;
  /** An ETag for conditional updates, where the store has one. */
  readonly etag?: string;
}

/** What a store made of a pushed manifest. */
export interface PushedManifest {
  readonly descriptor: Descriptor;
  /** The store indexes referrers itself (registry `OCI-Subject`, or an OCI layout's index). */
  readonly subjectIndexed: boolean;
}

/**
 * Content-addressed storage of OCI artifacts: a registry repository or an OCI image layout
 * on disk. Push, pull, attach and verify are written once against this.
 */
export interface ContentStore {
  /**
   * Where the store is, for messages and locations, as a reference the CLI takes back
   * (`oci://host/repo`, `oci-layout:/path`).
   */
  readonly name: string;
  /** The tag or digest a reference to this store names (e.g. `v1`). */
  readonly target: string;
  /**
   * True for a store on this machine (an image layout). Its blobs are plain files that
   * anyone with access can change and any tool can read unchecked, so a layer's digest says
   * nothing about the bytes stored until they are read; in a registry, bytes can only be
   * fetched by their digest and every client checks it.
   */
  readonly local: boolean;
  /** Fetches a manifest by tag or digest, checked against its digest, size cap and media type. */
  fetchManifest(target: string): Promise<FetchedManifest>;
  /** As fetchManifest, but undefined when there is no such manifest. */
  fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined>;
  /** Streams a blob, failing if the bytes do not match the descriptor. */
  fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array>;
  blobExists(digest: string): Promise<boolean>;
  /**
   * Stores a blob unless present; `open(start, end)` gives its bytes (again, on a retry).
   * A registry may mount it from another repository of the same registry instead.
   */
  pushBlob(descriptor: Descriptor, open: (start: number, end: number) => Readable, mountFrom?: string): Promise<void>;
  /** Stores manifest bytes under a tag, or by digest alone. */
  pushManifest(bytes: Buffer, mediaType: string, tag?: string, ifMatch?: string): Promise<PushedManifest>;
  /**
   * After a push that failed: removes what this store object created where nothing was
   * before (an image layout it made), so the failure leaves nothing behind. Optional.
   */
  discardCreated?(): Promise<void>;
  /**
   * The manifests whose subject is `subject`, and how they were found; `skipped` says what
   * was passed over on the way and why (an image layout's index.json entry that cannot be read).
   */
  referrers(subject: string, artifactType?: string): Promise<{ descriptors: Descriptor[]; via: 'api' | 'tag' | 'index'; skipped?: readonly string[] }>;
}
