import { createVerify, verify, type KeyObject } from 'node:crypto';
import { unverifiedError } from '../errors.js';
import type { ParsedBundle } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, legacyPae, paeParts } from '../bundle/dsse.js';
import { jsonShapeProblem } from '../bundle/json-shape.js';
import { ecDigest } from '../signing/keys.js';
import { LEGACY_PREDICATE_TYPE } from '../manifest/statement.js';

/**
 * Verifies the DSSE envelope with an EC public key: ECDSA with the curve's digest over the
 * PAE of the exact payload bytes. A v0.2-era payload (legacy predicate) is also tried over
 * the reference's old PAE with SHA-256, as that version signed it. Returns whether that
 * legacy path was the one that verified.
 */
export function verifyEnvelope(bundle: ParsedBundle, key: KeyObject): { legacyPae: boolean } {
  if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw unverifiedError('PAYLOAD_TYPE', `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  const check = createVerify(ecDigest(key));
  for (const part of paeParts(bundle.payloadType, bundle.payload)) check.update(part);
  if (check.verify({ key, dsaEncoding: 'der' }, bundle.signature.sig)) return { legacyPae: false };
  if (isLegacyPayload(bundle.payload)) {
    const old = legacyPae(bundle.payloadType, bundle.payload);
    if (verify('sha256', old, { key, dsaEncoding: 'der' }, bundle.signature.sig)) return { legacyPae: true };
  }
  throw unverifiedError('SIGNATURE_INVALID', 'the envelope signature does not verify with this key: the payload was changed or another key signed it');
}

// A statement nests about 5 deep. This payload is not yet authenticated, and JSON.parse of
// deeply nested text takes about 40 times its size in memory (a wider bound on what it
// builds would also refuse real statements of many files, so breadth is not bounded).
const STATEMENT_SHAPE = { maxDepth: 64 };

function isLegacyPayload(payload: Buffer): boolean {
  if (jsonShapeProblem(payload, STATEMENT_SHAPE)) return false;
  try {
    return (JSON.parse(payload.toString('utf8')) as { predicateType?: unknown }).predicateType === LEGACY_PREDICATE_TYPE;
  } catch {
    return false;
  }
}
