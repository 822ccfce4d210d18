import { type SigningConfigJson, type SigstoreTrust } from '../src/core.js';
/** Flags that choose which Sigstore deployment to trust or sign with. */
export declare const trustOptions: {
    readonly 'trust-config': {
        readonly alias: "trust_config";
        readonly type: "string";
        readonly describe: "A Sigstore ClientTrustConfig JSON (trusted root + signing config), for private deployments";
    };
    readonly 'use-staging': {
        readonly alias: "use_staging";
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Use Sigstore's staging instance";
    };
};
export interface TrustArgs {
    'trust-config'?: string;
    'use-staging': boolean;
}
export interface VerifyTrustArgs extends TrustArgs {
    'trusted-root'?: string;
    offline: boolean;
    'refresh-trust-root': boolean;
}
/**
 * The trusted root to verify against. By default the public-good root pinned in the
 * package: no network. Only `--refresh-trust-root` goes online (TUF), and `--offline` forbids it.
 */
export declare function verificationTrust(argv: VerifyTrustArgs): Promise<SigstoreTrust>;
/** The signing config for `sign sigstore`: from --trust-config, staging, or the public-good instance. */
export declare function signingConfigFor(argv: TrustArgs): Promise<SigningConfigJson>;
