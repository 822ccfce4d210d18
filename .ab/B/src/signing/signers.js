import { sign } from 'node:crypto';
import { usageError } from '../errors.js';
import { buildBundle, checkStatementSize } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, pae } from '../bundle/dsse.js';
import { buildStatement } from '../manifest/statement.js';
import { subjectOf } from './certificates.js';
import { ecDigest, publicKeyHint } from './keys.js';
/** A signer for the key method: ECDSA with the curve's digest, bundle carries the key hint. */
export function keySigner(privateKey) {
    const digest = ecDigest(privateKey);
    return {
        method: 'key',
        material: { kind: 'publicKey', hint: publicKeyHint(privateKey) },
        sign: (data) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
    };
}
/**
 * A signer for the certificate method: the bundle carries [leaf, ...chain] as DER.
 * The private key must belong to the leaf certificate.
 */
export function certificateSigner(privateKey, leaf, chain) {
    const digest = ecDigest(privateKey);
    if (!leaf.checkPrivateKey(privateKey)) {
        throw usageError('KEY_CERT_MISMATCH', `the private key does not belong to the signing certificate (${subjectOf(leaf)})`);
    }
    ecDigest(leaf.publicKey, 'the signing certificate key');
    return {
        method: 'certificate',
        material: { kind: 'x509CertificateChain', certificates: [leaf.raw, ...chain.map((c) => c.raw)] },
        sign: (data) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
    };
}
/** Signs a manifest: in-toto statement, DSSE over its exact bytes, Sigstore bundle JSON. */
export function signManifest(manifest, signer) {
    const payload = buildStatement(manifest);
    checkStatementSize(payload, manifest.resources.length);
    const signature = signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
    return buildBundle(signer.material, payload, signature);
}
//# sourceMappingURL=signers.js.map