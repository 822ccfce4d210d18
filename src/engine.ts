/**
 * The whole engine, internals included, for the adapters, the CLI and the tests: the light
 * part (core.ts) plus Sigstore keyless and the OCI client. Not part of the package's
 * exports; consumers get the public API of index.ts.
 */
export * from './core.js';
export { sigstoreVerifier, type SigstoreIdentity } from './verifying/sigstore-verifier.js';
export { checkIdentityTokenExpiry, signManifestKeyless, type KeylessSigningOptions } from './signing/sigstore-signer.js';
export { RegistryRepository, fallbackTag } from './oci/repository.js';
export type { ContentStore, FetchedManifest, PushedManifest } from './oci/content-store.js';
export { OciLayout, parseLayoutReference } from './oci/layout.js';
export { attachArtifact, type AttachResult, type BlobSource } from './oci/attach.js';
export { digestOf, sha256Digest } from './oci/digest.js';
export type { Descriptor, ImageIndex, ImageManifest } from './oci/media-types.js';
export * as mediaTypes from './oci/media-types.js';
