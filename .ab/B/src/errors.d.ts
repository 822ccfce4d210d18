/**
 * Error kinds map one-to-one onto the CLI's exit codes:
 * - `unverified` (1): a signature, bundle or model did not verify.
 * - `usage` (2): flags or local input the tool cannot use.
 * - `remote` (3): a remote source failed (network, auth, not found).
 */
export type ErrorKind = 'unverified' | 'usage' | 'remote';
/** An error that names the problem and says which kind of failure it is. */
export declare class ModelsignError extends Error {
    readonly kind: ErrorKind;
    /** A short stable code for machines, e.g. `BUNDLE_MALFORMED`. */
    readonly code: string;
    constructor(kind: ErrorKind, code: string, message: string, options?: {
        cause?: unknown;
    });
}
export declare const usageError: (code: string, message: string, cause?: unknown) => ModelsignError;
export declare const unverifiedError: (code: string, message: string, cause?: unknown) => ModelsignError;
/** The message of any thrown value, for reports. */
export declare function messageOf(err: unknown): string;
/**
 * An error's message followed by those of its causes, so the reason (a URL refused,
 * `ECONNREFUSED`, an HTTP status) is named, not only sigstore-js' summary of it.
 */
export declare function causeChain(err: unknown): string;
