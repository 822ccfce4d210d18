/**
 * Hostile and unusual layers through the CLI, against the in-memory referrers registry:
 * tar+gzip data that ends before its blob does, tar+zstd layers holding frames of other
 * formats (and the zstd process's memory limit), raw layers whose digest already differs
 * from the signature (pull downloads nothing), and layer file names no file system holds,
 * no signature holds (a NUL) or that name a directory.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, runCli, tempDir, writeTree, zstdOf } from './helpers.js';
import { EMPTY_CONFIG, OCI_MANIFEST, WEIGHT_RAW } from './oci-spec.js';
import { startReferrersRegistry, type ReferrersRegistry } from './servers/referrers-registry.js';

const KEY = join(ROOT, 'fixtures/demo/demo-key.pem');
const PUB = join(ROOT, 'fixtures/demo/demo-key.pub.pem');
const TAR = 'application/vnd.cncf.model.weight.v1.tar';
const TAR_GZ = 'application/vnd.cncf.model.weight.v1.tar+gzip';
const TAR_ZSTD = 'application/vnd.cncf.model.weight.v1.tar+zstd';

type Layer = { bytes: Buffer; mediaType: string; annotations?: Record<string, string>; served?: Buffer };
type Outcome = { code: number; error?: { code: string; message: string }; files?: { name: string; status: string; note?: string }[]; written?: string[] };

async function registry(): Promise<ReferrersRegistry> {
  const reg = await startReferrersRegistry();
  onTestFinished(() => reg.stop());
  return reg;
}

/** Seeds a model; a layer with `served` is answered with those bytes instead of its own. */
function seed(reg: ReferrersRegistry, tag: string, layers: Layer[]): { reference: string; digests: string[] } {
  const descriptors = layers.map(({ bytes, mediaType, annotations, served }) => {
    const digest = reg.putBlob('models/m', bytes);
    if (served) reg.corruptBlob(digest, served);
    return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
  });
  reg.putBlob('models/m', '{}');
  reg.putManifest('models/m', tag, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: descriptors });
  return { reference: `oci://${reg.host}/models/m:${tag}`, digests: descriptors.map((d) => d.digest) };
}

/** A tar of these entries; `pax` adds a PAX extended header (whose `path` may hold what a ustar name cannot, a NUL). */
function tarOf(entries: { name: string; content?: Buffer | string; pax?: Record<string, string> }[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => void chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const e of entries) p.entry({ name: e.name, mtime: new Date(0), ...(e.pax ? { pax: e.pax } : {}) }, Buffer.from(e.content ?? ''));
  p.finalize();
  return done;
}

/** A signature by the demo key over a local model of these files. */
async function signatureOver(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(await tempDir(), 'model');
  await writeTree(dir, files);
  const signature = join(dir, '..', 'model.sig');
  const signed = await runCli(['sign', 'key', dir, '--private-key', KEY, '--signature', signature]);
  expect(signed.code, signed.stderr).toBe(0);
  return signature;
}

async function outcome(args: string[], env?: NodeJS.ProcessEnv): Promise<Outcome> {
  const result = await runCli([...args, '--json'], env ? { env } : {});
  let parsed: Omit<Outcome, 'code'> = {};
  try {
    parsed = JSON.parse(result.stdout) as Omit<Outcome, 'code'>;
  } catch {
    // no JSON: the code and stderr say why
    parsed = { error: { code: 'NO_JSON', message: result.stderr } };
  }
  return { code: result.code, ...parsed };
}

const verify = (reference: string, signature: string): Promise<Outcome> => outcome(['verify', 'key', reference, '--public-key', PUB, '--signature', signature]);

/** Pulls into a new directory; says whether anything was left beside it. */
async function pull(reference: string, signature: string): Promise<Outcome & { left: string[] }> {
  const parent = await tempDir();
  const result = await outcome(['pull', reference, join(parent, 'out'), '--verify', 'key', '--public-key', PUB, '--signature', signature]);
  return { ...result, left: await readdir(parent) };
}

