import { unverifiedError, usageError } from '../errors.js';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse.js';
import { jsonShapeProblem } from './json-shape.js';
import { MAX_BUNDLE_BYTES } from '../limits.js';

/** The media type we write; the reference writes the same. */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export { MAX_BUNDLE_BYTES };
/** Room in a bundle beside its payload: the signature, a certificate chain, a log entry. */
const BUNDLE_OVERHEAD = 1024 * 1024;

/**
 * Refuses to sign a statement whose bundle would be over MAX_BUNDLE_BYTES, which no
 * verifier here would read (BUNDLE_TOO_LARGE, a usage error): before signing, so a
 * keyless run does not log a signature nobody can check.
 */
export function checkStatementSize(payload: Uint8Array, resources: number): void {
  const bundleBytes = Math.ceil(payload.length / 3) * 4 + BUNDLE_OVERHEAD;
  if (bundleBytes > MAX_BUNDLE_BYTES) {
    throw usageError(
      'BUNDLE_TOO_LARGE',
      `the statement for ${resources} resources is ${payload.length} bytes, so its bundle would be over the ${MAX_BUNDLE_BYTES}-byte limit of what verifiers here read: sign fewer files, or larger shards`,
    );
  }
}

/**
 * The most certificates a bundle's x509CertificateChain may hold. Real chains hold the leaf
 * and one to three CAs; certificate verification follows paths of at most 10 issuers, so 32
 * leaves room for every one of them three times over (a root carried along, cross-signed
 * alternatives). More can only be padding, and path building tries each certificate named
 * like the issuer it looks for (a signature check) at every step: a bundle of 140,000 such
 * decoys cost minutes of CPU. Such a chain is refused before anything is checked.
 */
export const MAX_CHAIN_CERTIFICATES = 32;

const ACCEPTED_MEDIA_TYPES = new Set([
  BUNDLE_MEDIA_TYPE,
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
]);

/** What the bundle offers to check the signature with; one kind per signing method. */
export type VerificationMaterial =
  | { readonly kind: 'publicKey'; readonly hint?: string; readonly rawBytes?: Buffer; readonly keyDetails?: string }
  | { readonly kind: 'x509CertificateChain'; readonly certificates: Buffer[] }
  | { readonly kind: 'certificate'; readonly certificate: Buffer };

export interface EnvelopeSignature {
  readonly sig: Buffer;
  readonly keyid?: string | null;
}

/** A structurally valid Sigstore bundle holding a DSSE envelope. Nothing is verified yet. */
export interface ParsedBundle {
  readonly mediaType: string;
  readonly material: VerificationMaterial;
  readonly tlogEntries: readonly unknown[];
  readonly payloadType: string;
  /** The exact payload bytes the signature covers. */
  readonly payload: Buffer;
  /** The envelope's one signature (a Sigstore bundle's DSSE envelope holds exactly one). */
  readonly signature: EnvelopeSignature;
  /** The parsed JSON document, for verifiers that need the rest (Sigstore). */
  readonly json: Record<string, unknown>;
}

const malformed = (message: string): never => {
  throw unverifiedError('BUNDLE_MALFORMED', `not a usable Sigstore bundle: ${message}`);
};

/**
 * How much JSON structure a bundle may have. A bundle nests about 6 deep and holds some
 * hundreds of values at most (its payload, most of it, is one base64 string), so these are
 * far beyond any real one, and bound what JSON.parse builds from a hostile file up to
 * MAX_BUNDLE_BYTES: 64 MB of nested `[` or of `{},` took over 2 GB to parse.
 */
const BUNDLE_SHAPE = { maxDepth: 64, maxTokens: 10_000 };

