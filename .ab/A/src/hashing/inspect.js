import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errorOutcome } from './batches.js';
import { shorterThanListed } from './file-range.js';
/**
 * Files up to this size are hashed in the same pass as their stat, read whole into the
 * thread's buffer (READ_SIZE, no smaller). Larger ones are left to `hashRanges`, which deals
 * them out largest first so the threads finish together.
 */
export const HASH_WHILE_INSPECTING_BYTES = 1024 * 1024;
/** Files per unit of work: threads take the next chunk from a shared counter. */
export const INSPECT_CHUNK = 128;
// O_NOFOLLOW: a path listed as a regular file that became a symbolic link fails instead of
// being followed. O_NONBLOCK: one that became a FIFO fails the regular-file check instead of
// blocking the open. Neither changes how a regular file reads.
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const FOLLOW = constants.O_RDONLY | constants.O_NONBLOCK;
/** Adds paths a worker received to its copy of the inspection. */
export function extendInspection(request, more) {
    for (let i = 0; i < more.paths.length; i += 1) {
        request.paths.push(more.paths[i]);
        request.follow.push(more.follow[i]);
    }
    request.complete = more.complete;
}
/**
 * The next chunk for this thread, or -1: chunks are taken in order from the shared counter,
 * and only those whose paths this thread has in full (the last, partial one once complete).
 */
function claimChunk(request) {
    const have = request.paths.length / INSPECT_CHUNK;
    const limit = request.complete ? Math.ceil(have) : Math.floor(have);
    for (;;) {
        const id = Atomics.load(request.next, 0);
        if (id >= limit)
            return -1;
        if (Atomics.compareExchange(request.next, 0, id, id + 1) === id)
            return id;
    }
}
/**
 * Takes chunks of the request from its shared counter until none are left that this
 * thread has the paths of (paths added later are taken when they come). Each file is
 * opened once, checked to be a regular file on the open descriptor (so what is hashed is
 * what was checked, whatever happens to the path meanwhile), and, if small, read and hashed
 * right away. Yields each chunk's outcome; ends after the first failure.
 */
export function* takeInspections(request, hashOnce, buffer, onBytes) {
    const { paths, follow, precise } = request;
    for (let id = claimChunk(request); id !== -1; id = claimChunk(request)) {
        const first = id * INSPECT_CHUNK;
        const count = Math.min(INSPECT_CHUNK, paths.length - first);
        const sizes = new Float64Array(count);
        const digests = new Array(count);
        const stats = precise ? new Array(4 * count) : undefined;
        for (let k = 0; k < count; k += 1) {
            const path = paths[first + k];
            try {
                const fd = openSync(path, follow[first + k] === 1 ? FOLLOW : NO_FOLLOW);
                try {
                    const info = fstatSync(fd, { bigint: precise });
                    if (!info.isFile())
                        throw Object.assign(new Error('it is no longer a regular file (changed while listing)'), { code: 'ENOTFILE' });
                    const size = Number(info.size);
                    sizes[k] = size;
                    if (stats && 'mtimeNs' in info) {
                        stats[4 * k] = info.dev;
                        stats[4 * k + 1] = info.ino;
                        stats[4 * k + 2] = info.mtimeNs;
                        stats[4 * k + 3] = info.ctimeNs;
                    }
                    digests[k] = hashOnce && size <= HASH_WHILE_INSPECTING_BYTES ? hashOnce(readWhole(fd, path, size, buffer)) : '';
                    if (digests[k] !== '')
                        onBytes?.(size);
                }
                finally {
                    closeSync(fd);
                }
            }
            catch (err) {
                const linked = err.code === 'ELOOP';
                yield errorOutcome(id, path, err, linked ? 'it became a symbolic link (changed while listing)' : undefined);
                return;
            }
        }
        yield { type: 'inspected', id, sizes, digests, ...(stats ? { stats } : {}) };
    }
}
/** Reads a whole open file of known size (at most the buffer's) into the buffer. */
function readWhole(fd, path, size, buffer) {
    let got = 0;
    while (got < size) {
        const n = readSync(fd, buffer, got, size - got, got);
        if (n === 0)
            throw shorterThanListed(path);
        got += n;
    }
    return buffer.subarray(0, size);
}
//# sourceMappingURL=inspect.js.map