import { usageError } from '../errors.js';
import { resourceAlgorithm, rootDigest, shardName, sortByPath, } from '../manifest/manifest.js';
import { createHasher } from './algorithms.js';
import { GIT_PATHS, ignoreMatcher, normalizeRelative } from './ignore.js';
import { hashRanges } from './pool.js';
/** The reference's default shard size. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;
/** Builds the serialization a hash run records, validating the options. */
export function serializationFor(options, singleFile) {
    const method = options.method ?? 'files';
    const hashType = options.hashAlgorithm ?? 'sha256';
    const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
    // Checked whatever the method: a bad size usually means --method shards was forgotten.
    if (!Number.isSafeInteger(shardSize) || shardSize <= 0) {
        throw usageError('BAD_SHARD_SIZE', `shard size must be a positive integer, got ${shardSize}`);
    }
    // As in the reference, ignore paths only mean something for a directory model.
    const ignorePaths = singleFile ? [] : effectiveIgnorePaths(options.ignorePaths ?? [], options.ignoreGitPaths ?? true);
    return {
        method,
        hashType,
        allowSymlinks: options.allowSymlinks ?? false,
        ...(method === 'shards' ? { shardSize } : {}),
        ...(ignorePaths.length > 0 ? { ignorePaths } : {}),
    };
}
/** Normalized, de-duplicated, sorted ignore paths, plus the git paths when asked. */
export function effectiveIgnorePaths(paths, ignoreGitPaths) {
    const out = new Set();
    for (const p of paths) {
        const n = normalizeRelative(p);
        if (n === undefined)
            throw usageError('BAD_IGNORE_PATH', `ignore path ${JSON.stringify(p)} is not inside the model root`);
        if (n !== '')
            out.add(n);
    }
    if (ignoreGitPaths)
        GIT_PATHS.forEach((p) => out.add(p));
    return [...out].sort();
}
/**
 * Lists a model's files under a serialization's symlink and ignore rules. For `files`
 * without a digest cache, the source may hash files as it lists them (`listedDigest`).
 */
export function listModel(source, serialization, options = {}) {
    const isIgnored = source.singleFile ? () => false : ignoreMatcher(serialization.ignorePaths ?? []);
    const identify = options.identify === true;
    return source.list({
        allowSymlinks: serialization.allowSymlinks,
        isIgnored,
        identify,
        ...(serialization.method === 'files' && !identify ? { digestAlgorithm: serialization.hashType } : {}),
        ...(options.pool ? { pool: options.pool } : {}),
    });
}
/**
 * Cuts files into resources in the reference's order: files by path components; shards
 * `[start, end)` of `shardSize` bytes by (path, start), and empty files give no shards.
 */
export function planResources(files, serialization) {
    const sorted = sortByPath(files, (f) => f.name);
    if (serialization.method === 'files')
        return sorted.map((file) => ({ name: file.name, file, start: 0, end: file.size }));
    const size = serialization.shardSize ?? DEFAULT_SHARD_SIZE;
    const out = [];
    for (const file of sorted) {
        for (let start = 0; start < file.size; start += size) {
            const end = Math.min(start + size, file.size);
            out.push({ name: shardName(file.name, start, end), file, start, end });
        }
    }
    return out;
}
const memoKey = (p, algorithm) => `${p.file.name}\u0000${p.start}\u0000${p.end}\u0000${algorithm}`;
/** True when a file's content address is its `files`/sha256 digest, so it need not be read. */
export function usesContentAddress(file, serialization, options = {}) {
    return !options.readContentAddressed && serialization.method === 'files' && serialization.hashType === 'sha256' && file.contentDigest?.startsWith('sha256:') === true;
}
/** The hex digest a file's content address stands for, when `usesContentAddress`; otherwise undefined. */
export function addressedDigest(file, serialization, options = {}) {
    return usesContentAddress(file, serialization, options) ? file.contentDigest.slice('sha256:'.length) : undefined;
}
/** A resource's digest from the listing: the whole file, hashed with this algorithm as it was listed. */
function listedDigest(p, algorithm) {
    const d = p.file.listedDigest;
    return d !== undefined && d.algorithm === algorithm && p.start === 0 && p.end === p.file.size ? d.hex : undefined;
}
/**
 * Hashes planned resources: digests the listing or the cache knows are taken from them,
 * content addresses stand in where they can, local files go to the worker pool, and other
 * sources are streamed once (in one pass where the source offers it, splitting the bytes at shard
 * boundaries). Returns hex digests in plan order.
 */
