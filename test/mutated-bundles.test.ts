/**
 * Hostile bundles, made by changing a good one at random: fields removed, duplicated,
 * swapped or replaced by values of the wrong type or size. Two families: the bundle's JSON
 * changed as it stands (the signature no longer covers it), and the in-toto statement
 * changed and then signed again with the trusted key (a signature that verifies over a
 * hostile statement); and the reference's Sigstore vector changed as it stands, checked by
 * sigstore-js. Whatever the change, verifyModel must answer with a report: never a
 * thrown error (the CLI would call it an internal failure), and never "verified" unless
 * what was signed still describes the model exactly.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { IN_TOTO_PAYLOAD_TYPE, buildBundle, hashModel, keySigner, keyVerifier, pae, parseTrustedRoot, sigstoreVerifier, signManifest, verifyModel, type VerificationReport } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { randomSequence, SCRIPT_TESTS, VECTORS, writeTree } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = keySigner(privateKey);
const verifier = keyVerifier(publicKey);

/** Values of every JSON type, including ones that are large, empty, or look like paths and digests. */
const REPLACEMENTS: Json[] = [null, 0, -1, 1.5, 1e308, 2 ** 53 + 1, '', 'x', '\u0000', 'a'.repeat(100_000), '../../etc/passwd', 'sha256', '0'.repeat(64), 'sha256-sharded-7', [], [null], {}, { sha256: '0'.repeat(64) }, true];

function pathsIn(value: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (path.length > 0) out.push(path);
  if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) pathsIn((value as Record<string, Json>)[key]!, [...path, Array.isArray(value) ? Number(key) : key], out);
  return out;
}

const at = (doc: Json, path: readonly (string | number)[]): Json => path.reduce<Json>((v, k) => (v as Record<string | number, Json>)?.[k] ?? null, doc);

/** Changes one field of `doc` in place: removed, duplicated (in an array), replaced by another field's value, or by one of REPLACEMENTS. */
function mutate(doc: Json, random: (n: number) => number): void {
  const paths = pathsIn(doc);
  const path = paths[random(paths.length)]!;
  const parent = at(doc, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1]!;
  const value = (parent as Record<string | number, Json>)[key]!;
  switch (random(4)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 1:
      if (Array.isArray(parent)) parent.push(structuredClone(value));
      else parent[key] = [structuredClone(value)];
      break;
    case 2:
      (parent as Record<string | number, Json>)[key] = structuredClone(at(doc, paths[random(paths.length)]!));
      break;
    default:
      (parent as Record<string | number, Json>)[key] = structuredClone(REPLACEMENTS[random(REPLACEMENTS.length)]!);
  }
}

/**
 * Verifies `count` randomly changed copies of `good` (1 to `most` changes each, from `seed`);
 * `untouched` asserts what must be unchanged whenever a copy verifies. Returns how many
 * ended with each outcome: 'verified' or the report's error code. A thrown error fails the test.
 */
async function tallyMutations(
  good: Json,
  { seed, count, most }: { seed: number; count: number; most: number },
  verify: (doc: Json) => Promise<VerificationReport>,
  untouched: (doc: Json, i: number) => void,
): Promise<Map<string, number>> {
  const random = randomSequence(seed);
  const codes = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const doc = structuredClone(good);
    for (let k = 1 + random(most); k > 0; k -= 1) mutate(doc, random);
    const report = await verify(doc);
    if (report.verified) untouched(doc, i);
    const code = report.verified ? 'verified' : report.error!.code;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  return codes;
}

