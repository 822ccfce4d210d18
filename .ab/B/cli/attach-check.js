import { checkModel, resourcePath } from '../src/core.js';
/**
 * Compares the manifest a bundle's statement carries (unverified: attach needs no trust) with a model
 * in a registry or layout, reading none of its bytes: file names, shard sizes, and digests
 * where layer digests are content addresses. It catches a bundle of another model before it
 * is published; it is not a verification, which `verify` does. A model with tar layers is
 * not compared, as only downloading them lists their files.
 */
export async function checkAttachment(source, manifest) {
    const method = manifest.serialization.method;
    if (source.listingDownloads)
        return { compared: 0, unread: 0, method, extra: [], differing: [], skipped: 'its tar layers would have to be downloaded to list its files' };
    const check = await checkModel(source, manifest, { readNothing: true });
    return {
        compared: check.files.filter((f) => f.status === 'ok').length,
        // Shards are counted by their file.
        unread: new Set(check.unread?.map((name) => resourcePath(name, method))).size,
        method,
        extra: check.files.filter((f) => f.status === 'extra').map((f) => f.name),
        differing: check.files.filter((f) => f.status === 'changed' || f.status === 'missing'),
    };
}
//# sourceMappingURL=attach-check.js.map