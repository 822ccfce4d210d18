/**
 * modelsign engine: hash a model with the OMS serialization, build and parse the in-toto
 * statement, sign it into a Sigstore bundle and verify bundles against models; the OCI
 * client (registries and image layouts) the `modelsign/oci` adapter is built on.
 * Sources (local files, registries, hubs) live in `adapters/`; this module knows none of them.
 *
 * The public API, listed name by name: the engine's internals (file helpers, the hash
 * pool's inspection, error constructors) stay out of it, so they can change freely. The
 * part without Sigstore keyless and the OCI client is also `modelsign/core` (public-core.ts).
 */
export * from './public-core.js';
export { checkIdentityTokenExpiry, signManifestKeyless, type KeylessSigningOptions } from './signing/sigstore-signer.js';
export { sigstoreVerifier, type SigstoreIdentity } from './verifying/sigstore-verifier.js';
export { RegistryRepository } from './oci/repository.js';
export type { ContentStore, FetchedManifest, PushedManifest } from './oci/content-store.js';
export { OciLayout, parseLayoutReference } from './oci/layout.js';
export { digestOf, sha256Digest } from './oci/digest.js';
export type { Descriptor, ImageIndex, ImageManifest } from './oci/media-types.js';
export * as mediaTypes from './oci/media-types.js';
