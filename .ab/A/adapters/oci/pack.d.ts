import { type Descriptor, type ModelSource, type PoolOptions, type ContentStore } from '../../src/index.js';
/**
 * Pushes a local model as a ModelPack artifact: one raw layer per file (its digest is the
 * file's sha256, its path in `org.cncf.model.filepath`), a ModelPack config, and the
 * manifest under `tag`. Files are hashed first, then streamed up; blobs the registry
 * already has are skipped.
 *
 * The same files give the same manifest digest on every push: signatures are referrers of
 * that digest, so a re-push of an unchanged model must keep them attached. Hence no
 * timestamp in the config (ModelPack's `createdAt` is optional).
 */
export declare function pushModelPack(source: ModelSource, repo: ContentStore, tag: string, options?: PoolOptions & {
    ignorePaths?: string[];
    allowSymlinks?: boolean;
}): Promise<{
    descriptor: Descriptor;
    warnings: readonly string[];
}>;
