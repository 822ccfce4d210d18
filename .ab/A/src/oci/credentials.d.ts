/**
 * Credentials for one registry. `source` says where they came from (a flag, a docker config
 * entry, a credential helper), never what they are: a registry that refuses them is
 * reported naming it, so the user knows which login to fix.
 */
export type Credentials = ({
    readonly kind: 'basic';
    readonly username: string;
    readonly password: string;
}
/** An OAuth2 refresh token (`identitytoken` in docker's config). */
 | {
    readonly kind: 'identity-token';
    readonly token: string;
}) & {
    readonly source?: string;
};
/** Credentials as a message names them: whose, and from where; never the secret. */
export declare function describeCredentials(creds: Credentials): string;
/** Finds credentials for a registry host; undefined means anonymous. */
export type CredentialResolver = (registry: string) => Promise<Credentials | undefined>;
/**
 * Credentials the way docker, oras and skopeo find them: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` (`credHelpers`, then `credsStore`, then `auths`). Explicit
 * credentials, when given, win for every registry.
 */
export declare function dockerCredentials(explicit?: Credentials, configDir?: string): CredentialResolver;
