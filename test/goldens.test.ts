/**
 * The reference's golden manifests and payloads (tests/_serialization and tests/_signing in
 * the vectors): our hashing must give the same digests in the same order, and our statement
 * must be the same bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStatement, hashModel, type HashOptions } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { makeReferenceFixture } from './fixtures-models.js';
import { tempDir, VECTORS } from './helpers.js';

const SERIALIZATION = join(VECTORS, 'tests/_serialization/testdata');
const PAYLOADS = join(VECTORS, 'tests/_signing/testdata/signing/TestPayload');
const FIXTURES = [
  'sample_model_file',
  'empty_model_file',
  'sample_model_folder',
  'empty_model_folder',
  'model_folder_with_empty_file',
  'deep_model_folder',
  'symlink_model_folder',
];

/** Splits a golden's name into its fixture and the serialization it was made with. */
function parseGolden(name: string, shardsByDefault: boolean): { fixture: string; options: HashOptions } {
  const small = name.endsWith('_small_shards');
  const shard = name.endsWith('_shard');
  const fixture = name.replace(/_small_shards$|_shard$/, '');
  const method = small || shard || shardsByDefault ? 'shards' : 'files';
  return { fixture, options: { method, shardSize: small ? 8 : 1_000_000_000 } };
}

async function hashFixture(fixtureName: string, options: HashOptions, allowSymlinksOverride?: boolean) {
  const root = await tempDir();
  const fixture = await makeReferenceFixture(root, fixtureName);
  const source = await LocalModelSource.open(fixture.path);
  return hashModel(source, { ...options, allowSymlinks: allowSymlinksOverride ?? fixture.allowSymlinks, ignoreGitPaths: false });
}

describe('golden manifests (tests/_serialization)', () => {
  const cases: [string, string, boolean][] = [
    ...readdirSync(join(SERIALIZATION, 'file/TestSerializer')).map((n): [string, string, boolean] => ['file', n, false]),
    ...readdirSync(join(SERIALIZATION, 'file_shard/TestSerializer')).map((n): [string, string, boolean] => ['file_shard', n, true]),
  ];

  it('covers every golden and every fixture', () => {
    expect(cases.length).toBe(21);
    for (const [, name, byDefault] of cases) expect(FIXTURES).toContain(parseGolden(name, byDefault).fixture);
  });

  it.each(cases)('%s/%s', async (kind, name, shardsByDefault) => {
    const golden = readFileSync(join(SERIALIZATION, kind, 'TestSerializer', name), 'utf8').split('\n').filter((l) => l !== '');
    const { fixture, options } = parseGolden(name, shardsByDefault);
    const { manifest } = await hashFixture(fixture, options);
    expect(manifest.resources.map((r) => `${r.name}:${r.digest}`)).toEqual(golden);
  });
});

describe('golden statements (tests/_signing TestPayload)', () => {
  const names = readdirSync(PAYLOADS);

  it('covers every payload golden', () => {
    expect(names.length).toBe(21);
  });

  it.each(names)('%s is reproduced byte for byte', async (name) => {
    const golden = readFileSync(join(PAYLOADS, name));
    const { fixture, options } = parseGolden(name, false);
    // The reference produced every payload golden with allow_symlinks=true.
    const { manifest } = await hashFixture(fixture, options, true);
    const ours = buildStatement(manifest);
    expect(ours.toString('utf8')).toBe(golden.toString('utf8').replace(/\n$/, ''));
  });

  it('escapes every character outside space..~ as json.dumps does in the reference (ensure_ascii): lowercase \\uXXXX, astral ones as surrogate pairs', () => {
    const resources = [
      { name: 'poids-\u00e9.bin', algorithm: 'sha256', digest: 'a'.repeat(64) },
      { name: 'x\u007fy\u{1F600}', algorithm: 'sha256', digest: 'b'.repeat(64) },
    ];
    const text = buildStatement({ modelName: 'mod\u00e8le', serialization: { method: 'files', hashType: 'sha256', allowSymlinks: false }, resources, rootDigest: 'c'.repeat(64) }).toString('utf8');
    // Written out by hand, as Python prints them.
    expect(text).toContain('"name": "mod\\u00e8le"');
    expect(text).toContain('"name": "poids-\\u00e9.bin"');
    expect(text).toContain('"name": "x\\u007fy\\ud83d\\ude00"');
    expect(/[^\n -~]/.test(text)).toBe(false);
    expect((JSON.parse(text) as { predicate: { resources: { name: string }[] } }).predicate.resources.map((r) => r.name)).toEqual(resources.map((r) => r.name));
  });

  it('has the roots SOURCE.md states', async () => {
    const roots: Record<string, string> = {};
    for (const [name, options] of [
      ['sample_model_folder', { method: 'files' }],
      ['sample_model_file', { method: 'files' }],
      ['deep_model_folder', { method: 'shards', shardSize: 8 }],
      ['sample_model_file', { method: 'shards', shardSize: 8 }],
    ] as const) {
      const { manifest } = await hashFixture(name, options, true);
      roots[`${name}/${options.method}`] = manifest.rootDigest;
    }
    expect(roots['sample_model_folder/files']).toMatch(/^143cc682.*8df7$/);
    expect(roots['sample_model_file/files']).toMatch(/^002d162f.*e178$/);
    expect(roots['deep_model_folder/shards']).toMatch(/^fe81b684.*8497$/);
    expect(roots['sample_model_file/shards']).toMatch(/^57d54248.*6573$/);
  });
});
