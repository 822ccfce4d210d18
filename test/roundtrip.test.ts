/**
 * Sign-then-verify round trips through the built CLI and the library: every curve, the
 * certificate method with a PKI minted by openssl at test time, every serialization and
 * hash, single-file models, tampering, wrong-method bundles, the signature file inside the
 * model, --ignore-paths and the default signature path.
 */
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { blake3 } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runCli, tempDir, writeTree, type CliResult } from './helpers.js';
import {
  BUNDLE_MEDIA_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  buildBundle,
  certificateSigner,
  certificateVerifier,
  hashModel,
  keySigner,
  keyVerifier,
  loadPrivateKey,
  loadPublicKey,
  parsePemCertificates,
  rootDigest,
  signManifest,
  verifyModel,
  type ModelListing,
  type ModelSource,
} from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';

// ---------------------------------------------------------------------------------------
// Independent expectations (computed here, not by the code under test)

type Hash = 'sha256' | 'blake2b' | 'blake3';

async function digest(alg: Hash, data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (alg === 'blake3') return blake3(bytes);
  return createHash(alg === 'sha256' ? 'sha256' : 'blake2b512').update(bytes).digest('hex');
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** ROOT: sha256 over the raw bytes of every resource digest, in order. */
const rootOf = (digests: readonly string[]): string => {
  const h = createHash('sha256');
  for (const d of digests) h.update(Buffer.from(d, 'hex'));
  return h.digest('hex');
};

/** Known answers for "abc" (FIPS 180-2, RFC 7693, the BLAKE3 reference). */
const ABC: Record<Hash, string> = {
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  blake2b:
    'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
  blake3: '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
};

const GIT_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'];

/**
 * A tiny model. `a/b.bin` and `a-b.bin` pin the reference's component-wise order
 * (`a/b` before `a-b`, although '-' < '/'); the empty file gives a files resource but no
 * shard; the dotfile is included.
 */
const MODEL: Record<string, string> = {
  'weights.bin': 'abcdefghijklmnopqrstuvwxyz0123456789', // 36 bytes: shards of 7 -> 6 shards
  'config.json': '{"layers":2}',
  'a/b.bin': 'component order',
  'a-b.bin': 'dash order',
  'abc.txt': 'abc',
  '.hidden': 'dotfile',
  'empty.txt': '',
  'nested/dir/tokenizer.txt': 'hello tokens',
};
/** The order the reference serializes MODEL's files in. */
const ORDER = ['.hidden', 'a/b.bin', 'a-b.bin', 'abc.txt', 'config.json', 'empty.txt', 'nested/dir/tokenizer.txt', 'weights.bin'];

/**
 * MODEL without its empty file, for shards round trips: an empty file has no shards, and
 * the verifier currently reports it as an extra file (see the dedicated test below), which
 * would mask everything else those tests check.
 */
const SHARDS_MODEL: Record<string, string> = Object.fromEntries(Object.entries(MODEL).filter(([name]) => name !== 'empty.txt'));
const SHARDS_ORDER = ORDER.filter((name) => name !== 'empty.txt');

interface ExpectedResource {
  name: string;
  algorithm: string;
  digest: string;
}

async function expectedResources(
  files: Record<string, string>,
  order: readonly string[],
  method: 'files' | 'shards',
  hash: Hash,
  shardSize = 7,
): Promise<ExpectedResource[]> {
  const out: ExpectedResource[] = [];
  for (const name of order) {
    const data = Buffer.from(files[name]!, 'utf8');
    if (method === 'files') {
      out.push({ name, algorithm: hash, digest: await digest(hash, data) });
      continue;
    }
    for (let start = 0; start < data.length; start += shardSize) {
      const end = Math.min(start + shardSize, data.length);
      out.push({ name: `${name}:${start}:${end}`, algorithm: `${hash}-sharded-${shardSize}`, digest: await digest(hash, data.subarray(start, end)) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Bundle and report helpers

interface Statement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: {
    serialization: { method: string; hash_type: string; allow_symlinks: boolean; shard_size?: number; ignore_paths?: string[] };
    resources: ExpectedResource[];
  };
}

interface Decoded {
  bundle: {
    mediaType: string;
    verificationMaterial: {
      publicKey?: { hint: string };
      x509CertificateChain?: { certificates: { rawBytes: string }[] };
      tlogEntries: unknown[];
    };
    dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string | null }[] };
  };
  payloadText: string;
  statement: Statement;
}

async function readBundle(path: string): Promise<Decoded> {
  const bundle = JSON.parse(await readFile(path, 'utf8')) as Decoded['bundle'];
  const payloadText = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8');
  return { bundle, payloadText, statement: JSON.parse(payloadText) as Statement };
}

interface Report {
  model: string;
  signature: string;
  verified: boolean;
  method: string;
  legacy: boolean;
  signer?: Record<string, unknown>;
  rootDigest?: string;
  serialization?: Record<string, unknown>;
  checks: { name: string; ok: boolean; message?: string }[];
  files: { name: string; status: string; expected?: string; actual?: string; note?: string }[];
  summary: Record<'ok' | 'changed' | 'missing' | 'extra' | 'ignored', number>;
  warnings: string[];
  error?: { code: string; message: string };
}

function parseReport(r: CliResult): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`verify --json printed no JSON (exit ${r.code}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

const fileStatus = (report: Report, name: string) => report.files.find((f) => f.name === name);

function expectCode(r: CliResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

// ---------------------------------------------------------------------------------------
// Keys

const CURVES = [
  { curve: 'P-256', digest: 'sha256' },
  { curve: 'P-384', digest: 'sha384' },
  { curve: 'P-521', digest: 'sha512' },
] as const;

interface KeyFiles {
  privatePath: string;
  publicPath: string;
  publicPem: string;
}

async function ecKeyFiles(dir: string, curve: string, name = curve): Promise<KeyFiles> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: curve,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privatePath = join(dir, `${name}.key.pem`);
  const publicPath = join(dir, `${name}.pub.pem`);
  await writeFile(privatePath, privateKey);
  await writeFile(publicPath, publicKey);
  return { privatePath, publicPath, publicPem: publicKey };
}

/** A model directory `<dir>/model` holding `files`. */
async function makeModel(dir: string, files: Record<string, string> = MODEL): Promise<string> {
  const model = join(dir, 'model');
  await writeTree(model, files);
  return model;
}

/** Signs `model` with the key method through the CLI; returns the signature path. */
async function signKey(model: string, key: KeyFiles, sig: string, extra: string[] = [], cwd?: string): Promise<string> {
  const r = await runCli(['sign', 'key', model, '--private-key', key.privatePath, '--signature', sig, ...extra], cwd ? { cwd } : {});
  expectCode(r, 0);
  return sig;
}

async function verifyKey(model: string, key: KeyFiles, sig: string, extra: string[] = [], cwd?: string): Promise<CliResult> {
  return runCli(['verify', 'key', model, '--public-key', key.publicPath, '--signature', sig, '--json', ...extra], cwd ? { cwd } : {});
}

// =======================================================================================

describe('bundle bytes', () => {
  it("are JSON.stringify's of the whole document, for payloads of any size and offset and both kinds of material", () => {
    // buildBundle writes the payload's base64 straight into the result; the document it
    // stands for, serialized the plain way, must give the same bytes.
    const materials = [
      { kind: 'publicKey' as const, hint: sha256('key') },
      // A hint that spells the envelope's own text: escaped by JSON, it cannot be taken for it.
      { kind: 'publicKey' as const, hint: '"dsseEnvelope":{"payload":""' },
      { kind: 'x509CertificateChain' as const, certificates: [randomBytes(700), randomBytes(1)] },
    ];
    for (const size of [0, 1, 2, 3, 4, 57, 1000, 65_537, 3_000_001]) {
      for (const material of materials) {
        const backing = randomBytes(size + 9);
        const payload = new Uint8Array(backing.buffer, backing.byteOffset + 9, size);
        const signature = randomBytes(71);
        const verificationMaterial =
          material.kind === 'publicKey'
            ? { publicKey: { hint: material.hint }, tlogEntries: [] }
            : { x509CertificateChain: { certificates: material.certificates.map((c) => ({ rawBytes: c.toString('base64') })) }, tlogEntries: [] };
        const plain = JSON.stringify({
          mediaType: BUNDLE_MEDIA_TYPE,
          verificationMaterial,
          dsseEnvelope: { payload: Buffer.from(payload).toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: signature.toString('base64'), keyid: '' }] },
        });
        expect(buildBundle(material, payload, signature).equals(Buffer.from(plain, 'utf8')), `${size} bytes, ${material.kind}`).toBe(true);
      }
    }
  });
});

describe('key method round trip on every curve', () => {
  for (const { curve } of CURVES) {
    it(`signs and verifies with ECDSA ${curve}`, async () => {
      const dir = await tempDir();
      const model = await makeModel(dir);
      const key = await ecKeyFiles(dir, curve);
      const sig = await signKey(model, key, join(dir, 'model.sig'));

      const { bundle, statement } = await readBundle(sig);
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial.publicKey).toEqual({ hint: sha256(key.publicPem) });
      expect(bundle.verificationMaterial.x509CertificateChain).toBeUndefined();
      expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
      expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
      expect(bundle.dsseEnvelope.signatures).toHaveLength(1);

      const expected = await expectedResources(MODEL, ORDER, 'files', 'sha256');
      const root = rootOf(expected.map((r) => r.digest));
      expect(statement.subject).toEqual([{ name: 'model', digest: { sha256: root } }]);
      expect(statement.predicate.resources).toEqual(expected);

      const r = await verifyKey(model, key, sig);
      expectCode(r, 0);
      const report = parseReport(r);
      expect(report.verified).toBe(true);
      expect(report.method).toBe('key');
      expect(report.legacy).toBe(false);
      expect(report.signer).toEqual({ method: 'key', keyHint: sha256(key.publicPem), legacyKeyMaterial: false });
      expect(report.rootDigest).toBe(`sha256:${root}`);
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['bundle', true],
        ['signature', true],
        ['statement', true],
        ['model', true],
      ]);
      expect(report.files).toEqual(expected.map((e) => ({ name: e.name, status: 'ok', expected: `sha256:${e.digest}`, actual: `sha256:${e.digest}` })));
      expect(report.summary).toEqual({ ok: expected.length, changed: 0, missing: 0, extra: 0, ignored: 0 });
      expect(report.error).toBeUndefined();

      // Text mode: exit 0 as well.
      const text = await runCli(['verify', 'key', model, '--public-key', key.publicPath, '--signature', sig]);
      expectCode(text, 0);
    });

    it(`rejects a ${curve} signature checked with another key of the same curve`, async () => {
      const dir = await tempDir();
      const model = await makeModel(dir);
      const key = await ecKeyFiles(dir, curve);
      const other = await ecKeyFiles(dir, curve, `${curve}-other`);
      const sig = await signKey(model, key, join(dir, 'model.sig'));
      const r = await verifyKey(model, other, sig);
      expectCode(r, 1);
      const report = parseReport(r);
      expect(report.verified).toBe(false);
      expect(report.error?.code).toBe('KEY_MISMATCH');
      expect(report.checks).toContainEqual(expect.objectContaining({ name: 'signature', ok: false }));
    });
  }

  it('a key with explicit curve parameters gets the hint of its named-curve PEM, as the reference computes it', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const explicit = join(dir, 'explicit.pem');
    await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-param_enc', 'explicit', '-out', explicit]);
    expect(await readFile(explicit, 'utf8')).toContain('BEGIN EC PRIVATE KEY');
    // The same key's public half with the curve named: what the reference's hint is taken over.
    const named = await run('openssl', ['ec', '-in', explicit, '-pubout', '-param_enc', 'named_curve']);
    const explicitPub = await run('openssl', ['ec', '-in', explicit, '-pubout', '-param_enc', 'explicit']);
    expect(explicitPub).not.toBe(named);
    const sig = join(dir, 'model.sig');
    expectCode(await runCli(['sign', 'key', model, '--private-key', explicit, '--signature', sig]), 0);
    const { bundle } = await readBundle(sig);
    expect(bundle.verificationMaterial.publicKey?.hint).toBe(sha256(named));
    // Either form of the public key verifies it.
    for (const [name, pem] of [['named.pub', named], ['explicit.pub', explicitPub]] as const) {
      const path = join(dir, name);
      await writeFile(path, pem);
      expectCode(await runCli(['verify', 'key', model, '--signature', sig, '--public-key', path]), 0);
    }
  });

  it('--public-key takes a PEM PUBLIC KEY block, a DER SubjectPublicKeyInfo or a bare compressed point (made by openssl), as the reference does, for every curve: each verifies, with the same key hint', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    for (const [curve, pointBytes] of [['P-256', 33], ['P-384', 49], ['P-521', 67]] as const) {
      const key = await ecKeyFiles(dir, curve);
      const sig = await signKey(model, key, join(dir, `${curve}.sig`));
      const der = join(dir, `${curve}.pub.der`);
      const compressedDer = join(dir, `${curve}.pub.compressed.der`);
      const point = join(dir, `${curve}.point`);
      await run('openssl', ['pkey', '-in', key.privatePath, '-pubout', '-outform', 'DER', '-out', der]);
      await run('openssl', ['ec', '-in', key.privatePath, '-pubout', '-conv_form', 'compressed', '-outform', 'DER', '-out', compressedDer]);
      // The SubjectPublicKeyInfo ends with the point: 0x02 or 0x03, then x.
      const bare = (await readFile(compressedDer)).subarray(-pointBytes);
      expect([0x02, 0x03], curve).toContain(bare[0]);
      await writeFile(point, bare);
      for (const form of [key.publicPath, der, compressedDer, point]) {
        const r = await runCli(['verify', 'key', model, '--signature', sig, '--public-key', form, '--json']);
        expectCode(r, 0);
        expect(parseReport(r).signer, form).toMatchObject({ method: 'key', keyHint: sha256(key.publicPem) });
      }
    }

    // What is none of these, or not a key OMS signs with, is refused (exit 2), naming the file.
    const offCurve = join(dir, 'off-curve.point');
    await writeFile(offCurve, Buffer.concat([Buffer.from([0x02]), Buffer.alloc(32, 0xff)])); // x >= the P-256 field prime
    const noise = join(dir, 'noise.bin');
    await writeFile(noise, randomBytes(100));
    const rsaDer = join(dir, 'rsa.pub.der');
    await writeFile(rsaDer, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
    const sig = await signKey(model, await ecKeyFiles(dir, 'P-256', 'any'), join(dir, 'any.sig'));
    for (const [file, code, message] of [
      [offCurve, 'KEY_UNREADABLE', `cannot read public key ${offCurve}: its 33 bytes are not a point of P-256`],
      [noise, 'KEY_UNREADABLE', `cannot read public key ${noise}: it is neither a PEM PUBLIC KEY block, a DER SubjectPublicKeyInfo nor a compressed EC point`],
      [rsaDer, 'KEY_UNSUPPORTED', `public key ${rsaDer} is RSA; OMS key signing supports ECDSA P-256, P-384 and P-521 only`],
    ]) {
      const r = await runCli(['verify', 'key', model, '--signature', sig, '--public-key', file!, '--json']);
      expectCode(r, 2);
      expect(JSON.parse(r.stdout).error).toEqual({ kind: 'usage', code, message });
    }
  });

  it('--public-key takes no PEM private key or certificate: refused (exit 2), as the reference does', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'));
    const r = await runCli(['verify', 'key', model, '--signature', sig, '--public-key', key.privatePath, '--json']);
    expectCode(r, 2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'KEY_UNREADABLE', message: `cannot read public key ${key.privatePath}: it holds no PEM PUBLIC KEY block (it holds a private key: give its public key, \`openssl pkey -pubout -in FILE\`)` });
    // A certificate, with the way to its key.
    const cert = join(dir, 'cert.pem');
    await run('openssl', ['req', '-x509', '-key', key.privatePath, '-out', cert, '-subj', '/CN=modelsign test', '-days', '1']);
    const c = await runCli(['verify', 'key', model, '--signature', sig, '--public-key', cert, '--json']);
    expectCode(c, 2);
    expect(JSON.parse(c.stdout).error).toMatchObject({ code: 'KEY_UNREADABLE', message: `cannot read public key ${cert}: it holds no PEM PUBLIC KEY block (it holds a certificate: verify it with \`verify certificate\`, or take its key out with \`openssl x509 -pubkey -noout -in FILE\`)` });
  });

  it('rejects a bundle whose signature no longer covers the payload', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'));
    const { bundle, payloadText } = await readBundle(sig);
    // Re-point the statement at a different digest without re-signing.
    const forged = payloadText.replace(/"digest": "([0-9a-f])/, (_m, c: string) => `"digest": "${c === '0' ? '1' : '0'}`);
    expect(forged).not.toBe(payloadText);
    bundle.dsseEnvelope.payload = Buffer.from(forged, 'utf8').toString('base64');
    await writeFile(sig, JSON.stringify(bundle));
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.checks).toContainEqual(expect.objectContaining({ name: 'signature', ok: false }));
  });
});

// =======================================================================================

describe('certificate method round trip (PKI minted with openssl)', () => {
  let pki: string;
  const p = (name: string): string => join(pki, name);
  const LEAF_EXT = '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n';

  async function makeCa(name: string, cn: string, subject = `/CN=${cn}`): Promise<void> {
    await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(`${name}.key`)]);
    await run('openssl', [
      'req', '-x509', '-new', '-key', p(`${name}.key`), '-subj', subject, '-days', '30', '-sha256',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-out', p(`${name}.pem`),
    ]);
  }

  beforeAll(async () => {
    pki = await mkdtemp(join(tmpdir(), 'modelsign-pki-'));
    await makeCa('ca', 'modelsign test CA');
    await makeCa('other-ca', 'modelsign unrelated CA');

    // Leaf key and CSR (P-384, so the leaf's curve differs from the CA's).
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', p('leaf.key')]);
    await run('openssl', ['req', '-new', '-key', p('leaf.key'), '-subj', '/CN=modelsign test leaf', '-out', p('leaf.csr')]);
    await writeFile(p('leaf.cnf'), LEAF_EXT);
    await run('openssl', [
      'x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-set_serial', '2', '-days', '30', '-sha256',
      '-extfile', p('leaf.cnf'), '-extensions', 'v3', '-out', p('leaf.pem'),
    ]);

    // A leaf that is not for signing: keyUsage keyAgreement only, no codeSigning.
    await writeFile(p('nosign.cnf'), '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyAgreement\n');
    await run('openssl', [
      'x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-set_serial', '4', '-days', '30', '-sha256',
      '-extfile', p('nosign.cnf'), '-extensions', 'v3', '-out', p('nosign.pem'),
    ]);

    // An RSA leaf for signing, issued by the same CA: a chain that holds, with a key OMS does not sign with.
    await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('rsa.key')]);
    await run('openssl', ['req', '-new', '-key', p('rsa.key'), '-subj', '/CN=modelsign RSA leaf', '-out', p('rsa.csr')]);
    await run('openssl', [
      'x509', '-req', '-in', p('rsa.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-set_serial', '5', '-days', '30', '-sha256',
      '-extfile', p('leaf.cnf'), '-extensions', 'v3', '-out', p('rsa.pem'),
    ]);

    // An expired leaf (2020-2021), issued by the same (currently valid) CA through `openssl ca`,
    // since OpenSSL 3.0's `x509 -req` cannot backdate.
    await writeFile(p('index.txt'), '');
    await writeFile(p('serial'), '03\n');
    await writeFile(
      p('ca.cnf'),
      [
        '[ca]',
        'default_ca = CA_default',
        '[CA_default]',
        `database = ${p('index.txt')}`,
        `new_certs_dir = ${pki}`,
        `serial = ${p('serial')}`,
        'default_md = sha256',
        'policy = policy_any',
        '[policy_any]',
        'commonName = supplied',
        'organizationName = optional',
        '[leaf_ext]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature',
        'extendedKeyUsage = codeSigning',
        '',
      ].join('\n'),
    );
    await run('openssl', [
      'ca', '-batch', '-config', p('ca.cnf'), '-cert', p('ca.pem'), '-keyfile', p('ca.key'), '-in', p('leaf.csr'),
      '-out', p('expired.pem'), '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'leaf_ext', '-notext',
    ]);

    // Names of two RDNs, which Node's X509Certificate gives one per line: a CA and leaves
    // for `/CN=model signer/O=Test` (one for signing, one not, one expired), same key.
    await makeCa('named-ca', '', '/CN=Test CA/O=Test');
    await run('openssl', ['req', '-new', '-key', p('leaf.key'), '-subj', '/CN=model signer/O=Test', '-out', p('named.csr')]);
    for (const [name, ext, serial] of [['named.pem', 'leaf.cnf', '10'], ['named-nosign.pem', 'nosign.cnf', '11']] as const) {
      await run('openssl', [
        'x509', '-req', '-in', p('named.csr'), '-CA', p('named-ca.pem'), '-CAkey', p('named-ca.key'), '-set_serial', serial, '-days', '30', '-sha256',
        '-extfile', p(ext), '-extensions', 'v3', '-out', p(name),
      ]);
    }
    // A leaf not valid until 2099, from the same CA and key.
    await run('openssl', ['req', '-new', '-key', p('leaf.key'), '-subj', '/CN=modelsign future leaf', '-out', p('future.csr')]);
    await run('openssl', [
      'ca', '-batch', '-config', p('ca.cnf'), '-cert', p('ca.pem'), '-keyfile', p('ca.key'), '-in', p('future.csr'),
      '-out', p('future.pem'), '-startdate', '20990101000000Z', '-enddate', '21000101000000Z', '-extensions', 'leaf_ext', '-notext',
    ]);
    await run('openssl', [
      'ca', '-batch', '-config', p('ca.cnf'), '-cert', p('named-ca.pem'), '-keyfile', p('named-ca.key'), '-in', p('named.csr'),
      '-out', p('named-expired.pem'), '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'leaf_ext', '-notext',
    ]);
  });

  /** Signs through the library, which checks nothing of the certificate: bundles the CLI would refuse to make. */
  async function signWithLibrary(model: string, sig: string, leafFile: string, chainFile: string): Promise<void> {
    const key = loadPrivateKey(await readFile(p('leaf.key')), undefined, 'leaf.key');
    const [leaf] = parsePemCertificates(await readFile(p(leafFile)), leafFile);
    const chain = parsePemCertificates(await readFile(p(chainFile)), chainFile);
    const { manifest } = await hashModel(await LocalModelSource.open(model));
    await writeFile(sig, signManifest(manifest, certificateSigner(key, leaf!, chain)));
  }

  afterAll(async () => {
    if (pki) await rm(pki, { recursive: true, force: true });
  });

  async function signCert(model: string, sig: string, leaf = 'leaf.pem'): Promise<CliResult> {
    return runCli([
      'sign', 'certificate', model,
      '--private-key', p('leaf.key'),
      '--signing-certificate', p(leaf),
      '--certificate-chain', p('ca.pem'),
      '--signature', sig,
    ]);
  }

  const verifyCert = (model: string, sig: string, anchor: string, json = true, ...extra: string[]): Promise<CliResult> =>
    runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', p(anchor), ...(json ? ['--json'] : []), ...extra]);

  it('the minted certificates are what the tests assume', async () => {
    const leaf = new X509Certificate(await readFile(p('leaf.pem')));
    const ca = new X509Certificate(await readFile(p('ca.pem')));
    const expired = new X509Certificate(await readFile(p('expired.pem')));
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.3');
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now());
    expect(expired.verify(ca.publicKey)).toBe(true);
  });

  it('signs with a leaf and chain and verifies against the CA', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    expectCode(await signCert(model, sig), 0);

    const { bundle, statement } = await readBundle(sig);
    const leaf = new X509Certificate(await readFile(p('leaf.pem')));
    const ca = new X509Certificate(await readFile(p('ca.pem')));
    expect(bundle.verificationMaterial.publicKey).toBeUndefined();
    expect(bundle.verificationMaterial.x509CertificateChain).toEqual({
      certificates: [{ rawBytes: leaf.raw.toString('base64') }, { rawBytes: ca.raw.toString('base64') }],
    });
    expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
    const expected = await expectedResources(MODEL, ORDER, 'files', 'sha256');
    const root = rootOf(expected.map((r) => r.digest));
    expect(statement.subject[0]!.digest.sha256).toBe(root);

    const r = await verifyCert(model, sig, 'ca.pem');
    expectCode(r, 0);
    const report = parseReport(r);
    expect(report.verified).toBe(true);
    expect(report.method).toBe('certificate');
    expect(report.rootDigest).toBe(`sha256:${root}`);
    expect(report.signer).toMatchObject({
      method: 'certificate',
      subject: 'CN=modelsign test leaf',
      issuer: 'CN=modelsign test CA',
      serialNumber: '02',
      fingerprintSha256: leaf.fingerprint256,
      chain: ['CN=modelsign test leaf', 'CN=modelsign test CA'],
    });
    expect(report.summary).toEqual({ ok: expected.length, changed: 0, missing: 0, extra: 0, ignored: 0 });
  });

  it('fails against an unrelated CA with exit 1', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    expectCode(await signCert(model, sig), 0);
    const r = await verifyCert(model, sig, 'other-ca.pem');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('CERT_UNTRUSTED');
    expect(report.checks).toContainEqual(expect.objectContaining({ name: 'signature', ok: false }));
    expect(report.files).toEqual([]);
    const text = await verifyCert(model, sig, 'other-ca.pem', false);
    expectCode(text, 1);
  });

  it('fails for an expired leaf: by default as its CA was not valid when it was issued; with --valid-at now for its expiry (exit 1)', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    // Sign through the library, so this test does not depend on whether the CLI signer
    // accepts an expired certificate.
    const key = loadPrivateKey(await readFile(p('leaf.key')), undefined, 'leaf.key');
    const [expiredLeaf] = parsePemCertificates(await readFile(p('expired.pem')), 'expired.pem');
    const chain = parsePemCertificates(await readFile(p('ca.pem')), 'ca.pem');
    const source = await LocalModelSource.open(model);
    const { manifest } = await hashModel(source);
    await writeFile(sig, signManifest(manifest, certificateSigner(key, expiredLeaf!, chain)));

    // The chain is checked as of the leaf's notBefore (2020), when the CA minted today was not valid.
    const ca = new X509Certificate(await readFile(p('ca.pem')));
    const byDefault = await verifyCert(model, sig, 'ca.pem');
    expectCode(byDefault, 1);
    expect(parseReport(byDefault).error).toEqual({
      code: 'CERT_UNTRUSTED',
      message: `issuer certificate "CN=modelsign test CA" is not valid before ${new Date(ca.validFrom).toISOString()}`,
    });

    const r = await verifyCert(model, sig, 'ca.pem', true, '--valid-at', 'now');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('CERT_UNTRUSTED');
    expect(report.error?.message).toMatch(/expired/i);
    expect(report.error?.message).toContain('2021-01-01');

    const text = await verifyCert(model, sig, 'ca.pem', false, '--valid-at', 'now');
    expectCode(text, 1);
    expect(text.stderr).toMatch(/expired/i);

    // The same bundle is fine when checked at a time inside the leaf's validity... except
    // the CA was minted today, so at that time the CA is not yet valid: still rejected,
    // now for the CA, which proves `at` is honoured.
    const verifier = certificateVerifier(chain, { at: new Date('2020-06-01T00:00:00Z') });
    const report2 = await verifyModel({ source, bundle: await readFile(sig), verifier });
    expect(report2.verified).toBe(false);
    expect(report2.error?.code).toBe('CERT_UNTRUSTED');
    expect(report2.error?.message).toMatch(/not valid before/);
  });

  it('fails for a leaf that is not for signing', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    await signWithLibrary(model, sig, 'nosign.pem', 'ca.pem'); // the CLI refuses to (next test)
    const r = await verifyCert(model, sig, 'ca.pem');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.error?.code).toBe('CERT_UNTRUSTED');
    expect(report.error?.message).toMatch(/not for signing/);
  });

  it('sign certificate refuses, before hashing, a leaf the verifier rejects (expired, not yet valid, not for signing): exit 2, the verifier\'s words', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const notNow = ': sign with a certificate that is valid now (`verify certificate --valid-at now` would reject this signature)';
    const cases: [string, string, string][] = [
      ['expired.pem', 'signing certificate "CN=modelsign test leaf" expired on 2021-01-01T00:00:00.000Z', notNow],
      ['future.pem', 'signing certificate "CN=modelsign future leaf" is not valid before 2099-01-01T00:00:00.000Z', notNow],
      ['nosign.pem', 'signing certificate "CN=modelsign test leaf" is not for signing: it has neither keyUsage digitalSignature nor extendedKeyUsage codeSigning', `, so signatures made with ${p('nosign.pem')} would not verify`],
    ];
    for (const [leaf, reason, consequence] of cases) {
      // What `verify certificate --valid-at now` says of a signature made with this leaf (signed through the library).
      const made = join(dir, `${leaf}.sig`);
      await signWithLibrary(model, made, leaf, 'ca.pem');
      expect(parseReport(await verifyCert(model, made, 'ca.pem', true, '--valid-at', 'now')).error, leaf).toEqual({ code: 'CERT_UNTRUSTED', message: reason });
      await rm(made);

      // Before, sign exited 0 and wrote that signature.
      const sig = join(dir, 'model.sig');
      const r = await runCli(['sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', p(leaf), '--certificate-chain', p('ca.pem'), '--signature', sig, '--json']);
      expectCode(r, 2);
      const message = `${reason}${consequence}`;
      expect(JSON.parse(r.stdout), leaf).toEqual({ error: { kind: 'usage', code: 'CERT_UNUSABLE', message } });
      expect(r.stderr).toBe(`error: ${message}\n`);
      await expect(access(sig)).rejects.toThrow();
      // Before the model is even opened: a missing model is not what is reported.
      const missing = await runCli(['sign', 'certificate', join(dir, 'no-such-model'), '--private-key', p('leaf.key'), '--signing-certificate', p(leaf), '--signature', sig, '--json']);
      expect(JSON.parse(missing.stdout).error.code, leaf).toBe('CERT_UNUSABLE');
    }
  });

  it('a subject or issuer of several RDNs shows on one line, `CN=model signer, O=Test`, in the text report, JSON and every reason', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const named = new X509Certificate(await readFile(p('named.pem')));
    expect(named.subject).toBe('CN=model signer\nO=Test'); // what Node gives
    const sig = join(dir, 'model.sig');
    const signed = await runCli(['sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', p('named.pem'), '--certificate-chain', p('named-ca.pem'), '--signature', sig]);
    expectCode(signed, 0);
    const text = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', p('named-ca.pem')]);
    expectCode(text, 0);
    // Before: `certificate "CN=model signer\x0aO=Test" issued by "CN=Test CA\x0aO=Test"`.
    expect(text.stdout).toContain('  signer: certificate "CN=model signer, O=Test" issued by "CN=Test CA, O=Test", chain "CN=model signer, O=Test" -> "CN=Test CA, O=Test"\n');
    const json = parseReport(await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', p('named-ca.pem'), '--json']));
    expect(json.signer).toMatchObject({ subject: 'CN=model signer, O=Test', issuer: 'CN=Test CA, O=Test', chain: ['CN=model signer, O=Test', 'CN=Test CA, O=Test'] });

    // Failure reasons, before split over two lines at the RDN boundary.
    const reasons: [string, string][] = [
      ['named-expired.pem', 'signing certificate "CN=model signer, O=Test" expired on 2021-01-01T00:00:00.000Z'],
      ['named-nosign.pem', 'signing certificate "CN=model signer, O=Test" is not for signing: it has neither keyUsage digitalSignature nor extendedKeyUsage codeSigning'],
    ];
    for (const [leaf, reason] of reasons) {
      const bad = join(dir, `${leaf}.sig`);
      await signWithLibrary(model, bad, leaf, 'named-ca.pem');
      const r = await runCli(['verify', 'certificate', model, '--signature', bad, '--certificate-chain', p('named-ca.pem'), '--valid-at', 'now']);
      expectCode(r, 1);
      expect(r.stderr, leaf).toContain(`\n  reason: ${reason}\n`);
      const report = parseReport(await runCli(['verify', 'certificate', model, '--signature', bad, '--certificate-chain', p('named-ca.pem'), '--valid-at', 'now', '--json']));
      expect(report.error?.message).toBe(reason);
    }
    const untrusted = parseReport(await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', p('ca.pem'), '--json']));
    expect(untrusted.error?.message).toBe('no trusted issuer for "CN=Test CA, O=Test" (issued by "CN=Test CA, O=Test"): it is not signed by any given trust anchor or bundled intermediate');
    const mismatch = await runCli(['sign', 'certificate', model, '--private-key', p('ca.key'), '--signing-certificate', p('named.pem'), '--signature', join(dir, 'x.sig')]);
    expectCode(mismatch, 2);
    expect(mismatch.stderr).toBe('error: the private key does not belong to the signing certificate (CN=model signer, O=Test)\n');
  });

  it('several attached signatures, none verifying: the report gives each one\'s reason (text and JSON) and details the closest', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const layout = `oci-layout:${join(dir, 'layout')}:v1`;
    expectCode(await runCli(['push', model, layout]), 0);
    const right = await ecKeyFiles(dir, 'P-256', 'right');
    const other = await ecKeyFiles(dir, 'P-256', 'other');
    // In this order: another key's; the right key's over other content; a certificate bundle.
    expectCode(await runCli(['sign', 'key', layout, '--attach', '--private-key', other.privatePath]), 0);
    const changed = await makeModel(join(dir, 'changed'), { ...MODEL, 'config.json': '{"changed": true}' });
    await signKey(changed, right, join(dir, 'changed.sig'));
    expectCode(await runCli(['attach', layout, '--signature', join(dir, 'changed.sig')]), 0);
    expectCode(await runCli(['sign', 'certificate', layout, '--attach', '--private-key', p('leaf.key'), '--signing-certificate', p('leaf.pem')]), 0);
    const listed = (JSON.parse((await runCli(['discover', layout, '--json'])).stdout) as { signatures: { digest: string }[] }).signatures.map((s) => s.digest);
    expect(listed).toHaveLength(3);
    const at = (digest: string): string => `oci-layout:${join(dir, 'layout')}@${digest}`;

    const text = await runCli(['verify', 'key', layout, '--public-key', right.publicPath]);
    expectCode(text, 1);
    // Before, only the last signature's reason: `verify it with \`verify certificate\``.
    const keyMismatch = `the bundle was signed by the key with hint ${sha256(other.publicPem)}, not by the given key (hint ${sha256(right.publicPem)})`;
    const wrongMethod = 'the bundle was signed with the certificate method (it carries x509CertificateChain); verify it with `verify certificate`, not `verify key`';
    expect(text.stderr).toContain(
      [
        '  reason: none of the 3 signatures verifies',
        `    ${at(listed[0]!)}: ${keyMismatch}`,
        `    ${at(listed[1]!)}: the model does not match its signature: 1 changed, 0 missing, 0 extra`,
        `    ${at(listed[2]!)}: ${wrongMethod}`,
        `  closest: ${at(listed[1]!)}, whose signature verifies (details below)`,
        `  signer: key with hint ${sha256(right.publicPem)}`,
      ].join('\n'),
    );
    expect(text.stderr).toMatch(/\n {2}changed +config\.json /);

    const json = await runCli(['verify', 'key', layout, '--public-key', right.publicPath, '--json']);
    expectCode(json, 1);
    const report = JSON.parse(json.stdout) as { signature: string; signatures: unknown[]; files: { name: string; status: string }[] };
    expect(report.signatures).toEqual([
      { signature: at(listed[0]!), verified: false, error: { code: 'KEY_MISMATCH', message: keyMismatch } },
      { signature: at(listed[1]!), verified: false, error: { code: 'MODEL_MISMATCH', message: 'the model does not match its signature: 1 changed, 0 missing, 0 extra' } },
      { signature: at(listed[2]!), verified: false, error: { code: 'WRONG_METHOD', message: wrongMethod } },
    ]);
    // The closest signature's report, which names the file that differs (before: the last one's, with no files).
    expect(report.signature).toBe(at(listed[1]!));
    expect(report.files.filter((f) => f.status !== 'ok')).toEqual([expect.objectContaining({ name: 'config.json', status: 'changed' })]);

    // `verify sigstore` names the method of each (before: only `signed with the certificate method`).
    const sigstore = await runCli(['verify', 'sigstore', layout, '--identity', 'a@example.com', '--identity-provider', 'https://issuer.example']);
    expectCode(sigstore, 1);
    expect(sigstore.stderr.match(/^ {4}oci-layout:.*$/gm)?.map((line) => line.replace(/^.*@sha256:[0-9a-f]{64}: /, ''))).toEqual([
      'the bundle was signed with the key method (it carries publicKey); verify it with `verify key`, not `verify sigstore`',
      'the bundle was signed with the key method (it carries publicKey); verify it with `verify key`, not `verify sigstore`',
      'the bundle was signed with the certificate method (it carries x509CertificateChain); verify it with `verify certificate`, not `verify sigstore`',
    ]);
  });

  /** Signs a model with the good leaf, then puts `leafDer` in the bundle in its place. */
  async function withLeaf(leafDer: Buffer): Promise<{ model: string; sig: string }> {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    expectCode(await signCert(model, sig), 0);
    const { bundle } = await readBundle(sig);
    bundle.verificationMaterial.x509CertificateChain!.certificates[0] = { rawBytes: leafDer.toString('base64') };
    await writeFile(sig, JSON.stringify(bundle));
    return { model, sig };
  }

  it('a leaf with an RSA key that chains to the CA fails with exit 1 (the key comes from the bundle)', async () => {
    const rsa = new X509Certificate(await readFile(p('rsa.pem')));
    const ca = new X509Certificate(await readFile(p('ca.pem')));
    expect(rsa.verify(ca.publicKey)).toBe(true);
    expect(rsa.publicKey.asymmetricKeyType).toBe('rsa');
    const { model, sig } = await withLeaf(rsa.raw);
    const r = await verifyCert(model, sig, 'ca.pem');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.error?.code).toBe('CERT_KEY_UNSUPPORTED');
    expect(report.error?.message).toBe(
      'the key of signing certificate "CN=modelsign RSA leaf" is RSA; OMS key signing supports ECDSA P-256, P-384 and P-521 only',
    );
    expect(report.checks).toContainEqual(expect.objectContaining({ name: 'signature', ok: false }));
  });

  it('a leaf Node reads but @sigstore/core cannot parse fails with exit 1, not a crash', async () => {
    // The to-be-signed part's length re-encoded in 7 bytes (so the outer length grows by 5):
    // lax BER that Node's parser takes and keeps, and @sigstore/core's (which reads the
    // extensions here) refuses. The leaf's signature no longer holds, but parsing comes first.
    const der = new X509Certificate(await readFile(p('leaf.pem'))).raw;
    expect(der.subarray(0, 2).toString('hex')).toBe('3082');
    expect(der.subarray(4, 6).toString('hex')).toBe('3082');
    const outer = der.readUInt16BE(2) + 5;
    const lax = Buffer.concat([Buffer.from([0x30, 0x82, outer >> 8, outer & 0xff, 0x30, 0x87, 0, 0, 0, 0, 0]), der.subarray(6)]);
    const reread = new X509Certificate(lax);
    expect(reread.subject).toBe('CN=modelsign test leaf');
    expect(reread.raw.equals(lax)).toBe(true);
    const { model, sig } = await withLeaf(lax);
    const r = await verifyCert(model, sig, 'ca.pem');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.error?.code).toBe('CERT_UNTRUSTED');
    expect(report.error?.message).toMatch(/^certificate "CN=modelsign test leaf" cannot be parsed: /);
    const text = await verifyCert(model, sig, 'ca.pem', false);
    expectCode(text, 1);
    expect(text.stderr).not.toMatch(/\n\s+at /);
  });

  it('a key bundle verified with `verify certificate` fails with WRONG_METHOD', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'));
    const r = await verifyCert(model, sig, 'ca.pem');
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.method).toBe('certificate');
    expect(report.error?.code).toBe('WRONG_METHOD');
    expect(report.files).toEqual([]);
  });

  it('a certificate bundle verified with `verify key` fails with WRONG_METHOD', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    expectCode(await signCert(model, sig), 0);
    // The leaf's own public key: even the right key must not pass as the key method.
    const leafPub = join(dir, 'leaf.pub.pem');
    await writeFile(leafPub, await run('openssl', ['x509', '-in', p('leaf.pem'), '-noout', '-pubkey']));
    const r = await runCli(['verify', 'key', model, '--public-key', leafPub, '--signature', sig, '--json']);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.method).toBe('key');
    expect(report.error?.code).toBe('WRONG_METHOD');
  });

  it('sign certificate with a private key that is not the leaf\'s: exit 2, KEY_CERT_MISMATCH, no signature written', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const sig = join(dir, 'model.sig');
    // Another P-384 key, so nothing but the key itself differs from the leaf's.
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', join(dir, 'other.key')]);
    const message = 'the private key does not belong to the signing certificate (CN=modelsign test leaf)';
    for (const key of [join(dir, 'other.key'), p('ca.key')]) {
      const r = await runCli(['sign', 'certificate', model, '--private-key', key, '--signing-certificate', p('leaf.pem'), '--certificate-chain', p('ca.pem'), '--signature', sig, '--json']);
      expectCode(r, 2);
      expect(JSON.parse(r.stdout), key).toEqual({ error: { kind: 'usage', code: 'KEY_CERT_MISMATCH', message } });
      expect(r.stderr).toBe(`error: ${message}\n`);
      await expect(access(sig)).rejects.toThrow();
    }
    // The library refuses the same way, before anything is signed.
    const leaf = parsePemCertificates(await readFile(p('leaf.pem')), 'leaf.pem')[0]!;
    const other = loadPrivateKey(await readFile(join(dir, 'other.key')), undefined, 'other.key');
    expect(() => certificateSigner(other, leaf, [])).toThrow(
      expect.objectContaining({ code: 'KEY_CERT_MISMATCH', message }),
    );
  });

  /**
   * Chains that must not verify, each wrong in one way only: every leaf is for signing, valid
   * now, and carries the test leaf's key (so `leaf.key` signs with any of them).
   */
  describe('certificate paths the verifier refuses', () => {
    const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

    /** Issues `<name>.pem` for the CSR `<csr>.csr`, signed by `<issuer>.pem`/`<issuer>.key`, with the extensions given. */
    async function issue(name: string, csr: string, issuer: string, ext: string, serial: string): Promise<void> {
      await writeFile(p(`${name}.cnf`), `[v3]\n${ext}`);
      await run('openssl', [
        'x509', '-req', '-in', p(`${csr}.csr`), '-CA', p(`${issuer}.pem`), '-CAkey', p(`${issuer}.key`), '-set_serial', serial, '-days', '30', '-sha256',
        '-extfile', p(`${name}.cnf`), '-extensions', 'v3', '-out', p(`${name}.pem`),
      ]);
    }

    /** A key and CSR `<name>.key`, `<name>.csr` for an issuing certificate. */
    async function caRequest(name: string, subject: string): Promise<void> {
      await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(`${name}.key`)]);
      await run('openssl', ['req', '-new', '-key', p(`${name}.key`), '-subj', subject, '-out', p(`${name}.csr`)]);
    }

    const ski = async (name: string): Promise<string> =>
      (await run('openssl', ['x509', '-in', p(`${name}.pem`), '-noout', '-ext', 'subjectKeyIdentifier'])).trim().split('\n').at(-1)!.trim();

    beforeAll(async () => {
      // A forged root: the real CA's subject and subject key identifier, the attacker's key.
      await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('forged-ca.key')]);
      await run('openssl', [
        'req', '-x509', '-new', '-key', p('forged-ca.key'), '-subj', '/CN=modelsign test CA', '-days', '30', '-sha256',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-addext', `subjectKeyIdentifier=${await ski('ca')}`,
        '-out', p('forged-ca.pem'),
      ]);
      await issue('forged-leaf', 'leaf', 'forged-ca', `${LEAF_EXT.replace('[v3]\n', '')}authorityKeyIdentifier=keyid\n`, '20');

      // An end-entity certificate (cA false, no keyUsage) used as the leaf's issuer.
      await caRequest('not-ca', '/CN=modelsign not a CA');
      await issue('not-ca', 'not-ca', 'ca', 'basicConstraints=critical,CA:FALSE\n', '21');
      await issue('under-not-ca', 'leaf', 'not-ca', LEAF_EXT.replace('[v3]\n', ''), '22');

      // A root allowing no intermediate CA below it, an intermediate CA anyway, and a leaf under that.
      await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('pathlen0-ca.key')]);
      await run('openssl', [
        'req', '-x509', '-new', '-key', p('pathlen0-ca.key'), '-subj', '/CN=modelsign pathlen 0 CA', '-days', '30', '-sha256',
        '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-out', p('pathlen0-ca.pem'),
      ]);
      await caRequest('int-under-pathlen0', '/CN=modelsign intermediate under pathlen 0');
      await issue('int-under-pathlen0', 'int-under-pathlen0', 'pathlen0-ca', CA_EXT, '23');
      await issue('under-pathlen0', 'leaf', 'int-under-pathlen0', LEAF_EXT.replace('[v3]\n', ''), '24');

      // A leaf with a critical extension nobody understands.
      await issue('critical-leaf', 'leaf', 'ca', `${LEAF_EXT.replace('[v3]\n', '')}1.2.3.4.5=critical,ASN1:UTF8String:x\n`, '25');
    });

    const cert = async (name: string): Promise<X509Certificate> => new X509Certificate(await readFile(p(`${name}.pem`)));

    async function expectUntrusted(model: string, sig: string, anchor: string, message: string): Promise<void> {
      const r = await verifyCert(model, sig, anchor);
      expectCode(r, 1);
      const report = parseReport(r);
      expect(report.verified).toBe(false);
      expect(report.error).toEqual({ code: 'CERT_UNTRUSTED', message });
      expect(report.checks).toContainEqual({ name: 'signature', ok: false, message });
      expect(report.files).toEqual([]);
      const text = await verifyCert(model, sig, anchor, false);
      expectCode(text, 1);
      expect(text.stderr).toContain(message);
    }

    it('a leaf issued by a forged root (the trusted root\'s subject and key identifier, another key) fails: the issuer\'s signature is checked', async () => {
      const [ca, forgedCa, forged] = await Promise.all([cert('ca'), cert('forged-ca'), cert('forged-leaf')]);
      // The forgery is good: by name and key identifier, the real root looks like the issuer.
      expect(forgedCa.subject).toBe(ca.subject);
      expect(await ski('forged-ca')).toBe(await ski('ca'));
      expect(forged.checkIssued(ca)).toBe(true);
      expect(forged.verify(forgedCa.publicKey)).toBe(true);
      expect(forged.verify(ca.publicKey)).toBe(false);

      const dir = await tempDir();
      const model = await makeModel(dir);
      const sig = join(dir, 'model.sig');
      expectCode(await runCli(['sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', p('forged-leaf.pem'), '--signature', sig]), 0);
      await expectUntrusted(model, sig, 'ca.pem', 'no trusted issuer for "CN=modelsign test leaf" (issued by "CN=modelsign test CA"): it is not signed by any given trust anchor or bundled intermediate');
      // The forged root in the bundle does not help: it is not the anchor, and it does not chain to it.
      const withForgedRoot = join(dir, 'with-forged-root.sig');
      await signWithLibrary(model, withForgedRoot, 'forged-leaf.pem', 'forged-ca.pem');
      await expectUntrusted(model, withForgedRoot, 'ca.pem', 'no trusted issuer for "CN=modelsign test CA" (issued by "CN=modelsign test CA"): it is not signed by any given trust anchor or bundled intermediate');
    });

    it('an issuer that is not a CA (basicConstraints cA false) fails, though its signature on the leaf holds', async () => {
      const [notCa, leaf] = await Promise.all([cert('not-ca'), cert('under-not-ca')]);
      expect(notCa.ca).toBe(false);
      expect(leaf.checkIssued(notCa) && leaf.verify(notCa.publicKey)).toBe(true);
      const dir = await tempDir();
      const model = await makeModel(dir);
      const sig = join(dir, 'model.sig');
      expectCode(
        await runCli(['sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', p('under-not-ca.pem'), '--certificate-chain', p('not-ca.pem'), '--signature', sig]),
        0,
      );
      await expectUntrusted(model, sig, 'ca.pem', 'issuer "CN=modelsign not a CA" is not a CA certificate (basicConstraints cA is not set)');
    });

    it('a root with pathlen:0 above an intermediate CA fails: the path length limit is enforced', async () => {
      const dir = await tempDir();
      const model = await makeModel(dir);
      const sig = join(dir, 'model.sig');
      expectCode(
        await runCli([
          'sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', p('under-pathlen0.pem'),
          '--certificate-chain', p('int-under-pathlen0.pem'), '--signature', sig,
        ]),
        0,
      );
      await expectUntrusted(model, sig, 'pathlen0-ca.pem', 'issuer "CN=modelsign pathlen 0 CA" allows 0 intermediate CA(s) below it, found 1');
      // OpenSSL, the reference's verifier, refuses it for the same reason.
      await expect(run('openssl', ['verify', '-CAfile', p('pathlen0-ca.pem'), '-untrusted', p('int-under-pathlen0.pem'), p('under-pathlen0.pem')])).rejects.toThrow(/path length constraint exceeded/);
      // Giving the intermediate too changes nothing: not self-signed, it is no trust anchor
      // (as in the reference), so the path still ends at the pathlen:0 root. (Before, a
      // given intermediate ended the path, and the signature verified; OpenSSL only accepts
      // that with -partial_chain, which the reference does not set.)
      const both = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', p('int-under-pathlen0.pem'), '--certificate-chain', p('pathlen0-ca.pem'), '--json']);
      expectCode(both, 1);
      expect(parseReport(both).error?.message).toBe('issuer "CN=modelsign pathlen 0 CA" allows 0 intermediate CA(s) below it, found 1');
      await expect(run('openssl', ['verify', '-CAfile', p('int-under-pathlen0.pem'), p('under-pathlen0.pem')])).rejects.toThrow(/unable to get issuer certificate/);
      await run('openssl', ['verify', '-partial_chain', '-CAfile', p('int-under-pathlen0.pem'), p('under-pathlen0.pem')]);
    });

    it('a self-signed signing certificate (no keyCertSign) given as the trust anchor verifies, as OpenSSL accepts it', async () => {
      const dir = await tempDir();
      const model = await makeModel(dir);
      const self = join(dir, 'self.pem');
      await run('openssl', ['req', '-x509', '-new', '-key', p('leaf.key'), '-subj', '/CN=modelsign self-signed signer', '-days', '2', '-sha256', '-addext', 'keyUsage=critical,digitalSignature', '-out', self]);
      const cert = new X509Certificate(await readFile(self));
      expect(cert.checkIssued(cert)).toBe(false); // Node's (OpenSSL's X509_check_issued) wants keyCertSign
      await run('openssl', ['verify', '-CAfile', self, self]);
      const sig = join(dir, 'model.sig');
      expectCode(await runCli(['sign', 'certificate', model, '--private-key', p('leaf.key'), '--signing-certificate', self, '--signature', sig]), 0);
      const ok = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', self, '--json']);
      expectCode(ok, 0);
      expect(parseReport(ok).signer).toMatchObject({ chain: ['CN=modelsign self-signed signer'] });
    });

    it('a leaf with an unknown critical extension fails', async () => {
      const dir = await tempDir();
      const model = await makeModel(dir);
      const sig = join(dir, 'model.sig');
      await signWithLibrary(model, sig, 'critical-leaf.pem', 'ca.pem'); // the CLI refuses to
      await expectUntrusted(model, sig, 'ca.pem', 'certificate "CN=modelsign test leaf" has an unsupported critical extension 1.2.3.4.5');
    });
  });
});

