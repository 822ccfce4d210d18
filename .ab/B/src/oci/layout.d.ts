import { Readable } from 'node:stream';
import type { ContentStore, FetchedManifest, PushedManifest } from './content-store.js';
import { type Descriptor } from './media-types.js';
/**
 * `oci-layout:PATH[:tag|@digest]` split into its parts: PATH ends at its first `:` or `@`,
 * and what follows must be a tag or a digest. A path holding `:` or `@` itself could not be
 * told from one (`lay:bad/tag` is a bad tag, or a directory `lay:bad`?), so it is refused
 * rather than guessed at (tools that take such paths disagree on where they end).
 * The tag or digest is checked here, as local input (exit 2), before anything is read or
 * created.
 */
export declare function parseLayoutReference(input: string): {
    path: string;
    target: string;
};
/**
 * An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as skopeo
 * and oras read and write it. Blobs are written to a temporary name, checked and renamed;
 * `index.json` is replaced atomically, its read-modify-write done holding a lock file beside
 * it so that writers in several processes do not lose each other's entries. Referrers are
 * manifests listed in `index.json` whose `subject` names the digest.
 */
export declare class OciLayout implements ContentStore {
    readonly root: string;
    readonly target: string;
    private readonly path;
    readonly name: string;
    readonly local = true;
    private writing;
    private pending;
    private creating;
    private readonly madeDirectories;
    private readonly madeFiles;
    private createdIndex;
    private untrackCreated;
    private constructor();
    /**
     * Opens a layout; `create` lets a push make one where none exists, when it first writes.
     * An `index.json` already there (a directory without `oci-layout`) is kept if it is an
     * image index and refused (LAYOUT_INVALID) if not: never replaced.
     */
    static open(reference: string, options?: {
        create?: boolean;
    }): Promise<OciLayout>;
    /**
     * A directory that holds something, but neither `oci-layout` nor `index.json`, is not a
     * layout: a model directory named by mistake would get blobs/, index.json and oci-layout
     * written among its files. Refused (NOT_A_LAYOUT); a new or empty directory is made one.
     */
    private refuseOtherContent;
    /** Whether index.json exists; one that is not an image index is refused, naming the file. */
    private existingIndex;
    /** Makes a pending layout, once: directories, index.json unless one is there, the oci-layout marker last. */
    private prepare;
    private create;
    /**
     * After a push that failed: if this object made the layout, removes what it wrote (blobs,
     * index.json, oci-layout, the directories it made), so a failed push to a new layout leaves
     * none. Nothing is removed once index.json has changed since (another process recorded a
     * manifest), nor from a layout that was there before.
     */
    discardCreated(): Promise<void>;
    /**
     * discardCreated for a process ending on a signal, which cannot wait for promises: the same
     * removals, synchronously. The lock is taken without waiting: if another process holds it,
     * it is recording something in the layout, which then is not this run's alone and stays.
     * Directories this object made are removed if empty either way.
     */
    private discardCreatedNow;
    fetchManifest(target: string): Promise<FetchedManifest>;
    fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined>;
    fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array>;
    /** A blob the layout names but that is missing or cannot be read: the layout is damaged (LAYOUT_INVALID). */
    private unreadableBlob;
    blobExists(digest: string): Promise<boolean>;
    pushBlob(descriptor: Descriptor, open: (start: number, end: number) => Readable): Promise<void>;
    pushManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PushedManifest>;
    referrers(subject: string, artifactType?: string): Promise<{
        descriptors: Descriptor[];
        via: 'index';
    }>;
    /** Where a blob lives; a digest the layout cannot use (from its own manifests) makes it LAYOUT_INVALID. */
    private blobPath;
    private readIndex;
    /** index.json, or what is wrong with it: unreadable, not an image index, or a digest that cannot be used. */
    private loadIndex;
    /** Read-modify-write of index.json: one at a time within this process, under the lock file across processes, replaced atomically. */
    private updateIndex;
    /** Runs `work` holding `index.json.lock` (see withFileLock), waiting for another holder at most LOCK_WAIT_MS. */
    private withIndexLock;
    private writeIndex;
}
