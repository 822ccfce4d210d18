import { createHash } from 'node:crypto';
import { unverifiedError } from '../errors.js';
import { isHashAlgorithm, type HashAlgorithm } from '../hashing/algorithms.js';
import { isNormalRelative } from '../hashing/ignore.js';
import {
  comparePaths,
  forJoinedHex,
  HEX_JOIN,
  parseShardName,
  resourceAlgorithm,
  rootDigest,
  type Manifest,
  type Resource,
  type Serialization,
} from './manifest.js';

/** The in-toto Statement v1 `_type`. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The OMS predicate type (v1.0) this tool signs. */
export const PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** The reference's v0.2 predicate type, verified for compatibility (one subject per file). */
export const LEGACY_PREDICATE_TYPE = 'https://model_signing/Digests/v0.1';

/**
 * Serializes a manifest as the in-toto statement the reference writes, byte for byte:
 * two-space indentation, its key order, and `shard_size` as a float (`1000000000.0`),
 * since the reference's predicate is a protobuf Struct.
 */
export function buildStatement(manifest: Manifest): Buffer {
  const s = manifest.serialization;
  const serialization: Record<string, unknown> = {
    method: s.method,
    hash_type: s.hashType,
    allow_symlinks: s.allowSymlinks,
  };
  if (s.method === 'shards') serialization.shard_size = s.shardSize;
  if (s.ignorePaths && s.ignorePaths.length > 0) serialization.ignore_paths = [...s.ignorePaths].sort();
  const statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.rootDigest } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      serialization,
      resources: manifest.resources.map((r) => ({ algorithm: r.algorithm, digest: r.digest, name: r.name })),
    },
  };
  const text = JSON.stringify(statement, null, 2);
  if (s.method !== 'shards') return asciiJson(text);
  // The indentation pins this to the serialization object's own key; names are escaped strings
  // and cannot produce a raw newline, so no resource can match. (Only a shards statement has
  // the key, which precedes the resources: a files statement of 200,000 resources was
  // searched to its end for nothing, ~35 ms.)
  return asciiJson(text.replace(/\n {6}"shard_size": (\d+)(,?)\n/, (_m, n: string, comma: string) => `\n      "shard_size": ${n}.0${comma}\n`));
}

/**
 * JSON text as the reference writes it (Python's json.dumps with its default ensure_ascii):
 * every character outside space..~ in a string as `\uXXXX`, lowercase, astral characters as
 * their surrogate pairs (which is how a JS string holds them). JSON.stringify already escapes
 * the control characters the same way. Most statements are ASCII: the UTF-8 bytes, needed
 * anyway, then have one byte per character, and only DEL is left to look for.
 */
function asciiJson(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length && !text.includes('\u007f')) return bytes;
  return Buffer.from(text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1');
}

/** A statement read back from a verified payload. */
export interface ParsedStatement {
  /** The manifest as signed, resources in payload order. */
  readonly manifest: Manifest;
  /** True for the v0.2-era `Digests/v0.1` predicate. */
  readonly legacy: boolean;
}

const fail = (message: string): never => {
  throw unverifiedError('STATEMENT_INVALID', `invalid statement: ${message}`);
};

/**
 * Parses and checks the exact payload bytes of a verified envelope: statement type,
 * predicate type, one subject, resource names that stay inside the model, digests of the
 * right length, no duplicates, and the root digest.
 */