// =======================================================================================

describe('serializations and hash algorithms', () => {
  for (const method of ['files', 'shards'] as const) {
    for (const hash of ['sha256', 'blake2b', 'blake3'] as const) {
      it(`--method ${method} --hash-algorithm ${hash}`, async () => {
        const dir = await tempDir();
        const files = method === 'shards' ? SHARDS_MODEL : MODEL;
        const order = method === 'shards' ? SHARDS_ORDER : ORDER;
        const model = await makeModel(dir, files);
        const key = await ecKeyFiles(dir, 'P-256');
        const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', method, '--hash-algorithm', hash, '--shard-size', '7']);

        const { statement, payloadText } = await readBundle(sig);
        const s = statement.predicate.serialization;
        expect(s.method).toBe(method);
        expect(s.hash_type).toBe(hash);
        expect(s.allow_symlinks).toBe(false);
        expect([...(s.ignore_paths ?? [])].sort()).toEqual(GIT_PATHS);
        if (method === 'shards') {
          expect(s.shard_size).toBe(7);
          // The reference writes shard_size as a float.
          expect(payloadText).toContain('"shard_size": 7.0');
        } else {
          expect(s).not.toHaveProperty('shard_size');
        }

        const expected = await expectedResources(files, order, method, hash);
        expect(statement.predicate.resources).toEqual(expected);
        if (method === 'files') {
          expect(expected.find((r) => r.name === 'abc.txt')!.digest).toBe(ABC[hash]);
        } else {
          // Files were split (weights.bin: 36 bytes -> 6 shards); empty.txt gives none.
          expect(expected.filter((r) => r.name.startsWith('weights.bin:')).map((r) => r.name)).toEqual([
            'weights.bin:0:7', 'weights.bin:7:14', 'weights.bin:14:21', 'weights.bin:21:28', 'weights.bin:28:35', 'weights.bin:35:36',
          ]);
          expect(expected.find((r) => r.name === 'abc.txt:0:3')!.digest).toBe(ABC[hash]);
        }
        const root = rootOf(expected.map((r) => r.digest));
        expect(statement.subject).toEqual([{ name: 'model', digest: { sha256: root } }]);

        const r = await verifyKey(model, key, sig);
        expectCode(r, 0);
        const report = parseReport(r);
        expect(report.verified).toBe(true);
        expect(report.rootDigest).toBe(`sha256:${root}`);
        expect(report.serialization).toMatchObject({ method, hashType: hash, ...(method === 'shards' ? { shardSize: 7 } : {}) });
        expect(report.files.map((f) => [f.name, f.status, f.actual])).toEqual(expected.map((e) => [e.name, 'ok', `${hash}:${e.digest}`]));
        expect(report.summary).toEqual({ ok: expected.length, changed: 0, missing: 0, extra: 0, ignored: 0 });
      });
    }
  }

  it('an empty file under --method shards has no shard and still verifies (the reference re-hashes to the same manifest)', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, MODEL); // includes empty.txt
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '7']);
    const { statement } = await readBundle(sig);
    const expected = await expectedResources(MODEL, ORDER, 'shards', 'sha256');
    expect(expected.some((r) => r.name.startsWith('empty.txt'))).toBe(false);
    expect(statement.predicate.resources).toEqual(expected);

    const r = await verifyKey(model, key, sig);
    const report = parseReport(r);
    // The empty file is neither signed nor unsigned content: it must not count as extra.
    expect(report.files.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(report.verified).toBe(true);
    expectCode(r, 0);
  });

  it('the library signs and verifies the same manifest the CLI does', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, SHARDS_MODEL);
    const key = await ecKeyFiles(dir, 'P-384');
    const cliSig = await signKey(model, key, join(dir, 'cli.sig'), ['--method', 'shards', '--hash-algorithm', 'blake3', '--shard-size', '7']);
    const cli = await readBundle(cliSig);

    const source = await LocalModelSource.open(model);
    const { manifest } = await hashModel(source, { method: 'shards', hashAlgorithm: 'blake3', shardSize: 7 });
    const privateKey = loadPrivateKey(await readFile(key.privatePath), undefined, key.privatePath);
    const publicKey = loadPublicKey(await readFile(key.publicPath), key.publicPath);
    const bundle = signManifest(manifest, keySigner(privateKey));
    const libDoc = JSON.parse(bundle.toString('utf8')) as Decoded['bundle'];
    // ECDSA signatures are randomized, but the signed payload is the same bytes.
    expect(libDoc.dsseEnvelope.payload).toBe(cli.bundle.dsseEnvelope.payload);
    expect(libDoc.verificationMaterial).toEqual(cli.bundle.verificationMaterial);

    const report = await verifyModel({ source, bundle, verifier: keyVerifier(publicKey) });
    expect(report.verified).toBe(true);
    expect(report.rootDigest).toBe(`sha256:${cli.statement.subject[0]!.digest.sha256}`);
    // The CLI verifies the library's bundle too.
    const libSig = join(dir, 'lib.sig');
    await writeFile(libSig, bundle);
    expectCode(await verifyKey(model, key, libSig), 0);

    // Library tampering check: a changed byte is reported by shard name.
    await writeFile(join(model, 'weights.bin'), MODEL['weights.bin']!.replace('h', 'H'));
    const bad = await verifyModel({ source, bundle, verifier: keyVerifier(publicKey) });
    expect(bad.verified).toBe(false);
    expect(bad.files.filter((f) => f.status === 'changed').map((f) => f.name)).toEqual(['weights.bin:7:14']);
    expect(bad.error?.code).toBe('MODEL_MISMATCH');
  });
});

