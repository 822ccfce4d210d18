import { oneShotHash, sequentialHashers } from './algorithms.js';
import { takeBatches } from './batches.js';
import { takeInspections } from './inspect.js';
/**
 * One thread's share of a pool request, taken from the request's shared counter: hashing
 * batches or inspecting files. Outcomes come one per unit of work, with `undefined` after
 * every `stepBytes` bytes of a large file where a thread with an event loop lets it run
 * (`Infinity` for a worker). `buffer` is the thread's one read buffer.
 */
export async function takeWork(request, buffer, onBytes, stepBytes) {
    // Hashers are made synchronously per job: no promise per file.
    if (request.kind === 'hash')
        return takeBatches(request, await Promise.all(request.algorithms.map(sequentialHashers)), buffer, onBytes, stepBytes);
    return takeInspections(request, request.algorithm && (await oneShotHash(request.algorithm)), buffer, onBytes);
}
//# sourceMappingURL=work.js.map