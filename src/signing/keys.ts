import { createHash, createPrivateKey, createPublicKey, ECDH, type KeyObject } from 'node:crypto';
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
    // PEM encryption has no integrity check, only CBC padding: about one wrong password in 256
    // gets past it and decrypts to bytes that are no key, which is the same mistake.
    if (password !== undefined && (isDecryptFailure(err) || isEncryptedPem(pem))) {
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
 * Loads a public key, in the forms the reference takes: a PEM PUBLIC KEY block (text before
 * it, certtool's dump say, is skipped as OpenSSL's PEM reader does), a DER
 * SubjectPublicKeyInfo (what KMS services hand out), or a bare compressed EC point (33, 49
 * or 67 bytes for P-256, P-384, P-521).
 */
export function loadPublicKey(bytes: Buffer, source: string): KeyObject {
  const key = bytes.includes('-----BEGIN') ? fromPem(bytes, source) : fromBinary(bytes, source);
  ecDigest(key, `public key ${source}`);
  return key;
}

function fromPem(bytes: Buffer, source: string): KeyObject {
  const block = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(bytes.toString('utf8'))?.[0];
  // Node would also derive a public key from a private key or a certificate: the reference
  // takes only a PUBLIC KEY block, and a private key given here is a slip worth stopping.
  if (block === undefined) {
    const hint = /-----BEGIN CERTIFICATE-----/.test(bytes.toString('latin1'))
      ? ' (it holds a certificate: verify it with `verify certificate`, or take its key out with `openssl x509 -pubkey -noout -in FILE`)'
      : /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(bytes.toString('latin1'))
        ? ' (it holds a private key: give its public key, `openssl pkey -pubout -in FILE`)'
        : '';
    throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: it holds no PEM PUBLIC KEY block${hint}`);
  }
  try {
    return createPublicKey({ key: block, format: 'pem' });
  } catch (err) {
    throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: not a PEM public key`, err);
  }
}

// A compressed point is its 0x02/0x03 prefix and the x coordinate.
const COMPRESSED_POINT_CURVES: Record<number, { readonly openssl: string; readonly jwk: string }> = {
  33: { openssl: 'prime256v1', jwk: 'P-256' },
  49: { openssl: 'secp384r1', jwk: 'P-384' },
  67: { openssl: 'secp521r1', jwk: 'P-521' },
};

function fromBinary(bytes: Buffer, source: string): KeyObject {
  const curve = COMPRESSED_POINT_CURVES[bytes.length];
  if (curve && (bytes[0] === 0x02 || bytes[0] === 0x03)) {
    let point: Buffer;
    try {
      // Decoding checks that the point is on the curve.
      point = ECDH.convertKey(bytes, curve.openssl, undefined, undefined, 'uncompressed') as Buffer;
    } catch (err) {
      throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: its ${bytes.length} bytes are not a point of ${curve.jwk}`, err);
    }
    const half = (point.length - 1) / 2;
    const x = point.subarray(1, 1 + half).toString('base64url');
    const y = point.subarray(1 + half).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: curve.jwk, x, y }, format: 'jwk' });
  }
  try {
    return createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch (err) {
    throw usageError('KEY_UNREADABLE', `cannot read public key ${source}: it is neither a PEM PUBLIC KEY block, a DER SubjectPublicKeyInfo nor a compressed EC point`, err);
  }
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
