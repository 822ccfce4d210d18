/**
 * The public API without Sigstore keyless and the OCI client (`modelsign/core`): hashing,
 * statements, bundles, keys, key and certificate signing and verification, trust material.
 * It loads in a fraction of the time of `modelsign` (no sigstore-js, no undici), for
 * programs that only sign and verify with keys or certificates.
 */
export { ERROR_CODES, ModelsignError, type ErrorCode, type ErrorKind } from './errors.js';
export type { ListOptions, ModelFile, ModelListing, ModelSource, SignatureStore, StoredSignature, UnhashableEntry } from './source.js';
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
export { keyVerifier } from './verifying/key-verifier.js';
export { certificateVerifier, type CertificateValidityTime, type CertificateVerifierOptions } from './verifying/certificate-verifier.js';
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
