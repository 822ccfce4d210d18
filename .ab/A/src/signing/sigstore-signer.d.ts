import type { Manifest } from '../manifest/manifest.js';
import type { SigningConfigJson } from '../sigstore/trust.js';
/** How to sign keylessly: which Sigstore services, and whose identity. */
export interface KeylessSigningOptions {
    /** Fulcio, Rekor and TSA URLs (a signing_config.json); private deployments bring their own. */
    readonly signingConfig: SigningConfigJson;
    /** An OIDC identity token; without it, ambient CI credentials (GitHub Actions) are used. */
    readonly identityToken?: string;
    /** Per-request timeout in milliseconds. */
    readonly timeoutMs?: number;
}
/**
 * Signs a manifest keylessly: an ephemeral key certified by Fulcio for the OIDC identity,
 * the DSSE envelope logged in Rekor and timestamped by the TSA the signing config names.
 * Service failures are remote errors (exit 3); a missing identity is a usage error.
 */
export declare function signManifestKeyless(manifest: Manifest, options: KeylessSigningOptions): Promise<Buffer>;
/**
 * Returns the token, or throws IDENTITY_TOKEN_EXPIRED (a usage error) if its `exp` claim
 * is past: Fulcio would refuse it with a message that does not say why. The claim is read
 * without verifying anything (Fulcio verifies the token); a token without one, or no JWT,
 * passes, for Fulcio to judge.
 */
export declare function checkIdentityTokenExpiry(token: string, now?: Date): string;
