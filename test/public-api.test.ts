/**
 * The package's public API, as a consumer imports it (package.json "exports"): the names
 * each entry point gives, pinned so that one added or dropped is a deliberate change, and
 * the light entry's promise (no sigstore-js, no undici). The
 * engine's internals (file helpers, the hash pool's inspection, error constructors) are
 * not among them: the adapters, the CLI and these tests reach them through src/engine.ts.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const ENTRIES: Record<string, string[]> = {
  '.': [
    'BUNDLE_MEDIA_TYPE', 'DEFAULT_SHARD_SIZE', 'ERROR_CODES', 'FileDigestCache', 'GIT_PATHS', 'HASH_ALGORITHMS', 'IN_TOTO_PAYLOAD_TYPE', 'LEGACY_PREDICATE_TYPE',
    'MAX_BUNDLE_BYTES', 'ModelsignError', 'OciLayout', 'PREDICATE_TYPE', 'PUBLIC_GOOD_SIGNING_CONFIG', 'RegistryRepository', 'STAGING_SIGNING_CONFIG',
    'STATEMENT_TYPE', 'buildBundle', 'buildStatement', 'certificateSigner', 'certificateVerifier', 'checkIdentityTokenExpiry', 'checkModel',
    'createHasher', 'defaultWorkers', 'digestOf', 'dockerCredentials', 'formatReference', 'hashModel', 'isHashAlgorithm', 'isOciReference',
    'keySigner', 'keyVerifier', 'loadPrivateKey', 'loadPublicKey', 'mediaTypes', 'pae', 'parseBundle', 'parseLayoutReference',
    'parsePemCertificates', 'parseReference', 'parseStatement', 'parseTrustConfig', 'parseTrustedRoot', 'prestartWorkers', 'publicGoodTrust',
    'publicKeyHint', 'publicKeyPem', 'removePendingFiles', 'rootDigest', 'serializationFor', 'sha256Digest', 'signManifest',
    'signManifestKeyless', 'signingMethod', 'sigstoreVerifier', 'verifyModel',
  ],
  './core': [
    'BUNDLE_MEDIA_TYPE', 'DEFAULT_SHARD_SIZE', 'ERROR_CODES', 'FileDigestCache', 'GIT_PATHS', 'HASH_ALGORITHMS', 'IN_TOTO_PAYLOAD_TYPE', 'LEGACY_PREDICATE_TYPE',
    'MAX_BUNDLE_BYTES', 'ModelsignError', 'PREDICATE_TYPE', 'PUBLIC_GOOD_SIGNING_CONFIG', 'STAGING_SIGNING_CONFIG', 'STATEMENT_TYPE',
    'buildBundle', 'buildStatement', 'certificateSigner', 'certificateVerifier', 'checkModel', 'createHasher', 'defaultWorkers',
    'dockerCredentials', 'formatReference', 'hashModel', 'isHashAlgorithm', 'isOciReference', 'keySigner', 'keyVerifier', 'loadPrivateKey',
    'loadPublicKey', 'pae', 'parseBundle', 'parsePemCertificates', 'parseReference', 'parseStatement', 'parseTrustConfig', 'parseTrustedRoot',
    'prestartWorkers', 'publicGoodTrust', 'publicKeyHint', 'publicKeyPem', 'removePendingFiles', 'rootDigest', 'serializationFor',
    'signManifest', 'signingMethod', 'verifyModel',
  ],
  './local': ['LocalModelSource', 'SidecarSignatureStore', 'StagedDownload'],
  './oci': ['OciModelSource', 'OciSignatureStore', 'isOciReference', 'openOciModel', 'openStore', 'pushModelPack'],
};

/** The module URLs a fresh Node process resolves while it imports `file` (an ES module loader hook logs them). */
async function resolvedBy(file: string): Promise<string[]> {
  const dir = await tempDir();
  await writeFile(join(dir, 'hooks.mjs'), 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`RESOLVED ${r.url}\\n`); return r; }\n');
  await writeFile(join(dir, 'register.mjs'), "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);\n");
  const stderr = await new Promise<string>((done, fail) =>
    execFile(process.execPath, ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', `await import(${JSON.stringify(file)});`], (err, _out, err2) => (err ? fail(err) : done(err2))),
  );
  return stderr.split('\n').filter((l) => l.startsWith('RESOLVED ')).map((l) => l.slice('RESOLVED '.length));
}

describe('the public API', () => {
  it('modelsign/core loads neither sigstore-js nor undici (modelsign loads both, for keyless signing and registries)', async () => {
    const heavy = (url: string): boolean => /\/node_modules\/(sigstore|@sigstore\/[^/]+|undici)\//.test(url);
    const core = await resolvedBy(join(ROOT, 'dist/src/public-core.js'));
    expect(core.some((u) => u.endsWith('/dist/src/public-core.js'))).toBe(true);
    expect(core.filter(heavy)).toEqual([]);
    expect((await resolvedBy(join(ROOT, 'dist/src/index.js'))).filter(heavy).length).toBeGreaterThan(0);
  });

  it('package.json exports exactly these entry points, each giving exactly these names', async () => {
    const exports = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, { default: string }>;
    expect(Object.keys(exports).sort()).toEqual(Object.keys(ENTRIES).sort());
    for (const [entry, names] of Object.entries(ENTRIES)) {
      const module = (await import(join(ROOT, exports[entry]!.default))) as Record<string, unknown>;
      expect(Object.keys(module).sort(), entry).toEqual([...names].sort());
    }
  });

  it('the README names every error code the library can throw (ERROR_CODES, which ModelsignError.code is typed as)', async () => {
    const { ERROR_CODES } = (await import(join(ROOT, 'dist/src/public-core.js'))) as { ERROR_CODES: readonly string[] };
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(ERROR_CODES.length).toBeGreaterThan(80);
    expect(ERROR_CODES.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