export async function hashPlanned(source, plan, serialization, options = {}) {
    const algorithm = serialization.hashType;
    const { cache, memo } = options;
    const digests = new Array(plan.length);
    const remember = (i, hex) => {
        const p = plan[i];
        digests[i] = hex;
        memo?.set(memoKey(p, algorithm), hex);
        if (p.file.identity !== undefined)
            cache?.set(p.file.identity, p.start, p.end, algorithm, hex);
    };
    const local = [];
    const remote = new Map();
    // Files whose bytes must pass through although their content address is their digest.
    const passThrough = new Map();
    let toRead = 0;
    // Bytes this run read while listing: progress counts them as done.
    let readWhileListing = 0;
    plan.forEach((p, i) => {
        const listed = listedDigest(p, algorithm);
        if (listed !== undefined) {
            remember(i, listed);
            readWhileListing += p.end - p.start;
            return;
        }
        const known = memo?.get(memoKey(p, algorithm)) ?? (p.file.identity === undefined ? undefined : cache?.get(p.file.identity, p.start, p.end, algorithm));
        if (known !== undefined) {
            digests[i] = known;
            return;
        }
        const addressed = addressedDigest(p.file, serialization, options);
        if (addressed !== undefined) {
            digests[i] = addressed;
            if (!options.streamContentAddressed)
                return;
            passThrough.set(p.file, [i]);
        }
        else if (p.file.localPath !== undefined)
            local.push(i);
        else {
            const indexes = remote.get(p.file);
            if (indexes)
                indexes.push(i);
            else
                remote.set(p.file, [i]);
        }
        toRead += p.end - p.start;
    });
    options.onTotal?.(readWhileListing + toRead);
    const hashFile = async (file, bytes) => {
        const passing = passThrough.get(file);
        if (passing) {
            // The source fails the stream if these bytes do not match the content address.
            for await (const chunk of bytes)
                options.onProgress?.(chunk.length);
            for (const i of passing)
                remember(i, digests[i]);
            return;
        }
        const indexes = remote.get(file) ?? [];
        let k = 0;
        let position = 0;
        let hasher = await createHasher(algorithm);
        // Finishes every resource that ends here (an empty file's ends before any byte).
        const finish = async () => {
            while (k < indexes.length && plan[indexes[k]].end === position) {
                remember(indexes[k], hasher.digest());
                k += 1;
                hasher = await createHasher(algorithm);
            }
        };
        await finish();
        for await (const chunk of bytes) {
            options.onProgress?.(chunk.length);
            let offset = 0;
            while (offset < chunk.length && k < indexes.length) {
                const take = Math.min(chunk.length - offset, plan[indexes[k]].end - position);
                hasher.update(chunk.subarray(offset, offset + take));
                offset += take;
                position += take;
                await finish();
            }
        }
        if (k < indexes.length)
            throw usageError('READ_FAILED', `${file.name} ended after ${position} bytes, before its listed size ${file.size}`);
    };
    if (remote.size > 0 || passThrough.size > 0) {
        const files = [...remote.keys(), ...passThrough.keys()];
        if (source.stream)
            await source.stream(files, hashFile);
        else
            for (const file of files)
                await hashFile(file, source.read(file, 0, file.size));
    }
    const jobs = local.map((i) => {
        const p = plan[i];
        return { path: p.file.localPath, start: p.start, end: p.end, algorithm, size: p.file.size, listedTimes: p.file.listedTimes };
    });
    const localDigests = await hashRanges(jobs, options);
    local.forEach((planIndex, k) => remember(planIndex, localDigests[k]));
    return digests;
}
/** Turns planned resources and their digests into manifest resources. */
export function toResources(plan, digests, serialization) {
    const algorithm = resourceAlgorithm(serialization);
    return plan.map((p, i) => ({ name: p.name, algorithm, digest: digests[i] }));
}
/**
 * Hashes a model with the OMS serialization and returns its manifest, ready to sign.
 * Ignore paths are relative to the model root.
 */
export async function hashModel(source, options = {}) {
    const serialization = serializationFor(options, source.singleFile);
    const listing = await listModel(source, serialization, { identify: options.cache !== undefined, pool: options });
    const plan = planResources(listing.files, serialization);
    const digests = await hashPlanned(source, plan, serialization, options);
    const resources = toResources(plan, digests, serialization);
    return {
        listing,
        manifest: { modelName: source.modelName, serialization, resources, rootDigest: rootDigest(resources) },
    };
}
//# sourceMappingURL=serialize.js.map