import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelsignError } from '../errors.js';
import { EMPTY_CONFIG, OCI_INDEX, OCI_MANIFEST } from './media-types.js';
import { fallbackTag } from './repository.js';
const MAX_ATTEMPTS = 30;
const CONFIRMATIONS = 2;
const SETTLE_MS = 100;
// Attaches to one subject from this process run one at a time: the fallback index is a
// read-modify-write, and racing ourselves would only lose entries.
const locks = new Map();
/**
 * Pushes an artifact manifest (empty config, the given layers) whose subject is `subject`,
 * and makes it discoverable: nothing more to do when the registry answers `OCI-Subject`,
 * else the referrer is merged into the tag-schema index. distribution 2.8 ignores
 * `If-Match`, so after writing we wait a jittered moment, read the index again and merge
 * again until our entry is there.
 */
export async function attachArtifact(repo, artifact, subject) {
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: artifact.artifactType,
        config: EMPTY_CONFIG,
        layers: artifact.layers,
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations: artifact.annotations,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const pushed = await pushWithBlobs(repo, bytes, artifact.blobs ?? []);
    const descriptor = { ...pushed.descriptor, artifactType: artifact.artifactType, annotations: artifact.annotations };
    if (pushed.subjectIndexed)
        return { descriptor, via: 'api', pruned: [] };
    const key = `${repo.name}@${subject.digest}`;
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => addToFallbackIndex(repo, subject.digest, descriptor));
    locks.set(key, run);
    try {
        return { descriptor, via: 'tag', pruned: await run };
    }
    finally {
        if (locks.get(key) === run)
            locks.delete(key);
    }
}
/**
 * Pushes the blobs, then the manifest. Concurrent uploads of one blob (every referrer shares
 * the empty config) can leave distribution briefly unaware of it: push again and retry.
 */
async function pushWithBlobs(repo, manifest, blobs) {
    const all = [{ descriptor: EMPTY_CONFIG, bytes: Buffer.from('{}') }, ...blobs];
    for (let attempt = 0;; attempt += 1) {
        for (const blob of all)
            await repo.pushBlob(blob.descriptor, () => Readable.from([blob.bytes]));
        try {
            return await repo.pushManifest(manifest, OCI_MANIFEST);
        }
        catch (err) {
            if (!(err instanceof ModelsignError && err.code === 'MANIFEST_BLOB_UNKNOWN') || attempt >= 3)
                throw err;
            await sleep(SETTLE_MS * (attempt + 1));
        }
    }
}
/** Adds the entry to the `sha256-<hex>` index; returns the stale entries it dropped. */
async function addToFallbackIndex(repo, subject, entry) {
    const tag = fallbackTag(subject);
    let confirmations = 0;
    const pruned = new Set();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const current = await repo.fetchManifestIfExists(tag);
        const manifests = (current?.json?.manifests ?? []).filter((m) => !pruned.has(m.digest));
        if (attempt > 0 && manifests.some((m) => m.digest === entry.digest)) {
            // Seen twice, a settle apart: a writer that read the index before our PUT has had
            // time to land its own PUT, and would have removed us.
            if ((confirmations += 1) >= CONFIRMATIONS)
                return [...pruned];
        }
        else {
            confirmations = 0;
            const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...manifests.filter((m) => m.digest !== entry.digest), entry] };
            try {
                await repo.pushManifest(Buffer.from(JSON.stringify(index)), OCI_INDEX, tag, current?.etag);
            }
            catch (err) {
                if (!(err instanceof ModelsignError))
                    throw err;
                // An index naming a manifest the registry no longer holds is refused (distribution
                // checks every entry): a referrer deleted without updating the index. Drop those.
                if (err.code === 'MANIFEST_BLOB_UNKNOWN') {
                    const before = pruned.size;
                    for (const m of manifests)
                        if (m.digest !== entry.digest && !(await repo.fetchManifestIfExists(m.digest)))
                            pruned.add(m.digest);
                    if (pruned.size === before)
                        throw err;
                    continue;
                }
                if (err.code !== 'PRECONDITION_FAILED')
                    throw err;
            }
        }
        await sleep(SETTLE_MS + Math.random() * SETTLE_MS * (attempt + 1));
    }
    throw new ModelsignError('remote', 'ATTACH_CONFLICT', `could not record the referrer in ${tag} after ${MAX_ATTEMPTS} attempts: other writers keep replacing it`);
}
//# sourceMappingURL=attach.js.map