// =======================================================================================

describe('an empty model', () => {
  it('signs as the reference does (the spec would refuse it), with a warning; verifies; a file added later is extra', async () => {
    const dir = await tempDir();
    const model = join(dir, 'model');
    await mkdir(model);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = join(dir, 'model.sig');
    const signed = await runCli(['sign', 'key', model, '--private-key', key.privatePath, '--signature', sig, '--json']);
    expectCode(signed, 0);
    const warning = `${model} has nothing to hash (no files after the ignore rules): the root digest is that of nothing`;
    // The same keys whatever happened, as `attach --json` has them: notes only come from a registry.
    expect(JSON.parse(signed.stdout)).toMatchObject({ resources: 0, rootDigest: `sha256:${createHash('sha256').digest('hex')}`, warnings: [warning], notes: [] });
    expect(signed.stderr).toBe(`warning: ${warning}\n`);
    // Only ignored files count as nothing too.
    await writeTree(model, { '.git/HEAD': 'ref\n' });
    const digest = await runCli(['digest', model, '--method', 'shards']);
    expect(digest.stderr).toBe(`warning: ${warning.replace('no files', 'no files with content')}\n`);
    const verified = parseReport(await verifyKey(model, key, sig));
    expect(verified.verified).toBe(true);
    await writeTree(model, { 'weights.bin': 'w' });
    const changed = parseReport(await verifyKey(model, key, sig));
    expect(changed.verified).toBe(false);
    expect(changed.files.filter((f) => f.status !== 'ignored')).toEqual([expect.objectContaining({ name: 'weights.bin', status: 'extra' })]);
  });
});

