/**
 * The package's public API, as a consumer imports it (package.json "exports"): the names
 * each entry point gives, pinned so that one added or dropped is a deliberate change. The
 * engine's internals (file helpers, the hash pool's inspection, error constructors) are
 * not among them: the adapters, the CLI and these tests reach them through src/engine.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const ENTRIES: Record<string, string[]> = {
  '.': [
    'BUNDLE_MEDIA_TYPE', 'DEFAULT_SHARD_SIZE', 'FileDigestCache', 'GIT_PATHS', 'HASH_ALGORITHMS', 'IN_TOTO_PAYLOAD_TYPE', 'LEGACY_PREDICATE_TYPE',
    'MAX_BUNDLE_BYTES', 'ModelsignError', 'OciLayout', 'PREDICATE_TYPE', 'PUBLIC_GOOD_SIGNING_CONFIG', 'RegistryRepository', 'STAGING_SIGNING_CONFIG',
    'STATEMENT_TYPE', 'buildBundle', 'buildStatement', 'certificateSigner', 'certificateVerifier', 'checkIdentityTokenExpiry', 'checkModel',
    'createHasher', 'defaultWorkers', 'digestOf', 'dockerCredentials', 'formatReference', 'hashModel', 'isHashAlgorithm', 'isOciReference',
    'keySigner', 'keyVerifier', 'loadPrivateKey', 'loadPublicKey', 'mediaTypes', 'pae', 'parseBundle', 'parseLayoutReference',
    'parsePemCertificates', 'parseReference', 'parseStatement', 'parseTrustConfig', 'parseTrustedRoot', 'prestartWorkers', 'publicGoodTrust',
    'publicKeyHint', 'publicKeyPem', 'removePendingFiles', 'rootDigest', 'serializationFor', 'sha256Digest', 'signManifest',
    'signManifestKeyless', 'signingMethod', 'sigstoreVerifier', 'verifyModel',
  ],
  './local': ['LocalModelSource', 'SidecarSignatureStore', 'StagedDownload'],
  './oci': ['OciModelSource', 'OciSignatureStore', 'isOciReference', 'openOciModel', 'openStore', 'pushModelPack'],
};

describe('the public API', () => {
  it('package.json exports exactly these entry points, each giving exactly these names', async () => {
    const exports = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, { default: string }>;
    expect(Object.keys(exports).sort()).toEqual(Object.keys(ENTRIES).sort());
    for (const [entry, names] of Object.entries(ENTRIES)) {
      const module = (await import(join(ROOT, exports[entry]!.default))) as Record<string, unknown>;
      expect(Object.keys(module).sort(), entry).toEqual([...names].sort());
    }
  });
});
