import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { messageOf, unverifiedError } from '../errors.js';
import { signingMethod } from '../bundle/bundle.js';
import { distinguishedName, subjectOf } from '../signing/certificates.js';
import { ecDigest } from '../signing/keys.js';
import { verifyEnvelope } from './envelope.js';
import { wrongMethod } from './key-verifier.js';
// @sigstore/core (23 CommonJS modules) is loaded on first use: only certificate verification
// needs it, and loading it at start-up cost every command ~10 ms.
const require = createRequire(import.meta.url);
let asn1;
/**
 * A certificate's extensions as @sigstore/core reads them. Its DER parser is stricter than
 * Node's, so a certificate from a bundle that Node took can still fail here: that is a
 * certificate we cannot trust, not a failure of the tool.
 */
function parseExtensions(cert) {
    asn1 ??= require('@sigstore/core').X509Certificate;
    try {
        return asn1.parse(cert.raw);
    }
    catch (err) {
        throw untrusted(`certificate "${subjectOf(cert)}" cannot be parsed: ${messageOf(err)}`);
    }
}
const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const MAX_PATH = 10;
// Extensions this verifier understands; any other one marked critical makes a certificate unusable.
const KNOWN_EXTENSIONS = new Set([
    '2.5.29.14', // subject key identifier
    '2.5.29.15', // key usage
    '2.5.29.17', // subject alternative name
    '2.5.29.19', // basic constraints
    '2.5.29.32', // certificate policies
    '2.5.29.35', // authority key identifier
    '2.5.29.37', // extended key usage
]);
/**
 * Verifies certificate-method bundles: builds a path from the bundle's leaf through its
 * intermediates to one of the caller's trust anchors, checking each signature, validity
 * period, CA constraints and unknown critical extensions, then the leaf's key usage, then
 * the envelope signature with the leaf's key.
 */
export function certificateVerifier(trustAnchors, options = {}) {
    return {
        method: 'certificate',
        verify(bundle) {
            const m = bundle.material;
            if (m.kind !== 'x509CertificateChain' || signingMethod(bundle) !== 'certificate')
                throw wrongMethod('certificate', bundle);
            const certs = m.certificates.map((der, i) => {
                try {
                    return new X509Certificate(der);
                }
                catch (err) {
                    throw unverifiedError('BUNDLE_MALFORMED', `not a usable Sigstore bundle: certificate ${i} in the chain cannot be parsed`, err);
                }
            });
            const when = options.at ?? 'issued';
            const at = when === 'issued' ? new Date(certs[0].validFrom) : when === 'now' ? new Date() : when;
            const path = buildPath(certs[0], certs.slice(1), trustAnchors, at);
            const leaf = path[0];
            checkLeafUsage(leaf);
            checkLeafKey(leaf);
            const { legacyPae } = verifyEnvelope(bundle, leaf.publicKey);
            return {
                legacyPae,
                ...(when === 'issued' ? { warnings: invalidNow(path, at) } : {}),
                signer: {
                    method: 'certificate',
                    subject: subjectOf(leaf),
                    issuer: distinguishedName(leaf.issuer),
                    serialNumber: leaf.serialNumber,
                    notBefore: new Date(leaf.validFrom).toISOString(),
                    notAfter: new Date(leaf.validTo).toISOString(),
                    validAt: at.toISOString(),
                    fingerprintSha256: leaf.fingerprint256,
                    chain: path.map(subjectOf),
                },
            };
        },
    };
}
/**
 * What the verifier requires of a signing certificate by itself, whatever the trust anchors
 * and the time: no critical extension it does not understand, and meant for signing
 * (keyUsage digitalSignature or extendedKeyUsage codeSigning). Throws as verification does
 * (CERT_UNTRUSTED, the same message), so `sign certificate` can refuse, before hashing, a
 * leaf whose signatures `verify certificate` would always reject.
 */