describe('single-file model', () => {
  const CONTENT = 'single file model bytes'; // 23 bytes

  it('names the resource "." (files) and verifies', async () => {
    const dir = await tempDir();
    const file = join(dir, 'model.bin');
    await writeFile(file, CONTENT);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(file, key, join(dir, 'model.sig'));
    const { statement } = await readBundle(sig);
    const d = sha256(CONTENT);
    expect(statement.predicate.resources).toEqual([{ name: '.', algorithm: 'sha256', digest: d }]);
    expect(statement.subject).toEqual([{ name: 'model.bin', digest: { sha256: rootOf([d]) } }]);
    expect(statement.predicate.serialization).not.toHaveProperty('ignore_paths');

    const r = await verifyKey(file, key, sig);
    expectCode(r, 0);
    const report = parseReport(r);
    expect(report.verified).toBe(true);
    expect(report.files).toEqual([{ name: '.', status: 'ok', expected: `sha256:${d}`, actual: `sha256:${d}` }]);

    await writeFile(file, CONTENT.toUpperCase());
    const bad = await verifyKey(file, key, sig);
    expectCode(bad, 1);
    const badReport = parseReport(bad);
    expect(badReport.files).toEqual([{ name: '.', status: 'changed', expected: `sha256:${d}`, actual: `sha256:${sha256(CONTENT.toUpperCase())}` }]);
  });

  it('a statement naming the one file twice, as "." and by its basename, fails (STATEMENT_INVALID) as it would for a directory', async () => {
    const dir = await tempDir();
    const file = join(dir, 'model.bin');
    await writeFile(file, CONTENT);
    const key = await ecKeyFiles(dir, 'P-256');
    const d = sha256(CONTENT);
    const resources = [
      { name: '.', algorithm: 'sha256', digest: d },
      { name: 'model.bin', algorithm: 'sha256', digest: d },
    ];
    const manifest = { modelName: 'model.bin', serialization: { method: 'files' as const, hashType: 'sha256' as const, allowSymlinks: false }, resources, rootDigest: rootDigest(resources) };
    const sig = join(dir, 'model.sig');
    await writeFile(sig, signManifest(manifest, keySigner(loadPrivateKey(await readFile(key.privatePath), undefined, 'key'))));
    const r = await verifyKey(file, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.error?.code).toBe('STATEMENT_INVALID');
    expect(report.error?.message).toContain('names the model\'s one file twice');
    expect(report.checks).toContainEqual(expect.objectContaining({ name: 'model', ok: false }));
  });

  it('a directory holding only that file verifies with its "." signature, the report naming the file; one holding another file too does not', async () => {
    const dir = await tempDir();
    const file = join(dir, 'model.bin');
    await writeFile(file, CONTENT);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(file, key, join(dir, 'model.sig'));
    const shardsSig = await signKey(file, key, join(dir, 'shards.sig'), ['--method', 'shards', '--shard-size', '10']);
    const tree = join(dir, 'tree');
    await mkdir(tree);
    await writeFile(join(tree, 'renamed.bin'), CONTENT);
    const d = sha256(CONTENT);
    const r = await verifyKey(tree, key, sig);
    expectCode(r, 0);
    expect(parseReport(r).files).toEqual([{ name: 'renamed.bin', status: 'ok', expected: `sha256:${d}`, actual: `sha256:${d}` }]);
    const shards = await verifyKey(tree, key, shardsSig);
    expectCode(shards, 0);
    expect(parseReport(shards).files.map((f) => f.name)).toEqual(['renamed.bin:0:10', 'renamed.bin:10:20', 'renamed.bin:20:23']);
    await writeFile(join(tree, 'renamed.bin'), CONTENT.toUpperCase());
    expect(parseReport(await verifyKey(tree, key, sig)).files).toEqual([expect.objectContaining({ name: 'renamed.bin', status: 'changed' })]);
    await writeFile(join(tree, 'renamed.bin'), CONTENT);
    await writeFile(join(tree, 'other.bin'), 'x');
    const two = await verifyKey(tree, key, sig);
    expectCode(two, 1);
    expect(parseReport(two).files.map((f) => [f.name, f.status]).sort()).toEqual([['.', 'missing'], ['other.bin', 'extra'], ['renamed.bin', 'extra']]);
  });

  it('names shards ".:start:end" (shards) and verifies', async () => {
    const dir = await tempDir();
    const file = join(dir, 'model.bin');
    await writeFile(file, CONTENT);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(file, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '10']);
    const { statement } = await readBundle(sig);
    expect(statement.predicate.resources.map((r) => r.name)).toEqual(['.:0:10', '.:10:20', '.:20:23']);
    expect(statement.predicate.resources.map((r) => r.digest)).toEqual([
      sha256(CONTENT.slice(0, 10)),
      sha256(CONTENT.slice(10, 20)),
      sha256(CONTENT.slice(20)),
    ]);
    expectCode(await verifyKey(file, key, sig), 0);
  });

  it('file names with a line terminator (\\n, \\r, U+2028, U+2029) round-trip under shards as under files, the statement as the reference writes it', async () => {
    // Before, a shard name was split by a regex whose `.` stops at line terminators: verify refused these as STATEMENT_INVALID.
    const files: Record<string, string> = {
      'a\nnewline.bin': 'abcdefghij',
      'b\rreturn.bin': 'klmnop',
      'c\u2028line.bin': 'qrstuvwxyz0',
      'd\u2029paragraph.bin': 'x',
      'plain.bin': 'plain',
    };
    const order = Object.keys(files); // already the reference's order
    for (const method of ['shards', 'files'] as const) {
      const dir = await tempDir();
      const model = await makeModel(dir, files);
      const key = await ecKeyFiles(dir, 'P-256');
      const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', method, '--shard-size', '7']);
      const { statement, payloadText } = await readBundle(sig);
      const expected = await expectedResources(files, order, method, 'sha256');
      expect(statement.predicate.resources, method).toEqual(expected);
      if (method === 'shards') {
        expect(expected.map((r) => r.name)).toContain('c\u2028line.bin:7:11');
        // json.dumps escapes them so: \n and \r by name, the separators as \uXXXX.
        for (const name of ['a\\nnewline.bin:0:7', 'b\\rreturn.bin:0:6', 'c\\u2028line.bin:7:11', 'd\\u2029paragraph.bin:0:1']) expect(payloadText).toContain(`"name": "${name}"`);
      }
      const r = await verifyKey(model, key, sig);
      expectCode(r, 0);
      const report = parseReport(r);
      expect(report.files.map((f) => [f.name, f.status])).toEqual(expected.map((e) => [e.name, 'ok']));
    }
  });
});

