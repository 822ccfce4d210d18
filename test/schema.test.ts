/**
 * Bundles we produce validate against the OMS spec's JSON schemas (draft 2020-12): the
 * bundle document, and the decoded in-toto statement (which pulls in the predicate schema).
 * Shards bundles keep the reference's resource algorithm `<hash>-sharded-<size>` on purpose,
 * which the spec's enum rejects: those must be the only errors.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
// The named export: under NodeNext the CJS default import is typed as the namespace, not the class.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { KEYS, SCHEMAS, SPEC_VECTORS, runCli, tempDir, writeTree } from './helpers.js';

const SCHEMA_IDS = {
  bundle: 'https://model_signing/bundle/v1.0/schema',
  envelope: 'https://model_signing/envelope/v1.0/schema',
  statement: 'https://model_signing/statement/v1.0/schema',
  predicate: 'https://model_signing/predicate/v1.0/schema',
} as const;

const ajv = new Ajv2020({ allErrors: true });
for (const name of Object.keys(SCHEMA_IDS) as (keyof typeof SCHEMA_IDS)[]) {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')) as { $id: string };
  if (schema.$id !== SCHEMA_IDS[name]) throw new Error(`${name}.schema.json has $id ${schema.$id}, expected ${SCHEMA_IDS[name]}`);
  ajv.addSchema(schema);
}

function validator(id: string): ValidateFunction {
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`schema ${id} was not registered`);
  return v;
}
const validateBundle = validator(SCHEMA_IDS.bundle);
const validateStatement = validator(SCHEMA_IDS.statement);
const validatePredicate = validator(SCHEMA_IDS.predicate);

/** Validates and returns the errors (an empty list when valid). */
function errorsOf(validate: ValidateFunction, doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

const describeErrors = (errors: readonly ErrorObject[]): string =>
  errors.map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');

function expectValid(validate: ValidateFunction, doc: unknown): void {
  const errors = errorsOf(validate, doc);
  expect(errors, describeErrors(errors)).toEqual([]);
}

const MODEL = {
  'weights.bin': '0123456789abcdefghij', // 20 bytes: 3 shards of 7
  'config.json': '{"hidden": 16}',
  'tok/vocab.txt': 'a b c',
};

type Method = 'key' | 'certificate';

interface Produced {
  bundle: Record<string, unknown> & { dsseEnvelope: { payload: string } };
  statement: {
    predicate: { resources: { name: string; algorithm: string }[]; serialization: Record<string, unknown> };
  };
}

/** Signs a fresh model through the CLI with the reference test key (P-384). */
async function produce(method: Method, flags: string[]): Promise<Produced> {
  const dir = await tempDir('modelsign-schema-');
  const model = join(dir, 'model');
  await writeTree(model, MODEL);
  const sig = join(dir, 'model.sig');
  const signerFlags =
    method === 'key'
      ? ['--private-key', join(KEYS, 'signing-key.pem')]
      : [
          '--private-key', join(KEYS, 'signing-key.pem'),
          '--signing-certificate', join(KEYS, 'signing-key-cert.pem'),
          '--certificate-chain', join(KEYS, 'int-ca-cert.pem'),
        ];
  const r = await runCli(['sign', method, model, ...signerFlags, '--signature', sig, ...flags]);
  if (r.code !== 0) throw new Error(`sign ${method} failed (${r.code}): ${r.stderr}`);
  const bundle = JSON.parse(await readFile(sig, 'utf8')) as Produced['bundle'];
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Produced['statement'];
  return { bundle, statement };
}

describe('validator setup', () => {
  const valid = join(SPEC_VECTORS, 'valid');
  const validFiles = readdirSync(valid).filter((f) => f.endsWith('.json')).sort();

  it('finds the spec valid vectors', () => {
    expect(validFiles).toEqual(['certificate.bundle.json', 'key.bundle.json', 'sigstore.bundle.json']);
  });

  for (const file of validFiles) {
    it(`spec vector valid/${file} passes the bundle and statement schemas`, () => {
      const doc = JSON.parse(readFileSync(join(valid, file), 'utf8')) as { dsseEnvelope: { payload: string } };
      expectValid(validateBundle, doc);
      expectValid(validateStatement, JSON.parse(Buffer.from(doc.dsseEnvelope.payload, 'base64').toString('utf8')));
    });
  }

  for (const file of ['missing-envelope.bundle.json', 'missing-tlog-entries.bundle.json', 'missing-verification-material.bundle.json']) {
    it(`spec vector invalid/${file} fails the bundle schema`, () => {
      const doc = JSON.parse(readFileSync(join(SPEC_VECTORS, 'invalid', file), 'utf8')) as unknown;
      expect(errorsOf(validateBundle, doc).length).toBeGreaterThan(0);
    });
  }

  it('spec vector invalid-payload/wrong-predicate has a statement that fails the statement schema', () => {
    const doc = JSON.parse(readFileSync(join(SPEC_VECTORS, 'invalid-payload', 'wrong-predicate.bundle.json'), 'utf8')) as {
      dsseEnvelope: { payload: string };
    };
    expectValid(validateBundle, doc);
    const statement = JSON.parse(Buffer.from(doc.dsseEnvelope.payload, 'base64').toString('utf8')) as unknown;
    expect(errorsOf(validateStatement, statement).map((e) => e.keyword)).toContain('const');
  });
});

describe('bundles we produce (--method files)', () => {
  for (const method of ['key', 'certificate'] as const) {
    for (const hash of ['sha256', 'blake2b', 'blake3'] as const) {
      it(`${method} bundle, --hash-algorithm ${hash}: bundle and statement are schema-valid`, async () => {
        const { bundle, statement } = await produce(method, ['--method', 'files', '--hash-algorithm', hash]);
        expectValid(validateBundle, bundle);
        expectValid(validateStatement, statement);
        expectValid(validatePredicate, statement.predicate);
        // Make sure the validated documents are the kind we meant.
        expect(Object.keys(bundle.verificationMaterial as object)).toContain(method === 'key' ? 'publicKey' : 'x509CertificateChain');
        expect(statement.predicate.serialization).toMatchObject({ method: 'files', hash_type: hash });
        expect(statement.predicate.resources.map((r) => r.algorithm)).toEqual([hash, hash, hash]);
      });
    }
  }
});

describe('bundles we produce (--method shards)', () => {
  for (const method of ['key', 'certificate'] as const) {
    for (const hash of ['sha256', 'blake2b', 'blake3'] as const) {
      it(`${method} bundle, --hash-algorithm ${hash}: the only schema errors are the reference's resource algorithm names`, async () => {
        const { bundle, statement } = await produce(method, ['--method', 'shards', '--hash-algorithm', hash, '--shard-size', '7']);
        // The bundle schema does not look inside the payload.
        expectValid(validateBundle, bundle);

        const resources = statement.predicate.resources;
        // weights.bin 3 shards, config.json 2, tok/vocab.txt 1.
        expect(resources).toHaveLength(6);
        expect(resources.every((r) => r.algorithm === `${hash}-sharded-7`)).toBe(true);
        expect(statement.predicate.serialization).toMatchObject({ method: 'shards', hash_type: hash, shard_size: 7 });

        const errors = errorsOf(validateStatement, statement);
        const unexpected = errors.filter((e) => !(e.keyword === 'enum' && /^\/predicate\/resources\/\d+\/algorithm$/.test(e.instancePath)));
        expect(unexpected, describeErrors(unexpected)).toEqual([]);
        // One enum error per resource, no more, no fewer.
        expect(errors.map((e) => e.instancePath).sort()).toEqual(resources.map((_, i) => `/predicate/resources/${i}/algorithm`).sort());

        // With the spec's algorithm names, the same statement is fully valid.
        const specForm = structuredClone(statement);
        for (const r of specForm.predicate.resources) r.algorithm = hash;
        expectValid(validateStatement, specForm);
      });
    }
  }
});
