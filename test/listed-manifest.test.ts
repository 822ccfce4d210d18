/**
 * The manifest built while a local listing goes on (src/hashing/listed-manifest.ts): it must
 * give exactly what planning and hashing the finished listing gives, and stand aside (so the
 * engine takes that path) whenever it cannot.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListedManifest } from '../dist/src/hashing/listed-manifest.js';
import { comparePaths, HASH_WHILE_INSPECTING_BYTES, hashModel, rootDigest, serializationFor, type ModelFile, type ModelListing, type ModelSource } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { tempDir, writeTree } from './helpers.js';

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const file = (name: string, algorithm: 'sha256' | 'blake2b' = 'sha256'): ModelFile => ({
  name,
  size: name.length,
  listedDigest: { algorithm, hex: algorithm === 'sha256' ? hex(name) : `${hex(name)}${hex(name)}` },
});

/** The manifest hashModel gives for these files listed at once (the planning path): the reference. */
async function planned(files: ModelFile[], hashAlgorithm: 'sha256' | 'blake2b' = 'sha256') {
  const source: ModelSource = {
    location: 'memory',
    modelName: 'm',
    singleFile: false,
    list: async (): Promise<ModelListing> => ({ files, ignored: [], warnings: [] }),
    read: () => {
      throw new Error('every digest came with the listing');
    },
  };
  return (await hashModel(source, { hashAlgorithm, maxWorkers: 1 })).manifest;
}

function built(files: ModelFile[], batches: number[], hashAlgorithm: 'sha256' | 'blake2b' = 'sha256', listing = files) {
  const early = new ListedManifest(serializationFor({ hashAlgorithm }, false));
  let at = 0;
  for (const n of batches) {
    early.add(files.slice(at, at + n));
    at += n;
  }
  return early.result(listing);
}

describe('ListedManifest', () => {
  // In path order: `a/b` before `a-b` (by components), and an astral name after U+FFFD.
  const names = ['a/b', 'a-b', 'b', 'c/d/e', 'c/d0', 'x\uFFFD', 'x\u{1F600}'];
  const files = names.map((n) => file(n));

  it('gives the resources and root digest of planning the finished listing, however the files came in batches', async () => {
    expect([...names].sort(comparePaths)).toEqual(names);
    const reference = await planned(files);
    for (const batches of [[7], [1, 1, 1, 1, 1, 1, 1], [3, 0, 4], [6, 1]]) {
      const result = built(files, batches);
      expect(result, String(batches)).toEqual({ resources: reference.resources, rootDigest: reference.rootDigest });
    }
    // And for blake2b, whose resources name it.
    const b2 = names.map((n) => file(n, 'blake2b'));
    const b2Reference = await planned(b2, 'blake2b');
    expect(built(b2, [2, 5], 'blake2b')).toEqual({ resources: b2Reference.resources, rootDigest: b2Reference.rootDigest });
    // No files: the root of nothing.
    expect(built([], [])).toEqual({ resources: [], rootDigest: rootDigest([]) });
  });

  it('stands aside when the files are not in path order, lack a digest of the algorithm, or are not the listing', async () => {
    // String order, not path order: `a-b` before `a/b`.
    const swapped = [files[1]!, files[0]!, ...files.slice(2)];
    expect(built(swapped, [7])).toBeUndefined();
    // A name twice.
    expect(built([files[0]!, files[0]!], [2])).toBeUndefined();
    // A file whose digest is not taken while listing (a large one), or is of another algorithm.
    expect(built([files[0]!, { name: 'a-b', size: 3 }, files[2]!], [3])).toBeUndefined();
    expect(built([files[0]!, file('a-b', 'blake2b')], [2])).toBeUndefined();
    // The listing is not what came: a file more, a file fewer, or equal but other objects.
    expect(built(files, [7], 'sha256', [...files, file('z')])).toBeUndefined();
    expect(built(files, [7], 'sha256', files.slice(1))).toBeUndefined();
    expect(built(files, [7], 'sha256', names.map((n) => file(n)))).toBeUndefined();
    // Whatever stood aside, planning gives the right manifest: the order by path, for one.
    expect((await planned(swapped)).resources.map((r) => r.name)).toEqual(names);
  });

  it('the local source hands the engine every file as it is inspected, in listing order, as the very objects it lists', async () => {
    const root = await tempDir();
    // 300 files in nested directories (several chunks of 128), one too large to hash while listing.
    const tree: Record<string, string> = {};
    for (let i = 0; i < 300; i += 1) tree[`d${i % 3}/sub${i % 2}/f${String(i).padStart(3, '0')}`] = `file ${i}`;
    await writeTree(root, tree);
    await writeFile(join(root, 'd1/large'), Buffer.alloc(HASH_WHILE_INSPECTING_BYTES + 1));
    for (const maxWorkers of [1, 2]) {
      const handed: ModelFile[][] = [];
      const source = await LocalModelSource.open(root);
      const listing = await source.list({ allowSymlinks: false, isIgnored: () => false, digestAlgorithm: 'sha256', pool: { maxWorkers, hashOnCallingThread: true }, onFiles: (batch) => handed.push([...batch]) });
      expect(listing.files).toHaveLength(301);
      expect(handed.flat()).toEqual(listing.files);
      handed.flat().forEach((f, i) => expect(f).toBe(listing.files[i]));
      expect(listing.files.filter((f) => f.listedDigest === undefined).map((f) => f.name)).toEqual(['d1/large']);
    }
  });

  it('gives its result once', () => {
    const early = new ListedManifest(serializationFor({}, false));
    early.add(files);
    expect(early.result(files)).toBeDefined();
    expect(early.result(files)).toBeUndefined();
  });
});
