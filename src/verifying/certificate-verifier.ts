import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { X509Certificate as Asn1Certificate } from '@sigstore/core';
import { messageOf, unverifiedError } from '../errors.js';
import { signingMethod, type ParsedBundle } from '../bundle/bundle.js';
import { distinguishedName, subjectOf } from '../signing/certificates.js';
import { ecDigest } from '../signing/keys.js';
import { verifyEnvelope } from './envelope.js';
import { wrongMethod } from './key-verifier.js';
import type { SignatureCheck, SignatureVerifier } from './signer-info.js';

// @sigstore/core (23 CommonJS modules) is loaded on first use: only certificate verification
// needs it, and loading it at start-up cost every command ~10 ms.
const require = createRequire(import.meta.url);
let asn1: typeof Asn1Certificate | undefined;

/**
 * A certificate's extensions as @sigstore/core reads them. Its DER parser is stricter than
 * Node's, so a certificate from a bundle that Node took can still fail here: that is a
 * certificate we cannot trust, not a failure of the tool.
 */
function parseExtensions(cert: X509Certificate): Asn1Certificate {
  asn1 ??= (require('@sigstore/core') as typeof import('@sigstore/core')).X509Certificate;
  try {
    return asn1.parse(cert.raw);
  } catch (err) {
    throw untrusted(`certificate "${subjectOf(cert)}" cannot be parsed: ${messageOf(err)}`);
  }
}

/** The signature algorithm (OID) of a certificate: the second element of its outer SEQUENCE. */
function signatureAlgorithmOf(cert: X509Certificate): string {
  const { root } = parseExtensions(cert);
  try {
    return root.subs[1]!.subs[0]!.toOID();
  } catch (err) {
    throw untrusted(`certificate "${subjectOf(cert)}" cannot be parsed: ${messageOf(err)}`);
  }
}

// Signature algorithms whose collisions can be forged (MD2, MD4, MD5, SHA-1): a certificate
// signed with one proves nothing about its issuer's intent. Browsers and the CA/Browser
// Forum have refused them for years; OpenSSL's verify (and so the reference) still accepts them.
const BROKEN_SIGNATURE_ALGORITHMS = new Map([
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.3', 'md4WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.3.14.3.2.29', 'sha1WithRSASignature'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10040.4.3', 'dsa-with-sha1'],
]);
// RSA and DSA keys below this size can be factored or broken with public means (NIST SP 800-131A).
const MIN_MODULUS_BITS = 2048;

/**
 * Refuses a path certificate made with broken cryptography: a key too weak to trust, or,
 * for any but a trust anchor (whose own signature vouches for nothing), a signature made
 * with a broken hash.
 */
