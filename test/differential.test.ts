/**
 * The engine against a plain re-implementation of the OMS serialization, over random model
 * trees, and verification reports against the differences a random tampering made. Trees: names that order differently by component than as strings (`a/b` before `a-b`),
 * non-ASCII and astral names, sizes on the engine's internal limits (hashed while listing up
 * to 1 MiB, batches of 16 MiB, the 8 MiB below which hashing stays on one thread, empty
 * files), both methods with odd shard sizes, every algorithm, 1 to 3 threads with and
 * without the calling thread. The reference side reads each file whole and sorts by
 * components compared code point by code point, sharing no code with the engine.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createBLAKE3 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { hashModel, keySigner, keyVerifier, rootDigest, signManifest, verifyModel, type HashAlgorithm } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { randomSequence, runCli, tempDir, writeTree } from './helpers.js';

const MiB = 1024 * 1024;
const NAMES = ['a', 'a-b', 'a.b', 'b', 'B', 'é', 'z\u00ff', '\u4e2d', '\u{1F600}', '\uFF01', 'x y', 'k:1:2', '_'];
const PREFIXES = ['a', 'a-b', 'a.b'];
const EDGE_SIZES = [0, 1, 4096, MiB - 1, MiB, MiB + 1, 8 * MiB + 3, 16 * MiB - 1, 16 * MiB + 1];
const ALGORITHMS: HashAlgorithm[] = ['sha256', 'blake2b', 'blake3'];
const SHARD_SIZES = [1000, 4096, MiB, MiB + 1, 5 * MiB, 1_000_000_000];

interface Case {
  files: Record<string, Uint8Array>;
  method: 'files' | 'shards';
  algorithm: HashAlgorithm;
  shardSize: number;
  threads: number;
  here: boolean;
}

/** A random model:  up to 30 files at depth 1 to 3, at most 48 MiB, no name both a file and a directory. */
function randomCase(seed: number): Case {
  const next = randomSequence(seed);
  const files: Record<string, Uint8Array> = {};
  let bytes = 0;
  const count = next(31);
  for (let i = 0; i < count; i += 1) {
    const parts = Array.from({ length: 1 + next(3) }, () => NAMES[next(NAMES.length)]! + (next(2) === 0 ? String(next(3)) : ''));
    // Often under `a`, `a-b` or `a.b`: a directory beside files that share its prefix.
    if (next(2) === 0) parts[0] = PREFIXES[next(PREFIXES.length)]!;
    const name = parts.join('/');
    const clash = Object.keys(files).some((f) => f === name || f.startsWith(`${name}/`) || name.startsWith(`${f}/`));
    let size = next(3) === 0 ? EDGE_SIZES[next(EDGE_SIZES.length)]! : next(300_000);
    if (bytes + size > 48 * MiB) size = next(5000);
    if (clash) continue;
    const content = new Uint8Array(size);
    for (let k = 0; k < size; k += 4093) content[k] = next(256);
    content[size - 1] = seed & 0xff;
    files[name] = content;
    bytes += size;
  }
  return {
    files,
    method: next(2) === 0 ? 'files' : 'shards',
    algorithm: ALGORITHMS[next(ALGORITHMS.length)]!,
    shardSize: SHARD_SIZES[next(SHARD_SIZES.length)]!,
    threads: 1 + next(3),
    here: next(2) === 0,
  };
}

/** A random case written to a temporary directory, with the hash options it asks for. */
async function caseOnDisk(seed: number) {
  const c = randomCase(seed);
  const root = await tempDir();
  await writeTree(root, c.files);
  const options = { method: c.method, hashAlgorithm: c.algorithm, shardSize: c.shardSize, maxWorkers: c.threads, hashOnCallingThread: c.here };
  return { c, root, source: await LocalModelSource.open(root), options };
}

async function digestOf(bytes: Uint8Array, algorithm: HashAlgorithm): Promise<string> {
  if (algorithm === 'sha256') return createHash('sha256').update(bytes).digest('hex');
  if (algorithm === 'blake2b') return createHash('blake2b512').update(bytes).digest('hex');
  const h = await createBLAKE3();
  h.init();
  h.update(bytes);
  return h.digest('hex');
}

