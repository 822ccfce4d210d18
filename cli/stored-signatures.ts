import { ModelsignError, type StoredSignature } from '../src/core.js';

/**
 * Reads stored signatures in turn and hands each bundle to `use` until it returns true;
 * returns the locations of those listed but gone. With the referrers tag schema, deleting a
 * signature leaves it listed in the fallback index unless the deleting tool updates it, so
 * a listed referrer can answer 404 (NOT_FOUND). It signs nothing: it is skipped, not fatal.
 *
 * A signature that is there but holds no usable bundle (an `unverified` failure: a referrer
 * without a bundle layer, one declaring an oversized bundle) is that signature's outcome,
 * handed to `unusable` with its reason, and the next one is tried: anyone who can push a
 * referrer could otherwise keep every other signature from being checked. Other failures
 * (the network, a registry serving bytes that do not match their digest) still end the run.
 */
export async function lostSignatures<S extends StoredSignature>(
  signatures: readonly S[],
  use: (stored: S, bundle: Uint8Array) => Promise<boolean>,
  unusable: (stored: S, reason: ModelsignError) => void,
): Promise<string[]> {
  const gone: string[] = [];
  for (const stored of signatures) {
    let bundle: Uint8Array;
    try {
      bundle = await stored.bytes();
    } catch (err) {
      if (!(err instanceof ModelsignError)) throw err;
      if (err.code === 'NOT_FOUND') gone.push(stored.location);
      else if (err.kind === 'unverified') unusable(stored, err);
      else throw err;
      continue;
    }
    if (await use(stored, bundle)) break;
  }
  return gone;
}

/**
 * Why a stored signature could not be read, without the `signature LOCATION: ` its error
 * starts with (for when it is thrown): reports put the location beside it already.
 */
export function unusableReason(location: string, err: ModelsignError): string {
  const prefix = `signature ${location}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
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

/**
 * Notes on attaching a signature: referrers the fallback tag listed but the registry no
 * longer held (dropped on the way), and, when the bundle was pushed, referrers left unfetched
 * in looking for it (see OciSignatureStore.unchecked).
 */
export function attachNotes(store: { readonly pruned: readonly string[]; readonly checked: number; readonly unchecked: number; readonly alreadyAttached: boolean }): string[] {
  const pruned = store.pruned.map((location) => `dropped ${location} from the referrers tag: it was listed but is no longer stored`);
  if (store.alreadyAttached || store.unchecked === 0) return pruned;
  return [...pruned, `${store.unchecked} referrers of the model were not fetched to look for this bundle (${store.checked} were, those recorded as holding it and the newest): if one of them holds it, it is now attached twice, which is harmless`];
}
