import type { Serialization } from '../manifest/manifest.js';
/**
 * The serialization a bundle's statement appears to record, read from the two ends of its
 * payload without parsing the bundle, checking its signature or reading the resources;
 * undefined where it cannot be found that way. An unverified guess: it may only choose what
 * work to start early, never what is trusted, and must be compared with the verified
 * statement's before that work is used.
 */
export declare function readSerializationAhead(bundle: Uint8Array): Serialization | undefined;