describe('a tar+gzip layer whose gzip data ends before the blob does (zero bytes after it)', () => {
  it('is read to its end: bytes that do not match the digest fail as DIGEST_MISMATCH (exit 3) in digest, verify and pull', async () => {
    const reg = await registry();
    const forged = Buffer.concat([gzipSync(await tarOf([{ name: 'w.bin', content: 'forged weights' }])), Buffer.alloc(1024 * 1024)]);
    // The descriptor names other bytes of the same size.
    const { reference, digests } = seed(reg, 'forged', [{ bytes: randomBytes(forged.length), mediaType: TAR_GZ, served: forged }]);
    const signature = await signatureOver({ 'w.bin': 'forged weights' });

    // Before, Node's gunzip stopped at the zeros, the digest check at the blob's end never
    // ran, and all three passed (verify: "checked by content address").
    const digest = await outcome(['digest', reference]);
    expect(digest).toMatchObject({ code: 3, error: { code: 'DIGEST_MISMATCH', message: expect.stringContaining(digests[0]!) } });
    const verified = await verify(reference, signature);
    expect(verified).toMatchObject({ code: 3, error: { code: 'DIGEST_MISMATCH' } });
    const pulled = await pull(reference, signature);
    expect(pulled).toMatchObject({ code: 3, error: { code: 'DIGEST_MISMATCH' }, left: [] });
  });

  it('whose digest matches is LAYER_INVALID (exit 1), naming the bytes after the gzip data; without them it verifies', async () => {
    const reg = await registry();
    const gzip = gzipSync(await tarOf([{ name: 'w.bin', content: 'weights' }]));
    const signature = await signatureOver({ 'w.bin': 'weights' });
    for (const [tag, trailing] of [
      ['zeros', Buffer.alloc(1024 * 1024)],
      ['one-zero', Buffer.alloc(1)],
      ['zero-then-text', Buffer.from('\0trailing text')],
    ] as const) {
      const { reference, digests } = seed(reg, tag, [{ bytes: Buffer.concat([gzip, trailing]), mediaType: TAR_GZ }]);
      const message = `tar+gzip layer ${digests[0]} has ${trailing.length} bytes after the end of its gzip data`;
      expect(await outcome(['digest', reference]), tag).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID', message: expect.stringContaining(message) } });
      expect(await verify(reference, signature), tag).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID' } });
    }
    const { reference } = seed(reg, 'clean', [{ bytes: gzip, mediaType: TAR_GZ }]);
    expect(await verify(reference, signature)).toMatchObject({ code: 0, files: [{ name: 'w.bin', status: 'ok', note: expect.stringContaining('checked by content address') }] });
  });
});

// An lzma_alone stream of 1,024 zero bytes (`lzma -c`), its header's dictionary size set to
// 1.5 GiB: after a tar, zeros that read as its end.
const LZMA_1_5_GIB_DICTIONARY = Buffer.from('5d00000060ffffffffffffffff00006ffdffffa3b7800c82dbffff9ff00000', 'hex');

