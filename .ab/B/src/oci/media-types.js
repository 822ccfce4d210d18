/** Media types this client reads and writes. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST];
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** The empty config `{}`. */
export const EMPTY_CONFIG = {
    mediaType: OCI_EMPTY,
    digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    size: 2,
};
export const SIGSTORE_BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const MODELPACK_ARTIFACT = 'application/vnd.cncf.model.manifest.v1+json';
export const MODELPACK_CONFIG = 'application/vnd.cncf.model.config.v1+json';
export const MODELPACK_WEIGHT_RAW = 'application/vnd.cncf.model.weight.v1.raw';
export const ANNOTATION_FILEPATH = 'org.cncf.model.filepath';
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
/** The largest manifest accepted; the distribution spec lets registries refuse above 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
//# sourceMappingURL=media-types.js.map