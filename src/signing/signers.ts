import { sign, X509Certificate, type KeyObject } from 'node:crypto';
import { usageError } from '../errors.js';
import { buildBundle, checkStatementSize, MAX_CHAIN_CERTIFICATES, type BuildMaterial } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, pae } from '../bundle/dsse.js';
import { buildStatement } from '../manifest/statement.js';
import type { Manifest } from '../manifest/manifest.js';
import { subjectOf } from './certificates.js';
import { ecDigest, publicKeyHint } from './keys.js';

/** Produces the signature and the verification material of a bundle. */
export interface Signer {
  readonly method: 'key' | 'certificate';
  readonly material: BuildMaterial;
  /** Signs the DSSE PAE bytes; returns a DER signature. */
  sign(data: Buffer): Buffer;
}

/** A signer for the key method: ECDSA with the curve's digest, bundle carries the key hint. */
export function keySigner(privateKey: KeyObject): Signer {
  const digest = ecDigest(privateKey);
  return {
    method: 'key',
    material: { kind: 'publicKey', hint: publicKeyHint(privateKey) },
    sign: (data) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
  };
}

/**
 * A signer for the certificate method: the bundle carries [leaf, ...chain] as DER.
 * The private key must belong to the leaf certificate, and the chain be at most
 * MAX_CHAIN_CERTIFICATES long, leaf included.
 */
export function certificateSigner(privateKey: KeyObject, leaf: X509Certificate, chain: readonly X509Certificate[]): Signer {
  const digest = ecDigest(privateKey);
  if (!leaf.checkPrivateKey(privateKey)) {
    throw usageError('KEY_CERT_MISMATCH', `the private key does not belong to the signing certificate (${subjectOf(leaf)})`);
  }
  ecDigest(leaf.publicKey, 'the signing certificate key');
  // No verifier here would read a longer chain (parseBundle refuses it).
  if (1 + chain.length > MAX_CHAIN_CERTIFICATES) {
    throw usageError('CERT_UNUSABLE', `the certificate chain holds ${chain.length} certificates besides the signing certificate: a bundle's chain may hold at most ${MAX_CHAIN_CERTIFICATES} in all`);
  }
  return {
    method: 'certificate',
    material: { kind: 'x509CertificateChain', certificates: [leaf.raw, ...chain.map((c) => c.raw)] },
    sign: (data) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
  };
}

/** Signs a manifest: in-toto statement, DSSE over its exact bytes, Sigstore bundle JSON. */
export function signManifest(manifest: Manifest, signer: Signer): Buffer {
  const payload = buildStatement(manifest);
  checkStatementSize(payload, manifest.resources.length);
  const signature = signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
  return buildBundle(signer.material, payload, signature);
}