// =======================================================================================

describe('tampering after signing', () => {
  async function signed(): Promise<{ dir: string; model: string; key: KeyFiles; sig: string; root: string; expected: ExpectedResource[] }> {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'));
    const expected = await expectedResources(MODEL, ORDER, 'files', 'sha256');
    return { dir, model, key, sig, expected, root: rootOf(expected.map((r) => r.digest)) };
  }

  it('a changed file fails with status "changed" and both digests', async () => {
    const { model, key, sig, root, expected } = await signed();
    const changed = '{"layers":3}';
    await writeFile(join(model, 'config.json'), changed);

    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.method).toBe('key');
    expect(report.signer).toEqual({ method: 'key', keyHint: sha256(key.publicPem), legacyKeyMaterial: false });
    expect(report.rootDigest).toBe(`sha256:${root}`);
    expect(fileStatus(report, 'config.json')).toEqual({
      name: 'config.json',
      status: 'changed',
      expected: `sha256:${sha256(MODEL['config.json']!)}`,
      actual: `sha256:${sha256(changed)}`,
    });
    expect(report.files.filter((f) => f.status !== 'ok').map((f) => f.name)).toEqual(['config.json']);
    expect(report.summary).toEqual({ ok: expected.length - 1, changed: 1, missing: 0, extra: 0, ignored: 0 });
    expect(report.checks.at(-1)).toEqual({ name: 'model', ok: false, message: '1 changed, 0 missing, 0 extra' });
    expect(report.error?.code).toBe('MODEL_MISMATCH');

    // Text mode names the file on stderr.
    const text = await runCli(['verify', 'key', model, '--public-key', key.publicPath, '--signature', sig]);
    expectCode(text, 1);
    expect(text.stderr).toContain('config.json');
  });

  it('a file that grew is reported changed under --method shards', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, SHARDS_MODEL);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '7']);
    await writeFile(join(model, 'weights.bin'), `${MODEL['weights.bin']}xyz`);
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(fileStatus(report, 'weights.bin:0:7')?.status).toBe('ok');
    // The signed last shard is gone, and a longer one stands in its place: both are named.
    const size = MODEL['weights.bin']!.length;
    expect(size).toBe(36);
    expect(report.files.filter((f) => f.status !== 'ok')).toEqual([
      { name: 'weights.bin:35:36', status: 'changed', expected: `sha256:${sha256(MODEL['weights.bin']!.slice(35))}`, note: 'the file size differs from the signed one' },
      { name: 'weights.bin:35:39', status: 'changed', actual: `sha256:${sha256(`${MODEL['weights.bin']!.slice(35)}xyz`)}`, note: 'the file size differs from the signed one' },
    ]);
    expect(report.summary.changed).toBe(2);
    expect(report.summary.extra + report.summary.missing).toBe(0);
  });

  it('a file that grew by whole shards under --method shards fails, naming the new shard (the signed ones still match)', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { 'w.bin': '0123456789abcdef' });
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '8']);
    expectCode(await verifyKey(model, key, sig), 0);
    await writeFile(join(model, 'w.bin'), '0123456789abcdefEVILEVIL');
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('MODEL_MISMATCH');
    expect(report.files).toEqual([
      { name: 'w.bin:0:8', status: 'ok', expected: `sha256:${sha256('01234567')}`, actual: `sha256:${sha256('01234567')}` },
      { name: 'w.bin:8:16', status: 'ok', expected: `sha256:${sha256('89abcdef')}`, actual: `sha256:${sha256('89abcdef')}` },
      { name: 'w.bin:16:24', status: 'changed', actual: `sha256:${sha256('EVILEVIL')}`, note: 'the file size differs from the signed one' },
    ]);
    expect(report.summary).toEqual({ ok: 2, changed: 1, missing: 0, extra: 0, ignored: 0 });
    const text = await runCli(['verify', 'key', model, '--public-key', key.publicPath, '--signature', sig]);
    expectCode(text, 1);
    expect(text.stderr).toMatch(/\n {2}changed +w\.bin:16:24 /);
  });

  it('a file grown by far more shards than were signed fails by its size, unread: its signed shards are named changed, not each new one hashed', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { 'w.bin': '0123456789abcdef01234567' });
    const key = await ecKeyFiles(dir, 'P-256');
    // The reference's own tests use shards of 8 bytes; 1 MiB more makes 131,072 new ones.
    const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '8']);
    await truncate(join(model, 'w.bin'), 1024 * 1024);
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    const note = 'the file size differs from the signed one';
    expect(report.files).toEqual(['01234567', '89abcdef', '01234567'].map((bytes, i) => ({ name: `w.bin:${8 * i}:${8 * i + 8}`, status: 'changed', expected: `sha256:${sha256(bytes)}`, note })));
    expect(report.summary).toEqual({ ok: 0, changed: 3, missing: 0, extra: 0, ignored: 0 });
  });

  it('a signed file excluded by the verifier\'s --ignore-paths is missing, not ignored: changing it and ignoring it fails', async () => {
    const { model, key, sig, expected } = await signed();
    await writeFile(join(model, 'weights.bin'), 'tampered weights');
    for (const ignore of [join(model, 'weights.bin'), join(model, 'nested')]) {
      const r = await verifyKey(model, key, sig, ['--ignore-paths', ignore]);
      expectCode(r, 1);
      const report = parseReport(r);
      expect(report.verified).toBe(false);
      expect(report.error?.code).toBe('MODEL_MISMATCH');
      const excluded = ignore.endsWith('weights.bin') ? ['weights.bin'] : ['nested/dir/tokenizer.txt'];
      for (const name of excluded) {
        expect(fileStatus(report, name), ignore).toEqual({
          name,
          status: 'missing',
          expected: `sha256:${sha256(MODEL[name]!)}`,
          note: 'present but excluded by the ignore paths',
        });
      }
      expect(report.summary.missing, ignore).toBe(1);
      // Ignoring only nested/ leaves the tampered weights.bin checked, and changed.
      if (!ignore.endsWith('weights.bin')) expect(fileStatus(report, 'weights.bin')?.status).toBe('changed');
      expect(report.summary.ok, ignore).toBe(expected.length - (ignore.endsWith('weights.bin') ? 1 : 2));
    }
  });

  it('an extra file fails with status "extra", and passes with --ignore-unsigned-files as "ignored"', async () => {
    const { model, key, sig, root, expected } = await signed();
    await writeFile(join(model, 'nested', 'added.bin'), 'not signed');

    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(fileStatus(report, 'nested/added.bin')).toMatchObject({ name: 'nested/added.bin', status: 'extra' });
    expect(report.summary).toEqual({ ok: expected.length, changed: 0, missing: 0, extra: 1, ignored: 0 });
    expect(report.error?.code).toBe('MODEL_MISMATCH');

    const ok = await verifyKey(model, key, sig, ['--ignore-unsigned-files']);
    expectCode(ok, 0);
    const okReport = parseReport(ok);
    expect(okReport.verified).toBe(true);
    expect(okReport.rootDigest).toBe(`sha256:${root}`);
    expect(fileStatus(okReport, 'nested/added.bin')).toMatchObject({ name: 'nested/added.bin', status: 'ignored' });
    expect(okReport.summary).toEqual({ ok: expected.length, changed: 0, missing: 0, extra: 0, ignored: 1 });

    // --ignore-unsigned-files does not excuse a changed file.
    await writeFile(join(model, 'abc.txt'), 'abd');
    const stillBad = await verifyKey(model, key, sig, ['--ignore-unsigned-files']);
    expectCode(stillBad, 1);
    expect(fileStatus(parseReport(stillBad), 'abc.txt')?.status).toBe('changed');
  });

  it('a missing file fails with status "missing"', async () => {
    const { model, key, sig, expected } = await signed();
    await unlink(join(model, 'nested', 'dir', 'tokenizer.txt'));
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(report.verified).toBe(false);
    expect(fileStatus(report, 'nested/dir/tokenizer.txt')).toMatchObject({
      name: 'nested/dir/tokenizer.txt',
      status: 'missing',
      expected: `sha256:${sha256(MODEL['nested/dir/tokenizer.txt']!)}`,
    });
    expect(fileStatus(report, 'nested/dir/tokenizer.txt')?.actual).toBeUndefined();
    expect(report.summary).toEqual({ ok: expected.length - 1, changed: 0, missing: 1, extra: 0, ignored: 0 });
  });

  it('a file renamed is both missing and extra', async () => {
    const { model, key, sig } = await signed();
    await writeFile(join(model, 'abc2.txt'), 'abc');
    await unlink(join(model, 'abc.txt'));
    const r = await verifyKey(model, key, sig);
    expectCode(r, 1);
    const report = parseReport(r);
    expect(fileStatus(report, 'abc.txt')?.status).toBe('missing');
    expect(fileStatus(report, 'abc2.txt')?.status).toBe('extra');
    expect(report.summary).toMatchObject({ changed: 0, missing: 1, extra: 1 });
  });
});

