import { bundleFromJSON, type TransparencyLogEntry } from '@sigstore/bundle';
import { RFC3161Timestamp, X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { unverifiedError, usageError, type ErrorCode } from '../errors.js';
import { signingCertificate, signingMethod, type ParsedBundle } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse.js';
import type { SigstoreTrust } from '../sigstore/trust.js';
import { wrongMethod } from './key-verifier.js';
import type { SignatureCheck, SignatureVerifier, SignerInfo } from './signer-info.js';

/** The identity a keyless signature must carry. */
export interface SigstoreIdentity {
  /** The certificate's subject alternative name (an email or a URI), compared exactly. */
  readonly identity: string;
  /** The OIDC issuer recorded by Fulcio, compared exactly. */
  readonly issuer: string;
}

// What each sigstore-js failure code means for a person reading the report.
const FAILED_CHECK: Record<string, { readonly code: ErrorCode; readonly what: string }> = {
  UNTRUSTED_SIGNER_ERROR: { code: 'SIGSTORE_UNTRUSTED_SIGNER', what: 'identity policy' },
  CERTIFICATE_ERROR: { code: 'SIGSTORE_CERTIFICATE', what: 'Fulcio certificate chain' },
  TLOG_ERROR: { code: 'SIGSTORE_TLOG', what: 'Rekor transparency log entry' },
  TLOG_BODY_ERROR: { code: 'SIGSTORE_TLOG_BODY', what: 'Rekor entry body (it does not match this signature and payload)' },
  TLOG_INCLUSION_PROOF_ERROR: { code: 'SIGSTORE_TLOG_INCLUSION_PROOF', what: 'Rekor inclusion proof' },
  TLOG_INCLUSION_PROMISE_ERROR: { code: 'SIGSTORE_TLOG_INCLUSION_PROMISE', what: 'Rekor inclusion promise (signed entry timestamp)' },
  TLOG_MISSING_INCLUSION_ERROR: { code: 'SIGSTORE_TLOG_MISSING_INCLUSION', what: 'Rekor inclusion proof or promise' },
  SIGNATURE_ERROR: { code: 'SIGSTORE_SIGNATURE', what: 'envelope signature' },
  TIMESTAMP_ERROR: { code: 'SIGSTORE_TIMESTAMP', what: 'timestamps' },
  PUBLIC_KEY_ERROR: { code: 'SIGSTORE_PUBLIC_KEY', what: 'public key' },
};

/**
 * Verifies Sigstore keyless bundles offline against a trusted root with sigstore-js: the
 * Fulcio chain, certificate transparency SCTs, the Rekor entry (inclusion proof or promise,
 * signed entry timestamp), RFC 3161 timestamps, then the identity policy (SAN and issuer
 * must equal the expected values exactly).
 */
export function sigstoreVerifier(trust: SigstoreTrust, expected: SigstoreIdentity): SignatureVerifier {
  const verifier = trustVerifier(trust);
  // sigstore-js treats the SAN policy as a regular expression: anchor and escape it.
  const policy = {
    subjectAlternativeName: `^${expected.identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
    extensions: { issuer: expected.issuer },
  };
  return {
    method: 'sigstore',
    verify(bundle: ParsedBundle): SignatureCheck {
      const leaf = signingMethod(bundle) === 'sigstore' ? signingCertificate(bundle.material) : undefined;
      if (!leaf) throw wrongMethod('sigstore', bundle);
      if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        throw unverifiedError('PAYLOAD_TYPE', `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
      }
      let sigstoreBundle;
      try {
        sigstoreBundle = bundleFromJSON(bundle.json);
      } catch (err) {
        throw unverifiedError('BUNDLE_MALFORMED', `not a usable Sigstore bundle: ${(err as Error).message}`, err);
      }
      let signer;
      try {
        signer = verifier.verify(toSignedEntity(sigstoreBundle), policy);
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        const failed = Object.prototype.hasOwnProperty.call(FAILED_CHECK, code) ? FAILED_CHECK[code] : undefined;
        if (!failed) throw unverifiedError('SIGSTORE_FAILED', `Sigstore verification failed: ${(err as Error).message}`, err);
        const detail = code === 'UNTRUSTED_SIGNER_ERROR' ? identityDetail(leaf, expected) : (err as Error).message;
        throw unverifiedError(failed.code, `Sigstore check failed: ${failed.what}: ${detail}`, err);
      }
      const tlog = (sigstoreBundle.verificationMaterial.tlogEntries ?? [])[0];
      // Verified by sigstore-js above (each against a trusted TSA), so each time is genuine;
      // one that is not a representable date is left out rather than crash the report.
      const timestamps = (sigstoreBundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).flatMap((t) => {
        const time = RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp)).signingTime;
        return Number.isNaN(time.getTime()) ? [] : [time.toISOString()];
      });
      return {
        legacyPae: false,
        signer: {
          method: 'sigstore',
          identity: signer.identity?.subjectAlternativeName ?? '',
          issuer: signer.identity?.extensions?.issuer ?? '',
          trustRoot: trust.source,
          ...(tlog ? authenticatedLogFields(tlog) : {}),
          rfc3161Timestamps: timestamps,
        },
      };
    },
  };
}

