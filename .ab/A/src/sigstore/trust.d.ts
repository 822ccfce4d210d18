/** A Sigstore trusted_root.json document (protobuf-specs JSON form). */
export type TrustedRootJson = Record<string, unknown>;
/** A Sigstore signing_config.json document: where Fulcio, Rekor and the TSA are. */
export type SigningConfigJson = Record<string, unknown>;
/** The trust for one Sigstore deployment, and where it came from (for reports). */
export interface SigstoreTrust {
    readonly trustedRoot: TrustedRootJson;
    readonly signingConfig?: SigningConfigJson;
    readonly source: string;
}
/**
 * The public-good trusted root pinned in this package: the `trusted_root.json` target that
 * @sigstore/tuf ships in its seeds. Using it never touches the network; refreshing it through
 * TUF is an explicit, separate step.
 */
export declare function publicGoodTrust(): SigstoreTrust;
/** Parses a trusted_root.json; a malformed one is a usage error naming the file. */
export declare function parseTrustedRoot(bytes: Uint8Array, source: string): TrustedRootJson;
/**
 * Parses a ClientTrustConfig (a trusted root plus a signing config), as sigstore-python and
 * model_signing write it; both `signingConfig` and `signing_config` spellings occur.
 */
export declare function parseTrustConfig(bytes: Uint8Array, source: string): SigstoreTrust;
/** Where the public-good instance signs: Fulcio, Rekor v1 and the timestamp authority. */
export declare const PUBLIC_GOOD_SIGNING_CONFIG: SigningConfigJson;
/** Where Sigstore's staging instance signs. Its trusted root is not pinned here. */
export declare const STAGING_SIGNING_CONFIG: SigningConfigJson;
