/**
 * The hashing pool against independent digests (node:crypto, openssl, hash-wasm): many tiny
 * files and a few big ones (enough bytes to take the worker path, which starts above 8 MiB),
 * shards inside one file, and the same manifest whatever the number of workers.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { appendFile, lstat, mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBLAKE3 } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASH_WHILE_INSPECTING_BYTES, hashModel, hashPlanned, hashRanges, planResources, inspectLocalFiles, ModelsignError, prestartWorkers, startInspection, waitingWorkers, type HashAlgorithm, type InspectedFiles, type ModelSource } from '../dist/src/engine.js';
import { hashThreadsFor } from '../dist/cli/prestart.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { ROOT, run, tempDir, writeTree } from './helpers.js';

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function expectedDigest(bytes: Uint8Array, algorithm: HashAlgorithm): Promise<string> {
  if (algorithm === 'sha256') return sha256(bytes);
  if (algorithm === 'blake2b') return createHash('blake2b512').update(bytes).digest('hex');
  const h = await createBLAKE3();
  h.init();
  h.update(bytes);
  return h.digest('hex');
}

/** A model of 600 tiny files (some empty) and three big ones, sized off READ_SIZE boundaries. */
async function mixedModel(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 600; i += 1) files.set(`small/${String(i).padStart(3, '0')}.bin`, randomBytes(i % 7 === 0 ? 0 : (i * 37) % 5000));
  files.set('big-a.bin', randomBytes(9 * MiB + 3));
  files.set('big-b.bin', randomBytes(13 * MiB - 5));
  files.set('nested/big-c.bin', randomBytes(20 * MiB + 1));
  await writeTree(root, Object.fromEntries(files));
  return files;
}

