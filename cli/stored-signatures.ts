import { ModelsignError, type StoredSignature } from '../src/core.js';

/**
 * Reads stored signatures in turn and hands each bundle to `use` until it returns true;
 * returns the locations of those listed but gone. With the referrers tag schema, deleting a
 * signature leaves it listed in the fallback index unless the deleting tool updates it, so
 * a listed referrer can answer 404 (NOT_FOUND). It signs nothing: it is skipped, not fatal.
 */
export async function lostSignatures<S extends StoredSignature>(signatures: readonly S[], use: (stored: S, bundle: Uint8Array) => Promise<boolean>): Promise<string[]> {
  const gone: string[] = [];
  for (const stored of signatures) {
    let bundle: Uint8Array;
    try {
      bundle = await stored.bytes();
    } catch (err) {
      if (err instanceof ModelsignError && err.code === 'NOT_FOUND') {
        gone.push(stored.location);
        continue;
      }
      throw err;
    }
    if (await use(stored, bundle)) break;
  }
  return gone;
}

/**
 * The first `max` signatures listed (each costs requests, and a registry may list
 * thousands), and, when some are left out, the warning that says how many and that a
 * larger --max-signatures would reach them (`done`: what is done with those taken).
 */
export function firstSignatures<S>(listed: readonly S[], max: number, done: 'tried' | 'listed'): { signatures: S[]; leftOut?: string } {
  const signatures = listed.slice(0, max);
  const left = listed.length - signatures.length;
  if (left === 0) return { signatures };
  const more = done === 'tried' ? 'tries' : 'lists';
  return { signatures, leftOut: `${listed.length} signatures are attached; only the first ${max} were fetched and ${done} (--max-signatures ${max}), so ${left} were not: a larger --max-signatures ${more} more` };
}

export const goneWarning = (location: string): string => `signature ${location} is listed as a referrer but is no longer stored: skipped`;

/** What attaching a signature tidied up: referrers the fallback tag listed but the registry no longer held. */
export const prunedNotes = (pruned: readonly string[]): string[] =>
  pruned.map((location) => `dropped ${location} from the referrers tag: it was listed but is no longer stored`);
