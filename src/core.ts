/**
 * The light part of the modelsign engine: everything but Sigstore keyless and the OCI
 * registry client, whose dependencies (sigstore-js, undici) cost start-up time. The CLI
 * loads this at start and the heavy modules only for the commands that need them.
 *
 * modelsign engine: hash a model with the OMS serialization, build and parse the in-toto
 * statement, sign it into a Sigstore bundle and verify bundles against models.
 * Sources (local files, registries, hubs) live in `adapters/`; this module knows none of them.
 */
export { ERROR_CODES, ModelsignError, causeChain, messageOf, reworded, unverifiedError, usageError, type ErrorCode, type ErrorKind } from './errors.js';
export type { ModelFile, ModelListing, ModelSource, ListOptions, SignatureStore, StoredSignature, UnhashableEntry } from './source.js';
export { HASH_ALGORITHMS, createHasher, isHashAlgorithm, type HashAlgorithm, type Hasher } from './hashing/algorithms.js';
export { GIT_PATHS, ignoreMatcher, normalizeRelative } from './hashing/ignore.js';
export { defaultWorkers, hashRanges, inspectLocalFiles, prestartWorkers, startInspection, waitingWorkers, type InspectedFiles, type Inspection, type InspectionOptions, type InspectOptions, type PoolOptions } from './hashing/pool.js';
export { HASH_WHILE_INSPECTING_BYTES } from './hashing/inspect.js';
export { NOT_UTF8_NAME } from './hashing/batches.js';
export { makeDirectories, removeEmptyDirectories, removeEmptyDirectoriesSync, syncDirectory } from './directories.js';
export { isOutside, isWithin } from './paths.js';
export { FileTooLargeError, readSmallFile } from './small-file.js';
export { replaceFile, type ReplaceOptions } from './replace-file.js';
export { removePendingFiles } from './pending-files.js';
export { withFileLock, type FileLockOptions, type LockFailure } from './file-lock.js';
export { FileDigestCache, type DigestCache } from './hashing/digest-cache.js';
export {
  DEFAULT_SHARD_SIZE,
  hashModel,
  hashPlanned,
  listModel,
  planResources,
  toResources,
  usesContentAddress,
  type HashPlanOptions,
  serializationFor,
  type HashOptions,
  type HashResult,
  type PlannedResource,
} from './hashing/serialize.js';
export {
  comparePaths,
  parseShardName,
  resourcePath,
  rootDigest,
  type Manifest,
  type Resource,
  type Serialization,
} from './manifest/manifest.js';
export {
  LEGACY_PREDICATE_TYPE,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  buildStatement,
  isResourcePath,
  parseStatement,
  type ParsedStatement,
} from './manifest/statement.js';
export { BUNDLE_MEDIA_TYPE, MAX_BUNDLE_BYTES, MAX_CHAIN_CERTIFICATES, buildBundle, parseBundle, signingCertificate, signingMethod, type ParsedBundle, type VerificationMaterial } from './bundle/bundle.js';
export { IN_TOTO_PAYLOAD_TYPE, legacyPae, pae } from './bundle/dsse.js';
export { curveName, loadPrivateKey, loadPublicKey, publicKeyHint, publicKeyPem } from './signing/keys.js';
export { distinguishedName, parsePemCertificates, subjectOf } from './signing/certificates.js';
export { certificateSigner, keySigner, signManifest, type Signer } from './signing/signers.js';
export { keyVerifier } from './verifying/key-verifier.js';
export { certificateVerifier, checkSigningCertificate, isTrustAnchor, checkSigningCertificateValidity, type CertificateValidityTime, type CertificateVerifierOptions } from './verifying/certificate-verifier.js';
export type { SignatureCheck, SignatureVerifier, SignerInfo } from './verifying/signer-info.js';
export { checkModel, type ModelCheck, type ModelCheckOptions } from './verifying/model-check.js';
export { verifyModel, type VerifyModelOptions } from './verifying/verify.js';
export type { Check, FileStatus, FileStatusKind, VerificationReport } from './verifying/report.js';
export {
  PUBLIC_GOOD_SIGNING_CONFIG,
  STAGING_SIGNING_CONFIG,
  parseTrustConfig,
  parseTrustedRoot,
  publicGoodTrust,
  type SigningConfigJson,
  type SigstoreTrust,
  type TrustedRootJson,
} from './sigstore/trust.js';
export { formatReference, isLoopback, isOciReference, parseReference, referenceTarget, type Reference } from './oci/reference.js';
export { dockerCredentials, type CredentialResolver, type Credentials } from './oci/credentials.js';
