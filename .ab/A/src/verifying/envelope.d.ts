import { type KeyObject } from 'node:crypto';
import type { ParsedBundle } from '../bundle/bundle.js';
/**
 * Verifies the DSSE envelope with an EC public key: ECDSA with the curve's digest over the
 * PAE of the exact payload bytes. A v0.2-era payload (legacy predicate) is also tried over
 * the reference's old PAE with SHA-256, as that version signed it. Returns whether that
 * legacy path was the one that verified.
 */
export declare function verifyEnvelope(bundle: ParsedBundle, key: KeyObject): {
    legacyPae: boolean;
};
