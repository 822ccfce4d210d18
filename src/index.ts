/**
 * modelsign engine: hash a model with the OMS serialization, build and parse the in-toto
 * statement, sign it into a Sigstore bundle and verify bundles against models; the OCI
 * client (registries and image layouts) the `modelsign/oci` adapter is built on.
 * Sources (local files, registries, hubs) live in `adapters/`; this module knows none of them.
 *
 * The public API, listed name by name: the engine's internals (file helpers, the hash
 * pool's inspection, error constructors) stay out of it, so they can change freely.
 */
export { ModelsignError, type ErrorKind } from './errors.js';
export type { ListOptions, ModelFile, ModelListing, ModelSource, SignatureStore, StoredSignature } from './source.js';
export { createHasher, HASH_ALGORITHMS, isHashAlgorithm, type HashAlgorithm, type Hasher } from './hashing/algorithms.js';
export { GIT_PATHS } from './hashing/ignore.js';
export { defaultWorkers, prestartWorkers, type PoolOptions } from './hashing/pool.js';
export { FileDigestCache, type DigestCache } from './hashing/digest-cache.js';
export { DEFAULT_SHARD_SIZE, hashModel, serializationFor, type HashOptions, type HashResult } from './hashing/serialize.js';
export { rootDigest, type Manifest, type Resource, type Serialization } from './manifest/manifest.js';
export { buildStatement, LEGACY_PREDICATE_TYPE, parseStatement, PREDICATE_TYPE, STATEMENT_TYPE, type ParsedStatement } from './manifest/statement.js';
export { BUNDLE_MEDIA_TYPE, buildBundle, MAX_BUNDLE_BYTES, parseBundle, signingMethod, type ParsedBundle, type VerificationMaterial } from './bundle/bundle.js';
export { IN_TOTO_PAYLOAD_TYPE, pae } from './bundle/dsse.js';
export { loadPrivateKey, loadPublicKey, publicKeyHint, publicKeyPem } from './signing/keys.js';
export { parsePemCertificates } from './signing/certificates.js';
export { certificateSigner, keySigner, signManifest, type Signer } from './signing/signers.js';
export { checkIdentityTokenExpiry, signManifestKeyless, type KeylessSigningOptions } from './signing/sigstore-signer.js';
export { keyVerifier } from './verifying/key-verifier.js';
export { certificateVerifier, type CertificateValidityTime, type CertificateVerifierOptions } from './verifying/certificate-verifier.js';
export { sigstoreVerifier, type SigstoreIdentity } from './verifying/sigstore-verifier.js';
export type { SignatureCheck, SignatureVerifier, SignerInfo } from './verifying/signer-info.js';
export { checkModel, type ModelCheck, type ModelCheckOptions } from './verifying/model-check.js';
export { verifyModel, type VerifyModelOptions } from './verifying/verify.js';
export type { Check, FileStatus, FileStatusKind, VerificationReport } from './verifying/report.js';
export {
  parseTrustConfig,
  parseTrustedRoot,
  PUBLIC_GOOD_SIGNING_CONFIG,
  publicGoodTrust,
  STAGING_SIGNING_CONFIG,
  type SigningConfigJson,
  type SigstoreTrust,
  type TrustedRootJson,
} from './sigstore/trust.js';
export { removePendingFiles } from './pending-files.js';
export { formatReference, isOciReference, parseReference, type Reference } from './oci/reference.js';
export { dockerCredentials, type CredentialResolver, type Credentials } from './oci/credentials.js';
export { RegistryRepository } from './oci/repository.js';
export type { ContentStore, FetchedManifest, PushedManifest } from './oci/content-store.js';
export { OciLayout, parseLayoutReference } from './oci/layout.js';
export { digestOf, sha256Digest } from './oci/digest.js';
export type { Descriptor, ImageIndex, ImageManifest } from './oci/media-types.js';
export * as mediaTypes from './oci/media-types.js';