/** Path components compared by code point, shorter prefix first: the reference's order. */
function byComponents(a: string, b: string): number {
  const x = a.split('/').map((c) => Array.from(c, (ch) => ch.codePointAt(0)!));
  const y = b.split('/').map((c) => Array.from(c, (ch) => ch.codePointAt(0)!));
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const [p, q] = [x[i]!, y[i]!];
    for (let k = 0; k < Math.min(p.length, q.length); k += 1) if (p[k] !== q[k]) return p[k]! - q[k]!;
    if (p.length !== q.length) return p.length - q.length;
  }
  return x.length - y.length;
}

/** The resources and root digest the OMS serialization gives, computed the plain way from the files on disk. */
async function expected(root: string, c: Case, names = Object.keys(c.files)): Promise<{ resources: { name: string; digest: string }[]; rootDigest: string }> {
  const resources: { name: string; digest: string }[] = [];
  for (const name of [...names].sort(byComponents)) {
    const bytes = readFileSync(join(root, name));
    if (c.method === 'files') resources.push({ name, digest: await digestOf(bytes, c.algorithm) });
    else {
      for (let start = 0; start < bytes.length; start += c.shardSize) {
        const end = Math.min(start + c.shardSize, bytes.length);
        resources.push({ name: `${name}:${start}:${end}`, digest: await digestOf(bytes.subarray(start, end), c.algorithm) });
      }
    }
  }
  const rootDigest = createHash('sha256').update(Buffer.concat(resources.map((r) => Buffer.from(r.digest, 'hex')))).digest('hex');
  return { resources, rootDigest };
}