type LogFields = Pick<Extract<SignerInfo, { method: 'sigstore' }>, 'logIndex' | 'logId' | 'integratedTime'>;

/**
 * The fields of a log entry that sigstore-js has authenticated, once `Verifier.verify`
 * accepted it (@sigstore/verify 3, tlog/index.js, set.js, merkle.js, checkpoint.js). An
 * inclusion promise, when present, is always checked: the SET signs the entry's logIndex,
 * integratedTime and logID (as `Number(...)` and hex) with its body, so all three are
 * reported. An inclusion proof checks only its own logIndex (the index in the tree the
 * signed checkpoint covers; for a sharded Rekor v1 log, the index within the shard), and
 * the checkpoint's log is found by key hint, not by the entry's logId: without a promise,
 * only that index is reported, and the entry's own logIndex, integratedTime and logId,
 * which anyone can edit, are not. A value that is not a plain integer or a representable
 * time is left out.
 */
function authenticatedLogFields(entry: TransparencyLogEntry): LogFields {
  if (entry.inclusionPromise) {
    const index = Number(entry.logIndex);
    const seconds = Number(entry.integratedTime);
    const time = new Date(seconds * 1000);
    return {
      ...(Number.isSafeInteger(index) && index >= 0 ? { logIndex: String(index) } : {}),
      logId: entry.logId.keyId.toString('base64'),
      ...(Number.isSafeInteger(seconds) && !Number.isNaN(time.getTime()) ? { integratedTime: time.toISOString() } : {}),
    };
  }
  if (entry.inclusionProof) {
    try {
      const index = BigInt(entry.inclusionProof.logIndex);
      return index >= 0n ? { logIndex: index.toString() } : {};
    } catch {
      return {};
    }
  }
  return {};
}

/** sigstore-js's verifier over a trusted root; a root it cannot use is TRUST_ROOT_INVALID (a usage error). */
export function trustVerifier(trust: SigstoreTrust): Verifier {
  let material: TrustMaterial;
  try {
    material = toTrustMaterial(TrustedRoot.fromJSON(trust.trustedRoot));
  } catch (err) {
    throw usageError('TRUST_ROOT_INVALID', `cannot use ${trust.source}: ${(err as Error).message}`, err);
  }
  return new Verifier(material);
}

/** Says which of the two policy values did not match, and what the certificate holds. */
function identityDetail(leaf: Buffer, expected: SigstoreIdentity): string {
  // sigstore-js has parsed this certificate already to get as far as the policy.
  const cert = X509Certificate.parse(Buffer.from(leaf));
  const san = cert.subjectAltName ?? '(none)';
  const issuer = issuerOf(cert) ?? '(none)';
  const parts: string[] = [];
  if (san !== expected.identity) parts.push(`identity is ${JSON.stringify(san)}, expected ${JSON.stringify(expected.identity)}`);
  if (issuer !== expected.issuer) parts.push(`identity provider is ${JSON.stringify(issuer)}, expected ${JSON.stringify(expected.issuer)}`);
  return parts.length > 0 ? parts.join('; ') : 'the signer does not match';
}

// Fulcio's OIDC issuer extensions: v2 (DER UTF8String) and the legacy v1 (raw string).
const ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

function issuerOf(cert: X509Certificate): string | undefined {
  const v2 = cert.extension(ISSUER_V2);
  if (v2) return v2.valueObj.subs[0]?.value.toString('ascii') ?? v2.value.toString('ascii');
  return cert.extension(ISSUER_V1)?.value.toString('ascii');
}
