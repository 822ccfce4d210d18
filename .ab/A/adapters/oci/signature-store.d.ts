import { type Descriptor, type ContentStore, type SignatureStore, type StoredSignature } from '../../src/index.js';
/** A referrer that holds an OMS signature, as `discover` lists it. */
export interface AttachedSignature extends StoredSignature {
    readonly descriptor: Descriptor;
    readonly created?: string;
}
/**
 * OMS signatures kept as OCI referrers of the model manifest, the way cosign v3 attaches
 * Sigstore bundles: an image manifest with artifactType `...sigstore.bundle.v0.3+json`, the
 * empty config, one layer holding the bundle, and `subject` pointing at the model.
 */
export declare class OciSignatureStore implements SignatureStore {
    readonly repository: ContentStore;
    readonly subject: Descriptor;
    constructor(repository: ContentStore, subject: Descriptor);
    /** Where the signatures were found: the registry's referrers API or the tag schema. */
    via: 'api' | 'tag' | 'index' | undefined;
    /** Referrers the last `put` dropped from the tag schema's index because the registry no longer holds them. */
    pruned: readonly string[];
    /** Whether the last `put` found the bundle already attached, and so pushed nothing. */
    alreadyAttached: boolean;
    list(): Promise<AttachedSignature[]>;
    /**
     * Attaches a bundle, unless a referrer of the subject already holds these exact bytes: a
     * retried job must not pile up copies (each referrer carries its own creation time, so
     * pushing again would make another). Then nothing is pushed, `alreadyAttached` is set, and
     * the existing referrer's location is returned.
     */
    put(bundle: Uint8Array): Promise<string>;
    /** The digest of an OMS referrer of the subject whose bundle layer has `digest`, if one is attached. */
    private holding;
    private bundleOf;
}
