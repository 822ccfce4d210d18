import { FileDigestCache, type ModelSource } from '../src/core.js';
import type { IgnoreArgs } from './options.js';
/**
 * modelsign's cache directory: $XDG_CACHE_HOME/modelsign, else ~/.cache/modelsign. An empty
 * or relative XDG_CACHE_HOME counts as unset (the XDG spec says so), so nothing is written
 * under the current directory, which may be the model.
 */
export declare function cacheDirectory(env?: NodeJS.ProcessEnv): string;
/** The default digest cache: `digests.json` in the cache directory. */
export declare const defaultCachePath: (env?: NodeJS.ProcessEnv) => string;
/**
 * The digest cache the command was asked to use (`--cache`, `--cache-file`), if any. One
 * inside the model directory is refused (CACHE_INSIDE_MODEL): written there, it would be a
 * file of the model, unsigned at `sign` and extra at the next `verify`.
 */
export declare function openCache(argv: IgnoreArgs, source: ModelSource): Promise<FileDigestCache | undefined>;
/**
 * Saves the cache once hashing is done and says how much it answered. A cache that cannot
 * be written costs a warning, never the command's result.
 */
export declare function closeCache(cache: FileDigestCache | undefined, json: boolean): Promise<void>;
