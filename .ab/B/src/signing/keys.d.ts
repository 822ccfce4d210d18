import { type KeyObject } from 'node:crypto';
/** The digest ECDSA uses with this key's curve; throws a usage error for any other key. */
export declare function ecDigest(key: KeyObject, what?: string): 'sha256' | 'sha384' | 'sha512';
/** Human name of an EC key's curve (`P-384`). */
export declare const curveName: (key: KeyObject) => string;
/**
 * Loads a PEM private key (optionally encrypted, with `password` as text or bytes) and checks
 * that it is a supported EC key. A password given for a key that is not encrypted is ignored.
 */
export declare function loadPrivateKey(pem: Buffer, password: string | Buffer | undefined, source: string): KeyObject;
/**
 * Loads a public key, in the forms the reference takes: a PEM PUBLIC KEY block (text before
 * it, certtool's dump say, is skipped as OpenSSL's PEM reader does), a DER
 * SubjectPublicKeyInfo (what KMS services hand out), or a bare compressed EC point (33, 49
 * or 67 bytes for P-256, P-384, P-521).
 */
export declare function loadPublicKey(bytes: Buffer, source: string): KeyObject;
/**
 * The SubjectPublicKeyInfo PEM text (64-column base64, trailing newline), naming the curve
 * as the reference writes it: a key read with explicit curve parameters keeps them in
 * Node's export, which would give another hint than the reference's for the same key.
 */
export declare function publicKeyPem(key: KeyObject): string;
/**
 * The reference's `publicKey.hint`: hex SHA-256 of the public key's PEM text, not its DER.
 */
export declare function publicKeyHint(key: KeyObject): string;
