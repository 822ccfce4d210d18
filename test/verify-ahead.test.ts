/**
 * `verifyModel` with `listAhead`: the model is listed under the serialization read ahead from
 * the payload, while the bundle is checked on the calling thread. The listing may be used
 * only when the verified statement has the same rules, and nothing it meets may take the
 * place of the bundle's own verdict.
 */
import { generateKeyPairSync } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, buildBundle, buildStatement, hashModel, keySigner, keyVerifier, pae, signManifest, verifyModel, type ModelFile, type ModelSource, type SignatureVerifier } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { tempDir, writeTree } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = keySigner(privateKey);

/** A real local source that counts its listings and says whether one is under way. */
async function watchedSource(dir: string): Promise<ModelSource & { lists: number; listing: boolean }> {
  const local = await LocalModelSource.open(dir);
  const watched = {
    location: local.location,
    modelName: local.modelName,
    singleFile: local.singleFile,
    lists: 0,
    listing: false,
    list: async (options: Parameters<ModelSource['list']>[0]) => {
      watched.lists += 1;
      watched.listing = true;
      try {
        return await local.list(options);
      } finally {
        watched.listing = false;
      }
    },
    read: (file: ModelFile, start: number, end: number) => local.read(file, start, end),
  };
  return watched;
}

type Moment = 'before listing' | 'during listing' | 'after listing';

/** The key verifier, noting for each bundle it checks when that was, against the source's listing. */
function watchedVerifier(source: { readonly lists: number; readonly listing: boolean }): SignatureVerifier & { checked: Moment[] } {
  const real = keyVerifier(publicKey);
  const checked: Moment[] = [];
  const now = (): Moment => (source.listing ? 'during listing' : source.lists > 0 ? 'after listing' : 'before listing');
  return { method: real.method, checked, verify: (bundle) => (checked.push(now()), real.verify(bundle)) };
}

describe('verifyModel with listAhead', () => {
  it('checks the bundle while the hash workers open the files, and lists the model once', async () => {
    const model = join(await tempDir('modelsign-ahead-'), 'many');
    // More files than the calling thread inspects alone (32), so a worker takes part.
    await writeTree(model, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 7}/f${i}.bin`, `file ${i}\n`])));
    const bundle = signManifest((await hashModel(await LocalModelSource.open(model))).manifest, signer);
    const pool = { maxWorkers: 2, hashOnCallingThread: true };

    const plainSource = await watchedSource(model);
    const plainVerifier = watchedVerifier(plainSource);
    const plain = await verifyModel({ source: plainSource, bundle, verifier: plainVerifier, ...pool });
    expect(plain.verified).toBe(true);
    expect(plain.files.filter((f) => f.status === 'ok')).toHaveLength(300);
    expect([plainSource.lists, plainVerifier.checked]).toEqual([1, ['before listing']]);

    const source = await watchedSource(model);
    const verifier = watchedVerifier(source);
    const ahead = await verifyModel({ source, bundle, verifier, listAhead: true, ...pool });
    expect(ahead).toEqual(plain);
    expect([source.lists, verifier.checked]).toEqual([1, ['during listing']]);

    // One thread, the calling one: no worker to overlap with, so the bundle is checked first.
    const alone = await watchedSource(model);
    const aloneVerifier = watchedVerifier(alone);
    expect(await verifyModel({ source: alone, bundle, verifier: aloneVerifier, listAhead: true, maxWorkers: 1, hashOnCallingThread: true })).toEqual(plain);
    expect([alone.lists, aloneVerifier.checked]).toEqual([1, ['before listing']]);

    // maxWorkers 0 is one thread to the pool, a worker when the calling thread does not hash:
    // verify counts threads the same way, so it overlaps.
    const zero = await watchedSource(model);
    const zeroVerifier = watchedVerifier(zero);
    expect(await verifyModel({ source: zero, bundle, verifier: zeroVerifier, listAhead: true, maxWorkers: 0 })).toEqual(plain);
    expect([zero.lists, zeroVerifier.checked]).toEqual([1, ['during listing']]);
  });

  it('lists the model again under the verified rules when the payload misleads the read-ahead', async () => {
    const model = join(await tempDir('modelsign-ahead-'), 'misleading');
    await writeTree(model, { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c/d.txt': 'd\n' });
    const { manifest } = await hashModel(await LocalModelSource.open(model));
    // Two serialization keys: JSON (and so the statement) takes the last, which records
    // no b.txt; the read-ahead finds the first, which would leave b.txt unlisted.
    const decoy = '"serialization": {"method": "files", "hash_type": "sha256", "allow_symlinks": false, "ignore_paths": ["b.txt"]},';
    const text = buildStatement(manifest).toString('utf8');
    expect(text.indexOf('"predicate": {')).toBeGreaterThan(0);
    const payload = Buffer.from(text.replace('"predicate": {', `"predicate": {${decoy}`));
    expect(JSON.parse(payload.toString('utf8')).predicate.serialization.ignore_paths).not.toContain('b.txt');
    const bundle = buildBundle(signer.material, payload, signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload)));

    const plain = await verifyModel({ source: await LocalModelSource.open(model), bundle, verifier: keyVerifier(publicKey) });
    expect(plain.verified).toBe(true);
    const source = await watchedSource(model);
    const ahead = await verifyModel({ source, bundle, verifier: keyVerifier(publicKey), listAhead: true });
    expect(ahead).toEqual(plain);
    expect(ahead.files.map((f) => [f.name, f.status])).toEqual([['a.txt', 'ok'], ['b.txt', 'ok'], ['c/d.txt', 'ok']]);
    expect(source.lists).toBe(2);
  });

  it('reports a bad signature as such when the listing ahead meets a link, and the link as extra when the signature is good', async () => {
    const model = join(await tempDir('modelsign-ahead-'), 'linked');
    await writeTree(model, { 'a.txt': 'a\n' });
    const bundle = signManifest((await hashModel(await LocalModelSource.open(model))).manifest, signer);
    await symlink('a.txt', join(model, 'link.txt'));
    const source = await LocalModelSource.open(model);

    const otherKey = keyVerifier(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const rejected = await verifyModel({ source, bundle, verifier: otherKey, listAhead: true });
    expect(rejected.verified).toBe(false);
    expect(rejected.checks.map((c) => [c.name, c.ok])).toEqual([['bundle', true], ['signature', false]]);
    expect(rejected).toEqual(await verifyModel({ source, bundle, verifier: otherKey }));

    const linked = await verifyModel({ source, bundle, verifier: keyVerifier(publicKey), listAhead: true });
    expect(linked.verified).toBe(false);
    expect(linked.files.map((f) => [f.name, f.status])).toEqual([['a.txt', 'ok'], ['link.txt', 'extra']]);
  });

  it('never follows symbolic links on the say-so of a bundle not yet checked', async () => {
    const model = join(await tempDir('modelsign-ahead-'), 'links');
    await writeTree(model, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `${i}\n`])));
    await symlink('f0.txt', join(model, 'link.txt'));
    const bundle = signManifest((await hashModel(await LocalModelSource.open(model), { allowSymlinks: true })).manifest, signer);
    const source = await watchedSource(model);
    const verifier = watchedVerifier(source);
    const report = await verifyModel({ source, bundle, verifier, listAhead: true, maxWorkers: 2 });
    expect(report.verified).toBe(true);
    expect(report.files.find((f) => f.name === 'link.txt')?.status).toBe('ok');
    // Checked first, then listed once, under the verified rules.
    expect([source.lists, verifier.checked]).toEqual([1, ['before listing']]);
  });
});