export function parseStatement(payload: Uint8Array): ParsedStatement {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return fail('payload is not UTF-8 JSON');
  }
  if (!isObject(doc)) return fail('payload is not a JSON object');
  if (doc._type !== STATEMENT_TYPE) return fail(`_type is ${JSON.stringify(doc._type)}, expected ${STATEMENT_TYPE}`);
  if (!Array.isArray(doc.subject)) return fail('subject is not a list');
  if (doc.predicateType === LEGACY_PREDICATE_TYPE) return parseLegacy(doc.subject);
  if (doc.predicateType !== PREDICATE_TYPE) {
    return fail(`predicateType is ${JSON.stringify(doc.predicateType)}, expected ${PREDICATE_TYPE}`);
  }
  if (doc.subject.length !== 1) return fail(`expected exactly one subject, found ${doc.subject.length}`);
  const subject = doc.subject[0];
  if (!isObject(subject) || !isObject(subject.digest)) return fail('subject has no digest');
  const subjectDigest = subject.digest.sha256;
  if (typeof subjectDigest !== 'string' || !/^[0-9a-f]{64}$/.test(subjectDigest)) {
    return fail('subject digest is not a SHA-256 hex digest');
  }
  const modelName = typeof subject.name === 'string' ? subject.name : '';
  if (!isObject(doc.predicate)) return fail('predicate is not an object');
  const serialization = parseSerialization(doc.predicate.serialization);
  const { resources, root } = parseResources(doc.predicate.resources, serialization);
  if (root !== subjectDigest) {
    throw unverifiedError(
      'ROOT_MISMATCH',
      `statement root digest ${subjectDigest} does not match its resources, which hash to ${root}`,
    );
  }
  return { manifest: { modelName, serialization, resources, rootDigest: root }, legacy: false };
}

/** Reads `predicate.serialization`; throws STATEMENT_INVALID (unverified) if it is not one. */
export function parseSerialization(value: unknown): Serialization {
  if (!isObject(value)) return fail('predicate.serialization is not an object');
  const { method, hash_type: hashType, allow_symlinks: allowSymlinks, shard_size: shardSize, ignore_paths: ignorePaths } = value;
  if (method !== 'files' && method !== 'shards') return fail(`unknown serialization method ${JSON.stringify(method)}`);
  if (!isHashAlgorithm(hashType)) return fail(`unknown hash_type ${JSON.stringify(hashType)}`);
  if (allowSymlinks !== undefined && typeof allowSymlinks !== 'boolean') return fail('allow_symlinks is not a boolean');
  let paths: string[] | undefined;
  if (ignorePaths !== undefined) {
    if (!Array.isArray(ignorePaths) || !ignorePaths.every((p) => typeof p === 'string')) {
      return fail('ignore_paths is not a list of strings');
    }
    paths = ignorePaths as string[];
  }
  const base = { hashType, allowSymlinks: allowSymlinks ?? false, ...(paths ? { ignorePaths: paths } : {}) };
  if (method === 'files') return { method, ...base };
  // The reference writes shard_size as a float (1000000000.0); JSON gives us the number.
  if (typeof shardSize !== 'number' || !Number.isSafeInteger(shardSize) || shardSize <= 0) {
    return fail(`shard_size ${JSON.stringify(shardSize)} is not a positive integer`);
  }
  return { method, shardSize, ...base };
}

const DIGEST_HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, blake2b: 128, blake3: 64 };

function parseResources(value: unknown, serialization: Serialization): { resources: Resource[]; root: string } {
  if (!Array.isArray(value)) return fail('predicate.resources is not a list');
  const accepted = new Set([serialization.hashType, resourceAlgorithm(serialization)]);
  const hexLength = DIGEST_HEX_LENGTH[serialization.hashType];
  // Checking all digests at once (and hashing them for the root as it goes) is several
  // times faster than a pattern per digest; only if that check fails does each digest get
  // its own, so the first bad one is named as before.
  const checked = lowercaseHexRoot(value, hexLength);
  // Signers list resources in path order, which makes the names unique; a set of names is
  // only built (from what came before) once the order breaks.
  let seen: Set<string> | undefined;
  let previous: string | undefined;
  const resources = value.map((r: unknown, i): Resource => {
    if (!isObject(r)) return fail(`resource ${i} is not an object`);
    const { name, algorithm, digest } = r;
    if (typeof name !== 'string' || name === '') return fail(`resource ${i} has no name`);
    if (typeof algorithm !== 'string' || !accepted.has(algorithm)) {
      return fail(`resource ${JSON.stringify(name)} has algorithm ${JSON.stringify(algorithm)}, expected ${[...accepted].join(' or ')}`);
    }
    if (typeof digest !== 'string' || digest.length !== hexLength || (checked === undefined && !/^[0-9a-f]+$/.test(digest))) {
      return fail(`resource ${JSON.stringify(name)} has a malformed ${serialization.hashType} digest`);
    }
    checkResourceName(name, serialization);
    if (seen === undefined && previous !== undefined && comparePaths(previous, name) >= 0) {
      seen = new Set(value.slice(0, i).map((q) => (q as Resource).name));
    }
    if (seen !== undefined) {
      if (seen.has(name)) return fail(`resource ${JSON.stringify(name)} is listed twice`);
      seen.add(name);
    }
    previous = name;
    return { name, algorithm, digest };
  });
  return { resources, root: checked ?? rootDigest(resources) };
}

