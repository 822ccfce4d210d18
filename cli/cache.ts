import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { FileDigestCache, messageOf } from '../src/core.js';
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

/** The digest cache the command was asked to use (`--cache`, `--cache-file`), if any. */
export async function openCache(argv: IgnoreArgs): Promise<FileDigestCache | undefined> {
  const path = argv['cache-file'] ?? (argv.cache ? defaultCachePath() : undefined);
  return path === undefined ? undefined : FileDigestCache.open(resolve(path));
}

/**
 * Saves the cache once hashing is done and says how much it answered. A cache that cannot
 * be written costs a warning, never the command's result.
 */
export async function closeCache(cache: FileDigestCache | undefined, json: boolean): Promise<void> {
  if (!cache) return;
  if (!json && cache.hits > 0) printNotices('note', [`${cache.hits} digest(s) taken from the digest cache ${cache.path}, not re-read`]);
  try {
    await cache.save();
  } catch (err) {
    printNotices('warning', [`cannot save the digest cache ${cache.path}: ${messageOf(err)}`]);
  }
}