function checkStrength(cert: X509Certificate, isAnchor: boolean): void {
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if ((key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' || key.asymmetricKeyType === 'dsa') && bits !== undefined && bits < MIN_MODULUS_BITS) {
    throw untrusted(`certificate "${subjectOf(cert)}" has a ${bits}-bit ${key.asymmetricKeyType.toUpperCase()} key, weaker than the ${MIN_MODULUS_BITS} bits required`);
  }
  const broken = isAnchor ? undefined : BROKEN_SIGNATURE_ALGORITHMS.get(signatureAlgorithmOf(cert));
  if (broken) throw untrusted(`certificate "${subjectOf(cert)}" is signed with ${broken}, a broken signature algorithm`);
}

const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
// The most issuers above a leaf. With a bundle's chain capped (MAX_CHAIN_CERTIFICATES) and the
// path built greedily, without backtracking, path building makes at most
// (MAX_PATH + 1) x (anchors + chain) signature checks.
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
 * When a certificate chain must have been valid. A certificate bundle carries no trusted
 * time of signing, so `'issued'` (the default) checks the chain at the leaf's notBefore, as
 * the reference does: a signature stays valid after its leaf expires, provided the chain
 * held when the leaf was issued. `'now'` requires every certificate to be valid at
 * verification time; a Date, at that time.
 */
export type CertificateValidityTime = 'issued' | 'now' | Date;

/** Options for certificate verification. */
export interface CertificateVerifierOptions {
  /** When the chain must be valid; `'issued'` by default. */
  readonly at?: CertificateValidityTime;
}

/**
 * Verifies certificate-method bundles: builds a path from the bundle's leaf through its
 * intermediates to a trust anchor, checking each signature, validity period, CA constraints
 * and unknown critical extensions, then the leaf's key usage, then the envelope signature
 * with the leaf's key. Of the `trusted` certificates, as in the reference (OpenSSL without
 * X509_V_FLAG_PARTIAL_CHAIN), only self-signed ones are trust anchors (see `isTrustAnchor`);
 * the others can only serve as intermediates on a path that still ends at one.
 */
export function certificateVerifier(trusted: readonly X509Certificate[], options: CertificateVerifierOptions = {}): SignatureVerifier {
  const anchors: X509Certificate[] = [];
  const givenIntermediates: X509Certificate[] = [];
  for (const cert of trusted) (isTrustAnchor(cert) ? anchors : givenIntermediates).push(cert);
  return {
    method: 'certificate',
    verify(bundle: ParsedBundle): SignatureCheck {
      const m = bundle.material;
      if (m.kind !== 'x509CertificateChain' || signingMethod(bundle) !== 'certificate') throw wrongMethod('certificate', bundle);
      const certs = m.certificates.map((der, i) => {
        try {
          return new X509Certificate(der);
        } catch (err) {
          throw unverifiedError('BUNDLE_MALFORMED', `not a usable Sigstore bundle: certificate ${i} in the chain cannot be parsed`, err);
        }
      });
      const when = options.at ?? 'issued';
      const at = when === 'issued' ? validityOf(certs[0]!, 'signing certificate').from : when === 'now' ? new Date() : when;
      const path = buildPath(certs[0]!, certs.slice(1), anchors, givenIntermediates, at);
      const leaf = path[0]!;
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
          notBefore: validityOf(leaf, 'signing certificate').from.toISOString(),
          notAfter: validityOf(leaf, 'signing certificate').to.toISOString(),
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
export function checkSigningCertificate(leaf: X509Certificate): void {
  checkCriticalExtensions(leaf);
  checkLeafUsage(leaf);
}

/** Throws, as verification does, unless the signing certificate is valid at `at` (now by default). */
export function checkSigningCertificateValidity(leaf: X509Certificate, at: Date = new Date()): void {
  checkValidity(leaf, at, 'signing certificate');
}

/**
 * Whether a certificate given as trusted is a trust anchor that can end a path, as in the
 * reference (pyOpenSSL X509Store without PARTIAL_CHAIN): it is self-signed, its issuer its
 * own subject and its signature made by its own key. (Not `checkIssued(cert)`: that also
 * wants keyUsage keyCertSign, which a self-signed signing certificate, an anchor to
 * OpenSSL, need not have.)
 */
export function isTrustAnchor(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

function buildPath(
  leaf: X509Certificate,
  bundled: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  givenIntermediates: readonly X509Certificate[],
  at: Date,
): X509Certificate[] {
  checkValidity(leaf, at, 'signing certificate');
  checkCriticalExtensions(leaf);
  const path = [leaf];
  let current = leaf;
  // Anchors first, so a path closes as early as it can; then the certificates given but not
  // self-signed, then the bundle's.
  const candidates = [...anchors, ...givenIntermediates, ...bundled];
  while (!anchors.some((a) => sameCert(a, current))) {
    if (path.length > MAX_PATH) throw untrusted(`no path to a trust anchor within ${MAX_PATH} certificates`);
    const issuer = candidates.find((c) => !path.some((p) => sameCert(p, c)) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) {
      const given = path.find((p) => givenIntermediates.some((g) => sameCert(g, p)));
      const note = given ? ` (the given "${subjectOf(given)}" is not self-signed, so it is no trust anchor: a path must end at a given self-signed certificate)` : '';
      throw untrusted(`no trusted issuer for "${subjectOf(current)}" (issued by "${distinguishedName(current.issuer)}"): it is not signed by any given trust anchor or bundled intermediate${note}`);
    }
    checkValidity(issuer, at, 'issuer certificate');
    checkCriticalExtensions(issuer);
    checkCa(issuer, path.length - 1);
    path.push(issuer);
    current = issuer;
  }
  for (const cert of path) checkStrength(cert, anchors.some((a) => sameCert(a, cert)));
  return path;
}

const sameCert = (a: X509Certificate, b: X509Certificate): boolean => a.raw.equals(b.raw);

/**
 * Says of each certificate in a path accepted as of its leaf's issue that it is not valid
 * now: the signature verifies, but whoever relies on it should know.
 */
function invalidNow(path: readonly X509Certificate[], issued: Date): string[] {
  const warnings: string[] = [];
  const now = new Date();
  path.forEach((cert, i) => {
    try {
      checkValidity(cert, now, i === 0 ? 'signing certificate' : 'issuer certificate');
    } catch (err) {
      warnings.push(`${messageOf(err)}: accepted, as the chain is checked as of ${issued.toISOString()}, when the signing certificate was issued (as the reference does; a certificate bundle carries no trusted signing time), and checking at the current time would reject it`);
    }
  });
  return warnings;
}

function checkValidity(cert: X509Certificate, at: Date, what: string): void {
  const { from, to } = validityOf(cert, what);
  if (at < from) throw untrusted(`${what} "${subjectOf(cert)}" is not valid before ${from.toISOString()}`);
  if (at > to) throw untrusted(`${what} "${subjectOf(cert)}" expired on ${to.toISOString()}`);
}

/**
 * A certificate's validity period. Node gives a malformed time as "Bad time value", a NaN
 * date that every comparison would pass: such a certificate is refused, never trusted.
 */
function validityOf(cert: X509Certificate, what: string): { from: Date; to: Date } {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  for (const [field, text, date] of [['notBefore', cert.validFrom, from], ['notAfter', cert.validTo, to]] as const) {
    if (Number.isNaN(date.getTime())) throw untrusted(`${what} "${subjectOf(cert)}" has a ${field} that cannot be read (${JSON.stringify(text)})`);
  }
  return { from, to };
}

/** An issuer must be a CA allowed to sign certificates, within its path length limit. */
function checkCa(cert: X509Certificate, casBelow: number): void {
  const parsed = parseExtensions(cert);
  const bc = parsed.extBasicConstraints;
  if (!bc?.isCA) throw untrusted(`issuer "${subjectOf(cert)}" is not a CA certificate (basicConstraints cA is not set)`);
  const ku = parsed.extKeyUsage;
  if (ku && !ku.keyCertSign) throw untrusted(`issuer "${subjectOf(cert)}" may not sign certificates (keyUsage lacks keyCertSign)`);
  const limit = bc.pathLenConstraint;
  if (limit !== undefined && BigInt(casBelow) > limit) {
    throw untrusted(`issuer "${subjectOf(cert)}" allows ${limit} intermediate CA(s) below it, found ${casBelow}`);
  }
}

/** The leaf must be meant for signing: keyUsage digitalSignature or extendedKeyUsage codeSigning. */
function checkLeafUsage(leaf: X509Certificate): void {
  const ku = parseExtensions(leaf).extKeyUsage;
  const eku = leaf.keyUsage ?? [];
  if (ku?.digitalSignature || eku.includes(OID_CODE_SIGNING)) return;
  throw untrusted(`signing certificate "${subjectOf(leaf)}" is not for signing: it has neither keyUsage digitalSignature nor extendedKeyUsage codeSigning`);
}

/** The leaf's key must be one OMS signs with; any other comes from the bundle, so it fails verification. */
function checkLeafKey(leaf: X509Certificate): void {
  try {
    ecDigest(leaf.publicKey, `the key of signing certificate "${subjectOf(leaf)}"`);
  } catch (err) {
    throw unverifiedError('CERT_KEY_UNSUPPORTED', messageOf(err));
  }
}

function checkCriticalExtensions(cert: X509Certificate): void {
  for (const ext of parseExtensions(cert).extensions) {
    const oid = ext.subs[0]?.toOID();
    const critical = ext.subs.length === 3 && ext.subs[1]!.toBoolean();
    if (critical && oid && !KNOWN_EXTENSIONS.has(oid)) {
      throw untrusted(`certificate "${subjectOf(cert)}" has an unsupported critical extension ${oid}`);
    }
  }
}

const untrusted = (message: string): Error => unverifiedError('CERT_UNTRUSTED', message);
