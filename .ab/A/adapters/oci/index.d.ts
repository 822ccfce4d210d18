/** The OCI adapter: models stored as OCI artifacts in registries, and signatures kept as referrers. */
import { type ContentStore, type CredentialResolver, type Descriptor } from '../../src/index.js';
import { OciModelSource } from './model-source.js';
import { OciSignatureStore } from './signature-store.js';
export { OciModelSource } from './model-source.js';
export { OciSignatureStore, type AttachedSignature } from './signature-store.js';
export { pushModelPack } from './pack.js';
export interface OciOptions {
    readonly plainHttp?: boolean;
    readonly credentials: CredentialResolver;
}
/** A model in a registry, opened: its manifest as the subject, a source and a signature store. */
export interface OciModel {
    readonly repository: ContentStore;
    readonly subject: Descriptor;
    readonly source: OciModelSource;
    readonly signatures: OciSignatureStore;
}
export { isOciReference } from '../../src/oci/reference.js';
/**
 * The store a reference names: a registry repository, or an OCI image layout on disk
 * (created when `create` is set and none exists, for a push destination).
 */
export declare function openStore(reference: string, options: OciOptions, create?: boolean): Promise<ContentStore>;
/**
 * Opens `oci://registry/repo[:tag|@digest]` or `oci-layout:PATH[:tag|@digest]`; an index
 * must be narrowed to one manifest.
 */
export declare function openOciModel(reference: string, options: OciOptions): Promise<OciModel>;