describe('hashing pool', () => {
  let root: string;
  let files: Map<string, Buffer>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modelsign-pool-'));
    files = await mixedModel(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('hashes many tiny files and a few big ones like node:crypto and openssl, in job order', async () => {
    const names = [...files.keys()];
    const jobs = names.map((name) => ({ path: join(root, name), start: 0, end: files.get(name)!.length, algorithm: 'sha256' as const }));
    const total = jobs.reduce((n, j) => n + j.end, 0);
    expect(total).toBeGreaterThan(8 * MiB);
    let progressed = 0;
    const digests = await hashRanges(jobs, { maxWorkers: 2, onProgress: (n) => (progressed += n) });
    expect(digests).toEqual(names.map((name) => sha256(files.get(name)!)));
    expect(progressed).toBe(total);
    const big = ['big-a.bin', 'big-b.bin', 'nested/big-c.bin'];
    const openssl = await run('openssl', ['dgst', '-sha256', '-r', ...big], { cwd: root });
    for (const name of big) expect(openssl).toContain(`${digests[names.indexOf(name)]} *${name}`);
  });

  it('gives the same manifest with 1, 2 and 5 threads, with or without the calling thread, matching node:crypto', async () => {
    const source = await LocalModelSource.open(root);
    const manifests = [];
    for (const hashOnCallingThread of [false, true]) {
      for (const maxWorkers of [1, 2, 5]) manifests.push((await hashModel(source, { maxWorkers, hashOnCallingThread })).manifest);
    }
    expect(manifests).toHaveLength(6);
    for (const m of manifests.slice(1)) expect(m).toEqual(manifests[0]);
    const byName = new Map(manifests[0]!.resources.map((r) => [r.name, r.digest]));
    expect(byName.size).toBe(files.size);
    for (const [name, bytes] of files) expect(byName.get(name)).toBe(sha256(bytes));
  });

  it.each(['sha256', 'blake2b', 'blake3'] as const)('hashes shards inside one file with %s, any number of workers', async (hashAlgorithm) => {
    const dir = await tempDir();
    const bytes = randomBytes(40 * MiB + 12345);
    const path = join(dir, 'weights.bin');
    await writeFile(path, bytes);
    const shardSize = 7 * MiB + 1;
    const source = await LocalModelSource.open(path);
    const one = await hashModel(source, { method: 'shards', shardSize, hashAlgorithm, maxWorkers: 1 });
    const many = await hashModel(source, { method: 'shards', shardSize, hashAlgorithm, maxWorkers: 4 });
    expect(many.manifest).toEqual(one.manifest);
    const expected = [];
    for (let start = 0; start < bytes.length; start += shardSize) {
      const end = Math.min(start + shardSize, bytes.length);
      expected.push({ name: `.:${start}:${end}`, digest: await expectedDigest(bytes.subarray(start, end), hashAlgorithm) });
    }
    expect(one.manifest.resources.map((r) => ({ name: r.name, digest: r.digest }))).toEqual(expected);
  });

  it('hashes BLAKE2b and BLAKE3 files in workers like the reference implementations, every file', async () => {
    const source = await LocalModelSource.open(root);
    for (const hashAlgorithm of ['blake2b', 'blake3'] as const) {
      const { manifest } = await hashModel(source, { hashAlgorithm, maxWorkers: 2 });
      expect(manifest.resources).toHaveLength(files.size);
      // A worker reuses one BLAKE3 instance from file to file: no state may leak between them.
      for (const r of manifest.resources) expect(r.digest, r.name).toBe(await expectedDigest(files.get(r.name)!, hashAlgorithm));
    }
  });

  it('fails with READ_FAILED when a file is shorter than listed, inline and in workers', async () => {
    const dir = await tempDir();
    const path = join(dir, 'shrinks.bin');
    await writeFile(path, randomBytes(12 * MiB));
    const listed = 12 * MiB;
    await truncate(path, 10 * MiB);
    // 2 MiB in all: hashed inline, below the pool's threshold.
    const inline = hashRanges([{ path, start: 10 * MiB - 4096, end: listed, algorithm: 'sha256' }]);
    await expect(inline).rejects.toMatchObject({ code: 'READ_FAILED', kind: 'usage' });
    const jobs = [0, 1, 2].map(() => ({ path, start: 0, end: listed, algorithm: 'sha256' as const }));
    const pooled = hashRanges(jobs, { maxWorkers: 2 });
    await expect(pooled).rejects.toBeInstanceOf(ModelsignError);
    await expect(pooled).rejects.toMatchObject({ code: 'READ_FAILED' });
    // The calling thread alone, and with a worker.
    for (const maxWorkers of [1, 2]) {
      await expect(hashRanges(jobs, { maxWorkers, hashOnCallingThread: true })).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining('shorter than when it was listed') });
    }
    expect((await readFile(path)).length).toBe(10 * MiB);
  });

  it('fails with READ_FAILED when a file changed after it was listed or while it was hashed: never a digest of bytes it did not hold at once', async () => {
    const dir = await tempDir();
    const path = join(dir, 'grows.bin');
    await writeFile(path, randomBytes(12 * MiB));
    // Grown since listed: hashing the listed 12 MiB would sign a prefix of the file as the whole.
    await appendFile(path, 'more');
    for (const maxWorkers of [1, 2]) {
      const jobs = [{ path, start: 0, end: 12 * MiB, algorithm: 'sha256' as const, size: 12 * MiB }];
      await expect(hashRanges(jobs, { maxWorkers, hashOnCallingThread: true })).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining(`changed after it was listed (${12 * MiB + 4} bytes, listed with ${12 * MiB})`) });
    }
    // The engine passes each file's listed size: a model whose file grew between listing and hashing fails.
    const source = await LocalModelSource.open(dir);
    const listing = await source.list({ allowSymlinks: false, isIgnored: () => false });
    await appendFile(path, 'and more');
    await expect(hashPlanned(source, planResources(listing.files, { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 4 * MiB }), { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 4 * MiB })).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining('changed after it was listed') });

    // Changed while a range was read: appended to, or rewritten in place at the same size.
    const { OpenFileRanges, READ_SIZE } = await import('../dist/src/hashing/file-range.js');
    const hashHalfThen = async (change: () => Promise<void>): Promise<unknown> => {
      const size = (await stat(path)).size;
      const hasher = createHash('sha256');
      const file = new OpenFileRanges(path, size);
      const steps = file.hashSteps(0, size, { update: (d) => void hasher.update(d), digest: () => hasher.digest('hex') }, Buffer.alloc(READ_SIZE), undefined, 4 * MiB);
      steps.next(); // paused after the first 4 MiB
      await change();
      for (let step = steps.next(); step.done !== true; step = steps.next());
      try {
        file.finish();
        return 'finished';
      } catch (err) {
        return err;
      }
    };
    expect(await hashHalfThen(() => appendFile(path, 'x'))).toMatchObject({ message: expect.stringContaining('changed while it was being hashed') });
    // File times come from a coarse clock: a rewrite in the tick of the last change could not be seen.
    await new Promise((r) => setTimeout(r, 50));
    const rewrite = async (): Promise<void> => {
      const handle = await open(path, 'r+');
      await handle.write(Buffer.from('rewritten'), 0, 9, 8 * MiB);
      await handle.close();
    };
    expect(await hashHalfThen(rewrite)).toMatchObject({ message: expect.stringContaining('changed while it was being hashed') });
    // And one left alone hashes as before.
    await new Promise((r) => setTimeout(r, 50));
    expect(await hashHalfThen(async () => undefined)).toBe('finished');
  });

  it('hashes the small shards of one file, hundreds to a batch, every digest right, with 1 and 2 threads', async () => {
    const dir = await tempDir();
    const bytes = randomBytes(10 * MiB + 3);
    const path = join(dir, 'f.bin');
    await writeFile(path, bytes);
    // 4 KiB shards: 2,561 jobs, batched 512 to a batch, each batch read through one open.
    const shard = 4096;
    const jobs = [];
    for (let start = 0; start < bytes.length; start += shard) jobs.push({ path, start, end: Math.min(start + shard, bytes.length), algorithm: 'sha256' as const, size: bytes.length });
    const expected = jobs.map((j) => sha256(bytes.subarray(j.start, j.end)));
    for (const maxWorkers of [1, 2]) {
      for (const hashOnCallingThread of [false, true]) expect(await hashRanges(jobs, { maxWorkers, hashOnCallingThread })).toEqual(expected);
    }
  });

  it('fails (READ_FAILED) when a file is rewritten, at the same size, between two of its shards read in separate batches', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f.bin');
    const bytes = randomBytes(32 * MiB);
    await writeFile(path, bytes);
    // 16 MiB shards travel alone, one batch each: the calling thread alone takes batch 0,
    // lets its event loop run, then takes batch 1.
    const jobs = [0, 16 * MiB].map((start) => ({ path, start, end: start + 16 * MiB, algorithm: 'sha256' as const, size: bytes.length }));
    const hashWith = async (between: () => void): Promise<unknown> => {
      let done = 0;
      let queued = false;
      const onProgress = (n: number): void => {
        done += n;
        // Runs after batch 0's file is closed and before batch 1's is opened.
        if (done >= 16 * MiB && !queued) {
          queued = true;
          setImmediate(between);
        }
      };
      return hashRanges(jobs, { maxWorkers: 1, hashOnCallingThread: true, onProgress }).catch((err: unknown) => err);
    };
    // File times come from a coarse clock: a rewrite in the tick of the last change could not be seen.
    await new Promise((r) => setTimeout(r, 50));
    expect(await hashWith(() => undefined)).toEqual([sha256(bytes.subarray(0, 16 * MiB)), sha256(bytes.subarray(16 * MiB))]);
    const rewritten = await hashWith(() => {
      const handle = openSync(path, 'r+');
      writeSync(handle, Buffer.from('rewritten'), 0, 9, 20 * MiB);
      closeSync(handle);
    });
    expect(rewritten).toBeInstanceOf(ModelsignError);
    expect(rewritten).toMatchObject({ code: 'READ_FAILED', message: `cannot hash ${path}: ${path} changed while it was being hashed (its parts were read at different modification or change times); hash it again once nothing writes to it` });
  });

  it('sees a file rewritten between two of its ranges, and closes it when abandoned', async () => {
    const { OpenFileRanges, READ_SIZE } = await import('../dist/src/hashing/file-range.js');
    const { takeBatches } = await import('../dist/src/hashing/batches.js');
    const dir = await tempDir();
    const path = join(dir, 'f.bin');
    await writeFile(path, randomBytes(2 * MiB));
    const hasher = () => {
      const h = createHash('sha256');
      return { update: (d: Uint8Array) => void h.update(d), digest: () => h.digest('hex') };
    };
    const drain = (steps: Generator<undefined, string>): string => {
      let step = steps.next();
      while (step.done !== true) step = steps.next();
      return step.value;
    };
    // File times come from a coarse clock: a rewrite in the tick of the last change could not be seen.
    await new Promise((r) => setTimeout(r, 50));
    const file = new OpenFileRanges(path, 2 * MiB);
    drain(file.hashSteps(0, MiB, hasher(), Buffer.alloc(READ_SIZE), undefined, Infinity));
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('rewritten'), 0, 9, 0);
    await handle.close();
    drain(file.hashSteps(MiB, 2 * MiB, hasher(), Buffer.alloc(READ_SIZE), undefined, Infinity));
    expect(() => file.finish()).toThrow('changed while it was being hashed');

    // A thread that stops taking work half way through a batch leaves no file open.
    const openFiles = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    const request = {
      kind: 'hash' as const,
      algorithms: ['sha256' as const],
      batches: [{ paths: [path, path], ranges: Float64Array.from([0, MiB, 2 * MiB, NaN, NaN, MiB, 2 * MiB, 2 * MiB, NaN, NaN]), algorithms: Uint8Array.from([0, 0]), follow: Uint8Array.from([0, 0]) }],
      next: new Int32Array(new SharedArrayBuffer(4)),
    };
    const outcomes = takeBatches(request, [hasher], Buffer.alloc(READ_SIZE / 4), undefined, READ_SIZE / 2);
    expect(outcomes.next()).toEqual({ done: false, value: undefined }); // paused in the first range, the file open
    expect(await openFiles()).toBe(before + 1);
    outcomes.return(undefined);
    expect(await openFiles()).toBe(before);
  });
});

