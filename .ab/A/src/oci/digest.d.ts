import { ModelsignError } from '../errors.js';
/** Why a digest cannot be used here (an unsupported algorithm, a malformed encoding), or undefined. */
export declare function digestProblem(digest: string): string | undefined;
/**
 * Splits and checks a digest string; anything but a well-formed sha256/sha512 is refused.
 * A digest a registry sent is a failed source (the default); callers holding local input
 * (a layout, a command line) say how to fail with `refuse`, which gets the problem.
 */
export declare function parseDigest(digest: string, refuse?: (problem: string) => ModelsignError): {
    algorithm: string;
    hex: string;
};
export declare const sha256Digest: (bytes: Uint8Array) => string;
export declare function digestOf(bytes: Uint8Array, algorithm: string): string;
/**
 * Passes bytes through while hashing them, and fails at the end (or as soon as the size
 * is exceeded) when they are not the expected content.
 */
export declare function verifiedStream(source: AsyncIterable<Uint8Array>, expected: {
    digest: string;
    size?: number;
}, what: string, kind?: 'remote' | 'unverified'): AsyncGenerator<Uint8Array>;