/**
 * The root digest of a resource list whose every digest is a string of `hexLength`
 * lowercase hex digits; undefined if any is not (or is no string, or its resource no
 * object). Each joined string of digests is checked and decoded in one call.
 */
function lowercaseHexRoot(resources: readonly unknown[], hexLength: number): string | undefined {
  const h = createHash('sha256');
  const bytes = Buffer.allocUnsafe((HEX_JOIN + hexLength) / 2);
  const digestAt = (i: number): string | undefined => {
    const r = resources[i];
    const digest = isObject(r) ? r.digest : undefined;
    return typeof digest === 'string' && digest.length === hexLength ? digest : undefined;
  };
  // Node decodes hex of either case (and reads only the low byte of each character),
  // stopping at the first pair it cannot decode: only lowercase hex encodes back to itself.
  const take = (hex: string): boolean => {
    const n = bytes.write(hex, 'hex');
    if (n * 2 !== hex.length || bytes.toString('hex', 0, n) !== hex) return false;
    h.update(bytes.subarray(0, n));
    return true;
  };
  return forJoinedHex(resources.length, digestAt, take) ? h.digest('hex') : undefined;
}

/** Rejects names that could point outside the model root: absolute, `..`, empty components. */
function checkResourceName(name: string, serialization: Serialization): void {
  let path = name;
  if (serialization.method === 'shards') {
    const shard = parseShardName(name);
    if (!shard) return fail(`shard resource name ${JSON.stringify(name)} is not path:start:end`);
    path = shard.path;
  }
  checkPath(path);
}

/**
 * True for a path a statement may name: `.` (a single-file model), or a plain POSIX path
 * inside the model root (no leading `/`, no `.`, `..` or empty component) without a NUL
 * character. Sources whose file names come from elsewhere (OCI layers) refuse other names
 * when listing, so that nothing is signed that verification would then refuse.
 */
export function isResourcePath(path: string): boolean {
  return path === '.' || (!path.includes('\u0000') && isNormalRelative(path));
}

function checkPath(path: string): void {
  if (!isResourcePath(path)) {
    throw unverifiedError('RESOURCE_NAME_UNSAFE', `resource name ${JSON.stringify(path)} escapes or is not a plain path inside the model root`);
  }
}

function parseLegacy(subjects: unknown[]): ParsedStatement {
  if (subjects.length === 0) return fail('legacy statement has no subjects');
  const seen = new Set<string>();
  const resources = subjects.map((s: unknown, i): Resource => {
    if (!isObject(s) || typeof s.name !== 'string' || !isObject(s.digest)) return fail(`subject ${i} is malformed`);
    const digest = s.digest.sha256;
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return fail(`subject ${JSON.stringify(s.name)} has no SHA-256 digest`);
    checkPath(s.name);
    if (seen.has(s.name)) return fail(`subject ${JSON.stringify(s.name)} is listed twice`);
    seen.add(s.name);
    return { name: s.name, algorithm: 'sha256', digest };
  });
  const serialization: Serialization = { method: 'files', hashType: 'sha256', allowSymlinks: false };
  return { manifest: { modelName: '', serialization, resources, rootDigest: rootDigest(resources) }, legacy: true };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