describe('inspecting local files (listing in parallel, small files hashed with their stat)', () => {
  let dir: string;
  let names: string[];
  let contents: Buffer[];
  // Around the hash-while-inspecting limit, and enough files (100) to go through the workers.
  const sizes = [0, 1, 4096, HASH_WHILE_INSPECTING_BYTES, HASH_WHILE_INSPECTING_BYTES + 1, 3 * MiB];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelsign-inspect-'));
    names = Array.from({ length: 100 }, (_, i) => `f${String(i).padStart(3, '0')}.bin`);
    contents = names.map((_, i) => randomBytes(sizes[i % sizes.length]!));
    await writeTree(dir, Object.fromEntries(names.map((n, i) => [n, contents[i]!])));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    [1, true],
    [2, true],
    [2, false],
    [3, false],
  ])('gives sizes, precise stats and the digests of files up to the limit (%i threads, calling thread hashing: %s)', async (maxWorkers, hashOnCallingThread) => {
    const paths = names.map((n) => join(dir, n));
    const found = await inspectLocalFiles(paths, { maxWorkers, hashOnCallingThread, algorithm: 'sha256', precise: true });
    expect([...found.sizes]).toEqual(contents.map((c) => c.length));
    for (let i = 0; i < names.length; i += 1) {
      const expected = contents[i]!.length <= HASH_WHILE_INSPECTING_BYTES ? sha256(contents[i]!) : '';
      expect(found.digests[i], names[i]).toBe(expected);
      const info = await lstat(paths[i]!, { bigint: true });
      expect(found.stats!.slice(4 * i, 4 * i + 4)).toEqual([info.dev, info.ino, info.mtimeNs, info.ctimeNs]);
    }
  });

  it('hashes with BLAKE2b and BLAKE3 too, and without an algorithm or precision gives sizes only', async () => {
    const paths = names.map((n) => join(dir, n));
    for (const algorithm of ['blake2b', 'blake3'] as const) {
      const found = await inspectLocalFiles(paths, { maxWorkers: 2, algorithm });
      for (let i = 0; i < names.length; i += 1) {
        // Files over the limit are left to hashRanges: no digest here.
        const expected = contents[i]!.length <= HASH_WHILE_INSPECTING_BYTES ? await expectedDigest(contents[i]!, algorithm) : '';
        expect(found.digests[i], names[i]).toBe(expected);
      }
    }
    const plain = await inspectLocalFiles(paths, { maxWorkers: 2 });
    expect(plain.digests.every((d) => d === '')).toBe(true);
    expect(plain.stats).toBeUndefined();
    expect([...plain.sizes]).toEqual(contents.map((c) => c.length));
  });

  it('leaves its workers, and any started ahead, to the hashRanges call that follows', async () => {
    const paths = names.map((n) => join(dir, n));
    // A few files are inspected on the calling thread: workers started ahead keep waiting.
    prestartWorkers(1);
    expect(waitingWorkers()).toBe(1);
    await inspectLocalFiles(paths.slice(0, 5), { maxWorkers: 2, algorithm: 'sha256' });
    expect(waitingWorkers()).toBe(1);
    // 100 files, one chunk of work: the inspection takes that worker, then leaves it waiting again.
    const found = await inspectLocalFiles(paths, { maxWorkers: 2, algorithm: 'sha256' });
    expect(waitingWorkers()).toBe(1);
    const big = found.digests.map((d, i) => ({ d, i })).filter(({ d }) => d === '');
    const jobs = big.map(({ i }) => ({ path: paths[i]!, start: 0, end: contents[i]!.length, algorithm: 'sha256' as const }));
    expect(await hashRanges(jobs, { maxWorkers: 2 })).toEqual(big.map(({ i }) => sha256(contents[i]!)));
    expect(waitingWorkers()).toBe(0);
  });

  it('runs other work on the calling thread while workers inspect (meanwhile), only when there are workers; its error fails the run', async () => {
    const paths = names.map((n) => join(dir, n));
    // Two chunks of work (INSPECT_CHUNK is 128 files), so a worker takes part.
    const twice = [...paths, ...paths];
    let calls = 0;
    let progressBefore = -1;
    let progress = 0;
    const found = await inspectLocalFiles(twice, {
      maxWorkers: 2,
      hashOnCallingThread: true,
      algorithm: 'sha256',
      onProgress: (n) => (progress += n),
      meanwhile: () => {
        calls += 1;
        // The calling thread has not hashed yet: its share comes after.
        progressBefore = progress;
      },
    });
    expect([calls, progressBefore]).toEqual([1, 0]);
    expect(found.digests[101]).toBe(sha256(contents[1]!));
    // Inline (32 files or fewer), or one thread: no workers, nothing to overlap with.
    await inspectLocalFiles(paths.slice(0, 5), { maxWorkers: 2, meanwhile: () => (calls += 1) });
    await hashRanges([{ path: paths[5]!, start: 0, end: contents[5]!.length, algorithm: 'sha256' }], { maxWorkers: 1, meanwhile: () => (calls += 1) });
    expect(calls).toBe(1);
    await expect(inspectLocalFiles(twice, { maxWorkers: 2, meanwhile: () => { throw new Error('meanwhile broke'); } })).rejects.toThrow('meanwhile broke');
    expect(waitingWorkers()).toBe(0);
  });

  it('fails (READ_FAILED, never hanging) on a path that is no longer a regular file, inline and in workers', async () => {
    const odd = await tempDir();
    await writeFile(join(odd, 'target.bin'), 'target');
    await symlink(join(odd, 'target.bin'), join(odd, 'link'));
    await mkdir(join(odd, 'a-directory'));
    await run('mkfifo', [join(odd, 'fifo')]);
    const paths = names.map((n) => join(dir, n));
    const cases: [string, RegExp][] = [
      ['link', /became a symbolic link/],
      ['a-directory', /no longer a regular file/],
      ['fifo', /no longer a regular file/],
      ['missing', /ENOENT/],
    ];
    for (const [name, message] of cases) {
      const bad = join(odd, name);
      // Alone (the calling thread), and in the middle of 100 files (the workers).
      for (const list of [[bad], [...paths.slice(0, 50), bad, ...paths.slice(50)]]) {
        const attempt = inspectLocalFiles(list, { maxWorkers: 2, algorithm: 'sha256' });
        await expect(attempt, name).rejects.toBeInstanceOf(ModelsignError);
        await expect(attempt, name).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringMatching(message) });
      }
    }
    // An allowed link is opened through: the target's size and digest.
    const through = await inspectLocalFiles([join(odd, 'link')], { follow: Uint8Array.of(1), algorithm: 'sha256' });
    expect([...through.sizes]).toEqual([6]);
    expect(through.digests).toEqual([sha256(Buffer.from('target'))]);
    // A failure leaves no broken pool behind.
    expect((await inspectLocalFiles(paths, { maxWorkers: 2 })).sizes.length).toBe(names.length);
  });

  it('inspects files added while a listing goes on: the same findings in the order added, whatever the flushes', async () => {
    const paths = names.map((n) => join(dir, n));
    // 0 to 3 copies of the 100 files: lengths across chunk boundaries (128 files a chunk).
    const lengths = [0, 1, 127, 128, 129, 255, 256, 257, 300];
    // An allowed link, opened through: it must travel to the workers with its flag.
    const link = join(await tempDir(), 'link');
    await symlink(paths[1]!, link);
    for (const length of lengths) {
      const list = Array.from({ length }, (_, i) => (i === 270 ? link : paths[i % paths.length]!));
      const follow = Uint8Array.from(list, (path) => (path === link ? 1 : 0));
      for (const [maxWorkers, hashOnCallingThread] of [[1, true], [1, false], [2, true], [2, false], [3, false]] as const) {
        // Chunks as handed over while the inspection runs: in order, each once.
        const handed: { first: number; sizes: number[]; digests: string[]; stats: bigint[] | undefined }[] = [];
        const onInspected = (first: number, chunk: InspectedFiles): void => {
          handed.push({ first, sizes: [...chunk.sizes], digests: [...chunk.digests], stats: chunk.stats && [...chunk.stats] });
        };
        const inspection = startInspection({ maxWorkers, hashOnCallingThread, algorithm: 'sha256', precise: true, onInspected });
        // Flushes at uneven steps, some mid-chunk, some repeated with nothing new.
        list.forEach((path, i) => {
          inspection.add(path, follow[i] === 1);
          if (i % 37 === 36 || i % 100 === 0) inspection.flush();
          if (i % 100 === 0) inspection.flush();
        });
        await inspection.finish();
        const whole = await inspectLocalFiles(list, { maxWorkers: 1, algorithm: 'sha256', precise: true, follow });
        const label = `${length} files, ${maxWorkers} threads, calling thread: ${hashOnCallingThread}`;
        expect(handed.map((c) => c.first), label).toEqual(Array.from({ length: Math.ceil(length / 128) }, (_, k) => 128 * k));
        expect(handed.flatMap((c) => c.sizes), label).toEqual(list.map((path) => contents[path === link ? 1 : paths.indexOf(path)]!.length));
        expect(handed.flatMap((c) => c.sizes), label).toEqual([...whole.sizes]);
        expect(handed.flatMap((c) => c.digests), label).toEqual(whole.digests);
        expect(handed.flatMap((c) => c.stats ?? []), label).toEqual(whole.stats);
      }
    }
  });

  it('a failure where the chunks are handed over fails the inspection, with that error', async () => {
    const list = Array.from({ length: 300 }, (_, i) => join(dir, names[i % names.length]!));
    for (const maxWorkers of [1, 2]) {
      const inspection = startInspection({ maxWorkers, hashOnCallingThread: true, algorithm: 'sha256', onInspected: (first) => { if (first === 128) throw new Error('entries broke'); } });
      list.forEach((path) => inspection.add(path, false));
      await expect(inspection.finish()).rejects.toThrow('entries broke');
    }
  });

  it('puts workers to work on flushed files before the listing finishes, and reports their failure only then', async () => {
    const paths = names.map((n) => join(dir, n));
    const small = paths.filter((_, i) => contents[i]!.length <= HASH_WHILE_INSPECTING_BYTES);
    const list = [...small, ...small, ...small, ...small];
    let progress = 0;
    const digests: string[] = [];
    const inspection = startInspection({ maxWorkers: 2, hashOnCallingThread: true, algorithm: 'sha256', onProgress: (n) => (progress += n), onInspected: (_, chunk) => digests.push(...chunk.digests) });
    list.forEach((path) => inspection.add(path, false));
    inspection.flush();
    // The worker hashes the whole chunks flushed while this thread is free to list on.
    const deadline = Date.now() + 10_000;
    while (progress === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(progress).toBeGreaterThan(0);
    await inspection.finish();
    expect(digests).toEqual(list.map((path) => sha256(contents[paths.indexOf(path)]!)));

    // A file gone before a worker opens it fails the inspection, at finish.
    const failing = startInspection({ maxWorkers: 2, hashOnCallingThread: true, algorithm: 'sha256', onInspected: () => undefined });
    [...list.slice(0, 200), join(dir, 'missing'), ...list.slice(200)].forEach((path) => failing.add(path, false));
    failing.flush();
    await new Promise((r) => setTimeout(r, 200)); // the worker has failed by now, with no one awaiting yet
    await expect(failing.finish()).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringMatching(/missing: ENOENT/) });

    // Abandoned (the listing failed): the workers' failure is dropped, and they are ended, not kept for the next call.
    const abandoned = startInspection({ maxWorkers: 2, hashOnCallingThread: true, algorithm: 'sha256', onInspected: () => undefined });
    [join(dir, 'missing'), ...list].forEach((path) => abandoned.add(path, false));
    abandoned.flush();
    await new Promise((r) => setTimeout(r, 200));
    abandoned.abandon();
    expect(waitingWorkers()).toBe(0);
    expect((await inspectLocalFiles(list, { maxWorkers: 2, algorithm: 'sha256' })).digests).toEqual(digests);
  });

  it('makes the local listing carry the small files digests, not when a digest cache needs identities', async () => {
    const source = await LocalModelSource.open(dir);
    const listing = await source.list({ allowSymlinks: false, isIgnored: () => false, digestAlgorithm: 'sha256', pool: { maxWorkers: 2 } });
    // Every file, so that the checks below cannot pass on an empty listing.
    expect(listing.files.map((f) => f.name).sort()).toEqual([...names].sort());
    for (const f of listing.files) {
      const bytes = contents[names.indexOf(f.name)]!;
      expect(f.size).toBe(bytes.length);
      expect(f.listedDigest, f.name).toEqual(bytes.length <= HASH_WHILE_INSPECTING_BYTES ? { algorithm: 'sha256', hex: sha256(bytes) } : undefined);
    }
    const identified = await source.list({ allowSymlinks: false, isIgnored: () => false, identify: true });
    expect(identified.files.map((f) => f.listedDigest)).toEqual(names.map(() => undefined));
  });

  it("uses a listing's digest instead of reading the file, only for the algorithm it was made with", async () => {
    const local = await LocalModelSource.open(dir);
    const claimed = 'ab'.repeat(32);
    // The listing says what the file hashed to as it was listed; here, deliberately not its bytes.
    const source: ModelSource = {
      location: local.location,
      modelName: local.modelName,
      singleFile: false,
      list: async (options) => {
        const listing = await local.list(options);
        return { ...listing, files: listing.files.map((f) => (f.name === 'f002.bin' ? { ...f, listedDigest: { algorithm: 'sha256' as const, hex: claimed } } : f)) };
      },
      read: (file, start, end) => local.read(file, start, end),
    };
    const digestOf = async (hashAlgorithm: HashAlgorithm) => (await hashModel(source, { hashAlgorithm, maxWorkers: 2 })).manifest.resources.find((r) => r.name === 'f002.bin')!.digest;
    expect(await digestOf('sha256')).toBe(claimed);
    expect(await digestOf('blake2b')).toBe(await expectedDigest(contents[2]!, 'blake2b'));
  });
});