// =======================================================================================

describe('signature placement and ignore paths', () => {
  it('excludes a signature file inside the model automatically', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(model, 'model.sig'));
    const { statement } = await readBundle(sig);
    expect(statement.predicate.resources.map((r) => r.name)).toEqual(ORDER);
    // As the reference does, the signature path is recorded among the ignore paths.
    expect([...statement.predicate.serialization.ignore_paths!].sort()).toEqual([...GIT_PATHS, 'model.sig'].sort());

    const r = await verifyKey(model, key, sig);
    expectCode(r, 0);
    const report = parseReport(r);
    expect(report.verified).toBe(true);
    expect(report.summary.extra).toBe(0);
    expect(report.files.some((f) => f.name === 'model.sig' && f.status !== 'ignored')).toBe(false);

    // Re-signing in place (the old bundle now sits in the model) gives the same payload.
    const before = (await readBundle(sig)).bundle.dsseEnvelope.payload;
    await signKey(model, key, join(model, 'model.sig'));
    expect((await readBundle(sig)).bundle.dsseEnvelope.payload).toBe(before);
  });

  it('--ignore-paths is relative to the current directory and is recorded', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { ...MODEL, 'skip.bin': 'skip me', 'cache/blob': 'cached' });
    await writeFile(join(dir, 'outside.txt'), 'not in the model');
    const key = await ecKeyFiles(dir, 'P-256');

    // One value per flag, as model_signing's click option takes them.
    await signKey('model', key, 'model.sig', ['--ignore-paths', 'model/skip.bin', '--ignore-paths', 'model/cache', '--ignore-paths', 'outside.txt'], dir);
    const { statement } = await readBundle(join(dir, 'model.sig'));
    expect(statement.predicate.resources.map((r) => r.name)).toEqual(ORDER);
    // Only paths inside the model are recorded, relative to the model root.
    expect([...statement.predicate.serialization.ignore_paths!].sort()).toEqual([...GIT_PATHS, 'cache', 'skip.bin'].sort());

    // Verification applies the recorded ignore paths: changing an ignored file is fine.
    await writeFile(join(model, 'skip.bin'), 'changed but ignored');
    const r = await verifyKey('model', key, 'model.sig', [], dir);
    expectCode(r, 0);
    const report = parseReport(r);
    expect(report.verified).toBe(true);
    expect(fileStatus(report, 'skip.bin')?.status).toBe('ignored');
    expect(fileStatus(report, 'cache')?.status).toBe('ignored');

    // A bare name is resolved against the current directory, not the model root: it does
    // not match model/skip.bin, which is then signed.
    await signKey('model', key, 'bare.sig', ['--ignore-paths', 'skip.bin'], dir);
    const bare = await readBundle(join(dir, 'bare.sig'));
    expect(bare.statement.predicate.resources.map((r) => r.name)).toContain('skip.bin');
    expect(bare.statement.predicate.serialization.ignore_paths).not.toContain('skip.bin');

    // Absolute paths work too.
    await signKey(model, key, join(dir, 'abs.sig'), ['--ignore-paths', join(model, 'skip.bin')]);
    const abs = await readBundle(join(dir, 'abs.sig'));
    expect(abs.statement.predicate.resources.map((r) => r.name)).not.toContain('skip.bin');
    expect(abs.statement.predicate.serialization.ignore_paths).toContain('skip.bin');
  });

  it('library ignorePaths are relative to the model root', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { ...MODEL, 'skip.bin': 'skip me' });
    const source = await LocalModelSource.open(model);
    const { manifest, listing } = await hashModel(source, { ignorePaths: ['skip.bin'] });
    expect(manifest.resources.map((r) => r.name)).toEqual(ORDER);
    expect(manifest.serialization.ignorePaths).toEqual([...GIT_PATHS, 'skip.bin'].sort());
    expect(listing.ignored).toEqual(['skip.bin']);
  });

  it('writes model.sig in the current directory by default', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const r = await runCli(['sign', 'key', 'model', '--private-key', key.privatePath], { cwd: dir });
    expectCode(r, 0);
    expect(r.stdout).toContain('model.sig');
    await access(join(dir, 'model.sig'));
    await expect(access(join(model, 'model.sig'))).rejects.toThrow();
    const { statement } = await readBundle(join(dir, 'model.sig'));
    expect(statement.subject[0]!.name).toBe(basename(model));
    expectCode(await verifyKey('model', key, 'model.sig', [], dir), 0);
  });

  it('signing "." from inside the model puts the default model.sig in the model and excludes it', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir);
    const key = await ecKeyFiles(dir, 'P-256');
    const r = await runCli(['sign', 'key', '.', '--private-key', key.privatePath], { cwd: model });
    expectCode(r, 0);
    const { statement } = await readBundle(join(model, 'model.sig'));
    expect(statement.predicate.resources.map((x) => x.name)).toEqual(ORDER);
    const v = await verifyKey('.', key, 'model.sig', [], model);
    expectCode(v, 0);
    expect(parseReport(v).summary.extra).toBe(0);
  });
});

