/**
 * Resource order and the root digest, against independent implementations: the reference
 * sorts by path components compared as UTF-8 bytes, and the root digest is SHA-256 over the
 * raw digest bytes in that order. (The goldens check both on real manifests; these check
 * the edge cases directly, including input that is already in order.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { comparePaths, rootDigest } from '../dist/src/engine.js';
import { sortByPath } from '../dist/src/manifest/manifest.js';

/** The reference's key: the list of components, compared component by component as UTF-8. */
function referenceCompare(a: string, b: string): number {
  const pa = a.split('/').map((c) => Buffer.from(c, 'utf8'));
  const pb = b.split('/').map((c) => Buffer.from(c, 'utf8'));
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    const c = Buffer.compare(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

const NAMES = ['a-b', 'a/b', 'a/b/c', 'a.b', 'a', 'a0', 'b/\u{1F600}', 'b/\uE000', 'b/\uFFFD', 'b/z', 'B', 'x/y/z', 'x/y-z', 'x/y/\u00E9', 'x/y/e'];

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomBytes(1)[0]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('sortByPath', () => {
  const expected = [...NAMES].sort(referenceCompare);

  it('orders names as the reference does, from any input order', () => {
    // Astral characters sort after U+E000-U+FFFF in UTF-8, before them in UTF-16 code units.
    expect(expected.indexOf('b/\u{1F600}')).toBeGreaterThan(expected.indexOf('b/\uFFFD'));
    expect(expected.indexOf('a/b/c')).toBeLessThan(expected.indexOf('a-b'));
    for (let round = 0; round < 20; round += 1) expect(sortByPath(shuffled(NAMES), (n) => n)).toEqual(expected);
  });

  it('returns input already in order as it is, and a sorted copy of input that is not, leaving the input alone', () => {
    const inOrder = [...expected];
    expect(sortByPath(inOrder, (n) => n)).toEqual(expected);
    const swapped = [...expected];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const before = [...swapped];
    expect(sortByPath(swapped, (n) => n)).toEqual(expected);
    expect(swapped).toEqual(before);
  });
});

describe('comparePaths', () => {
  it('agrees with the reference order on random names, edge characters included', () => {
    // '/', characters just below and above it, ASCII, Latin-1, the last BMP characters and an astral one.
    const alphabet = ['/', '-', '.', '0', 'a', 'B', '\u00E9', '\uD7FF', '\uE000', '\uFFFD', '\u{1F600}', '\u{10000}'];
    const name = (): string => Array.from({ length: 1 + (randomBytes(1)[0]! % 6) }, () => alphabet[randomBytes(1)[0]! % alphabet.length]).join('');
    for (let i = 0; i < 5000; i += 1) {
      const a = name();
      const b = i % 10 === 0 ? a : name();
      expect(Math.sign(comparePaths(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(referenceCompare(a, b)));
    }
  });
});

describe('rootDigest', () => {
  it('is SHA-256 over the raw digest bytes in order', () => {
    const resources = Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, algorithm: i % 2 ? 'sha256' : 'blake2b', digest: randomBytes(i % 2 ? 32 : 64).toString('hex') }));
    const h = createHash('sha256');
    for (const r of resources) h.update(Buffer.from(r.digest, 'hex'));
    expect(rootDigest(resources)).toBe(h.digest('hex'));
    expect(rootDigest([])).toBe(createHash('sha256').digest('hex'));
  });
});
