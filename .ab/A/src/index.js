/**
 * modelsign engine: hash a model with the OMS serialization, build and parse the in-toto
 * statement, sign it into a Sigstore bundle and verify bundles against models.
 * Sources (local files, registries, hubs) live in `adapters/`; this module knows none of them.
 */
export * from './core.js';
export { sigstoreVerifier } from './verifying/sigstore-verifier.js';
export { checkIdentityTokenExpiry, signManifestKeyless } from './signing/sigstore-signer.js';
export { RegistryRepository, fallbackTag } from './oci/repository.js';
export { OciLayout, parseLayoutReference } from './oci/layout.js';
export { attachArtifact } from './oci/attach.js';
export { digestOf, sha256Digest } from './oci/digest.js';
export * as mediaTypes from './oci/media-types.js';
//# sourceMappingURL=index.js.map