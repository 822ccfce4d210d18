import { hashModel, ModelsignError, reworded, type HashResult, type ModelSource } from '../src/core.js';
import { closeCache, openCache } from './cache.js';
import { DEFAULT_SHARD_SIZE, hashOptionsFrom, type IgnoreArgs, type SerializationArgs } from './options.js';
import { Progress } from './progress.js';
import { printNotices } from './terminal.js';

/**
 * Hashes a model as `digest` and `sign` do: with the serialization and ignore flags, a
 * progress display on a terminal, and the digest cache if asked for; the listing's
 * warnings (and one for a cache not used) go to stderr.
 */
export async function hashWithFlags(source: ModelSource, argv: SerializationArgs & IgnoreArgs, ignorePaths: readonly string[], flagWarnings: readonly string[]): Promise<HashResult> {
  const progress = Progress.forOutput(argv.json);
  const { cache, warnings } = await openCache(argv, source);
  let hashed: HashResult;
  try {
    hashed = await hashModel(source, hashOptionsFrom(argv, ignorePaths, progress, cache));
  } catch (err) {
    // The engine speaks of a shard size to library callers too; here it is the flag's.
    throw err instanceof ModelsignError && err.code === 'BAD_SHARD_SIZE' ? reworded(err, (m) => m.replace(/^shard size/, '--shard-size')) : err;
  } finally {
    // Also on failure: the error must not be printed on the end of the progress line.
    progress.finish();
  }
  const unsaved = await closeCache(cache, argv.json);
  // Usually a wrong path or ignore rule. Allowed, as the reference allows it (the spec would refuse it).
  const empty = hashed.manifest.resources.length === 0 ? [`${source.location} has nothing to hash (no files${argv.method === 'shards' ? ' with content' : ''} after the ignore rules): the root digest is that of nothing`] : [];
  const unused = argv.method === 'files' && argv['shard-size'] !== DEFAULT_SHARD_SIZE ? ['--shard-size has no effect with --method files (each file is one resource): add --method shards to hash in shards'] : [];
  const result = { ...hashed, listing: { ...hashed.listing, warnings: [...flagWarnings, ...unused, ...warnings, ...hashed.listing.warnings, ...empty, ...unsaved] } };
  printNotices('warning', result.listing.warnings);
  return result;
}