describe('the calling thread as a hashing thread', () => {
  it('lets its event loop run between 64 MiB slices of one file', async () => {
    const dir = await tempDir();
    const bytes = randomBytes(72 * MiB);
    const path = join(dir, 'one.bin');
    await writeFile(path, bytes);
    let hashed = 0;
    let hashedWhenLoopRan: number | undefined;
    setImmediate(() => (hashedWhenLoopRan = hashed));
    const digests = await hashRanges([{ path, start: 0, end: bytes.length, algorithm: 'sha256' }], {
      maxWorkers: 1,
      hashOnCallingThread: true,
      onProgress: (n) => (hashed += n),
    });
    expect(digests).toEqual([sha256(bytes)]);
    expect(hashed).toBe(bytes.length);
    // The callback queued before hashing ran after the first slice, not before or after the file.
    expect(hashedWhenLoopRan).toBe(64 * MiB);
  });

  it('pauses a file range every stepBytes and returns its digest (OpenFileRanges.hashSteps)', async () => {
    const { OpenFileRanges, READ_SIZE } = await import('../dist/src/hashing/file-range.js');
    const dir = await tempDir();
    const bytes = randomBytes(5 * MiB + 100);
    const path = join(dir, 'f.bin');
    await writeFile(path, bytes);
    const hasher = createHash('sha256');
    const seen: number[] = [];
    let done = 0;
    const file = new OpenFileRanges(path, bytes.length);
    const steps = file.hashSteps(100, bytes.length, { update: (d) => void hasher.update(d), digest: () => hasher.digest('hex') }, Buffer.alloc(READ_SIZE), (n) => (done += n), 2 * MiB);
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) seen.push(done);
    file.finish();
    expect(seen).toEqual([2 * MiB, 4 * MiB]);
    expect(step.value).toBe(sha256(bytes.subarray(100)));
  });
});

