/**
 * The digest cache: the file format and its failure modes, the engine's use of it with real
 * file changes (every key field must miss), and the CLI flags.
 *
 * The local adapter only gives a file an identity once its ctime is two seconds old (a
 * change in the same timestamp tick could otherwise go unseen), so the suite creates its
 * models, waits, hashes them into caches, changes some files, and waits again before the
 * tests look at the outcomes.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDigestCache, hashModel, hashPlanned, planResources, type HashOptions, type Manifest, type Serialization } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { randomSequence, run, runCli, tempDir, writeTree } from './helpers.js';

const SETTLE_MS = 2100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const ID = '2049:1234:4096:1700000000000000000:1700000000000000000';
const HEX = 'a'.repeat(64);
/** A real user other than the one running the tests (root in CI): nobody. */
const NOBODY = 65534;

describe('FileDigestCache', () => {
  it('answers only for the same identity, range and algorithm', async () => {
    const cache = await FileDigestCache.open(join(await tempDir(), 'c.json'));
    cache.set(ID, 0, 4096, 'sha256', HEX);
    expect(cache.get(ID, 0, 4096, 'sha256')).toBe(HEX);
    expect(cache.get(`${ID}1`, 0, 4096, 'sha256')).toBeUndefined();
    expect(cache.get(ID, 1, 4096, 'sha256')).toBeUndefined();
    expect(cache.get(ID, 0, 4095, 'sha256')).toBeUndefined();
    expect(cache.get(ID, 0, 4096, 'blake3')).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 4]);
  });

  it('saves atomically, owner-only, and reopens with the same entries', async () => {
    const dir = await tempDir();
    const path = join(dir, 'sub/dir/c.json');
    const cache = await FileDigestCache.open(path);
    cache.set(ID, 0, 10, 'sha256', HEX);
    cache.set(ID, 10, 20, 'blake2b', 'b'.repeat(128));
    await cache.save();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'sub/dir'))).toEqual(['c.json']); // no temporary file left behind
    const again = await FileDigestCache.open(path);
    expect(again.size).toBe(2);
    expect(again.get(ID, 10, 20, 'blake2b')).toBe('b'.repeat(128));
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['cut-short', '{"format":"modelsign-digest-cache","version":1,"entries":[['],
    ['a future version', JSON.stringify({ format: 'modelsign-digest-cache', version: 2, entries: [[ID, 0, 1, 'sha256', HEX]] })],
    ['reformatted', JSON.stringify({ version: 0, format: 'modelsign-digest-cache' }, null, 2)],
  ])('treats a %s cache file as empty and replaces it on save', async (_, content) => {
    const path = join(await tempDir(), 'c.json');
    if (content !== undefined) await writeFile(path, content);
    const cache = await FileDigestCache.open(path);
    expect(cache.size).toBe(0);
    cache.set(ID, 0, 1, 'sha256', HEX);
    await cache.save();
    expect((await FileDigestCache.open(path)).get(ID, 0, 1, 'sha256')).toBe(HEX);
  });

  it.each([
    ['another format', JSON.stringify({ format: 'other', version: 1, entries: [[ID, 0, 1, 'sha256', HEX]] })],
    ['JSON null', 'null'],
    ['not JSON (model weights)', randomBytes(64 * 1024)],
  ])('refuses a file that is not a cache of ours (%s) and never replaces it', async (_, content) => {
    const path = join(await tempDir(), 'c.json');
    await writeFile(path, content);
    const before = await readFile(path);
    // It was read as an empty cache, and replaced on save.
    await expect(FileDigestCache.open(path)).rejects.toMatchObject({ kind: 'usage', code: 'CACHE_WOULD_OVERWRITE', message: expect.stringContaining(path) });
    expect(await readFile(path)).toEqual(before);
  });

  it('does not replace a file put where the cache was after it was opened', async () => {
    const path = join(await tempDir(), 'c.json');
    const cache = await FileDigestCache.open(path);
    cache.set(ID, 0, 1, 'sha256', HEX);
    await writeFile(path, 'weights');
    await expect(cache.save()).rejects.toMatchObject({ code: 'CACHE_WOULD_OVERWRITE' });
    expect(await readFile(path, 'utf8')).toBe('weights');
  });

  it('skips malformed entries and refuses malformed digests', async () => {
    const path = join(await tempDir(), 'c.json');
    const entries = [
      [ID, 0, 1, 'sha256', HEX],
      [ID, 0, 2, 'sha256', 'A'.repeat(64)],
      [ID, 0, 3, 'sha256', 'a'.repeat(63)],
      [ID, 0, 4, 'md5', HEX],
      [ID, 5, 4, 'sha256', HEX],
      ['', 0, 6, 'sha256', HEX],
      [ID, 0, 7, 'blake2b', HEX],
      [ID, '0', 8, 'sha256', HEX],
      'nonsense',
    ];
    await writeFile(path, JSON.stringify({ format: 'modelsign-digest-cache', version: 1, entries }));
    const cache = await FileDigestCache.open(path);
    expect(cache.size).toBe(1);
    cache.set(ID, 0, 9, 'sha256', 'not hex');
    expect(cache.get(ID, 0, 9, 'sha256')).toBeUndefined();
  });

  it('keeps the most recently used entries within its bound', async () => {
    const path = join(await tempDir(), 'c.json');
    const cache = await FileDigestCache.open(path, { maxEntries: 3 });
    for (let i = 0; i < 4; i += 1) cache.set(ID, i, i + 1, 'sha256', HEX);
    expect(cache.size).toBe(3);
    expect(cache.get(ID, 0, 1, 'sha256')).toBeUndefined();
    expect(cache.get(ID, 1, 2, 'sha256')).toBe(HEX); // now the most recent
    cache.set(ID, 9, 10, 'sha256', HEX);
    expect(cache.get(ID, 2, 3, 'sha256')).toBeUndefined();
    await cache.save();
    const again = await FileDigestCache.open(path, { maxEntries: 3 });
    expect([1, 3, 9].map((s) => again.get(ID, s, s + 1, 'sha256'))).toEqual([HEX, HEX, HEX]);
  });

  it('evicts exactly the least recently used entry through any mix of hits, misses, updates and new entries (against a plain model of LRU)', async () => {
    const cache = await FileDigestCache.open(join(await tempDir(), 'c.json'), { maxEntries: 50 });
    const model: number[] = []; // starts, least recently used first
    const use = (start: number): void => {
      const at = model.indexOf(start);
      if (at !== -1) model.splice(at, 1);
      model.push(start);
    };
    const random = randomSequence(77);
    for (let op = 0; op < 20_000; op += 1) {
      const start = random(120);
      if (random(3) === 0) {
        const held = model.includes(start);
        expect(cache.get(ID, start, start + 1, 'sha256'), `op ${op}`).toBe(held ? HEX : undefined);
        if (held) use(start);
      } else {
        cache.set(ID, start, start + 1, 'sha256', HEX);
        use(start);
        if (model.length > 50) model.shift();
      }
      expect(cache.size).toBe(model.length);
    }
    for (const start of Array.from({ length: 120 }, (_, i) => i)) expect(cache.get(ID, start, start + 1, 'sha256') !== undefined, String(start)).toBe(model.includes(start));
  });

  it('neither reads, merges nor replaces a file another user could have written: at open (distrusted) or put there before the save (CACHE_UNTRUSTED)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'c.json');
    const forged = JSON.stringify({ format: 'modelsign-digest-cache', version: 1, entries: [[ID, 0, 1, 'sha256', HEX]] });
    await writeFile(path, forged);
    await chmod(path, 0o666);
    const open = await FileDigestCache.open(path);
    expect([open.size, open.get(ID, 0, 1, 'sha256'), open.distrusted]).toEqual([0, undefined, 'it is writable by group and others (mode 0666)']);
    open.set(ID, 1, 2, 'sha256', HEX);
    await open.save(); // writes nothing
    expect(await readFile(path, 'utf8')).toBe(forged);
    expect((await stat(path)).mode & 0o777).toBe(0o666);
    // Trusted when opened (missing); another user's file is there by the time of the save.
    const other = join(dir, 'd.json');
    const cache = await FileDigestCache.open(other);
    expect(cache.distrusted).toBeUndefined();
    cache.set(ID, 1, 2, 'sha256', HEX);
    await writeFile(other, forged, { mode: 0o600 });
    await chown(other, NOBODY, NOBODY);
    await expect(cache.save()).rejects.toMatchObject({ code: 'CACHE_UNTRUSTED', message: `it is owned by uid ${NOBODY}, not by this user (uid 0): another user could have written it; it is left as it is` });
    expect(await readFile(other, 'utf8')).toBe(forged);
    expect((await stat(other)).uid).toBe(NOBODY);
    expect((await readdir(dir)).sort()).toEqual(['c.json', 'd.json']); // no lock or temporary file
  });

  it('keeps what another run saved in the meantime', async () => {
    const path = join(await tempDir(), 'c.json');
    const a = await FileDigestCache.open(path);
    const b = await FileDigestCache.open(path);
    a.set(ID, 0, 1, 'sha256', HEX);
    b.set(ID, 1, 2, 'sha256', HEX);
    await a.save();
    await b.save();
    const merged = await FileDigestCache.open(path);
    expect([merged.get(ID, 0, 1, 'sha256'), merged.get(ID, 1, 2, 'sha256')]).toEqual([HEX, HEX]);
  });
});

