import { OpenFileRanges } from './file-range.js';
/** The outcome for unit `id` failing on `path`; `message` replaces the error's own. */
export function errorOutcome(id, path, err, message) {
    const e = err;
    const text = message ?? (e.code === 'ENOENT' && path.includes('\uFFFD') ? NOT_UTF8_NAME : e.message);
    return { type: 'error', id, path, message: text, ...(e.code === undefined ? {} : { code: e.code }) };
}
/**
 * Why a listed path may not open: Node reads directory entries as UTF-8 text, so a name
 * that is not valid UTF-8 comes back with U+FFFD in place of its bytes, and that path does
 * not exist. OMS names resources by UTF-8 path, so such a file cannot be signed as it is.
 */
export const NOT_UTF8_NAME = 'its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)';
/**
 * Takes batches from the request's shared counter until none are left and hashes their
 * jobs, yielding each batch's outcome; it ends after the first failure. With a finite
 * `stepBytes` it also yields `undefined` after every that many bytes of a file, for a
 * thread that must let its event loop run. `makers[i]` makes hashers for
 * `request.algorithms[i]`, one at a time.
 */
export function* takeBatches(request, makers, buffer, onBytes, stepBytes) {
    const { batches, next } = request;
    for (let id = Atomics.add(next, 0, 1); id < batches.length; id = Atomics.add(next, 0, 1)) {
        const { paths, ranges, algorithms } = batches[id];
        const digests = [];
        const times = new Float64Array(2 * paths.length);
        // Consecutive jobs on one file (its shards) share one open; `path` names what may fail.
        let file;
        let path = '';
        const finishFile = () => {
            const done = file;
            file = undefined;
            done?.finish();
        };
        try {
            for (let k = 0; k < paths.length; k += 1) {
                if (file !== undefined && file.path !== paths[k])
                    finishFile();
                path = paths[k];
                file ??= new OpenFileRanges(path, ranges[5 * k + 2], [ranges[5 * k + 3], ranges[5 * k + 4]]);
                times.set(file.times, 2 * k);
                digests.push(yield* file.hashSteps(ranges[5 * k], ranges[5 * k + 1], makers[algorithms[k]](), buffer, onBytes, stepBytes));
            }
            finishFile();
        }
        catch (err) {
            yield errorOutcome(id, path, err);
            return;
        }
        finally {
            // Also when the caller abandons this generator half way.
            file?.close();
        }
        yield { type: 'done', id, digests, times };
    }
}
//# sourceMappingURL=batches.js.map