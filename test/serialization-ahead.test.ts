/**
 * The serialization `verify` reads ahead from a bundle's payload, to list the model while the
 * bundle is checked. It is a guess that must never throw, and must agree with the parsed
 * statement wherever it answers for the bundles signers write: the reference's (the
 * serialization before the resources in v1.0, after them in v1.1) and ours.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, buildBundle, keySigner, pae, parseBundle, parseStatement, type Serialization } from '../dist/src/engine.js';
import { readSerializationAhead } from '../dist/src/verifying/serialization-ahead.js';
import { randomSequence, SCRIPT_TESTS, SPEC_VECTORS } from './helpers.js';

const signer = keySigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const bundleOf = (statement: string): Buffer => {
  const payload = Buffer.from(statement);
  return buildBundle(signer.material, payload, signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload)));
};
const parsed = (bundle: Uint8Array): Serialization => parseStatement(parseBundle(bundle).payload).manifest.serialization;

/** A statement of `count` resources, its serialization written before or after them, as the reference's versions do. */
function statement(count: number, serialization: Record<string, unknown>, first: 'serialization' | 'resources', pad = ''): string {
  // '???' is base64 "Pz8/": the payload then holds slashes JSON may escape.
  const shards = serialization.method === 'shards';
  const hexLength = serialization.hash_type === 'blake2b' ? 128 : 64;
  const resources = Array.from({ length: count }, (_, i) => ({
    name: `dir/file-${i}-???.bin${shards ? ':0:10' : ''}`,
    algorithm: serialization.hash_type as string,
    digest: i.toString(16).padStart(hexLength, '0'),
  }));
  const root = createHash('sha256');
  for (const r of resources) root.update(Buffer.from(r.digest, 'hex'));
  const predicate = first === 'serialization' ? { serialization, resources } : { resources, serialization };
  const doc = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'm', digest: { sha256: root.digest('hex') } }], predicateType: 'https://model_signing/signature/v1.0', predicate };
  return JSON.stringify(doc, null, 2) + pad;
}

const SHARDS = { method: 'shards', hash_type: 'blake2b', allow_symlinks: true, shard_size: 1000000, ignore_paths: ['.git', 'a "quoted" {name}', 'b\\c'] };
const SHARDS_READ: Serialization = { method: 'shards', hashType: 'blake2b', allowSymlinks: true, shardSize: 1000000, ignorePaths: ['.git', 'a "quoted" {name}', 'b\\c'] };

describe('readSerializationAhead', () => {
  it("agrees with the parsed statement on every reference bundle that records a serialization", () => {
    const bundles = [
      ...readdirSync(SCRIPT_TESTS).filter((d) => d.startsWith('v')).map((d) => join(SCRIPT_TESTS, d, 'model.sig')),
      ...['key', 'certificate', 'sigstore'].map((k) => join(SPEC_VECTORS, 'valid', `${k}.bundle.json`)),
    ];
    let answered = 0;
    for (const path of bundles) {
      const bytes = readFileSync(path);
      const { legacy, manifest } = parseStatement(parseBundle(bytes).payload);
      const guess = readSerializationAhead(bytes);
      if (legacy) expect(guess, path).toBeUndefined();
      else {
        expect(guess, path).toEqual(manifest.serialization);
        answered += 1;
      }
    }
    // Every v0.3.1-and-later script bundle and the three spec bundles.
    expect(answered).toBe(bundles.length - 1);
  });

  it('finds the serialization before or after thousands of resources, whatever the padding of the payload', () => {
    for (const first of ['serialization', 'resources'] as const) {
      for (let pad = 0; pad < 4; pad += 1) {
        const bundle = bundleOf(statement(2_000, SHARDS, first, ' '.repeat(pad)));
        expect(bundle.length).toBeGreaterThan(200_000);
        expect(parsed(bundle)).toEqual(SHARDS_READ);
        expect(readSerializationAhead(bundle), `${first}, ${pad}`).toEqual(SHARDS_READ);
      }
    }
  });

  it('reads a bundle written with other spacing, and a payload given as a view', () => {
    const bundle = bundleOf(statement(3, { method: 'files', hash_type: 'sha256', allow_symlinks: false }, 'resources'));
    const spaced = Buffer.from(JSON.stringify(JSON.parse(bundle.toString('utf8')), null, 4).replace('"payload": "', '"payload" :\n\t"'));
    const view = Buffer.concat([Buffer.from('xxxx'), spaced]).subarray(4);
    expect(readSerializationAhead(view)).toEqual({ method: 'files', hashType: 'sha256', allowSymlinks: false });
  });

  it('gives up, rather than guessing, where the serialization is not whole near an end or is not one', () => {
    const longIgnores = { ...SHARDS, ignore_paths: Array.from({ length: 2_000 }, (_, i) => `ignored/${i}`) };
    expect(readSerializationAhead(bundleOf(statement(3, longIgnores, 'resources')))).toBeUndefined();
    expect(readSerializationAhead(bundleOf(statement(3, { ...SHARDS, method: 'lines' }, 'resources')))).toBeUndefined();
    expect(readSerializationAhead(bundleOf(statement(3, { ...SHARDS, shard_size: -1 }, 'serialization')))).toBeUndefined();
  });

  it('reads a payload whose JSON escapes its slashes right, or not at all', () => {
    for (const first of ['serialization', 'resources'] as const) {
      const bundle = bundleOf(statement(2_000, SHARDS, first));
      const escaped = Buffer.from(bundle.toString('utf8').replace(/\//g, '\\/'));
      expect(parseBundle(escaped).payload.equals(parseBundle(bundle).payload)).toBe(true);
      expect(escaped.length - bundle.length).toBeGreaterThan(1000);
      expect([undefined, SHARDS_READ], first).toContainEqual(readSerializationAhead(escaped));
    }
  });

  it('never throws on damaged or hostile bytes', () => {
    const good = bundleOf(statement(50, SHARDS, 'resources'));
    const random = randomSequence(7);
    for (let n = 0; n <= good.length; n += 1 + random(211)) readSerializationAhead(good.subarray(0, n));
    for (let k = 0; k < 300; k += 1) {
      const bytes = Buffer.from(good);
      for (let c = 1 + random(8); c > 0; c -= 1) bytes[random(bytes.length)] = random(256);
      const guess = readSerializationAhead(bytes);
      if (guess !== undefined) expect(['files', 'shards']).toContain(guess.method);
    }
    for (const text of ['', '"payload"', '"payload":', '"payload":"', '"payload":"e30=', '{"payload":"eyJzZXJpYWxpemF0aW9uIjp7"}', '"payload":"' + Buffer.from('"serialization":{"method":"files"').toString('base64') + '"']) {
      expect(readSerializationAhead(Buffer.from(text)), text).toBeUndefined();
    }
  });
});
