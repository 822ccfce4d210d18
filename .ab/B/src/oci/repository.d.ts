import { Readable } from 'node:stream';
import { type Descriptor } from './media-types.js';
import type { ContentStore, FetchedManifest, PushedManifest } from './content-store.js';
import { type Reference } from './reference.js';
import { RegistryTransport, type TransportOptions } from './transport.js';
/** One repository on one registry, spoken to with the OCI distribution API. */
export declare class RegistryRepository implements ContentStore {
    readonly reference: Reference;
    readonly transport: RegistryTransport;
    readonly name: string;
    readonly target: string;
    readonly local = false;
    constructor(reference: Reference, options: TransportOptions);
    private get path();
    private scope;
    /**
     * Fetches a manifest by tag or digest. Refuses more than 4 MiB and unknown media types,
     * and checks the bytes against the digest asked for (or the one the registry claims).
     */
    fetchManifest(target: string): Promise<FetchedManifest>;
    /** Fetches a manifest if it exists; undefined on 404. */
    fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined>;
    /** Pushes manifest bytes under a tag or their digest. */
    pushManifest(bytes: Buffer, mediaType: string, target?: string, ifMatch?: string): Promise<PushedManifest>;
    /** Streams a blob, checking its size and digest as the bytes arrive. */
    fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array>;
    blobExists(digest: string): Promise<boolean>;
    /**
     * Uploads a blob unless the registry has it: one PUT for small blobs, PATCH chunks then
     * the closing PUT for large ones. `open` gives the bytes from `offset`, so a retried
     * request can send them again. With `mountFrom` (a repository on the same registry) the
     * registry is first asked to mount the blob from there.
     */
    pushBlob(descriptor: Descriptor, open: (offset: number, end: number) => Readable, mountFrom?: string): Promise<void>;
    /**
     * Lists the manifests that refer to `subject`: the referrers API, or on 404 the tag
     * schema's `sha256-<hex>` index. Filters by artifact type on our side too.
     */
    referrers(subject: string, artifactType?: string): Promise<{
        descriptors: Descriptor[];
        via: 'api' | 'tag';
    }>;
    private describe;
}
/** The tag the referrers tag schema uses for a subject digest: `sha256-<hex>`. */
export declare const fallbackTag: (subject: string) => string;