describe.each(['files', 'shards'] as const)('verifyModel on randomly changed bundles (%s)', (method) => {
  let source: LocalModelSource;
  let good: { bundle: Record<string, Json>; statement: Record<string, Json> };

  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelsign-mutated-'));
    await writeTree(dir, { 'config.json': '{"a":1}\n', 'weights.bin': 'w'.repeat(40), 'sub/x.txt': 'hi\n' });
    source = await LocalModelSource.open(dir);
    const { manifest } = await hashModel(source, { method, shardSize: 16 });
    const bundle = JSON.parse(signManifest(manifest, signer).toString('utf8')) as Record<string, Json>;
    const payload = (bundle.dsseEnvelope as { payload: string }).payload;
    good = { bundle, statement: JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Record<string, Json> };
    expect((await verifyModel({ source, bundle: Buffer.from(JSON.stringify(bundle)), verifier })).verified).toBe(true);
  });

  it('the bundle JSON changed: a report, verified only if the payload and signature are untouched', async () => {
    const codes = await tallyMutations(
      good.bundle,
      { seed: method === 'files' ? 11 : 12, count: 250, most: 3 },
      async (doc) => {
        const bundle = Buffer.from(JSON.stringify(doc));
        const report = await verifyModel({ source, bundle, verifier });
        expect(await verifyModel({ source, bundle, verifier, listAhead: true })).toEqual(report);
        return report;
      },
      (doc, i) =>
        expect(at(doc, ['dsseEnvelope']), `mutation ${i}`).toMatchObject({
          payload: at(good.bundle, ['dsseEnvelope', 'payload']),
          payloadType: IN_TOTO_PAYLOAD_TYPE,
          signatures: [{ sig: at(good.bundle, ['dsseEnvelope', 'signatures', 0, 'sig']) }],
        }),
    );
    expect([...codes.keys()].filter((c) => !['verified', 'BUNDLE_MALFORMED', 'SIGNATURE_INVALID', 'KEY_MISMATCH', 'PAYLOAD_TYPE'].includes(c))).toEqual([]);
    expect(codes.get('BUNDLE_MALFORMED')).toBeGreaterThan(100);
  });

  /** Signs the changed statement again with the trusted key and verifies it (listing ahead or not: one answer). */
  async function resigned(statement: Json): Promise<VerificationReport> {
    const payload = Buffer.from(JSON.stringify(statement));
    const bundle = buildBundle(signer.material, payload, signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload)));
    const report = await verifyModel({ source, bundle, verifier });
    // Listing ahead, under the serialization read from the payload before it is checked,
    // must not change the answer, whatever the changed serialization says.
    expect(await verifyModel({ source, bundle, verifier, listAhead: true })).toEqual(report);
    return report;
  }

  /** What a statement that verifies must still say: its type, predicate type, one subject with the root, and the resources. */
  function statementUntouched(statement: Json, i: number): void {
    const resources = at(statement, ['predicate', 'resources']) as { name: string; digest: string; algorithm: string }[];
    const signed = at(good.statement, ['predicate', 'resources']) as typeof resources;
    expect(resources.map(({ name, digest }) => ({ name, digest })), `mutation ${i}`).toEqual(signed.map(({ name, digest }) => ({ name, digest })));
    // A shard may be named with either algorithm: the reference's or the spec's (README, compatibility notes).
    const accepted = method === 'files' ? ['sha256'] : ['sha256', 'sha256-sharded-16'];
    expect(resources.filter((r) => !accepted.includes(r.algorithm)), `mutation ${i}`).toEqual([]);
    expect(at(statement, ['subject', 0, 'digest']), `mutation ${i}`).toEqual(at(good.statement, ['subject', 0, 'digest']));
    expect(at(statement, ['subject']), `mutation ${i}`).toHaveLength(1);
    expect(at(statement, ['_type']), `mutation ${i}`).toBe('https://in-toto.io/Statement/v1');
    expect(at(statement, ['predicateType']), `mutation ${i}`).toBe('https://model_signing/signature/v1.0');
  }

  const STATEMENT_CODES = ['verified', 'STATEMENT_INVALID', 'ROOT_MISMATCH', 'MODEL_MISMATCH', 'RESOURCE_NAME_UNSAFE', 'WRONG_METHOD'];

  it('the statement changed and signed again: a report, verified only if the statement type, predicate type, one subject and resources are untouched', async () => {
    const codes = await tallyMutations(good.statement, { seed: method === 'files' ? 21 : 22, count: 250, most: 3 }, resigned, statementUntouched);
    expect([...codes.keys()].filter((c) => !STATEMENT_CODES.includes(c))).toEqual([]);
    expect(codes.get('STATEMENT_INVALID')).toBeGreaterThan(100);
  });

  it('the statement changed in one place only and signed again: the same (one change leaves the rest intact, so each check must hold by itself)', async () => {
    const codes = await tallyMutations(good.statement, { seed: method === 'files' ? 23 : 24, count: 250, most: 1 }, resigned, statementUntouched);
    expect([...codes.keys()].filter((c) => !STATEMENT_CODES.includes(c))).toEqual([]);
    expect(codes.get('STATEMENT_INVALID')).toBeGreaterThan(100);
  });
});

describe('verifyModel on randomly changed Sigstore bundles (the reference v1.1.0-sigstore vector)', () => {
  it('a report, verified only if the envelope and the certificate are untouched', async () => {
    const rootPath = join(VECTORS, 'external/sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json');
    const verifier = sigstoreVerifier({ trustedRoot: parseTrustedRoot(readFileSync(rootPath), rootPath), source: rootPath }, { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' });
    const model = join(SCRIPT_TESTS, 'v1.1.0-sigstore');
    const source = await LocalModelSource.open(model);
    const good = JSON.parse(readFileSync(join(model, 'model.sig'), 'utf8')) as Record<string, Json>;
    const check = (doc: Json) => verifyModel({ source, bundle: Buffer.from(JSON.stringify(doc)), verifier, ignorePaths: ['model.sig'] });
    expect((await check(good)).verified).toBe(true);
    const codes = await tallyMutations(good, { seed: 31, count: 150, most: 2 }, check, (doc, i) => {
      expect(at(doc, ['dsseEnvelope']), `mutation ${i}`).toEqual(at(good, ['dsseEnvelope']));
      expect(at(doc, ['verificationMaterial', 'certificate']), `mutation ${i}`).toEqual(at(good, ['verificationMaterial', 'certificate']));
    });
    expect([...codes.keys()].filter((c) => !['verified', 'BUNDLE_MALFORMED', 'PAYLOAD_TYPE'].includes(c) && !c.startsWith('SIGSTORE_'))).toEqual([]);
    expect(codes.get('BUNDLE_MALFORMED')).toBeGreaterThan(20);
  });
});
