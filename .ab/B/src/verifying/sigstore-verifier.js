import { bundleFromJSON } from '@sigstore/bundle';
import { RFC3161Timestamp, X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { unverifiedError, usageError } from '../errors.js';
import { signingCertificate, signingMethod } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse.js';
import { wrongMethod } from './key-verifier.js';
// What each sigstore-js failure code means for a person reading the report.
const FAILED_CHECK = {
    UNTRUSTED_SIGNER_ERROR: 'identity policy',
    CERTIFICATE_ERROR: 'Fulcio certificate chain',
    TLOG_ERROR: 'Rekor transparency log entry',
    TLOG_BODY_ERROR: 'Rekor entry body (it does not match this signature and payload)',
    TLOG_INCLUSION_PROOF_ERROR: 'Rekor inclusion proof',
    TLOG_INCLUSION_PROMISE_ERROR: 'Rekor inclusion promise (signed entry timestamp)',
    TLOG_MISSING_INCLUSION_ERROR: 'Rekor inclusion proof or promise',
    SIGNATURE_ERROR: 'envelope signature',
    TIMESTAMP_ERROR: 'timestamps',
    PUBLIC_KEY_ERROR: 'public key',
};
/**
 * Verifies Sigstore keyless bundles offline against a trusted root with sigstore-js: the
 * Fulcio chain, certificate transparency SCTs, the Rekor entry (inclusion proof or promise,
 * signed entry timestamp), RFC 3161 timestamps, then the identity policy (SAN and issuer
 * must equal the expected values exactly).
 */
export function sigstoreVerifier(trust, expected) {
    let material;
    try {
        material = toTrustMaterial(TrustedRoot.fromJSON(trust.trustedRoot));
    }
    catch (err) {
        throw usageError('TRUST_ROOT_INVALID', `cannot use ${trust.source}: ${err.message}`, err);
    }
    const verifier = new Verifier(material);
    // sigstore-js treats the SAN policy as a regular expression: anchor and escape it.
    const policy = {
        subjectAlternativeName: `^${expected.identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
        extensions: { issuer: expected.issuer },
    };
    return {
        method: 'sigstore',
        verify(bundle) {
            const leaf = signingMethod(bundle) === 'sigstore' ? signingCertificate(bundle.material) : undefined;
            if (!leaf)
                throw wrongMethod('sigstore', bundle);
            if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
                throw unverifiedError('PAYLOAD_TYPE', `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
            }
            let sigstoreBundle;
            try {
                sigstoreBundle = bundleFromJSON(bundle.json);
            }
            catch (err) {
                throw unverifiedError('BUNDLE_MALFORMED', `not a usable Sigstore bundle: ${err.message}`, err);
            }
            let signer;
            try {
                signer = verifier.verify(toSignedEntity(sigstoreBundle), policy);
            }
            catch (err) {
                const code = err.code ?? '';
                const what = FAILED_CHECK[code];
                if (!what)
                    throw unverifiedError('SIGSTORE_FAILED', `Sigstore verification failed: ${err.message}`, err);
                const detail = code === 'UNTRUSTED_SIGNER_ERROR' ? identityDetail(leaf, expected) : err.message;
                throw unverifiedError(`SIGSTORE_${code.replace(/_ERROR$/, '')}`, `Sigstore check failed: ${what}: ${detail}`, err);
            }
            const tlog = (sigstoreBundle.verificationMaterial.tlogEntries ?? [])[0];
            const timestamps = (sigstoreBundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map((t) => RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp)).signingTime.toISOString());
            return {
                legacyPae: false,
                signer: {
                    method: 'sigstore',
                    identity: signer.identity?.subjectAlternativeName ?? '',
                    issuer: signer.identity?.extensions?.issuer ?? '',
                    trustRoot: trust.source,
                    ...(tlog
                        ? {
                            logIndex: tlog.logIndex,
                            logId: tlog.logId?.keyId.toString('base64') ?? '',
                            integratedTime: new Date(Number(tlog.integratedTime) * 1000).toISOString(),
                        }
                        : {}),
                    rfc3161Timestamps: timestamps,
                },
            };
        },
    };
}
/** Says which of the two policy values did not match, and what the certificate holds. */
function identityDetail(leaf, expected) {
    // sigstore-js has parsed this certificate already to get as far as the policy.
    const cert = X509Certificate.parse(Buffer.from(leaf));
    const san = cert.subjectAltName ?? '(none)';
    const issuer = issuerOf(cert) ?? '(none)';
    const parts = [];
    if (san !== expected.identity)
        parts.push(`identity is ${JSON.stringify(san)}, expected ${JSON.stringify(expected.identity)}`);
    if (issuer !== expected.issuer)
        parts.push(`identity provider is ${JSON.stringify(issuer)}, expected ${JSON.stringify(expected.issuer)}`);
    return parts.length > 0 ? parts.join('; ') : 'the signer does not match';
}
// Fulcio's OIDC issuer extensions: v2 (DER UTF8String) and the legacy v1 (raw string).
const ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
function issuerOf(cert) {
    const v2 = cert.extension(ISSUER_V2);
    if (v2)
        return v2.valueObj.subs[0]?.value.toString('ascii') ?? v2.value.toString('ascii');
    return cert.extension(ISSUER_V1)?.value.toString('ascii');
}
//# sourceMappingURL=sigstore-verifier.js.map