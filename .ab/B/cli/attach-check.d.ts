import { type FileStatus, type Manifest } from '../src/core.js';
import type { OciModelSource } from '../adapters/oci/index.js';
/** What attach found comparing a bundle's statement with the model, without reading the model's bytes. */
export interface AttachCheck {
    /** Signed files whose digest was compared with the file's content address. */
    readonly compared: number;
    /** Signed files present whose content could not be compared without reading it (names, and for shards sizes, only). */
    readonly unread: number;
    readonly method: 'files' | 'shards';
    /** Files of the model the signature does not name: `verify` then needs `--ignore-unsigned-files`. */
    readonly extra: readonly string[];
    /** Changed and missing files: no verification of this model can pass with this bundle. */
    readonly differing: readonly FileStatus[];
    /** Why the model was not compared at all. */
    readonly skipped?: string;
}
/**
 * Compares the manifest a bundle's statement carries (unverified: attach needs no trust) with a model
 * in a registry or layout, reading none of its bytes: file names, shard sizes, and digests
 * where layer digests are content addresses. It catches a bundle of another model before it
 * is published; it is not a verification, which `verify` does. A model with tar layers is
 * not compared, as only downloading them lists their files.
 */
export declare function checkAttachment(source: OciModelSource, manifest: Manifest): Promise<AttachCheck>;
