/**
 * Media types and fixed descriptors from the OCI and ModelPack specs, written out here as the
 * tests' own expectations (never imported from the code under test).
 */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** The empty JSON config `{}` of an artifact manifest. */
export const EMPTY_CONFIG = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 } as const;
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const NOTATION_TYPE = 'application/vnd.cncf.notary.signature';
export const WEIGHT_RAW = 'application/vnd.cncf.model.weight.v1.raw';
