import type { OciOptions } from '../adapters/oci/index.js';
/** Flags for talking to registries. */
export declare const ociOptions: {
    readonly 'plain-http': {
        readonly alias: "plain_http";
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Use plain HTTP for a non-loopback registry (loopback registries always may)";
    };
    readonly username: {
        readonly type: "string";
        readonly describe: "Registry username (default: docker credentials)";
    };
    readonly 'password-stdin': {
        readonly alias: "password_stdin";
        readonly type: "boolean";
        readonly default: false;
        readonly describe: "Read the registry password from standard input";
    };
};
export interface OciArgs {
    'plain-http': boolean;
    username?: string;
    'password-stdin': boolean;
}
export { isOciReference } from '../src/core.js';
/**
 * push, attach, discover and pull take a registry or layout reference only: a bare name
 * would otherwise be read as a Docker Hub repository (docker's short names) and fail remotely.
 */
export declare function requireOciReference(command: string, reference: string): void;
/** Registry access from the flags: explicit credentials, else docker's config and helpers. */
export declare function ociAccess(argv: OciArgs): Promise<OciOptions>;
/** Standard input, read to its end (the registry password of --password-stdin, a key's of --password-file -). */
export declare function readStdin(): Promise<Buffer>;
/** The bytes without one trailing `\n` or `\r\n`, the end of the line a password is typed or echoed on. */
export declare function withoutLineEnd(bytes: Buffer): Buffer;
