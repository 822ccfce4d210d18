import { ModelsignError } from '../errors.js';
import { digestOf, parseDigest } from './digest.js';
import { manifestShapeProblem } from './manifest-shape.js';
import { MANIFEST_TYPES } from './media-types.js';
/**
 * Checks manifest bytes however they were fetched: first that they are the content asked
 * for (when a digest is known), then that they are a JSON manifest of a supported media
 * type (taken from the manifest, else from what the store says) whose fields have the
 * types the image spec gives them (so code reading it can trust them).
 */
export function checkManifest(bytes, expected, what, kinds) {
    const algorithm = expected.digest ? parseDigest(expected.digest).algorithm : 'sha256';
    const digest = digestOf(bytes, algorithm);
    if (expected.digest && expected.digest !== digest) {
        throw new ModelsignError(kinds.integrity, 'DIGEST_MISMATCH', `${what} does not match its digest: expected ${expected.digest}, got ${digest}`);
    }
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new ModelsignError(kinds.format, 'MANIFEST_INVALID', `${what} is not JSON`);
    }
    const declared = json?.mediaType;
    const mediaType = typeof declared === 'string' ? declared : (expected.mediaType ?? '');
    if (!MANIFEST_TYPES.includes(mediaType)) {
        throw new ModelsignError(kinds.format, 'MEDIA_TYPE_UNSUPPORTED', `${what} has unsupported media type ${JSON.stringify(mediaType)}`);
    }
    const problem = manifestShapeProblem(json, mediaType);
    if (problem)
        throw new ModelsignError(kinds.format, 'MANIFEST_INVALID', `${what} ${problem}`);
    return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json: json };
}
//# sourceMappingURL=manifest-check.js.map