/** Media types this client reads and writes. */
export declare const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export declare const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export declare const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export declare const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export declare const MANIFEST_TYPES: readonly ["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json"];
export declare const OCI_EMPTY = "application/vnd.oci.empty.v1+json";
/** The empty config `{}`. */
export declare const EMPTY_CONFIG: {
    readonly mediaType: "application/vnd.oci.empty.v1+json";
    readonly digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    readonly size: 2;
};
export declare const SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
export declare const MODELPACK_ARTIFACT = "application/vnd.cncf.model.manifest.v1+json";
export declare const MODELPACK_CONFIG = "application/vnd.cncf.model.config.v1+json";
export declare const MODELPACK_WEIGHT_RAW = "application/vnd.cncf.model.weight.v1.raw";
export declare const ANNOTATION_FILEPATH = "org.cncf.model.filepath";
export declare const ANNOTATION_TITLE = "org.opencontainers.image.title";
export declare const ANNOTATION_CREATED = "org.opencontainers.image.created";
/** The largest manifest accepted; the distribution spec lets registries refuse above 4 MiB. */
export declare const MAX_MANIFEST_BYTES: number;
/** A content descriptor. */
export interface Descriptor {
    readonly mediaType: string;
    readonly digest: string;
    readonly size: number;
    readonly artifactType?: string;
    readonly annotations?: Readonly<Record<string, string>>;
}
/** An image manifest (OCI or Docker v2). */
export interface ImageManifest {
    readonly schemaVersion: 2;
    readonly mediaType?: string;
    readonly artifactType?: string;
    readonly config: Descriptor;
    readonly layers: readonly Descriptor[];
    readonly subject?: Descriptor;
    readonly annotations?: Readonly<Record<string, string>>;
}
/** An image index (OCI) or manifest list (Docker). */
export interface ImageIndex {
    readonly schemaVersion: 2;
    readonly mediaType?: string;
    readonly manifests: readonly Descriptor[];
    readonly annotations?: Readonly<Record<string, string>>;
}
