import { type ModelSource, type SignatureStore, type SignatureVerifier, type VerificationReport, type VerifyModelOptions } from '../../src/core.js';
import { type VerifyTrustArgs } from '../sigstore-trust.js';
export type VerifyMethod = 'key' | 'certificate' | 'sigstore';
/** What each method needs to know whom to trust. */
export type TrustMaterialArgs = Partial<VerifyTrustArgs> & {
    'public-key'?: string;
    'certificate-chain'?: string[];
    'valid-at'?: string;
    'log-fingerprints'?: boolean;
    identity?: string;
    'identity-provider'?: string;
};
/** Every method's trust flags, none demanded (for `pull --verify <method>`). */
export declare const allMethodOptions: {
    offline: {
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Guarantee no network access (verification never needs it)";
    };
    'refresh-trust-root': {
        readonly alias: "refresh_trust_root";
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Fetch the current public-good trusted root through TUF first (online)";
    };
    'trust-config': {
        readonly alias: "trust_config";
        readonly type: "string";
        readonly describe: "A Sigstore ClientTrustConfig JSON (trusted root + signing config), for private deployments";
    };
    'use-staging': {
        readonly alias: "use_staging";
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Use Sigstore's staging instance";
    };
    identity: {
        readonly type: "string";
        readonly describe: "The signer's identity: the certificate SAN (email or URI), matched exactly";
    };
    'identity-provider': {
        readonly alias: "identity_provider";
        readonly type: "string";
        readonly describe: "The OIDC issuer, matched exactly";
    };
    'trusted-root': {
        readonly alias: "trusted_root";
        readonly type: "string";
        readonly describe: "A Sigstore trusted_root.json (default: the public-good root pinned in the package)";
    };
    'certificate-chain': {
        readonly alias: "certificate_chain";
        readonly type: "string";
        readonly array: true;
        readonly describe: "PEM trust anchor certificates (repeatable; a file may hold several)";
    };
    'valid-at': {
        readonly alias: "valid_at";
        readonly type: "string";
        readonly describe: "When the certificate chain must have been valid: \"issued\" (the default, as the reference: when the signing certificate was issued, so a signature outlives its expiry), \"now\", or an ISO 8601 time";
    };
    'log-fingerprints': {
        readonly alias: "log_fingerprints";
        readonly type: "boolean";
        readonly describe: "Print the SHA-256 fingerprint of every trust anchor and of every certificate in a bundle's chain (stderr)";
    };
    'public-key': {
        readonly alias: "public_key";
        readonly type: "string";
        readonly describe: "Public key: PEM, DER SubjectPublicKeyInfo or a compressed EC point";
    };
};
/** Builds the verifier for a method from its flags; a missing flag is a usage error. */
export declare function verifierFor(method: VerifyMethod, argv: TrustMaterialArgs): Promise<SignatureVerifier>;
/** How one stored signature fared. */
export interface SignatureOutcome {
    /** Where the signature is. */
    readonly signature: string;
    readonly verified: boolean;
    /** Why it did not verify. */
    readonly error?: {
        readonly code: string;
        readonly message: string;
    };
}
/**
 * A report on a model checked against stored signatures: the report of the signature that
 * decided, and, when more than one was tried, how each of them fared.
 */
export type StoreReport = VerificationReport & {
    readonly signatures?: readonly SignatureOutcome[];
};
/** The outcome of checking a model against every signature a store holds. */
export interface StoreVerification {
    readonly report: StoreReport;
    /** Where the signature that decided the outcome is. */
    readonly signature: string;
    readonly signaturesFound: number;
}
/**
 * Verifies against the stored signatures; the model verifies if one of them does. The
 * checks share one listing and one digest memo, so a model is listed and read once however
 * many signatures it has. When none verifies, the report is that of the signature that came
 * closest (the most checks passed, so a signature by the right signer over other content,
 * whose report names the files that differ, is preferred to one by another key), and with
 * several tried, `signatures` gives each one's reason.
 */
export declare function verifyWithStore(source: ModelSource, store: SignatureStore, verifier: SignatureVerifier, options: Omit<VerifyModelOptions, 'source' | 'bundle' | 'verifier' | 'memo' | 'listings'>): Promise<StoreVerification>;
export declare const verifyCommand: import("yargs").CommandModule<{}, {}>;
