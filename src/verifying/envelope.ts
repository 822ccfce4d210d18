import { createVerify, verify, type KeyObject } from 'node:crypto';
import { unverifiedError } from '../errors.js';
import type { ParsedBundle } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, legacyPae, paeParts } from '../bundle/dsse.js';
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
  // The signature first: the payload is parsed (to see that it is a legacy statement, which
  // alone may use that PAE) only once the key has vouched for it, as parsing hostile JSON
  // can take tens of times its size in memory.
  if (verify('sha256', legacyPae(bundle.payloadType, bundle.payload), { key, dsaEncoding: 'der' }, bundle.signature.sig) && isLegacyPayload(bundle.payload)) {
    return { legacyPae: true };
  }
  throw unverifiedError('SIGNATURE_INVALID', 'the envelope signature does not verify with this key: the payload was changed or another key signed it');
}

function isLegacyPayload(payload: Buffer): boolean {
  try {
    return (JSON.parse(payload.toString('utf8')) as { predicateType?: unknown }).predicateType === LEGACY_PREDICATE_TYPE;
  } catch {
    return false;
  }
}
