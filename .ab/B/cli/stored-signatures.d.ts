import { type StoredSignature } from '../src/core.js';
/**
 * Reads stored signatures in turn and hands each bundle to `use` until it returns true;
 * returns the locations of those listed but gone. With the referrers tag schema, deleting a
 * signature leaves it listed in the fallback index unless the deleting tool updates it, so
 * a listed referrer can answer 404 (NOT_FOUND). It signs nothing: it is skipped, not fatal.
 */
export declare function lostSignatures<S extends StoredSignature>(signatures: readonly S[], use: (stored: S, bundle: Uint8Array) => Promise<boolean>): Promise<string[]>;
export declare const goneWarning: (location: string) => string;
/** What attaching a signature tidied up: referrers the fallback tag listed but the registry no longer held. */
export declare const prunedNotes: (pruned: readonly string[]) => string[];