describe('prestarted workers', () => {
  it('are taken by the next hashRanges call, which ends those it does not need, with the same digests', async () => {
    const dir = await tempDir();
    const parts = [randomBytes(9 * MiB), randomBytes(5 * MiB + 7)];
    await writeTree(dir, { 'a.bin': parts[0]!, 'b.bin': parts[1]! });
    const jobs = ['a.bin', 'b.bin'].map((name, i) => ({ path: join(dir, name), start: 0, end: parts[i]!.length, algorithm: 'sha256' as const }));
    prestartWorkers(4);
    expect(await hashRanges(jobs, { maxWorkers: 2 })).toEqual(parts.map(sha256));
    // Inline work (below the pool's threshold) ends prestarted workers too.
    prestartWorkers(2);
    expect(await hashRanges([{ ...jobs[1]!, end: 4096 }])).toEqual([sha256(parts[1]!.subarray(0, 4096))]);
    // Nothing to hash (every digest from a cache, say): no thread waits for work that never comes.
    prestartWorkers(2);
    for (const hashOnCallingThread of [false, true]) expect(await hashRanges([], { hashOnCallingThread })).toEqual([]);
    // More workers than were prestarted: the rest start as usual.
    prestartWorkers(1);
    expect(await hashRanges(jobs, { maxWorkers: 3 })).toEqual(parts.map(sha256));
  });

  it('never keep a process alive, used or not', async () => {
    const dir = await tempDir();
    const pool = JSON.stringify(join(ROOT, 'dist/src/hashing/pool.js'));
    const script = async (body: string): Promise<string> => {
      const path = join(dir, `script-${Math.random().toString(36).slice(2)}.mjs`);
      await writeFile(path, `import { prestartWorkers, hashRanges } from ${pool};\n${body}\n`);
      return run(process.execPath, [path]);
    };
    // A hang here fails the test by its timeout. The pause lets the workers come up.
    const pause = 'await new Promise((r) => setTimeout(r, 300));';
    expect((await script(`prestartWorkers(2); ${pause} console.log('started');`)).trim()).toBe('started');
    const inline = `const d = await hashRanges([{ path: ${pool}, start: 0, end: 100, algorithm: 'sha256' }]); console.log(d.length);`;
    expect((await script(`prestartWorkers(3); ${pause} ${inline}`)).trim()).toBe('1');
  }, 20_000);
});

