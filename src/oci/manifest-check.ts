import { ModelsignError, type ErrorKind } from '../errors.js';
import type { FetchedManifest } from './content-store.js';
import { digestOf, parseDigest } from './digest.js';
import { manifestShapeProblem } from './manifest-shape.js';
import { MANIFEST_TYPES } from './media-types.js';

/** How a store's failures count: bytes that are not what was asked for, and bytes that are no usable manifest. */
export interface ManifestErrorKinds {
  readonly integrity: ErrorKind;
  readonly format: ErrorKind;
}

/**
 * Checks manifest bytes however they were fetched: first that they are the content asked
 * for (when a digest is known), then that they are a JSON manifest of a supported media
 * type (taken from the manifest, else from what the store says) whose fields have the
 * types the image spec gives them (so code reading it can trust them).
 */
export function checkManifest(
  bytes: Buffer,
  expected: { readonly digest?: string; readonly mediaType?: string },
  what: string,
  kinds: ManifestErrorKinds,
): FetchedManifest {
  const algorithm = expected.digest ? parseDigest(expected.digest).algorithm : 'sha256';
  const digest = digestOf(bytes, algorithm);
  if (expected.digest && expected.digest !== digest) {
    throw new ModelsignError(kinds.integrity, 'DIGEST_MISMATCH', `${what} does not match its digest: expected ${expected.digest}, got ${digest}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ModelsignError(kinds.format, 'MANIFEST_INVALID', `${what} is not JSON`);
  }
  const declared = (json as { mediaType?: unknown } | null)?.mediaType;
  const mediaType = typeof declared === 'string' ? declared : (expected.mediaType ?? '');
  if (!(MANIFEST_TYPES as readonly string[]).includes(mediaType)) {
    throw new ModelsignError(kinds.format, 'MEDIA_TYPE_UNSUPPORTED', `${what} has unsupported media type ${JSON.stringify(mediaType)}`);
  }
  const problem = manifestShapeProblem(json, mediaType);
  if (problem) throw new ModelsignError(kinds.format, 'MANIFEST_INVALID', `${what} ${problem}`);
  return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json: json as Record<string, unknown> };
}
