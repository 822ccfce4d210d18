import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { FileDigestCache, isWithin, messageOf, usageError, type ModelSource } from '../src/core.js';
import { LocalModelSource } from '../adapters/local/index.js';
import type { IgnoreArgs } from './options.js';
import { printNotices } from './terminal.js';

/**
 * modelsign's cache directory: $XDG_CACHE_HOME/modelsign, else ~/.cache/modelsign. An empty
 * or relative XDG_CACHE_HOME counts as unset (the XDG spec says so), so nothing is written
 * under the current directory, which may be the model.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'modelsign');
}

/** The default digest cache: `digests.json` in the cache directory. */
export const defaultCachePath = (env: NodeJS.ProcessEnv = process.env): string => join(cacheDirectory(env), 'digests.json');

/** The digest cache to hash with, if any, and the warnings for the command's output. */
export interface OpenedCache {
  readonly cache: FileDigestCache | undefined;
  readonly warnings: readonly string[];
}

/**
 * The digest cache the command was asked to use (`--cache`, `--cache-file`), if any. One
 * inside the model directory is refused (CACHE_INSIDE_MODEL): written there, it would be a
 * file of the model, unsigned at `sign` and extra at the next `verify`. One another user
 * could have written (FileDigestCache.distrusted) is not used, with a warning: the command
 * hashes as without a cache, so its result is the same, only slower. Not an error, for
 * --cache-file too: a cache is never worth a failed run, and either flag names the same
 * kind of file.
 */
export async function openCache(argv: IgnoreArgs, source: ModelSource): Promise<OpenedCache> {
  const path = argv['cache-file'] ?? (argv.cache ? defaultCachePath() : undefined);
  if (path === undefined) return { cache: undefined, warnings: [] };
  const file = resolve(path);
  // Opened first: a model file given as the cache is refused as that (CACHE_WOULD_OVERWRITE).
  const cache = await FileDigestCache.open(file);
  if (source instanceof LocalModelSource && !source.singleFile && (await isInside(file, source.location))) {
    throw usageError(
      'CACHE_INSIDE_MODEL',
      `the digest cache ${file} is inside the model ${source.location}: it would become a file of the model (unsigned, then extra at verify); keep it outside the model directory`,
    );
  }
  if (cache.distrusted === undefined) return { cache, warnings: [] };
  return { cache: undefined, warnings: [`not using the digest cache ${file}: ${cache.distrusted}, so another user could have written it; every file is read instead`] };
}

/** Whether a file lies in a directory, by the paths as given or once links are resolved (of the file, or of its directory while it does not exist). */
async function isInside(file: string, dir: string): Promise<boolean> {
  const real = await realpath(file).catch(() => realpath(dirname(file)).then((d) => join(d, basename(file)), () => file));
  const realDir = await realpath(dir).catch(() => dir);
  return below(file, dir) || below(real, realDir);
}

const below = (path: string, dir: string): boolean => path !== dir && isWithin(path, dir);

/**
 * Saves the cache once hashing is done and says how much it answered. A cache that cannot
 * be written costs a warning (returned, for the command's output, text or JSON), never the
 * command's result.
 */
export async function closeCache(cache: FileDigestCache | undefined, json: boolean): Promise<string[]> {
  if (!cache) return [];
  if (!json && cache.hits > 0) printNotices('note', [`${cache.hits} digest(s) taken from the digest cache ${cache.path}, not re-read`]);
  try {
    await cache.save();
    return [];
  } catch (err) {
    return [`cannot save the digest cache ${cache.path}: ${messageOf(err)}`];
  }
}