describe('concurrent runs sharing one cache file', () => {
  it('12 concurrent digest runs with one --cache-file keep every entry: a second round takes every digest from the cache', async () => {
    const dir = await tempDir();
    const models = Array.from({ length: 12 }, (_, i) => join(dir, `m${i}`));
    for (const m of models) await writeTree(m, Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`f${j}.bin`, randomBytes(100 + j)])));
    await sleep(SETTLE_MS); // files get an identity (so are cached) once their ctime is two seconds old
    const cacheFile = join(dir, 'cache.json');
    const digest = (m: string) => runCli(['digest', m, '--cache-file', cacheFile]);
    // Before, each run read the file, merged and renamed without a lock: 25-50 of the 60 entries survived.
    const first = await Promise.all(models.map(digest));
    for (const r of first) expect([r.code, r.stderr]).toEqual([0, '']);
    expect((await FileDigestCache.open(cacheFile)).size).toBe(60);
    const second = await Promise.all(models.map(digest));
    second.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(first[i]!.stdout);
      expect(r.stderr).toBe(`note: 5 digest(s) taken from the digest cache ${cacheFile}, not re-read\n`);
    });
    // No lock or temporary file is left beside it.
    expect((await readdir(dir)).filter((f) => !f.startsWith('m')).sort()).toEqual(['cache.json']);
  }, 60_000);

  // Held by a process of another host, which cannot be checked, or by one of this host that
  // has exited, which is named as such: either way the run waits, warns and leaves the lock.
  it.each([
    ['another host', () => '999999@elsewhere', (holder: string, lock: string) => ` (written by process "${holder}"), still after 3 s: another run is saving to it, or one stopped while it held the lock; if none is, remove ${lock}`],
    ['this host, exited', () => `${spawnSync(process.execPath, ['-e', '0']).pid}@${hostname()}`, (holder: string, lock: string) => ` (written by process "${holder}", which is no longer running): it was left behind; remove ${lock}`],
  ])('a cache lock held by a process of %s costs a warning after a short wait, not the result; the lock is left alone', async (_, holderOf, named) => {
    const dir = await tempDir();
    await writeTree(join(dir, 'model'), { 'a.bin': randomBytes(100) });
    await sleep(SETTLE_MS);
    const cacheFile = join(dir, 'cache.json');
    const lock = `${cacheFile}.lock`;
    const holder = holderOf();
    await writeFile(lock, `${holder}\n`);
    const plain = await runCli(['digest', join(dir, 'model')]);
    const started = Date.now();
    const r = await runCli(['digest', join(dir, 'model'), '--cache-file', cacheFile], { timeout: 30_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(r.stderr).toBe(`warning: cannot save the digest cache ${cacheFile}: ${cacheFile} is locked by ${lock}${named(holder, lock)}\n`);
    expect(await readFile(lock, 'utf8')).toBe(`${holder}\n`);
    expect((await readdir(dir)).sort()).toEqual(['cache.json.lock', 'model']);
  }, 60_000);
});

