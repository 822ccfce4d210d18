import { type ErrorKind } from '../errors.js';
import type { FetchedManifest } from './content-store.js';
/** How a store's failures count: bytes that are not what was asked for, and bytes that are no usable manifest. */
export interface ManifestErrorKinds {
    readonly integrity: ErrorKind;
    readonly format: ErrorKind;
}
/**
 * Checks manifest bytes however they were fetched: first that they are the content asked
 * for (when a digest is known), then that they are a JSON manifest of a supported media
 * type (taken from the manifest, else from what the store says) whose fields have the
 * types the image spec gives them (so code reading it can trust them).
 */
export declare function checkManifest(bytes: Buffer, expected: {
    readonly digest?: string;
    readonly mediaType?: string;
}, what: string, kinds: ManifestErrorKinds): FetchedManifest;
