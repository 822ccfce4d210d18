import type { ModelListing, ModelSource } from '../source.js';
import { type HashPlanOptions } from '../hashing/serialize.js';
import { type Manifest, type Serialization } from '../manifest/manifest.js';
import type { FileStatus } from './report.js';
export interface ModelCheckOptions extends HashPlanOptions {
    /** Paths to exclude on top of those the signature recorded (relative to the model root). */
    readonly ignorePaths?: readonly string[];
    readonly ignoreGitPaths?: boolean;
    /** Let files that are present but not signed pass (reported as `ignored`). */
    readonly ignoreUnsignedFiles?: boolean;
    /**
     * Listings already made in this run, keyed by the rules they were made under, updated
     * with the one made now. Checking one model against several signatures with one map (and
     * one `memo`) lists it once: for a source that reads files to list them (a tar layer),
     * one download. Like `memo`, it assumes one pass over one unchanging model.
     */
    readonly listings?: Map<string, ModelListing>;
    /**
     * Read none of the model's bytes: compare names (and, for shards, file sizes), and digests
     * only where content addresses stand in for them. Resources whose content would have to
     * be read are left out of `files` and named in `unread`. A quick check that a signature
     * belongs to a model (attach), never a verification.
     */
    readonly readNothing?: boolean;
}
/** What `checkModel` found: every file's status, and what the listing had to say (links leaving the model). */
export interface ModelCheck {
    readonly files: FileStatus[];
    readonly warnings: readonly string[];
    /** With `readNothing`: the signed resources present whose content was not compared. */
    readonly unread?: readonly string[];
}
/**
 * Hashes the model with the signed serialization and compares it with the signed
 * resources, naming every changed, missing and extra file. Only files the signature
 * names are hashed: an extra file fails by its name alone. A statement that names a
 * single-file model's one file twice (as `.` and by its basename) fails
 * (STATEMENT_INVALID, an unverified error).
 */
export declare function checkModel(source: ModelSource, signed: Manifest, options?: ModelCheckOptions): Promise<ModelCheck>;
/**
 * Lists a model under a signed serialization's rules: its symlink rule, and its ignore paths
 * plus the caller's. A listing already in `options.listings` under the same rules is reused,
 * and the one made now is added.
 */
export declare function listSigned(source: ModelSource, s: Serialization, options: ModelCheckOptions): Promise<ModelListing>;