describe('the engine against a plain re-implementation, over random models', () => {
  it('gives the same resources, order and root digest for 40 random models', async () => {
    let shards = 0;
    let inPool = 0;
    let unlikeStrings = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const { c, root, source, options } = await caseOnDisk(seed);
      const { manifest } = await hashModel(source, options);
      const want = await expected(root, c);
      const context = `seed ${seed}: ${c.method} ${c.algorithm} shard ${c.shardSize}, ${c.threads} thread(s)`;
      expect(manifest.resources.map((r) => ({ name: r.name, digest: r.digest })), context).toEqual(want.resources);
      expect(manifest.rootDigest, context).toBe(want.rootDigest);
      if (c.method === 'shards') shards += 1;
      const names = Object.keys(c.files);
      if ([...names].sort().join('\n') !== [...names].sort(byComponents).join('\n')) unlikeStrings += 1;
      if (Object.values(c.files).reduce((n, f) => n + f.length, 0) > 8 * MiB && c.threads > 1) inPool += 1;
    }
    // The seeds cover both methods, the worker pool and models whose order by components
    // is not their order as strings, not just the easy cases.
    expect(shards).toBeGreaterThanOrEqual(10);
    expect(inPool).toBeGreaterThanOrEqual(5);
    expect(unlikeStrings).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('the CLI prints the same manifest as the re-implementation (digest --json)', async () => {
    for (const seed of [101, 102, 103]) {
      const { c, root } = await caseOnDisk(seed);
      const args = ['digest', root, '--json', '--method', c.method, '--hash-algorithm', c.algorithm, '--max-workers', String(c.threads)];
      const r = await runCli(c.method === 'shards' ? [...args, '--shard-size', String(c.shardSize)] : args);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { resources: { name: string; digest: string }[]; rootDigest: string };
      const want = await expected(root, c);
      expect(doc.resources.map((x) => ({ name: x.name, digest: x.digest }))).toEqual(want.resources);
      expect(doc.rootDigest).toBe(`sha256:${want.rootDigest}`);
    }
  }, 60_000);
});

describe('verification reports every difference, over random tamperings', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /**
   * Changes a signed model at random: a byte flipped, bytes appended, the file cut short, a
   * file removed or renamed, a new file added. Returns the names the model holds afterwards.
   */
  async function tamper(root: string, c: Case, seed: number): Promise<string[]> {
    const next = randomSequence(seed * 7919);
    const names = new Set(Object.keys(c.files));
    for (const name of Object.keys(c.files)) {
      const bytes = c.files[name]!;
      const what = next(10);
      if (what === 0 && bytes.length > 0) {
        const flipped = Buffer.from(bytes);
        flipped[next(bytes.length)]! ^= 0xff;
        await writeFile(join(root, name), flipped);
      } else if (what === 8) {
        await writeFile(join(root, name), Buffer.concat([bytes, Buffer.alloc(1 + next(2000), 7)]));
      } else if (what === 9 && bytes.length > 0) {
        await writeFile(join(root, name), bytes.subarray(0, next(bytes.length)));
      } else if (what === 1) {
        await rm(join(root, name));
        names.delete(name);
      } else if (what === 2 && !existsSync(join(root, `${name}.moved`))) {
        await rename(join(root, name), join(root, `${name}.moved`));
        names.delete(name);
        names.add(`${name}.moved`);
      }
    }
    for (let i = next(3); i > 0; i -= 1) {
      const name = `added-${seed}-${i}/${NAMES[next(NAMES.length)]}`;
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), Buffer.alloc(next(3) * 700, i));
      names.add(name);
    }
    return [...names];
  }

  /**
   * Each file's (or shard's) status, worked out from the two trees: signed resources still
   * present compare by digest; a signed shard the file no longer has, and a shard it has
   * now but did not have, are changed when the file is still there (its size changed);
   * resources of files gone are missing; files the signature does not name are extra
   * (under shards by file name; an empty file has no shards, so it is nothing while empty,
   * and extra once it has bytes, as the signature cannot tell it was there).
   */
  async function expectedStatuses(root: string, c: Case, before: { name: string; digest: string }[], after: string[]): Promise<string[]> {
    const now = new Map((await expected(root, c, after)).resources.map((r) => [r.name, r.digest]));
    const fileOf = (name: string): string => (c.method === 'shards' ? name.replace(/:\d+:\d+$/, '') : name);
    // The files the signature names: under shards, not those that were empty when signed.
    const signedFiles = new Set(before.map((r) => fileOf(r.name)));
    const present = new Set(after);
    const statuses = before.map((r) => {
      const digest = now.get(r.name);
      if (digest === undefined) return `${r.name} ${present.has(fileOf(r.name)) ? 'changed' : 'missing'}`;
      return `${r.name} ${digest === r.digest ? 'ok' : 'changed'}`;
    });
    const signedNames = new Set(before.map((r) => r.name));
    for (const name of now.keys()) {
      if (signedFiles.has(fileOf(name)) && !signedNames.has(name)) statuses.push(`${name} changed`);
    }
    for (const name of after) {
      const empty = readFileSync(join(root, name)).length === 0;
      if (!signedFiles.has(name) && !(c.method === 'shards' && empty)) statuses.push(`${name} extra`);
    }
    return statuses.sort();
  }

  it('lists exactly the changed, missing and extra files of 30 random models, and verifies only the untouched', async () => {
    let failed = 0;
    let statuses = 0;
    let resized = 0;
    for (let seed = 201; seed <= 230; seed += 1) {
      const { c, root, source, options } = await caseOnDisk(seed);
      const { manifest } = await hashModel(source, options);
      const bundle = signManifest(manifest, keySigner(privateKey));
      // The same resources signed out of path order: matched through sets of names instead
      // of one merge, they must give the same statuses.
      const reordered = [...manifest.resources].reverse();
      const reorderedBundle = signManifest({ ...manifest, resources: reordered, rootDigest: rootDigest(reordered) }, keySigner(privateKey));
      const before = (await expected(root, c)).resources;
      const after = await tamper(root, c, seed);
      const want = await expectedStatuses(root, c, before, after);

      const report = await verifyModel({ source, bundle, verifier: keyVerifier(publicKey), ...options });
      const context = `seed ${seed}: ${c.method} ${c.algorithm} shard ${c.shardSize}`;
      expect(report.files.map((f) => `${f.name} ${f.status}`).sort(), context).toEqual(want);
      const untouched = want.every((s) => s.endsWith(' ok'));
      expect(report.verified, context).toBe(untouched);
      expect(report.error?.code, context).toBe(untouched ? undefined : 'MODEL_MISMATCH');
      const other = await verifyModel({ source, bundle: reorderedBundle, verifier: keyVerifier(publicKey), ...options });
      expect(other.files.map((f) => `${f.name} ${f.status}`).sort(), `${context}, resources in reverse order`).toEqual(want);
      expect(other.verified, context).toBe(untouched);
      if (!untouched) failed += 1;
      statuses += want.length;
      resized += report.files.filter((f) => f.note === 'the file size differs from the signed one').length;
    }
    // Most tamperings change something; a few leave the model as signed.
    expect(failed).toBeGreaterThanOrEqual(20);
    expect(failed).toBeLessThan(30);
    expect(statuses).toBeGreaterThan(300);
    // Shards of files whose size changed, named by the signature or only by the model now.
    expect(resized).toBeGreaterThanOrEqual(50);
  }, 120_000);
});