/** A small model; the files' mtime is set to a round value so a test can put it back exactly. */
const MTIME = new Date('2024-01-02T03:04:05.000Z');
async function makeModel(root: string): Promise<void> {
  await writeTree(root, { 'a.bin': randomBytes(3000), 'b.bin': randomBytes(5000), 'sub/c.bin': randomBytes(7000) });
  for (const f of ['a.bin', 'b.bin', 'sub/c.bin']) await utimes(join(root, f), MTIME, MTIME);
}

interface Run {
  manifest: Manifest;
  hits: number;
  misses: number;
  toRead: number;
}

/** Hashes with a cache file and saves it, as the CLI does; reports what the cache answered. */
async function hashWithCache(model: string, cacheFile: string, options: HashOptions = {}): Promise<Run> {
  const cache = await FileDigestCache.open(cacheFile);
  let toRead = -1;
  const { manifest } = await hashModel(await LocalModelSource.open(model), { ...options, cache, onTotal: (n) => (toRead = n) });
  await cache.save();
  return { manifest, hits: cache.hits, misses: cache.misses, toRead };
}

const digestOf = (m: Manifest, name: string): string | undefined => m.resources.find((r) => r.name === name)?.digest;

describe('digest cache with real file changes', () => {
  let root: string;
  const model = (name: string): string => join(root, 'models', name);
  const cacheOf = (name: string): string => join(root, 'caches', `${name}.json`);
  const CASES = ['unchanged', 'size', 'mtime', 'content', 'inode', 'shards', 'partial', 'cli-verify', 'cli-tampered'];
  const firstRun = new Map<string, Run>();
  let contentBefore: { mtimeNs: bigint; ctimeNs: bigint; size: bigint };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modelsign-cache-'));
    for (const name of CASES) await makeModel(model(name));
    await mkdir(join(root, 'caches'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(root, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(join(root, 'key.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    await sleep(SETTLE_MS);

    for (const name of CASES.filter((n) => !n.startsWith('cli') && n !== 'shards')) firstRun.set(name, await hashWithCache(model(name), cacheOf(name)));
    firstRun.set('shards', await hashWithCache(model('shards'), cacheOf('shards'), { method: 'shards', shardSize: 1024 }));
    for (const name of ['cli-verify', 'cli-tampered']) {
      const signed = await runCli(['sign', 'key', model(name), '--private-key', join(root, 'key.pem'), '--signature', join(root, `${name}.sig`), '--cache-file', cacheOf(name)]);
      expect(signed.code).toBe(0);
    }

    // The changes, each keeping everything else the same.
    const a = (name: string): string => join(model(name), 'a.bin');
    await writeFile(a('size'), Buffer.concat([await readFile(a('size')), Buffer.from([0])]));
    await utimes(a('size'), MTIME, MTIME);
    await utimes(a('mtime'), MTIME, new Date(MTIME.getTime() + 1000));
    contentBefore = await stat(a('content'), { bigint: true });
    for (const name of ['content', 'cli-tampered']) {
      const bytes = await readFile(a(name));
      bytes[0] = bytes[0]! ^ 0xff;
      await writeFile(a(name), bytes);
      await utimes(a(name), MTIME, MTIME); // what `touch -d` does: mtime back to the signed value
    }
    await copyFile(a('inode'), `${a('inode')}.new`);
    await utimes(`${a('inode')}.new`, MTIME, MTIME);
    await rename(`${a('inode')}.new`, a('inode'));
    await sleep(SETTLE_MS); // the changed files settle too: only their identity can tell them apart now
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('first runs hashed everything and filled the cache', () => {
    for (const [name, r] of firstRun) {
      expect(r.hits, name).toBe(0);
      expect(r.misses, name).toBe(r.manifest.resources.length);
      expect(r.toRead, name).toBe(15000);
    }
  });

  it('an unchanged model reads nothing and gives the same manifest', async () => {
    const again = await hashWithCache(model('unchanged'), cacheOf('unchanged'));
    expect(again).toMatchObject({ hits: 3, misses: 0, toRead: 0 });
    expect(again.manifest).toEqual(firstRun.get('unchanged')!.manifest);
    const shards = await hashWithCache(model('shards'), cacheOf('shards'), { method: 'shards', shardSize: 1024 });
    expect(shards).toMatchObject({ hits: 3 + 5 + 7, misses: 0, toRead: 0 });
    expect(shards.manifest).toEqual(firstRun.get('shards')!.manifest);
    // A cached digest is only used for the same range and algorithm.
    const blake = await hashWithCache(model('unchanged'), cacheOf('unchanged'), { hashAlgorithm: 'blake2b' });
    expect(blake).toMatchObject({ hits: 0, misses: 3 });
  });

  it.each([
    ['size', 'one byte appended, mtime put back'],
    ['mtime', 'only the mtime moved'],
    ['content', 'one byte flipped in place, same size, mtime put back (only ctime differs)'],
    ['inode', 'replaced by a copy with the same bytes and mtime (new inode)'],
  ])('a change of %s misses: %s', async (name) => {
    const bytes = await readFile(join(model(name), 'a.bin'));
    const again = await hashWithCache(model(name), cacheOf(name));
    expect(again).toMatchObject({ hits: 2, misses: 1, toRead: bytes.length });
    expect(digestOf(again.manifest, 'a.bin')).toBe(sha256(bytes));
    const fresh = await hashModel(await LocalModelSource.open(model(name)));
    expect(again.manifest).toEqual(fresh.manifest);
  });

  it('a file rewritten after the listing, some of its shards cached, fails (READ_FAILED) instead of mixing the two versions', async () => {
    const serialization: Serialization = { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 1024 };
    const shardOptions = { method: 'shards', shardSize: 1024 } as const;
    const full = await hashWithCache(model('partial'), cacheOf('partial'), shardOptions);
    // Keep only the two most recent entries: the last two shards of sub/c.bin.
    const partialCache = async () => FileDigestCache.open(cacheOf('partial'), { maxEntries: 2 });
    const source = await LocalModelSource.open(model('partial'));
    const listed = async () => planResources((await source.list({ allowSymlinks: false, isIgnored: () => false, identify: true })).files, serialization);
    // Left alone, the cached shards and the ones read agree with a full hash.
    const cache = await partialCache();
    expect(await hashPlanned(source, await listed(), serialization, { cache })).toEqual(full.manifest.resources.map((r) => r.digest));
    expect([cache.hits, cache.misses]).toEqual([2, 13]);
    // Rewritten in place at the same size between the listing and the reading of the shards the cache lacks.
    const plan = await listed();
    const c = join(model('partial'), 'sub/c.bin');
    const bytes = await readFile(c);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(c, bytes);
    const mixed = await hashPlanned(source, plan, serialization, { cache: await partialCache() }).catch((err: unknown) => err);
    expect(mixed).toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining(`${c} changed after it was listed (its modification or change time moved)`) });
  });

  it('the content change really kept size and mtime: ctime is what catches it', async () => {
    const after = await stat(join(model('content'), 'a.bin'), { bigint: true });
    expect(after.size).toBe(contentBefore.size);
    expect(after.mtimeNs).toBe(contentBefore.mtimeNs);
    expect(after.ctimeNs).not.toBe(contentBefore.ctimeNs);
    expect(digestOf(firstRun.get('content')!.manifest, 'a.bin')).not.toBe(sha256(await readFile(join(model('content'), 'a.bin'))));
  });

  it('a file changed within the last two seconds gets no identity, so it is never cached', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'new.bin': 'fresh' });
    const listing = await (await LocalModelSource.open(dir)).list({ allowSymlinks: false, isIgnored: () => false, identify: true });
    expect(listing.files[0]!.identity).toBeUndefined();
    const settled = await (await LocalModelSource.open(model('unchanged'))).list({ allowSymlinks: false, isIgnored: () => false, identify: true });
    const info = await stat(join(model('unchanged'), 'a.bin'), { bigint: true });
    expect(settled.files.find((f) => f.name === 'a.bin')!.identity).toBe(`${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`);
  });

  it('files get an identity only when one is asked for (a digest cache will use it)', async () => {
    const source = await LocalModelSource.open(model('unchanged'));
    const plain = await source.list({ allowSymlinks: false, isIgnored: () => false });
    expect(plain.files.length).toBeGreaterThan(0);
    for (const f of plain.files) expect(f.identity).toBeUndefined();
    const single = await (await LocalModelSource.open(join(model('unchanged'), 'a.bin'))).list({ allowSymlinks: false, isIgnored: () => false, identify: true });
    expect(single.files[0]!.identity).toMatch(/^\d+:\d+:\d+:\d+:\d+$/);
  });

  describe('CLI', () => {
    const verify = (name: string, extra: string[] = []) =>
      runCli(['verify', 'key', model(name), '--signature', join(root, `${name}.sig`), '--public-key', join(root, 'key.pub.pem'), ...extra]);

    it('verify takes every digest the signing run cached, and says so', async () => {
      const result = await verify('cli-verify', ['--cache-file', cacheOf('cli-verify')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Verification succeeded');
      expect(result.stderr).toBe(`note: 3 digest(s) taken from the digest cache ${cacheOf('cli-verify')}, not re-read\n`);
    });

    it('verify with the cache still fails on a byte changed behind a restored mtime', async () => {
      const result = await verify('cli-tampered', ['--cache-file', cacheOf('cli-tampered')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/changed\s+a\.bin/);
      expect(result.stderr).toContain('note: 2 digest(s) taken from the digest cache');
    });

    it('--cache uses $XDG_CACHE_HOME/modelsign/digests.json; without it nothing is written', async () => {
      const xdg = await tempDir();
      const plain = await runCli(['digest', model('unchanged')], { env: { XDG_CACHE_HOME: xdg } });
      await expect(stat(join(xdg, 'modelsign'))).rejects.toMatchObject({ code: 'ENOENT' });
      const first = await runCli(['digest', model('unchanged'), '--cache'], { env: { XDG_CACHE_HOME: xdg } });
      const second = await runCli(['digest', model('unchanged'), '--cache', '--json'], { env: { XDG_CACHE_HOME: xdg } });
      expect([plain.code, first.code, second.code]).toEqual([0, 0, 0]);
      expect(first.stdout).toBe(plain.stdout);
      expect(first.stderr).toBe('');
      expect(second.stderr).toBe(''); // --json: no note
      expect(JSON.parse(second.stdout).rootDigest).toBe(plain.stdout.trim());
      const file = join(xdg, 'modelsign/digests.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await FileDigestCache.open(file)).size).toBe(3);
    });

    it('a damaged cache file of ours is ignored and replaced', async () => {
      const file = join(await tempDir(), 'digests.json');
      await writeFile(file, '{"format":"modelsign-digest-cache","version":1,"entries":[["2049:\u0000\u0001');
      const result = await runCli(['digest', model('unchanged'), '--cache-file', file]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`sha256:${firstRun.get('unchanged')!.manifest.rootDigest}`);
      expect((await FileDigestCache.open(file)).size).toBe(3);
    });

    it('a --cache-file that is not a digest cache (a model file) is refused before hashing, exit 2 naming it, and left as it was', async () => {
      // `--cache-file model/weights.bin` replaced 64 KiB of weights with a 633-byte cache.
      const dir = await tempDir();
      await writeTree(join(dir, 'model'), { 'weights.bin': randomBytes(64 * 1024), 'config.json': '{"layers": 2}' });
      const weights = join(dir, 'model', 'weights.bin');
      const before = await readFile(weights);
      const runs = [
        ['digest', join(dir, 'model'), '--cache-file', weights],
        ['sign', 'key', join(dir, 'model'), '--private-key', join(root, 'key.pem'), '--signature', join(dir, 'model.sig'), '--cache-file', weights],
        ['verify', 'key', model('cli-verify'), '--signature', join(root, 'cli-verify.sig'), '--public-key', join(root, 'key.pub.pem'), '--cache-file', weights],
      ];
      for (const args of runs) {
        for (const json of [[], ['--json']]) {
          const result = await runCli([...args, ...json]);
          const message = `${weights} exists and is not a modelsign digest cache; it is left as it is (remove it or choose another cache file)`;
          expect(result.code, args[0]).toBe(2);
          expect(result.stderr).toBe(`error: ${message}\n`);
          if (json.length > 0) expect(JSON.parse(result.stdout)).toEqual({ error: { kind: 'usage', code: 'CACHE_WOULD_OVERWRITE', message } });
          expect(await readFile(weights)).toEqual(before);
        }
      }
      expect((await readdir(dir)).sort()).toEqual(['model']); // sign wrote no signature
    });

    it('a --cache-file inside the model directory is refused before hashing (CACHE_INSIDE_MODEL, exit 2, naming both), by digest, sign and verify', async () => {
      // Before, sign wrote model/cache.json after hashing, and the next verify found it extra.
      const dir = await tempDir();
      const modelDir = join(dir, 'model');
      await writeTree(modelDir, { 'weights.bin': randomBytes(1024), 'config.json': '{}' });
      await symlink('model', join(dir, 'link'));
      const sig = join(dir, 'model.sig');
      const signed = await runCli(['sign', 'key', modelDir, '--private-key', join(root, 'key.pem'), '--signature', sig]);
      expect(signed.code, signed.stderr).toBe(0);
      const signature = await readFile(sig);
      // As given, through a link to the model, and in a directory of the model that does not exist yet.
      for (const [cacheArg, shown] of [
        [join(modelDir, 'cache.json'), join(modelDir, 'cache.json')],
        [join(dir, 'link', 'cache.json'), join(dir, 'link', 'cache.json')],
        [join(modelDir, 'sub', '..', 'caches', 'digests.json'), join(modelDir, 'caches', 'digests.json')],
      ]) {
        const runs = [
          ['digest', modelDir],
          ['sign', 'key', modelDir, '--private-key', join(root, 'key.pem'), '--signature', sig],
          ['verify', 'key', modelDir, '--signature', sig, '--public-key', join(root, 'key.pub.pem')],
        ];
        for (const args of runs) {
          const result = await runCli([...args, '--cache-file', cacheArg!, '--json']);
          const message = `the digest cache ${shown} is inside the model ${modelDir}: it would become a file of the model (unsigned, then extra at verify); keep it outside the model directory`;
          expect(result.code, `${args[0]} ${cacheArg}`).toBe(2);
          expect(JSON.parse(result.stdout)).toEqual({ error: { kind: 'usage', code: 'CACHE_INSIDE_MODEL', message } });
        }
      }
      expect((await readdir(modelDir)).sort()).toEqual(['config.json', 'weights.bin']);
      expect(await readFile(sig)).toEqual(signature); // sign stopped before writing
      // Beside the model is fine.
      const beside = await runCli(['verify', 'key', modelDir, '--signature', sig, '--public-key', join(root, 'key.pub.pem'), '--cache-file', join(dir, 'model.cache.json')]);
      expect(beside.code, beside.stderr).toBe(0);
    });

    it('a cache that cannot be written costs a warning, not the result', async () => {
      const notADirectory = join(await tempDir(), 'plain-file');
      await writeFile(notADirectory, '');
      const result = await runCli(['digest', model('unchanged'), '--cache-file', join(notADirectory, 'digests.json')]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`sha256:${firstRun.get('unchanged')!.manifest.rootDigest}`);
      expect(result.stderr).toMatch(/^warning: cannot save the digest cache/);
      // Where a parent exists but refuses new entries with ENOENT (/proc), Node's recursive
      // mkdir retries forever: the command must warn and finish instead of hanging.
      const proc = await runCli(['digest', model('unchanged'), '--cache-file', '/proc/modelsign-no-such-dir/digests.json'], { timeout: 20_000 });
      expect(proc.code).toBe(0);
      expect(proc.stderr).toMatch(/^warning: cannot save the digest cache .*ENOENT/);
      // With --json the warning is in the document's warnings (it used to be left out), for verify too.
      const unsaved = `cannot save the digest cache ${join(notADirectory, 'digests.json')}: `;
      const json = await runCli(['digest', model('unchanged'), '--cache-file', join(notADirectory, 'digests.json'), '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining(unsaved)]);
      const verified = await verify('cli-verify', ['--cache-file', join(notADirectory, 'digests.json'), '--json']);
      expect(verified.code).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ verified: true, warnings: [expect.stringContaining(unsaved)] });
      const text = await verify('cli-verify', ['--cache-file', join(notADirectory, 'digests.json')]);
      expect(text.stdout).toContain(`\n  warning: ${unsaved}`);
    });

    it('prints a cache path with control characters escaped, in the note and in the warning', async () => {
      const dir = join(await tempDir(), 'odd\u001b[31m');
      await mkdir(dir);
      const file = join(dir, 'digests.json');
      expect((await runCli(['digest', model('unchanged'), '--cache-file', file])).code).toBe(0);
      const again = await runCli(['digest', model('unchanged'), '--cache-file', file]);
      expect(again.stderr).toMatch(/^note: 3 digest\(s\) taken from the digest cache .*odd\\x1b\[31m/);
      // A plain file where the cache's directory should be: it cannot be saved.
      await writeFile(join(dir, 'plain\u0007'), '');
      const unsaved = await runCli(['digest', model('unchanged'), '--cache-file', join(dir, 'plain\u0007', 'digests.json')]);
      expect(unsaved.code).toBe(0);
      expect(unsaved.stderr).toMatch(/^warning: cannot save the digest cache .*odd\\x1b\[31m.plain\\x07/);
      expect(again.stderr + unsaved.stderr).not.toMatch(/[\u0007\u001b]/);
    });

    it('a cache path that is not a regular file (a FIFO, a directory) is neither read nor replaced', async () => {
      const dir = await tempDir();
      const fifo = join(dir, 'fifo');
      await run('mkfifo', [fifo]);
      await mkdir(join(dir, 'directory'));
      for (const path of [fifo, join(dir, 'directory')]) {
        const result = await runCli(['digest', model('unchanged'), '--cache-file', path], { timeout: 20_000 });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toMatch(/^warning: cannot save the digest cache .* is not a regular file/);
      }
      expect((await run('stat', ['-c', '%F', fifo, join(dir, 'directory')])).trim().split('\n')).toEqual(['fifo', 'directory']);
    });
  });
});

/**
 * The reviewer's attack: a cache in a place another user can write holds, for a file they
 * changed, the digest of its signed content under the changed file's identity (every field
 * of which anyone who can stat it knows). Such a cache must not be read: the run hashes as
 * without one, warns, and leaves the cache alone.
 */
describe('a digest cache another user could have written', () => {
  let root: string;
  const model = (): string => join(root, 'model');
  const sig = (): string => join(root, 'model.sig');
  const pub = (): string => join(root, 'key.pub.pem');
  let plainDigest: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modelsign-cache-owner-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(root, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(pub(), publicKey.export({ type: 'spki', format: 'pem' }));
    await writeTree(model(), { w: 'original\n' });
    const signed = await runCli(['sign', 'key', model(), '--private-key', join(root, 'key.pem'), '--signature', sig()]);
    expect(signed.code, signed.stderr).toBe(0);
    await writeFile(join(model(), 'w'), 'EVIL!!!!\n'); // same size
    await sleep(SETTLE_MS); // w now gets an identity, so a cache is asked about it
    plainDigest = (await runCli(['digest', model()])).stdout.trim();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** Writes a cache whose entry for w, under w's identity now, is the digest of what was signed. */
  async function forgeCache(file: string): Promise<string> {
    const info = await stat(join(model(), 'w'), { bigint: true });
    const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    const text = JSON.stringify({ format: 'modelsign-digest-cache', version: 1, entries: [[identity, 0, Number(info.size), 'sha256', sha256(Buffer.from('original\n'))]] });
    await writeFile(file, text, { mode: 0o600 });
    return text;
  }
  const verify = (extra: string[], env?: NodeJS.ProcessEnv) => runCli(['verify', 'key', model(), '--signature', sig(), '--public-key', pub(), ...extra], env ? { env } : {});
  const notUsed = (file: string, why: string) => `not using the digest cache ${file}: ${why}, so another user could have written it; every file is read instead`;

  it('the premise: a forged cache of this user (0600 in a 0700 directory) is believed, and verify passes the changed model', async () => {
    const file = join(await tempDir(), 'c.json');
    await forgeCache(file);
    const r = await verify(['--cache-file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`note: 1 digest(s) taken from the digest cache ${file}, not re-read\n`);
  });

  it("the reviewer's attack: the forged cache owned by nobody, mode 0666: verify reads w, reports it changed (exit 1), warns naming the cache and its owner, and leaves the cache as it was", async () => {
    const dir = await tempDir();
    const file = join(dir, 'c.json');
    const text = await forgeCache(file);
    await chown(file, NOBODY, NOBODY);
    await chmod(file, 0o666);
    const warning = notUsed(file, `it is owned by uid ${NOBODY}, not by this user (uid 0)`);
    const r = await verify(['--cache-file', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Verification FAILED/);
    expect(r.stderr).toMatch(/changed\s+w/);
    expect(r.stderr).toContain(`  warning: ${warning}\n`);
    expect(r.stderr).not.toContain('taken from the digest cache');
    const json = await verify(['--cache-file', file, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.verified).toBe(false);
    expect(report.warnings).toEqual([warning]);
    expect(report.files).toContainEqual(expect.objectContaining({ name: 'w', status: 'changed' }));
    expect(await readFile(file, 'utf8')).toBe(text);
    const after = await stat(file);
    expect([after.uid, after.mode & 0o777]).toEqual([NOBODY, 0o666]);
    expect(await readdir(dir)).toEqual(['c.json']); // no lock or temporary file either
  });

  it.each([
    ['0666', 'group and others'],
    ['0620', 'group'],
    ['0602', 'others'],
  ])('a cache file of this user with mode %s (writable by %s) is not used by digest, sign or verify; the warning is in --json output too', async (modeText, writers) => {
    const mode = parseInt(modeText, 8);
    const dir = await tempDir();
    const file = join(dir, 'c.json');
    const text = await forgeCache(file);
    await chmod(file, mode);
    const warning = notUsed(file, `it is writable by ${writers} (mode ${modeText})`);
    const cache = ['--cache-file', file];
    const digest = await runCli(['digest', model(), ...cache, '--json']);
    expect(digest.code).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({ rootDigest: plainDigest, warnings: [warning] });
    const plainText = await runCli(['digest', model(), ...cache]);
    expect([plainText.stdout.trim(), plainText.stderr]).toEqual([plainDigest, `warning: ${warning}\n`]);
    const signed = await runCli(['sign', 'key', model(), '--private-key', join(root, 'key.pem'), '--signature', join(await tempDir(), 'evil.sig'), ...cache, '--json']);
    expect(signed.code, signed.stderr).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ rootDigest: plainDigest, warnings: [warning] }); // the digest of what w holds now
    const verified = await verify([...cache, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ verified: false, warnings: [warning] });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await stat(file)).mode & 0o7777).toBe(mode);
    expect(await readdir(dir)).toEqual(['c.json']);
  });

  it('a cache in a directory another user can write (0777, sticky 1777, or owned by nobody) is not used, by --cache-file and --cache alike', async () => {
    for (const [mode, owner, why] of [
      [0o777, 0, (d: string) => `its directory ${d} is writable by group and others (mode 0777)`],
      [0o1777, 0, (d: string) => `its directory ${d} is writable by group and others (mode 1777)`],
      [0o700, NOBODY, (d: string) => `its directory ${d} is owned by uid ${NOBODY}, not by this user (uid 0) or root`],
    ] as const) {
      const xdg = await tempDir();
      const dir = join(xdg, 'modelsign');
      await mkdir(dir);
      const file = join(dir, 'digests.json');
      const text = await forgeCache(file);
      await chmod(dir, mode);
      await chown(dir, owner, owner);
      const label = `${mode.toString(8)} ${owner}`;
      for (const args of [['--cache-file', file], ['--cache']]) {
        const r = await verify([...args, '--json'], { XDG_CACHE_HOME: xdg });
        expect(r.code, `${label} ${args[0]}`).toBe(1);
        expect(JSON.parse(r.stdout).warnings, label).toEqual([notUsed(file, why(dir))]);
      }
      expect(await readFile(file, 'utf8')).toBe(text);
      expect(await readdir(dir)).toEqual(['digests.json']);
    }
  });
});
