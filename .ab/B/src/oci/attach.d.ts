import { type Descriptor } from './media-types.js';
import type { ContentStore } from './content-store.js';
/** Where an attached referrer was recorded. */
export interface AttachResult {
    readonly descriptor: Descriptor;
    /** `api`: the store indexes referrers itself (registry API or layout index); `tag`: we updated the `sha256-<hex>` index. */
    readonly via: 'api' | 'tag';
    /** Referrers the `sha256-<hex>` index listed but the registry no longer holds, dropped from it on the way. */
    readonly pruned: readonly string[];
}
/**
 * Pushes an artifact manifest (empty config, the given layers) whose subject is `subject`,
 * and makes it discoverable: nothing more to do when the registry answers `OCI-Subject`,
 * else the referrer is merged into the tag-schema index. distribution 2.8 ignores
 * `If-Match`, so after writing we wait a jittered moment, read the index again and merge
 * again until our entry is there.
 */
export declare function attachArtifact(repo: ContentStore, artifact: {
    artifactType: string;
    layers: Descriptor[];
    annotations: Record<string, string>;
    blobs?: BlobSource[];
}, subject: Descriptor): Promise<AttachResult>;
/** A blob a manifest needs, with its bytes. */
export interface BlobSource {
    readonly descriptor: Descriptor;
    readonly bytes: Buffer;
}
