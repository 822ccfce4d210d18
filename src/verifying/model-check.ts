import type { ModelFile, ModelListing, ModelSource } from '../source.js';
import { normalizeRelative } from '../hashing/ignore.js';
import { effectiveIgnorePaths, hashPlanned, listModel, planResources, usesContentAddress, type HashPlanOptions } from '../hashing/serialize.js';
import { parseShardName, resourcePath, type Manifest, type Resource } from '../manifest/manifest.js';
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
}

const ADDRESS_NOTE = 'checked by content address: the source checked this digest against the bytes it serves';
const SIZE_NOTE = 'the file size differs from the signed one';

/**
 * Hashes the model with the signed serialization and compares it with the signed
 * resources, naming every changed, missing and extra file. Only files the signature
 * names are hashed: an extra file fails by its name alone.
 */
export async function checkModel(source: ModelSource, signed: Manifest, options: ModelCheckOptions = {}): Promise<FileStatus[]> {
  const s = signed.serialization;
  // Paths recorded by the signer that cannot be inside the model cannot match anything: drop them.
  const recorded = (s.ignorePaths ?? []).map(normalizeRelative).filter((p): p is string => p !== undefined);
  const ignorePaths = effectiveIgnorePaths([...recorded, ...(options.ignorePaths ?? [])], options.ignoreGitPaths ?? true);
  const identify = options.cache !== undefined;
  const listingKey = JSON.stringify([s.allowSymlinks, ignorePaths, identify]);
  const listing = options.listings?.get(listingKey) ?? (await listModel(source, { ...s, ignorePaths }, { identify, pool: options }));
  options.listings?.set(listingKey, listing);

  const expected = source.singleFile ? signed.resources.map((r) => asSingleFile(r, source.modelName, s.method)) : signed.resources;
  const pathOf = (name: string): string => resourcePath(name, s.method);
  const signedPaths = new Set(expected.map((r) => pathOf(r.name)));

  // One pass splits the listing into the files the signature names and the extra ones.
  const present: ModelFile[] = [];
  const unsigned: ModelFile[] = [];
  for (const f of listing.files) (signedPaths.has(f.name) ? present : unsigned).push(f);
  const plan = planResources(present, s);
  const digests = await hashPlanned(source, plan, s, options);
  const actual = new Map(plan.map((p, i) => [p.name, digests[i]!]));
  const byAddress = new Set(plan.filter((p) => usesContentAddress(p.file, s, options)).map((p) => p.name));
  const label = (hex: string): string => `${s.hashType}:${hex}`;
  const ignoredByRule = (name: string): boolean => listing.ignored.some((i) => name === i || name.startsWith(`${i}/`));
  // Needed only when something did not match: built then.
  let presentPaths: Set<string> | undefined;

  const files: FileStatus[] = [];
  for (const r of expected) {
    const now = actual.get(r.name);
    if (now !== undefined) {
      const status = now === r.digest ? 'ok' : 'changed';
      const entry: FileStatus = { name: r.name, status, expected: label(r.digest), actual: label(now) };
      files.push(byAddress.has(r.name) ? { ...entry, note: ADDRESS_NOTE } : entry);
    } else if ((presentPaths ??= new Set(present.map((f) => f.name))).has(pathOf(r.name))) {
      files.push({ name: r.name, status: 'changed', expected: label(r.digest), note: SIZE_NOTE });
    } else {
      const note = ignoredByRule(pathOf(r.name)) ? 'present but excluded by the ignore paths' : undefined;
      files.push({ name: r.name, status: 'missing', expected: label(r.digest), ...(note ? { note } : {}) });
    }
  }
  // Resources hashed but not signed: shards of a file whose size changed.
  const expectedNames = new Set(expected.map((r) => r.name));
  for (const [name, hex] of actual) {
    if (!expectedNames.has(name)) files.push({ name, status: 'changed', actual: label(hex), note: SIZE_NOTE });
  }
  for (const f of unsigned) {
    // An empty file has no shards, so a shard manifest can neither name it nor miss it.
    if (s.method === 'shards' && f.size === 0) continue;
    files.push(
      options.ignoreUnsignedFiles
        ? { name: f.name, status: 'ignored', note: 'not signed (--ignore-unsigned-files)' }
        : { name: f.name, status: 'extra', note: 'present in the model but not signed' },
    );
  }
  for (const name of listing.ignored) files.push({ name, status: 'ignored', note: 'matches an ignore path' });
  return files;
}

/**
 * For a single-file model the reference names the resource `"."` and the spec names it by
 * the file's basename; both mean the one file.
 */
function asSingleFile(r: Resource, baseName: string, method: 'files' | 'shards'): Resource {
  if (method === 'files') return r.name === baseName ? { ...r, name: '.' } : r;
  const shard = parseShardName(r.name);
  return shard?.path === baseName ? { ...r, name: `.:${shard.start}:${shard.end}` } : r;
}
