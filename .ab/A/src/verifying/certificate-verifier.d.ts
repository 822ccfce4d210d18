import { X509Certificate } from 'node:crypto';
import type { SignatureVerifier } from './signer-info.js';
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
 * intermediates to one of the caller's trust anchors, checking each signature, validity
 * period, CA constraints and unknown critical extensions, then the leaf's key usage, then
 * the envelope signature with the leaf's key.
 */
export declare function certificateVerifier(trustAnchors: readonly X509Certificate[], options?: CertificateVerifierOptions): SignatureVerifier;
/**
 * What the verifier requires of a signing certificate by itself, whatever the trust anchors
 * and the time: no critical extension it does not understand, and meant for signing
 * (keyUsage digitalSignature or extendedKeyUsage codeSigning). Throws as verification does
 * (CERT_UNTRUSTED, the same message), so `sign certificate` can refuse, before hashing, a
 * leaf whose signatures `verify certificate` would always reject.
 */
export declare function checkSigningCertificate(leaf: X509Certificate): void;
/** Throws, as verification does, unless the signing certificate is valid at `at` (now by default). */
export declare function checkSigningCertificateValidity(leaf: X509Certificate, at?: Date): void;