export function checkSigningCertificate(leaf) {
    checkCriticalExtensions(leaf);
    checkLeafUsage(leaf);
}
/** Throws, as verification does, unless the signing certificate is valid at `at` (now by default). */
export function checkSigningCertificateValidity(leaf, at = new Date()) {
    checkValidity(leaf, at, 'signing certificate');
}
function buildPath(leaf, intermediates, anchors, at) {
    checkValidity(leaf, at, 'signing certificate');
    checkCriticalExtensions(leaf);
    const path = [leaf];
    let current = leaf;
    while (!anchors.some((a) => sameCert(a, current))) {
        if (path.length > MAX_PATH)
            throw untrusted(`no path to a trust anchor within ${MAX_PATH} certificates`);
        // Anchors first: a path should close as early as it can.
        const issuer = [...anchors, ...intermediates].find((c) => !path.some((p) => sameCert(p, c)) && current.checkIssued(c) && current.verify(c.publicKey));
        if (!issuer) {
            throw untrusted(`no trusted issuer for "${subjectOf(current)}" (issued by "${distinguishedName(current.issuer)}"): it is not signed by any given trust anchor or bundled intermediate`);
        }
        checkValidity(issuer, at, 'issuer certificate');
        checkCriticalExtensions(issuer);
        checkCa(issuer, path.length - 1);
        path.push(issuer);
        current = issuer;
    }
    return path;
}
const sameCert = (a, b) => a.raw.equals(b.raw);
/**
 * Says of each certificate in a path accepted as of its leaf's issue that it is not valid
 * now: the signature verifies, but whoever relies on it should know.
 */
function invalidNow(path, issued) {
    const warnings = [];
    const now = new Date();
    path.forEach((cert, i) => {
        try {
            checkValidity(cert, now, i === 0 ? 'signing certificate' : 'issuer certificate');
        }
        catch (err) {
            warnings.push(`${messageOf(err)}: accepted, as the chain is checked as of ${issued.toISOString()}, when the signing certificate was issued (as the reference does; a certificate bundle carries no trusted signing time), and checking at the current time would reject it`);
        }
    });
    return warnings;
}
function checkValidity(cert, at, what) {
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (at < from)
        throw untrusted(`${what} "${subjectOf(cert)}" is not valid before ${from.toISOString()}`);
    if (at > to)
        throw untrusted(`${what} "${subjectOf(cert)}" expired on ${to.toISOString()}`);
}
/** An issuer must be a CA allowed to sign certificates, within its path length limit. */
function checkCa(cert, casBelow) {
    const parsed = parseExtensions(cert);
    const bc = parsed.extBasicConstraints;
    if (!bc?.isCA)
        throw untrusted(`issuer "${subjectOf(cert)}" is not a CA certificate (basicConstraints cA is not set)`);
    const ku = parsed.extKeyUsage;
    if (ku && !ku.keyCertSign)
        throw untrusted(`issuer "${subjectOf(cert)}" may not sign certificates (keyUsage lacks keyCertSign)`);
    const limit = bc.pathLenConstraint;
    if (limit !== undefined && BigInt(casBelow) > limit) {
        throw untrusted(`issuer "${subjectOf(cert)}" allows ${limit} intermediate CA(s) below it, found ${casBelow}`);
    }
}
/** The leaf must be meant for signing: keyUsage digitalSignature or extendedKeyUsage codeSigning. */
function checkLeafUsage(leaf) {
    const ku = parseExtensions(leaf).extKeyUsage;
    const eku = leaf.keyUsage ?? [];
    if (ku?.digitalSignature || eku.includes(OID_CODE_SIGNING))
        return;
    throw untrusted(`signing certificate "${subjectOf(leaf)}" is not for signing: it has neither keyUsage digitalSignature nor extendedKeyUsage codeSigning`);
}
/** The leaf's key must be one OMS signs with; any other comes from the bundle, so it fails verification. */
function checkLeafKey(leaf) {
    try {
        ecDigest(leaf.publicKey, `the key of signing certificate "${subjectOf(leaf)}"`);
    }
    catch (err) {
        throw unverifiedError('CERT_KEY_UNSUPPORTED', messageOf(err));
    }
}
function checkCriticalExtensions(cert) {
    for (const ext of parseExtensions(cert).extensions) {
        const oid = ext.subs[0]?.toOID();
        const critical = ext.subs.length === 3 && ext.subs[1].toBoolean();
        if (critical && oid && !KNOWN_EXTENSIONS.has(oid)) {
            throw untrusted(`certificate "${subjectOf(cert)}" has an unsupported critical extension ${oid}`);
        }
    }
}
const untrusted = (message) => unverifiedError('CERT_UNTRUSTED', message);
//# sourceMappingURL=certificate-verifier.js.map