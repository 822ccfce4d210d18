import { createHash } from 'node:crypto';
import { ModelsignError } from '../errors.js';

const SUPPORTED: Record<string, { node: string; hexLength: number }> = {
  sha256: { node: 'sha256', hexLength: 64 },
  sha512: { node: 'sha512', hexLength: 128 },
};

/** Why a digest cannot be used here (an unsupported algorithm, a malformed encoding), or undefined. */
export function digestProblem(digest: string): string | undefined {
  const { algorithm, hex } = splitDigest(digest);
  const spec = SUPPORTED[algorithm];
  if (!spec) return `${JSON.stringify(digest.slice(0, 200))} is not a sha256 or sha512 digest`;
  if (hex.length !== spec.hexLength || !/^[0-9a-f]+$/.test(hex)) return `${JSON.stringify(digest.slice(0, 200))} is not a ${algorithm} digest (${spec.hexLength} lower-case hex characters)`;
  return undefined;
}

/**
 * Splits and checks a digest string; anything but a well-formed sha256/sha512 is refused.
 * A digest a registry sent is a failed source (the default); callers holding local input
 * (a layout, a command line) say how to fail with `refuse`, which gets the problem.
 */
export function parseDigest(digest: string, refuse?: (problem: string) => ModelsignError): { algorithm: string; hex: string } {
  const problem = digestProblem(digest);
  if (problem) throw refuse?.(problem) ?? new ModelsignError('remote', 'BAD_DIGEST', `unsupported or malformed digest ${JSON.stringify(digest)}`);
  return splitDigest(digest);
}

// At the first colon, keeping all after it: split(':', 2) would drop a tail (`sha256:<hex>:x`).
function splitDigest(digest: string): { algorithm: string; hex: string } {
  const colon = digest.indexOf(':');
  return colon === -1 ? { algorithm: '', hex: '' } : { algorithm: digest.slice(0, colon), hex: digest.slice(colon + 1) };
}

/** The OCI digest (`sha256:<hex>`) of bytes held in memory (manifests, configs, bundles). */
export const sha256Digest = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The OCI digest of bytes under an algorithm this client supports (`sha256`, `sha512`): `<algorithm>:<hex>`. */
export function digestOf(bytes: Uint8Array, algorithm: string): string {
  return `${algorithm}:${createHash(SUPPORTED[algorithm]!.node).update(bytes).digest('hex')}`;
}

/**
 * Passes bytes through while hashing them, and fails at the end (or as soon as the size
 * is exceeded) when they are not the expected content.
 */
export async function* verifiedStream(
  source: AsyncIterable<Uint8Array>,
  expected: { digest: string; size?: number },
  what: string,
  // From a registry a mismatch is a failed source (3); in a local layout it is changed content (1).
  kind: 'remote' | 'unverified' = 'remote',
): AsyncGenerator<Uint8Array> {
  const { algorithm, hex } = parseDigest(expected.digest);
  const hash = createHash(SUPPORTED[algorithm]!.node);
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (expected.size !== undefined && size > expected.size) {
      throw new ModelsignError(kind, 'DIGEST_MISMATCH', `${what} is larger than its descriptor's ${expected.size} bytes`);
    }
    hash.update(chunk);
    yield chunk;
  }
  if (expected.size !== undefined && size !== expected.size) {
    throw new ModelsignError(kind, 'DIGEST_MISMATCH', `${what} has ${size} bytes, its descriptor says ${expected.size}`);
  }
  const actual = hash.digest('hex');
  if (actual !== hex) throw new ModelsignError(kind, 'DIGEST_MISMATCH', `${what} does not match its digest: expected ${expected.digest}, got ${algorithm}:${actual}`);
}