describe('which command lines start hash workers early (CLI)', () => {
  it.each([
    [['digest', 'model'], 8],
    [['sign', 'key', 'model', '--private-key', 'k.pem'], 8],
    [['verify', 'key', 'model', '--max-workers', '3'], 3],
    [['verify', 'key', 'model', '--max_workers=2'], 2],
    [['digest', 'model', '--maxWorkers', '1'], 1],
    [['digest', 'model', '--max-workers', '64'], 8],
    [['digest', 'model', '--max-workers', 'x'], 8],
    [['digest', 'oci://localhost:5000/m:1'], undefined],
    [['verify', 'key', 'oci-layout:dir', '--public-key', 'k.pub'], undefined],
    [['digest', '--help'], undefined],
    // Flags before the command, as the CLI reads them.
    [['--json', 'digest', 'model'], 8],
    [['--max-workers', '2', '--json', 'verify', 'key', 'model'], 2],
    [['--json', 'pull', 'oci://localhost:5000/m:1', 'out'], undefined],
    [['pull', 'oci://localhost:5000/m:1', 'out'], undefined],
    [['push', 'model', 'oci://localhost:5000/m:1'], undefined],
    [[], undefined],
  ] as const)('%j -> %s', (args, expected) => {
    let asked = 0;
    const eight = (): number => ((asked += 1), 8);
    expect(hashThreadsFor(args, eight)).toBe(expected);
    // The default reads cgroup files: not for command lines that do not hash.
    if (expected === undefined) expect(asked).toBe(0);
  });
});

