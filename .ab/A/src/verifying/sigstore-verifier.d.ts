import type { SigstoreTrust } from '../sigstore/trust.js';
import type { SignatureVerifier } from './signer-info.js';
/** The identity a keyless signature must carry. */
export interface SigstoreIdentity {
    /** The certificate's subject alternative name (an email or a URI), compared exactly. */
    readonly identity: string;
    /** The OIDC issuer recorded by Fulcio, compared exactly. */
    readonly issuer: string;
}
/**
 * Verifies Sigstore keyless bundles offline against a trusted root with sigstore-js: the
 * Fulcio chain, certificate transparency SCTs, the Rekor entry (inclusion proof or promise,
 * signed entry timestamp), RFC 3161 timestamps, then the identity policy (SAN and issuer
 * must equal the expected values exactly).
 */
export declare function sigstoreVerifier(trust: SigstoreTrust, expected: SigstoreIdentity): SignatureVerifier;
