import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { usageError } from '../errors.js';

/** The ECDSA curves OMS key signing uses, each with its digest. */
const CURVE_DIGESTS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  prime256v1: 'sha256',
  secp384r1: 'sha384',
  secp521r1: 'sha512',
};

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The digest ECDSA uses with this key's curve; throws a usage error for any other key. */
export function ecDigest(key: KeyObject, what = 'key'): 'sha256' | 'sha384' | 'sha512' {
  if (key.asymmetricKeyType !== 'ec') {
    throw usageError(
      'KEY_UNSUPPORTED',
      `${what} is ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}; OMS key signing supports ECDSA P-256, P-384 and P-521 only`,
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  const digest = CURVE_DIGESTS[curve];
  if (!digest) throw usageError('KEY_UNSUPPORTED', `${what} uses curve ${curve}; supported curves are P-256, P-384 and P-521`);
  return digest;
}

/** Human name of an EC key's curve (`P-384`). */
export const curveName = (key: KeyObject): string => CURVE_NAMES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'unknown';

/**
 * Loads a PEM private key (optionally encrypted, with `password` as text or bytes) and checks
 * that it is a supported EC key. A password given for a key that is not encrypted is ignored.
 */
export function loadPrivateKey(pem: Buffer, password: string | Buffer | undefined, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(password === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase: password });
  } catch (err) {
    // Node reports a missing passphrase as ERR_MISSING_PASSPHRASE or, with OpenSSL 3, as an
    // interrupted password callback; the PEM header says it is encrypted either way.
    if (password === undefined && isEncryptedPem(pem)) {
      throw usageError('KEY_ENCRYPTED', `private key ${source} is encrypted; give its password with --password-file, MODELSIGN_PASSWORD or --password`, err);
    }
    if (password !== undefined && isDecryptFailure(err)) {
      throw usageError('KEY_PASSWORD', `cannot decrypt private key ${source}: wrong password`, err);
    }
    throw usageError('KEY_UNREADABLE', `cannot read private key ${source}: not a PEM private key`, err);
  }
  ecDigest(key, `private key ${source}`);
  return key;
}

const isEncryptedPem = (pem: Buffer): boolean => /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem.toString('latin1'));

const isDecryptFailure = (err: unknown): boolean => /bad decrypt|decrypt|passphrase/i.test((err as Error).message);

/**
 * Loads a PEM public key. Text before the PEM block (certtool's dump, say) is skipped, as
 * OpenSSL's PEM reader does.
 */
export function loadPublicKey(pem: Buffer, source: string): KeyObject {
  const text = pem.toString('utf8');
  const block = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(text)?.[0];
  // Node would also derive a public key from a private key or a certificate: the reference
  // takes only a PUBLIC KEY block, and a private key given here is a slip worth stopping.
  if (block === undefined) throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: it holds no PEM PUBLIC KEY block`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block, format: 'pem' });
  } catch (err) {
    throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: not a PEM public key`, err);
  }
  ecDigest(key, `public key ${source}`);
  return key;
}

/**
 * The SubjectPublicKeyInfo PEM text (64-column base64, trailing newline), naming the curve
 * as the reference writes it: a key read with explicit curve parameters keeps them in
 * Node's export, which would give another hint than the reference's for the same key.
 */
export function publicKeyPem(key: KeyObject): string {
  const named = key.asymmetricKeyType === 'ec' ? createPublicKey({ key: key.export({ format: 'jwk' }), format: 'jwk' }) : key;
  return named.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The reference's `publicKey.hint`: hex SHA-256 of the public key's PEM text, not its DER.
 */
export function publicKeyHint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKeyPem(pub), 'utf8').digest('hex');
}