describe('several signatures for one model', () => {
  it('checks sharing one digest memo and one listing map list the model once and read each byte once, even from a streaming source', async () => {
    const dir = await tempDir();
    const files = { 'a.bin': 'a'.repeat(5000), 'b/c.txt': 'see', 'd.bin': 'd'.repeat(70000) };
    await writeTree(dir, files);
    const total = Object.values(files).reduce((n, s) => n + s.length, 0);
    const local = await LocalModelSource.open(dir);
    // The same files with no local path, so every byte comes through read().
    let bytesRead = 0;
    let listings = 0;
    const streaming: ModelSource = {
      location: local.location,
      modelName: local.modelName,
      singleFile: false,
      list: async (options) => {
        listings += 1;
        const listing = await local.list(options);
        return { ...listing, files: listing.files.map(({ name, size }) => ({ name, size })) };
      },
      read: async function* (file, start, end) {
        for await (const chunk of local.read(file, start, end)) {
          bytesRead += chunk.length;
          yield chunk;
        }
      },
    };
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signer = keySigner(loadPrivateKey(Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })), undefined, 'key.pem'));
    const verifier = keyVerifier(loadPublicKey(Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })), 'key.pub.pem'));
    const { manifest } = await hashModel(streaming);
    expect(bytesRead).toBe(total);
    // A genuine signature by the same key over other content for a.bin.
    const resources = manifest.resources.map((r) => (r.name === 'a.bin' ? { ...r, digest: sha256('older') } : r));
    const other = signManifest({ ...manifest, resources, rootDigest: rootDigest(resources) }, signer);
    const good = signManifest(manifest, signer);

    bytesRead = 0;
    listings = 0;
    const memo = new Map<string, string>();
    const listed = new Map<string, ModelListing>();
    const first = await verifyModel({ source: streaming, bundle: other, verifier, memo, listings: listed });
    expect(first.verified).toBe(false);
    expect(first.files.filter((f) => f.status !== 'ok').map((f) => f.name)).toEqual(['a.bin']);
    expect(bytesRead).toBe(total);
    const second = await verifyModel({ source: streaming, bundle: good, verifier, memo, listings: listed });
    expect(second.verified).toBe(true);
    expect(bytesRead).toBe(total);
    expect(listings).toBe(1);
    // A check under other listing rules lists again (its own key), still reading nothing twice.
    expect((await verifyModel({ source: streaming, bundle: good, verifier, memo, listings: listed, ignorePaths: ['not-there.txt'] })).verified).toBe(true);
    expect([listings, bytesRead]).toEqual([2, total]);
    // The control: without the memo and the map the model is listed and read again.
    expect((await verifyModel({ source: streaming, bundle: good, verifier })).verified).toBe(true);
    expect([listings, bytesRead]).toEqual([3, 2 * total]);
  });
});

