import { ModelsignError } from '../src/core.js';
/**
 * Reads stored signatures in turn and hands each bundle to `use` until it returns true;
 * returns the locations of those listed but gone. With the referrers tag schema, deleting a
 * signature leaves it listed in the fallback index unless the deleting tool updates it, so
 * a listed referrer can answer 404 (NOT_FOUND). It signs nothing: it is skipped, not fatal.
 */
export async function lostSignatures(signatures, use) {
    const gone = [];
    for (const stored of signatures) {
        let bundle;
        try {
            bundle = await stored.bytes();
        }
        catch (err) {
            if (err instanceof ModelsignError && err.code === 'NOT_FOUND') {
                gone.push(stored.location);
                continue;
            }
            throw err;
        }
        if (await use(stored, bundle))
            break;
    }
    return gone;
}
export const goneWarning = (location) => `signature ${location} is listed as a referrer but is no longer stored: skipped`;
/** What attaching a signature tidied up: referrers the fallback tag listed but the registry no longer held. */
export const prunedNotes = (pruned) => pruned.map((location) => `dropped ${location} from the referrers tag: it was listed but is no longer stored`);
//# sourceMappingURL=stored-signatures.js.map