/**
 * BLAKE3 comes from a native build where its prebuilt binary loads, else from WebAssembly.
 * Both must give the official test vectors, whatever the split of the input into updates
 * and wherever a chunk sits in its buffer, and the engine must use the native one here.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3 as referenceBlake3 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { blake3Hashers, nativeBlake3Hashers, wasmBlake3Hashers, type Hasher } from '../dist/src/hashing/algorithms.js';
import { createHasher, hashRanges } from '../dist/src/engine.js';
import { tempDir } from './helpers.js';

// From BLAKE3's test_vectors.json: the input is bytes i % 251 for i below the length.
const VECTORS: [number, string][] = [
  [0, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
  [1, '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213'],
  [1023, '10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11'],
  [1024, '42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7'],
  [1025, 'd00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444'],
  [102400, 'bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085'],
];
const vectorInput = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 251);

/** Hashes `data` in updates of the given sizes, each passed as a view at an odd offset of a larger buffer. */
function hashInPieces(hasher: Hasher, data: Uint8Array, sizes: number[]): string {
  let at = 0;
  for (let k = 0; at < data.length; k += 1) {
    const n = Math.min(sizes[k % sizes.length]!, data.length - at);
    const host = Buffer.alloc(n + 13, 0xff);
    host.set(data.subarray(at, at + n), 7);
    hasher.update(host.subarray(7, 7 + n));
    at += n;
  }
  return hasher.digest();
}

describe('BLAKE3 implementations', async () => {
  const native = await nativeBlake3Hashers();
  const implementations: [string, () => Promise<() => Hasher>][] = [
    ['native', async () => native!],
    ['WebAssembly', wasmBlake3Hashers],
  ];

  it('loads the native build on this platform, and the engine uses it', async () => {
    expect(native, 'the prebuilt @napi-rs/blake-hash binary should load here').toBeDefined();
    // Only native hashers are independent (WebAssembly's share one instance), so two used
    // interleaved tell which source blake3Hashers chose.
    const make = await blake3Hashers();
    const [a, b] = [make(), make()];
    a.update(vectorInput(1));
    b.update(vectorInput(1023));
    expect([a.digest(), b.digest()]).toEqual([VECTORS[1]![1], VECTORS[2]![1]]);
  });

  it.each(implementations)('%s gives the official vectors, in one update or many', async (_name, load) => {
    const make = await load();
    for (const [length, digest] of VECTORS) {
      const data = vectorInput(length);
      expect(hashInPieces(make(), data, [length || 1]), `length ${length}`).toBe(digest);
      expect(hashInPieces(make(), data, [1, 63, 64, 65, 1000, 1024, 4097]), `length ${length} in pieces`).toBe(digest);
    }
  });

  it.each(implementations)('%s agrees with hash-wasm on random data across chunk and read boundaries', async (_name, load) => {
    const make = await load();
    for (const length of [1024 * 1024 - 1, 1024 * 1024, 3 * 1024 * 1024 + 17]) {
      const data = randomBytes(length);
      expect(hashInPieces(make(), data, [1024 * 1024, 5, 65536 + 1])).toBe(await referenceBlake3(data));
    }
  });

  it('hashes files through the worker pool and createHasher as hash-wasm does', async () => {
    const dir = await tempDir();
    const big = randomBytes(12 * 1024 * 1024 + 5);
    await writeFile(join(dir, 'big.bin'), big);
    const [whole, tail] = await hashRanges(
      [
        { path: join(dir, 'big.bin'), start: 0, end: big.length, algorithm: 'blake3' },
        { path: join(dir, 'big.bin'), start: 1000, end: big.length, algorithm: 'blake3' },
      ],
      { maxWorkers: 2 },
    );
    expect(whole).toBe(await referenceBlake3(big));
    expect(tail).toBe(await referenceBlake3(big.subarray(1000)));
    // Hashers from separate createHasher calls may be interleaved.
    const [x, y] = [await createHasher('blake3'), await createHasher('blake3')];
    x.update(big.subarray(0, 10));
    y.update(big.subarray(0, 20));
    x.update(big.subarray(10, 30));
    expect(x.digest()).toBe(await referenceBlake3(big.subarray(0, 30)));
    expect(y.digest()).toBe(await referenceBlake3(big.subarray(0, 20)));
  });
});