describe('a file replaced between listing and hashing', () => {
  /**
   * Lists a model of one 9 MiB file (over the 8 MiB below which one thread hashes alone) (hashed after listing, not while) and a small one, then,
   * when the listing is done (onTotal), replaces the big file as `swap` says, and hashes. In
   * a child process with a deadline: a FIFO opened for reading blocks its thread in the
   * kernel, beyond any timer or signal handler.
   */
  async function hashAfterSwap(swap: 'fifo' | 'symlink', options: { allowSymlinks?: boolean; maxWorkers?: number } = {}): Promise<{ code: number | null; out: string; outside: string }> {
    const dir = await tempDir();
    const model = join(dir, 'model');
    await writeTree(model, { 'big.bin': randomBytes(9 * MiB), 'small.txt': 'small\n' });
    const outside = join(dir, 'outside.bin');
    await writeFile(outside, randomBytes(9 * MiB));
    const script = `
      import { execFileSync } from 'node:child_process';
      import { rmSync, symlinkSync } from 'node:fs';
      import { hashModel } from ${JSON.stringify(join(ROOT, 'dist/src/engine.js'))};
      import { LocalModelSource } from ${JSON.stringify(join(ROOT, 'dist/adapters/local/index.js'))};
      const big = ${JSON.stringify(join(model, 'big.bin'))};
      const onTotal = () => {
        rmSync(big);
        if (${JSON.stringify(swap)} === 'fifo') execFileSync('mkfifo', [big]);
        else symlinkSync(${JSON.stringify(outside)}, big);
      };
      try {
        const { manifest } = await hashModel(await LocalModelSource.open(${JSON.stringify(model)}), { allowSymlinks: ${options.allowSymlinks === true}, maxWorkers: ${options.maxWorkers ?? 1}, hashOnCallingThread: true, onTotal });
        console.log(JSON.stringify(manifest.resources));
      } catch (err) {
        console.log(JSON.stringify({ code: err.code, message: err.message }));
      }`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, killSignal: 'SIGKILL' }, (err, stdout) => resolve({ code: err ? (child.exitCode ?? -1) : 0, out: stdout.trim() }));
    });
    return { ...r, outside };
  }

  it('a FIFO fails as READ_FAILED instead of blocking the open for ever (Ctrl-C could not stop it), with one hash thread or two', async () => {
    for (const maxWorkers of [1, 2]) {
      const { code, out } = await hashAfterSwap('fifo', { maxWorkers });
      expect(code, `maxWorkers ${maxWorkers}: ${out}`).toBe(0);
      expect(JSON.parse(out), `maxWorkers ${maxWorkers}`).toEqual({ code: 'READ_FAILED', message: expect.stringContaining('big.bin is no longer a regular file (changed after it was listed)') });
    }
  });

  it('a symbolic link fails as READ_FAILED unless the serialization allows links, instead of hashing the file it points to', async () => {
    const refused = await hashAfterSwap('symlink');
    expect(refused.code, refused.out).toBe(0);
    expect(JSON.parse(refused.out)).toEqual({ code: 'READ_FAILED', message: expect.stringContaining('big.bin became a symbolic link after it was listed') });
    // Allowed, a link is read through, as the listing reads links.
    const allowed = await hashAfterSwap('symlink', { allowSymlinks: true });
    const resources = JSON.parse(allowed.out) as { name: string; digest: string }[];
    expect(resources.find((r) => r.name === 'big.bin')?.digest).toBe(sha256(await readFile(allowed.outside)));
  });
});
