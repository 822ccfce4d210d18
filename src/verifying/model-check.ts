import { unverifiedError } from '../errors.js';
import type { ModelFile, ModelListing, ModelSource, UnhashableEntry } from '../source.js';
import { normalizeRelative } from '../hashing/ignore.js';
import { addressedDigest, effectiveIgnorePaths, hashPlanned, listModel, planResources, usesContentAddress, type HashPlanOptions, type PlannedResource } from '../hashing/serialize.js';
import { comparePaths, inStrictPathOrder, parseShardName, resourcePath, type Manifest, type Resource, type Serialization } from '../manifest/manifest.js';
import type { FileStatus } from './report.js';

/** How a model is checked against a signed manifest: extra ignore paths, and how it is hashed. */
export interface ModelCheckOptions extends HashPlanOptions {
  /** Paths to exclude on top of those the signature recorded (relative to the model root). */
  readonly ignorePaths?: readonly string[];
  /** Leave out .git, .gitattributes, .github and .gitignore (default true), as the reference does. */
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

const ADDRESS_NOTE = 'checked by content address: the source checked this digest against the bytes it serves';
const SIZE_NOTE = 'the file size differs from the signed one';

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
export async function checkModel(source: ModelSource, signed: Manifest, options: ModelCheckOptions = {}): Promise<ModelCheck> {
  const s = signed.serialization;
  const listing = await listSigned(source, s, options);

  const expected = source.singleFile ? asSingleFile(signed.resources, source.modelName, s.method) : asOneFileTree(signed.resources, listing, s.method);
  const pathOf = (name: string): string => resourcePath(name, s.method);
  // A signature lists its files in path order, as a local listing arrives: the two are then
  // matched in one merge. Any other order, and shards, are matched through sets of names.
  const merge = s.method === 'files' && inStrictPathOrder(expected, nameOf) && inStrictPathOrder(listing.files, nameOf);
  const { present, unsigned } = merge ? splitByMerge(listing.files, expected) : splitByName(listing.files, new Set(expected.map((r) => pathOf(r.name))));
  const plan = planResources(s.method === 'shards' ? withBoundedShards(present, expected, s.shardSize!) : present, s);
  const digests: (string | undefined)[] = options.readNothing
    ? plan.map((p) => addressedDigest(p.file, s, options))
    : await hashPlanned(source, plan, s, failsByAddress(plan, expected, s, options) ? { ...options, streamContentAddressed: false } : options);
  const files: FileStatus[] = [];
  const unread: string[] = [];
  const label = (hex: string): string => `${s.hashType}:${hex}`;
  // A signed resource found in the plan at k: compared, or (readNothing) left unread.
  const compare = (r: Resource, k: number): void => {
    const now = digests[k];
    if (now === undefined) {
      unread.push(r.name);
      return;
    }
    const entry: FileStatus = { name: r.name, status: now === r.digest ? 'ok' : 'changed', expected: label(r.digest), actual: label(now) };
    files.push(usesContentAddress(plan[k]!.file, s, options) ? { ...entry, note: ADDRESS_NOTE } : entry);
  };
  const ignoredByRule = (name: string): boolean => listing.ignored.some((i) => name === i || name.startsWith(`${i}/`));
  const missing = (r: Resource): FileStatus => {
    const note = ignoredByRule(pathOf(r.name)) ? 'present but excluded by the ignore paths' : undefined;
    return { name: r.name, status: 'missing', expected: label(r.digest), ...(note ? { note } : {}) };
  };

  if (merge) {
    // The plan is the signed files present, in the signature's order: every signed file is
    // the next planned one or missing, and nothing was hashed that is not signed.
    let k = 0;
    for (const r of expected) {
      if (k < plan.length && plan[k]!.name === r.name) compare(r, k++);
      else files.push(missing(r));
    }
  } else {
    const planned = new Map(plan.map((p, k) => [p.name, k]));
    // Needed only when something did not match: built then.
    let presentPaths: Set<string> | undefined;
    for (const r of expected) {
      const k = planned.get(r.name);
      if (k !== undefined) compare(r, k);
      else if ((presentPaths ??= new Set(present.map((f) => f.name))).has(pathOf(r.name))) {
        files.push({ name: r.name, status: 'changed', expected: label(r.digest), note: SIZE_NOTE });
      } else files.push(missing(r));
    }
    // Resources hashed but not signed: shards of a file whose size changed.
    const expectedNames = new Set(expected.map(nameOf));
    plan.forEach((p, k) => {
      const now = digests[k];
      if (!expectedNames.has(p.name)) files.push({ name: p.name, status: 'changed', ...(now === undefined ? {} : { actual: label(now) }), note: SIZE_NOTE });
    });
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
  if (listing.unhashable?.length) reportUnhashable(files, listing.unhashable, pathOf, options);
  for (const name of listing.ignored) files.push({ name, status: 'ignored', note: 'matches an ignore path' });
  return { files, warnings: listing.warnings, ...(options.readNothing ? { unread } : {}) };
}

/**
 * Entries the listing could not hash (a link the signature does not allow, a pipe...) differ
 * from the signed model like any other file: one in place of a signed file makes that
 * file's resources, reported missing, changed; any other is extra, or ignored as unsigned.
 */
function reportUnhashable(files: FileStatus[], unhashable: readonly UnhashableEntry[], pathOf: (name: string) => string, options: ModelCheckOptions): void {
  const why = (u: UnhashableEntry): string => `it ${u.reason}${u.code === 'SYMLINK' ? LINK_NOT_SIGNED : ''}`;
  const byPath = new Map(unhashable.map((u) => [u.name, u]));
  const inPlace = new Set<string>();
  files.forEach((f, i) => {
    const u = f.status === 'missing' ? byPath.get(pathOf(f.name)) : undefined;
    if (!u) return;
    files[i] = { name: f.name, status: 'changed', ...(f.expected ? { expected: f.expected } : {}), note: why(u) };
    inPlace.add(u.name);
  });
  for (const u of unhashable) {
    if (inPlace.has(u.name)) continue;
    files.push(
      options.ignoreUnsignedFiles
        ? { name: u.name, status: 'ignored', note: `not signed (--ignore-unsigned-files); ${why(u)}` }
        : { name: u.name, status: 'extra', note: `present in the model but not signed; ${why(u)}` },
    );
  }
}

// Links are followed when the verified signature records allow_symlinks, never on the verifier's word.
const LINK_NOT_SIGNED = ', and the signature was made without --allow-symlinks (which --allow-symlinks on verify cannot override)';

/**
 * True when a caller streams content-addressed files to keep their bytes (pull), but one of
 * them already has an address other than its signed digest: the model fails this signature
 * whatever the bytes are, so none need be downloaded for it (a later signature that fits
 * streams them then). Their statuses come from the addresses, as in verify.
 */
function failsByAddress(plan: readonly PlannedResource[], expected: readonly Resource[], s: Serialization, options: ModelCheckOptions): boolean {
  if (!options.streamContentAddressed) return false;
  const signed = new Map(expected.map((r) => [r.name, r.digest]));
  return plan.some((p) => usesContentAddress(p.file, s, options) && signed.has(p.name) && p.file.contentDigest !== `sha256:${signed.get(p.name)}`);
}

/**
 * Lists a model under a signed serialization's rules: its symlink rule, and its ignore paths
 * plus the caller's. A listing already in `options.listings` under the same rules is reused,
 * and the one made now is added.
 */
export async function listSigned(source: ModelSource, s: Serialization, options: ModelCheckOptions): Promise<ModelListing> {
  // Paths recorded by the signer that cannot be inside the model cannot match anything: drop them.
  const recorded = (s.ignorePaths ?? []).map(normalizeRelative).filter((p): p is string => p !== undefined);
  const ignorePaths = effectiveIgnorePaths([...recorded, ...(options.ignorePaths ?? [])], options.ignoreGitPaths ?? true);
  const identify = options.cache !== undefined;
  const key = JSON.stringify([s.allowSymlinks, ignorePaths, identify]);
  const listing = options.listings?.get(key) ?? (await listModel(source, { ...s, ignorePaths }, { identify, pool: options, listUnhashable: true }));
  options.listings?.set(key, listing);
  return listing;
}

/**
 * For a single-file model the reference names the resource `"."` and the spec names it by
 * the file's basename; both mean the one file, so a statement may use one of them only.
 */
function asSingleFile(resources: readonly Resource[], baseName: string, method: 'files' | 'shards'): Resource[] {
  const renamed = resources.map((r) => {
    if (method === 'files') return r.name === baseName ? { ...r, name: '.' } : r;
    const shard = parseShardName(r.name);
    return shard?.path === baseName ? { ...r, name: `.:${shard.start}:${shard.end}` } : r;
  });
  const names = new Set<string>();
  for (const r of renamed) {
    if (names.has(r.name)) throw unverifiedError('STATEMENT_INVALID', `the statement names the model's one file twice, as "." and as ${JSON.stringify(baseName)} (resource ${JSON.stringify(r.name)})`);
    names.add(r.name);
  }
  return renamed;
}

// A file with more shards than signed (it grew) has its new shards hashed and named, up to
// this many: beyond, planning and reporting them by the file's size now could make millions
// (a file grown by 400 MB under the reference's test shard size of 8 bytes ran out of memory).
const MAX_UNSIGNED_SHARDS = 1024;

/**
 * The files to plan: those whose shard count now exceeds their signed one by at most
 * MAX_UNSIGNED_SHARDS. Any other fails by its size alone, unread: each of its signed
 * shards is reported changed.
 */
function withBoundedShards(present: readonly ModelFile[], expected: readonly Resource[], shardSize: number): ModelFile[] {
  const signed = new Map<string, number>();
  for (const r of expected) {
    const path = parseShardName(r.name)?.path;
    if (path !== undefined) signed.set(path, (signed.get(path) ?? 0) + 1);
  }
  return present.filter((f) => Math.ceil(f.size / shardSize) - (signed.get(f.name) ?? 0) <= MAX_UNSIGNED_SHARDS);
}

/**
 * The reverse of `asSingleFile`: a model that is a tree (a directory, an OCI artifact) but
 * holds exactly one file, checked against a statement whose only signed path is `"."` (a
 * single file signed as such, then pushed: the layer is named after the file). `"."` then
 * means that one file, and is renamed to its listed name, so the report, a pull and attach
 * name it as the model does. Files left out by the ignore rules do not count. With more
 * files, or another signed path beside `"."`, nothing is renamed: which file `"."` meant
 * would be a guess, and `"."` is reported missing.
 */
function asOneFileTree(resources: readonly Resource[], listing: ModelListing, method: 'files' | 'shards'): readonly Resource[] {
  const [file, ...others] = listing.files;
  if (file === undefined || others.length > 0 || resources.length === 0) return resources;
  if (!resources.every((r) => resourcePath(r.name, method) === '.')) return resources;
  // A shard's name is its path, then `:start:end`: here the path is `.`, its first character.
  return resources.map((r) => ({ ...r, name: `${file.name}${r.name.slice(1)}` }));
}

const nameOf = (item: { readonly name: string }): string => item.name;

/** The listed files the signature names, and the others, in listing order. */
interface Split {
  readonly present: ModelFile[];
  readonly unsigned: ModelFile[];
}

function splitByName(files: readonly ModelFile[], signedPaths: ReadonlySet<string>): Split {
  const split: Split = { present: [], unsigned: [] };
  for (const f of files) (signedPaths.has(f.name) ? split.present : split.unsigned).push(f);
  return split;
}

/** `splitByName` for a listing and signed resources both in strict path order: one merge. */
function splitByMerge(files: readonly ModelFile[], signed: readonly Resource[]): Split {
  const split: Split = { present: [], unsigned: [] };
  let j = 0;
  for (const f of files) {
    while (j < signed.length && comparePaths(signed[j]!.name, f.name) < 0) j += 1;
    (j < signed.length && signed[j]!.name === f.name ? split.present : split.unsigned).push(f);
  }
  return split;
}