/** `zstd -c` with these options, reading a pipe (so the frame does not record the size, and keeps its window). */
function zstdWith(options: string[], bytes: Buffer): Buffer {
  const r = spawnSync('zstd', ['-c', '-q', ...options], { input: bytes, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd ${options.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

describe('tar+zstd layers and the zstd process', () => {
  it('a frame of another format after a zstd frame (an lzma stream asking for a 1.5 GiB dictionary) is LAYER_INVALID (exit 1) before zstd sees it', async () => {
    const reg = await registry();
    const tar = await tarOf([{ name: 'w.bin', content: 'weights' }]);
    const signature = await signatureOver({ 'w.bin': 'weights' });
    for (const [tag, bytes, at] of [
      // zstd decodes lzma, xz, gzip and lz4 frames wherever they follow a zstd frame: before,
      // this passed (exit 0), and a longer stream took zstd to 1.5 GB of memory.
      ['lzma-after-zstd', Buffer.concat([zstdOf(tar), LZMA_1_5_GIB_DICTIONARY]), zstdOf(tar).length],
      ['gzip-as-zstd', gzipSync(tar), 0],
    ] as const) {
      const { reference, digests } = seed(reg, tag, [{ bytes, mediaType: TAR_ZSTD }]);
      const message = `tar+zstd layer ${digests[0]} holds data that is not a zstd frame`;
      const digest = await outcome(['digest', reference]);
      expect(digest, tag).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID', message: expect.stringContaining(message) } });
      expect(digest.error!.message, tag).toContain(`at byte ${at} (${bytes.subarray(at, at + 4).toString('hex').match(/../g)!.join(' ')})`);
      expect(await verify(reference, signature), tag).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID', message: expect.stringContaining(message) } });
      expect(await pull(reference, signature), tag).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID' }, left: [] });
    }
  });

  it('reads zstd streams of several frames, skippable frames, every block type and the largest window (128 MiB) under its memory limit', async () => {
    const reg = await registry();
    const files = { 'random.bin': randomBytes(300_000), 'zeros.bin': Buffer.alloc(400_000), 'text.txt': Buffer.from('tokens '.repeat(20_000)) };
    const tar = await tarOf(Object.entries(files).map(([name, content]) => ({ name, content })));
    const skippable = Buffer.concat([Buffer.from('5e2a4d18', 'hex'), Buffer.from([5, 0, 0, 0]), Buffer.from('skip!')]);
    const third = Math.floor(tar.length / 3);
    const long = zstdWith(['--long=27'], tar.subarray(0, third));
    // Frame header: magic, descriptor, then the window descriptor: exponent 17 = 2^27 bytes.
    expect(long[5]! >> 3).toBe(27 - 10);
    const layer = Buffer.concat([
      skippable,
      long,
      zstdWith(['-19', '--no-check'], tar.subarray(third, 2 * third)),
      skippable,
      zstdWith(['--fast=5', '--content-size'], tar.subarray(2 * third)),
    ]);
    const { reference } = seed(reg, 'frames', [{ bytes: layer, mediaType: TAR_ZSTD }]);
    const verified = await verify(reference, await signatureOver(files));
    expect(verified.code, JSON.stringify(verified.error)).toBe(0);
    expect(verified.files!.map((f) => f.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('runs zstd under an address-space limit: a decoder asking for more fails as LAYER_INVALID (exit 1), naming the limit', async () => {
    // A zstd on PATH that decodes the lzma stream above, as the real one would after a zstd
    // frame: its 1.5 GiB dictionary is more than the limit lets it allocate. (Before there
    // was no limit: it decoded the zeros, an empty tar.)
    const real = spawnSync('sh', ['-c', 'command -v zstd']).stdout.toString().trim();
    const bin = await tempDir();
    await writeFile(join(bin, 'stream.lzma'), LZMA_1_5_GIB_DICTIONARY);
    await writeFile(join(bin, 'zstd'), `#!/bin/sh\ncat >/dev/null\nexec ${real} -d -c -q < ${join(bin, 'stream.lzma')}\n`);
    await chmod(join(bin, 'zstd'), 0o755);
    const reg = await registry();
    const { reference, digests } = seed(reg, 'limited', [{ bytes: zstdOf(await tarOf([{ name: 'w.bin', content: 'weights' }])), mediaType: TAR_ZSTD }]);
    const digest = await outcome(['digest', reference], { PATH: `${bin}:${process.env.PATH}` });
    expect(digest).toMatchObject({ code: 1, error: { code: 'LAYER_INVALID', message: expect.stringContaining(`tar+zstd layer ${digests[0]} cannot be decompressed`) } });
    expect(digest.error!.message).toContain('(zstd may use at most 512 MiB here)');
  });
});

describe('pull of a raw layer whose digest is not the signed one', () => {
  it('downloads nothing and fails as verify does (exit 1, the file changed, checked by content address)', async () => {
    const reg = await registry();
    const weights = randomBytes(4 * 1024 * 1024);
    const config = Buffer.from('{"layers": 2}');
    const { reference, digests } = seed(reg, 'v1', [
      { bytes: weights, mediaType: WEIGHT_RAW, annotations: { 'org.cncf.model.filepath': 'weights.bin' } },
      { bytes: config, mediaType: WEIGHT_RAW, annotations: { 'org.cncf.model.filepath': 'config.json' } },
    ]);
    const signature = await signatureOver({ 'weights.bin': 'other weights', 'config.json': config });
    const gets = (): string[] => reg.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/')).map((r) => r.path.split('/').pop()!);
    const pulled = await pull(reference, signature);
    expect(pulled).toMatchObject({ code: 1, left: [], error: { code: 'MODEL_MISMATCH' } });
    expect(pulled.files).toEqual([
      expect.objectContaining({ name: 'config.json', status: 'ok', note: expect.stringContaining('checked by content address') }),
      expect.objectContaining({ name: 'weights.bin', status: 'changed', note: expect.stringContaining('checked by content address') }),
    ]);
    // Before, both layers were downloaded (and staged) first.
    expect(gets().filter((d) => digests.includes(d))).toEqual([]);
    // With the right signature, both are.
    const good = await pull(reference, await signatureOver({ 'weights.bin': weights, 'config.json': config }));
    expect(good.code, JSON.stringify(good.error)).toBe(0);
    expect(gets().filter((d) => digests.includes(d)).sort()).toEqual([...digests].sort());
  });
});

describe('pull --ignore-unsigned-files of a tar layer holding a file the signature does not cover', () => {
  it('lands only the signed files, in a new or an existing directory: the unsigned entry, staged as the layer was read, is dropped', async () => {
    const reg = await registry();
    const tar = gzipSync(await tarOf([{ name: 'w.bin', content: 'weights' }, { name: 'extra.sh', content: 'echo unsigned\n' }]));
    const { reference } = seed(reg, 'v1', [{ bytes: tar, mediaType: TAR_GZ }]);
    const signature = await signatureOver({ 'w.bin': 'weights' });
    const args = (dest: string, ...flags: string[]) => ['pull', reference, dest, '--verify', 'key', '--public-key', PUB, '--signature', signature, ...flags];
    // Without the flag, the unsigned file fails verification, and nothing lands.
    const parent = await tempDir();
    const strict = await outcome(args(join(parent, 'strict')));
    expect(strict).toMatchObject({ code: 1, error: { code: 'MODEL_MISMATCH' } });
    expect(strict.files).toEqual([
      expect.objectContaining({ name: 'w.bin', status: 'ok' }),
      expect.objectContaining({ name: 'extra.sh', status: 'extra', note: 'present in the model but not signed' }),
    ]);
    expect(await readdir(parent)).toEqual([]);
    const existing = await tempDir();
    await writeFile(join(existing, 'keep.txt'), 'mine');
    for (const dest of [join(parent, 'out'), existing]) {
      const pulled = await outcome(args(dest, '--ignore-unsigned-files'));
      expect(pulled, dest).toMatchObject({ code: 0, written: ['w.bin'] });
      expect((await readdir(dest)).sort(), dest).toEqual(dest === existing ? ['keep.txt', 'w.bin'] : ['w.bin']);
      expect(await readFile(join(dest, 'w.bin'), 'utf8')).toBe('weights');
    }
    expect(await readdir(parent)).toEqual(['out']);
  });
});

describe('tar entry names that cannot be model files', () => {
  it('a 5,000-character name is LAYER_PATH_UNSAFE (exit 1) in digest and pull, with the name cut short in the message', async () => {
    const reg = await registry();
    const long = `${'n'.repeat(5000)}.bin`;
    const signature = await signatureOver({ 'w.bin': 'weights' });
    for (const [tag, layer] of [
      ['tar', { bytes: await tarOf([{ name: 'w.bin', content: 'weights' }, { name: long, content: 'x' }]), mediaType: TAR }],
      ['raw', { bytes: Buffer.from('x'), mediaType: WEIGHT_RAW, annotations: { 'org.cncf.model.filepath': long } }],
      ['deep', { bytes: await tarOf([{ name: `${'d/'.repeat(2100)}w.bin`, content: 'x' }]), mediaType: TAR }],
    ] as const) {
      const { reference } = seed(reg, tag, [layer]);
      for (const result of [await outcome(['digest', reference]), await pull(reference, signature)]) {
        // Before: pull failed to write it, WRITE_FAILED (exit 2), in a message of over 5 KB.
        expect(result, tag).toMatchObject({ code: 1, error: { code: 'LAYER_PATH_UNSAFE', message: expect.stringMatching(/(a component of 5004 bytes|is 4205 bytes long), more than/) } });
        expect(result.error!.message.length, tag).toBeLessThan(400);
      }
    }
  });

  it('a name holding a NUL character (a raw layer annotation, a tar entry PAX path) is LAYER_PATH_UNSAFE (exit 1) in digest and sign --attach, before anything is signed or attached', async () => {
    const reg = await registry();
    const name = 'a\u0000b.bin';
    for (const [tag, layer] of [
      ['raw', { bytes: Buffer.from('x'), mediaType: WEIGHT_RAW, annotations: { 'org.cncf.model.filepath': name } }],
      ['tar', { bytes: await tarOf([{ name: 'w.bin', content: 'weights' }, { name: 'ab.bin', pax: { path: name }, content: 'x' }]), mediaType: TAR }],
    ] as const) {
      const { reference } = seed(reg, tag, [layer]);
      const signature = join(await tempDir(), 'out.sig');
      // Before: listed, signed and attached, then refused by verify as RESOURCE_NAME_UNSAFE.
      for (const result of [await outcome(['digest', reference]), await outcome(['sign', 'key', reference, '--attach', '--signature', signature, '--private-key', KEY])]) {
        expect(result, tag).toMatchObject({ code: 1, error: { code: 'LAYER_PATH_UNSAFE', message: expect.stringContaining(`${JSON.stringify(name)}${tag === 'raw' ? ', which' : ''} is not a name a signature can hold`) } });
      }
      const manifest = reg.getManifest('models/m', tag)!;
      expect(reg.referrers('models/m', manifest.digest), tag).toEqual([]);
      expect(await readdir(join(signature, '..')), tag).toEqual([]);
    }
  });

  it('a regular file named /, ./ or a/ (a directory) is LAYER_PATH_UNSAFE (exit 1), not dropped', async () => {
    const reg = await registry();
    const signature = await signatureOver({ 'w.bin': 'weights' });
    for (const name of ['/', './', 'a/']) {
      const { reference } = seed(reg, `dir-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`, [
        { bytes: gzipSync(await tarOf([{ name, content: 'hidden bytes' }, { name: 'w.bin', content: 'weights' }])), mediaType: TAR_GZ },
      ]);
      // Before: digest and verify passed without it ("nothing to hash" alone).
      const expected = { code: 1, error: { code: 'LAYER_PATH_UNSAFE', message: expect.stringContaining(`entry ${JSON.stringify(name)} is a file with a directory's name`) } };
      expect(await outcome(['digest', reference]), name).toMatchObject(expected);
      expect(await verify(reference, signature), name).toMatchObject(expected);
    }
  });
});
