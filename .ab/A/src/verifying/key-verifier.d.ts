import type { KeyObject } from 'node:crypto';
import { type ParsedBundle } from '../bundle/bundle.js';
import type { SignatureVerifier } from './signer-info.js';
/**
 * Verifies key-method bundles with a public key. A bundle of another method fails here, even
 * though the reference's key verifier would ignore a certificate chain: a signature checked
 * by a method it was not made for proves less than the caller asked.
 */
export declare function keyVerifier(publicKey: KeyObject): SignatureVerifier;
/** The error for a bundle verified with a method it was not signed with. */
export declare function wrongMethod(asked: string, bundle: ParsedBundle): Error;