/** Parses a bundle file and checks its structure; throws `BUNDLE_MALFORMED` (exit 1) otherwise. */
export function parseBundle(bytes: Uint8Array): ParsedBundle {
  if (bytes.length === 0) return malformed('the signature file is empty');
  const shape = jsonShapeProblem(bytes, BUNDLE_SHAPE);
  if (shape) return malformed(`the signature file's JSON is not shaped like a bundle: ${shape}`);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return malformed(`the signature file is not JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) return malformed('the document is not a JSON object');
  const mediaType = doc.mediaType;
  if (mediaType === undefined) return malformed('it has no mediaType (a Sigstore bundle names its version there)');
  if (typeof mediaType !== 'string' || !ACCEPTED_MEDIA_TYPES.has(mediaType)) {
    return malformed(`unknown mediaType ${JSON.stringify(mediaType)}`);
  }
  const envelope = doc.dsseEnvelope;
  if (!isObject(envelope)) {
    return malformed(doc.messageSignature ? 'it holds a message signature, not the DSSE envelope OMS uses' : 'dsseEnvelope is missing');
  }
  if (typeof envelope.payloadType !== 'string') return malformed('dsseEnvelope.payloadType is missing');
  const payload = decodeBase64(envelope.payload, 'dsseEnvelope.payload');
  if (payload.length === 0) return malformed('dsseEnvelope.payload is empty');
  // DSSE allows several signatures, but the Sigstore bundle spec requires a verifier to
  // reject an envelope that does not hold exactly one (so does sigstore-js).
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length !== 1) {
    const count = Array.isArray(envelope.signatures) ? `${envelope.signatures.length} signatures` : 'no list of signatures';
    return malformed(`dsseEnvelope must hold exactly one signature, it holds ${count}`);
  }
  const s: unknown = envelope.signatures[0];
  if (!isObject(s)) return malformed('the signature is not an object');
  const sig = decodeBase64(s.sig, 'the signature');
  if (sig.length === 0) return malformed('the signature is empty');
  if (s.keyid !== undefined && s.keyid !== null && typeof s.keyid !== 'string') return malformed('the signature keyid is not a string');
  const signature: EnvelopeSignature = { sig, keyid: s.keyid as string | null | undefined };
  const vm = doc.verificationMaterial;
  if (!isObject(vm)) return malformed('verificationMaterial is missing');
  const tlogEntries = vm.tlogEntries ?? [];
  if (!Array.isArray(tlogEntries)) return malformed('verificationMaterial.tlogEntries is not a list');
  const notEntry = tlogEntries.findIndex((e) => !isObject(e));
  if (notEntry !== -1) return malformed(`verificationMaterial.tlogEntries[${notEntry}] is not an object`);
  const material = parseMaterial(vm, tlogEntries);
  return { mediaType, material, tlogEntries, payloadType: envelope.payloadType, payload, signature, json: doc };
}

// Bundles before v0.3 had no single `certificate`: a keyless signer's Fulcio certificate came
// as an `x509CertificateChain` (as cosign and older sigstore-python wrote them), told apart
// from the certificate method's chains by its transparency log entries, which OMS
// certificate bundles never carry.
const CHAIN_MEDIA_TYPES = new Set(['application/vnd.dev.sigstore.bundle+json;version=0.1', 'application/vnd.dev.sigstore.bundle+json;version=0.2']);

/** The OMS signing method a bundle was made with, from its verification material. */
export function signingMethod(bundle: ParsedBundle): 'key' | 'certificate' | 'sigstore' {
  const m = bundle.material;
  if (m.kind === 'publicKey') return 'key';
  if (m.kind === 'certificate') return 'sigstore';
  return CHAIN_MEDIA_TYPES.has(bundle.mediaType) && bundle.tlogEntries.length > 0 ? 'sigstore' : 'certificate';
}

/** The signer's certificate (DER): the keyless one, or the first of a chain; none for a key. */
export function signingCertificate(material: VerificationMaterial): Buffer | undefined {
  if (material.kind === 'certificate') return material.certificate;
  return material.kind === 'x509CertificateChain' ? material.certificates[0] : undefined;
}

function parseMaterial(vm: Record<string, unknown>, tlogEntries: unknown[]): VerificationMaterial {
  // In protobuf's JSON mapping a null field is an unset one.
  const kinds = ['publicKey', 'x509CertificateChain', 'certificate'].filter((k) => vm[k] !== undefined && vm[k] !== null);
  if (kinds.length !== 1) {
    return malformed(kinds.length === 0 ? 'verificationMaterial has no key or certificate' : `verificationMaterial has ${kinds.join(' and ')}`);
  }
  if (isObject(vm.publicKey)) {
    const { hint, rawBytes, keyDetails } = vm.publicKey;
    if (hint !== undefined && typeof hint !== 'string') return malformed('publicKey.hint is not a string');
    if (hint === undefined && rawBytes === undefined) return malformed('publicKey has neither hint nor rawBytes');
    return {
      kind: 'publicKey',
      ...(hint !== undefined ? { hint } : {}),
      ...(rawBytes !== undefined ? { rawBytes: decodeBase64(rawBytes, 'publicKey.rawBytes') } : {}),
      ...(typeof keyDetails === 'string' ? { keyDetails } : {}),
    };
  }
  if (isObject(vm.x509CertificateChain)) {
    const certs = vm.x509CertificateChain.certificates;
    if (!Array.isArray(certs) || certs.length === 0) return malformed('x509CertificateChain has no certificates');
    if (certs.length > MAX_CHAIN_CERTIFICATES) {
      return malformed(`x509CertificateChain holds ${certs.length} certificates, more than the ${MAX_CHAIN_CERTIFICATES} a certificate chain may hold`);
    }
    return {
      kind: 'x509CertificateChain',
      certificates: certs.map((c: unknown, i) => decodeBase64(isObject(c) ? c.rawBytes : undefined, `certificate ${i}`)),
    };
  }
  if (isObject(vm.certificate)) {
    // A keyless (Fulcio) certificate is only trustworthy with a transparency log entry.
    if (tlogEntries.length === 0) return malformed('a Sigstore keyless bundle must carry transparency log entries (tlogEntries)');
    return { kind: 'certificate', certificate: decodeBase64(vm.certificate.rawBytes, 'certificate') };
  }
  return malformed(`verificationMaterial.${kinds[0]} is not an object`);
}

// Bytes in protobuf's JSON mapping: standard or URL-safe base64, with or without padding (as
// protojson, and so sigstore-go and cosign, read them); the URL-safe alphabet is used when
// `-` or `_` appears. No other character, whitespace included, and padding, if any, whole.
// (A pattern repeating 4-character groups recursed per group and threw RangeError on
// payloads of some megabytes. An unanchored search for one character outside the alphabet
// scans about 3x faster than matching the anchored class, ~2 ms against ~7 ms per 4 MB.)
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
const NOT_BASE64URL = /[^A-Za-z0-9\-_=]/;
const URL_SAFE = /[-_]/;
function base64Encoding(s: string): 'base64' | 'base64url' | undefined {
  const encoding = URL_SAFE.test(s) ? 'base64url' : 'base64';
  if ((encoding === 'base64url' ? NOT_BASE64URL : NOT_BASE64).test(s)) return undefined;
  const pad = s.indexOf('=');
  if (pad === -1) return s.length % 4 === 1 ? undefined : encoding;
  const whole = s.length % 4 === 0 && (pad === s.length - 1 || (pad === s.length - 2 && s.charCodeAt(s.length - 1) === EQUALS));
  return whole ? encoding : undefined;
}
const EQUALS = 0x3d;

function decodeBase64(value: unknown, what: string): Buffer {
  const encoding = typeof value === 'string' ? base64Encoding(value) : undefined;
  if (encoding === undefined) return malformed(`${what} is not base64`);
  return Buffer.from(value as string, encoding);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Material for a bundle we write. */
export type BuildMaterial =
  | { readonly kind: 'publicKey'; readonly hint: string }
  | { readonly kind: 'x509CertificateChain'; readonly certificates: readonly Buffer[] };

/**
 * Writes a key or certificate bundle in the reference's shape: compact JSON,
 * `tlogEntries: []` and `keyid: ""`. The bytes are those of `JSON.stringify` on the whole
 * document, but the payload's base64 (most of a bundle for a model of many files) is
 * written straight into the result instead of passing through a JSON string: over a
 * 33 MB statement that took ~200 ms, this ~40 ms.
 */
export function buildBundle(material: BuildMaterial, payload: Uint8Array, signature: Uint8Array): Buffer {
  const verificationMaterial =
    material.kind === 'publicKey'
      ? { publicKey: { hint: material.hint }, tlogEntries: [] }
      : {
          x509CertificateChain: { certificates: material.certificates.map((c) => ({ rawBytes: c.toString('base64') })) },
          tlogEntries: [],
        };
  const document = JSON.stringify({
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial,
    dsseEnvelope: {
      payload: '',
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: Buffer.from(signature).toString('base64'), keyid: '' }],
    },
  });
  // JSON.stringify escapes every quote inside a string, so this can only be the envelope's
  // own (empty) payload; base64 needs no escaping.
  const at = document.indexOf(PAYLOAD_SLOT) + PAYLOAD_SLOT.length - 1;
  const [before, after] = [document.slice(0, at), document.slice(at)];
  const base64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
  const head = Buffer.byteLength(before, 'utf8');
  const bytes = Buffer.allocUnsafe(head + base64.length + Buffer.byteLength(after, 'utf8'));
  bytes.write(before, 0, 'utf8');
  bytes.write(base64, head, 'latin1');
  bytes.write(after, head + base64.length, 'utf8');
  return bytes;
}

const PAYLOAD_SLOT = '"dsseEnvelope":{"payload":""';