// =======================================================================================

describe('report wording', () => {
  it('sign counts resources in the right number: `1 resource`, `3 resources`', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { 'a.bin': 'a', 'b.bin': 'b', 'c.bin': 'c' });
    const key = await ecKeyFiles(dir, 'P-256');
    // Before: `(1 resources, root ...)`.
    const one = await runCli(['sign', 'key', join(model, 'a.bin'), '--private-key', key.privatePath, '--signature', join(dir, 'a.sig')]);
    expectCode(one, 0);
    expect(one.stdout).toMatch(/^Signed .*a\.bin \(1 resource, root sha256:[0-9a-f]{64}\)\n/);
    const three = await runCli(['sign', 'key', model, '--private-key', key.privatePath, '--signature', join(dir, 'm.sig')]);
    expect(three.stdout).toMatch(/^Signed .*model \(3 resources, root sha256:[0-9a-f]{64}\)\n/);
  });

  it('under --method shards the counts say shards for what is signed and files for what is extra or ignored', async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { 'weights.bin': 'x'.repeat(10), 'config.json': '{}' });
    const key = await ecKeyFiles(dir, 'P-256');
    const sig = await signKey(model, key, join(dir, 'model.sig'), ['--method', 'shards', '--shard-size', '4']);
    // Before: `files: 4 ok, ...` for 2 files (3 shards of weights.bin, 1 of config.json).
    const verifyText = (signature: string) => runCli(['verify', 'key', model, '--public-key', key.publicPath, '--signature', signature]);
    const ok = await verifyText(sig);
    expectCode(ok, 0);
    expect(ok.stdout).toContain('\n  shards: 4 ok, 0 changed, 0 missing; files: 0 extra, 0 ignored\n');
    await writeFile(join(model, 'new.txt'), 'unsigned');
    const extra = await verifyText(sig);
    expectCode(extra, 1);
    expect(extra.stderr).toContain('\n  shards: 4 ok, 0 changed, 0 missing; files: 1 extra, 0 ignored\n');
    // The files method keeps its one line.
    const files = await signKey(model, key, join(dir, 'files.sig'));
    expect((await verifyText(files)).stdout).toContain('\n  files: 3 ok, 0 changed, 0 missing, 0 extra, 0 ignored\n');
  });

  it("a model in an OCI layout says its content addresses come from the layout's bytes, not a registry client", async () => {
    const dir = await tempDir();
    const model = await makeModel(dir, { 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
    const key = await ecKeyFiles(dir, 'P-256');
    // A layout with one tar+gzip layer holding the two files, made by hand.
    const layout = join(dir, 'layout');
    await mkdir(join(layout, 'blobs/sha256'), { recursive: true });
    await run('tar', ['-czf', join(dir, 'layer.tgz'), '-C', model, 'a.txt', 'b.txt']);
    const blob = async (bytes: Buffer): Promise<{ digest: string; size: number }> => {
      await writeFile(join(layout, 'blobs/sha256', sha256(bytes)), bytes);
      return { digest: `sha256:${sha256(bytes)}`, size: bytes.length };
    };
    const layer = await blob(await readFile(join(dir, 'layer.tgz')));
    const config = await blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } })));
    const manifest = await blob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
        }),
      ),
    );
    await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      join(layout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] }),
    );
    const sig = await signKey(model, key, join(dir, 'model.sig'));
    const r = await runCli(['verify', 'key', `oci-layout:${layout}:v1`, '--public-key', key.publicPath, '--signature', sig]);
    expectCode(r, 0);
    // Before: `(digests the registry client checked against the bytes, ...)`.
    expect(r.stdout).toContain("\n  2 file(s) checked by content address (digests computed from the layout's bytes as its layers were read, equal to the signed ones); --full reads every byte\n");
  });
});
