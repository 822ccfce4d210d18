import { X509Certificate, type KeyObject } from 'node:crypto';
import { type BuildMaterial } from '../bundle/bundle.js';
import type { Manifest } from '../manifest/manifest.js';
/** Produces the signature and the verification material of a bundle. */
export interface Signer {
    readonly method: 'key' | 'certificate';
    readonly material: BuildMaterial;
    /** Signs the DSSE PAE bytes; returns a DER signature. */
    sign(data: Buffer): Buffer;
}
/** A signer for the key method: ECDSA with the curve's digest, bundle carries the key hint. */
export declare function keySigner(privateKey: KeyObject): Signer;
/**
 * A signer for the certificate method: the bundle carries [leaf, ...chain] as DER.
 * The private key must belong to the leaf certificate.
 */
export declare function certificateSigner(privateKey: KeyObject, leaf: X509Certificate, chain: readonly X509Certificate[]): Signer;
/** Signs a manifest: in-toto statement, DSSE over its exact bytes, Sigstore bundle JSON. */
export declare function signManifest(manifest: Manifest, signer: Signer): Buffer;
