/**
 * Bad and hostile input: malformed or hostile signature files, unusable keys, broken model
 * trees and bad flags. Every case checks the exit code, that the error names the problem,
 * and that nothing was written (no signature, no temporary file, the tree unchanged).
 */
import { execFile } from 'node:child_process';
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, IN_TOTO_PAYLOAD_TYPE, MAX_BUNDLE_BYTES, MAX_CHAIN_CERTIFICATES, buildBundle, keySigner, keyVerifier, legacyPae, normalizeRelative, pae, parseBundle, parseStatement, publicKeyHint, readSmallFile, signManifest, type Manifest } from '../dist/src/engine.js';
import { CLI, KEYS, ROOT, SCRIPT_TESTS, SPEC_VECTORS, randomSequence, run, runCli, runCliToFullDisk, tempDir, writeTree, type CliResult } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** OMS root digest, computed here independently: SHA-256 over the raw bytes of each digest, in order. */
function omsRoot(digests: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of digests) h.update(Buffer.from(d, 'hex'));
  return h.digest('hex');
}

/**
 * Every entry below root (without following links), with a fingerprint of its content, so a
 * test can show that a failed command created, changed or removed nothing. FIFOs are not read.
 */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  // Names are read as bytes, so a name that is not UTF-8 is found too.
  const walk = async (dir: Buffer, rel: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true, encoding: 'buffer' })) {
      const name = rel ? `${rel}/${e.name.toString('latin1')}` : e.name.toString('latin1');
      const path = Buffer.concat([dir, Buffer.from('/'), e.name]);
      if (e.isSymbolicLink()) out[name] = `link:${await readlink(path)}`;
      else if (e.isDirectory()) {
        out[name] = 'dir';
        await walk(path, name);
      } else if (e.isFile()) out[name] = `file:${sha256(await readFile(path))}`;
      else out[name] = 'special';
    }
  };
  await walk(Buffer.from(root), '');
  return out;
}

/** What a test may give the CLI besides its arguments: environment variables, standard input. */
type RunOptions = { env?: NodeJS.ProcessEnv; input?: string };

/** Runs a CLI command in `cwd` and checks that the tree below `cwd` is exactly as before. */
async function runWritingNothing(args: readonly string[], cwd: string, options: RunOptions = {}): Promise<CliResult> {
  const before = await snapshot(cwd);
  const result = await runCli(args, { cwd, ...options });
  expect(await snapshot(cwd), `the failed command changed files below ${cwd}`).toEqual(before);
  return result;
}

interface Report {
  verified: boolean;
  checks: { name: string; ok: boolean; message?: string }[];
  files: { name: string; status: string }[];
  error?: { code: string; message: string };
  warnings?: string[];
}

function parseReport(result: CliResult): Report {
  try {
    return JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`verify --json did not print a JSON report: code ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

interface Keys {
  dir: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM files of the P-256 test key. */
  priv: string;
  pub: string;
}

let keys: Keys;
let keysDir: string;

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'modelsign-bad-input-keys-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const priv = join(keysDir, 'ec-priv.pem');
  const pub = join(keysDir, 'ec-pub.pem');
  await writeFile(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  keys = { dir: keysDir, privateKey, publicKey, priv, pub };
});

afterAll(async () => {
  if (keysDir) await rm(keysDir, { recursive: true, force: true });
});

const WEIGHTS = 'weights of a tiny model\n';
const CONFIG = '{"layers": 2}\n';

/** A work directory holding a tiny model at `<dir>/model`. */
async function workDir(extra: Record<string, string> = {}): Promise<{ dir: string; model: string }> {
  const dir = await tempDir('modelsign-bad-input-');
  const model = join(dir, 'model');
  await writeTree(model, { 'weights.bin': WEIGHTS, 'config.json': CONFIG, ...extra });
  return { dir, model };
}

/** Signs the model with the CLI (P-256 test key); the bundle goes to `<dir>/model.sig`. */
async function signModel(dir: string, model: string): Promise<string> {
  const sig = join(dir, 'model.sig');
  const r = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', sig], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return sig;
}

const verifyArgs = (model: string, sig: string, pub = keys.pub): string[] => ['verify', 'key', model, '--signature', sig, '--public-key', pub];

/** Verify in JSON and text mode; both must leave the tree untouched. */
async function verifyBoth(dir: string, model: string, sig: string): Promise<{ json: CliResult; report: Report; text: CliResult }> {
  const before = await snapshot(dir);
  const [json, text] = await Promise.all([
    runCli([...verifyArgs(model, sig), '--json'], { cwd: dir }),
    runCli(verifyArgs(model, sig), { cwd: dir }),
  ]);
  expect(await snapshot(dir), 'verify changed files').toEqual(before);
  return { json, report: parseReport(json), text };
}

const SIGNATURE_DOES_NOT_VERIFY = 'the envelope signature does not verify with this key: the payload was changed or another key signed it';

/**
 * Both runs of `verifyBoth` refused the bundle (exit 1) with `code` before reporting any
 * file. `message` is the JSON error's exact text, or a pattern it must match; `shown` is
 * what the text run's stderr must contain (a string) or match.
 */
function expectRefused(run: { json: CliResult; report: Report; text: CliResult }, code: string, message: string | RegExp, shown: string | RegExp): void {
  expect(run.json.code).toBe(1);
  expect(run.report.error?.code).toBe(code);
  if (typeof message === 'string') expect(run.report.error?.message).toBe(message);
  else expect(run.report.error?.message).toMatch(message);
  expect(run.report.files).toEqual([]);
  expect(run.text.code).toBe(1);
  expect(run.text.stderr).toMatch(shown);
}

type ResourceJson = { name: string; algorithm: string; digest: string };

/** A v1.0 statement written by hand; the root is computed from the resources unless given. */
function statement(
  resources: ResourceJson[],
  options: { root?: string; predicateType?: string; serialization?: Record<string, unknown>; type?: string; moreSubjects?: unknown[] } = {},
): Buffer {
  return Buffer.from(
    JSON.stringify(
      {
        _type: options.type ?? 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'model', digest: { sha256: options.root ?? omsRoot(resources.map((r) => r.digest)) } }, ...(options.moreSubjects ?? [])],
        predicateType: options.predicateType ?? 'https://model_signing/signature/v1.0',
        predicate: {
          serialization: options.serialization ?? { method: 'files', hash_type: 'sha256', allow_symlinks: false },
          resources,
        },
      },
      null,
      2,
    ),
    'utf8',
  );
}

/** A key bundle over `payload` with a VALID signature by the test key. */
function signedBundle(payload: Buffer): Buffer {
  const signature = sign('sha256', pae(IN_TOTO_PAYLOAD_TYPE, payload), { key: keys.privateKey, dsaEncoding: 'der' });
  return buildBundle({ kind: 'publicKey', hint: publicKeyHint(keys.publicKey) }, payload, signature);
}

const fileResource = (name: string, content: string | Uint8Array): ResourceJson => ({ name, algorithm: 'sha256', digest: sha256(content) });

const legitResources = (): ResourceJson[] => [fileResource('config.json', CONFIG), fileResource('weights.bin', WEIGHTS)];

// ---------------------------------------------------------------------------------------------

describe('signature files that are not usable bundles', () => {
  const cases: { what: string; bytes: (validBundle: Buffer) => Buffer; message: RegExp }[] = [
    {
      what: 'random text',
      bytes: () => Buffer.from(`this is not a signature ${randomBytes(48).toString('base64')}\n`),
      message: /not JSON/,
    },
    { what: 'an empty file', bytes: () => Buffer.alloc(0), message: /empty/ },
    {
      what: 'a truncated bundle (a valid bundle cut in half)',
      bytes: (valid) => valid.subarray(0, Math.floor(valid.length / 2)),
      message: /not JSON/,
    },
    {
      what: 'a JSON object that is not a bundle',
      bytes: () => Buffer.from(JSON.stringify({ name: 'model', files: ['weights.bin'], signed: true })),
      // Was "unknown mediaType undefined".
      message: /: it has no mediaType \(a Sigstore bundle names its version there\)/,
    },
    { what: 'a bundle with an unknown mediaType', bytes: () => Buffer.from(JSON.stringify({ mediaType: 'application/json' })), message: /unknown mediaType "application\/json"/ },
    {
      what: 'a bundle with a messageSignature instead of a dsseEnvelope',
      bytes: (valid) => {
        const doc = JSON.parse(valid.toString('utf8')) as Record<string, unknown>;
        const env = doc.dsseEnvelope as { signatures: { sig: string }[]; payload: string };
        delete doc.dsseEnvelope;
        doc.messageSignature = {
          messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(Buffer.from(env.payload, 'base64')).digest('base64') },
          signature: env.signatures[0]!.sig,
        };
        return Buffer.from(JSON.stringify(doc));
      },
      message: /message signature.*DSSE|DSSE.*message signature/i,
    },
    {
      // The Sigstore bundle spec: a verifier MUST reject an envelope without exactly one signature.
      what: 'a DSSE envelope holding its valid signature twice',
      bytes: (valid) => {
        const doc = JSON.parse(valid.toString('utf8')) as { dsseEnvelope: { signatures: unknown[] } };
        doc.dsseEnvelope.signatures.push(doc.dsseEnvelope.signatures[0]);
        return Buffer.from(JSON.stringify(doc));
      },
      message: /exactly one signature, it holds 2 signatures/,
    },
    {
      what: 'a DSSE envelope with no signature',
      bytes: (valid) => {
        const doc = JSON.parse(valid.toString('utf8')) as { dsseEnvelope: { signatures: unknown[] } };
        doc.dsseEnvelope.signatures = [];
        return Buffer.from(JSON.stringify(doc));
      },
      message: /exactly one signature, it holds 0 signatures/,
    },
    {
      // JSON.parse builds the whole document first: the structure is bounded before it (it verified before, the field being unknown).
      what: 'a valid bundle nesting 65 deep (an extra field of 64 nested arrays)',
      bytes: (valid) => Buffer.from(valid.toString('utf8').replace(/^\{/, `{"extra":${'['.repeat(64)}${']'.repeat(64)},`)),
      message: /JSON is not shaped like a bundle: it nests arrays and objects deeper than 64 levels/,
    },
    {
      what: 'a valid bundle with an extra field holding 10,000 numbers',
      bytes: (valid) => Buffer.from(valid.toString('utf8').replace(/^\{/, `{"extra":[${Array(10_000).fill(0).join(',')}],`)),
      message: /JSON is not shaped like a bundle: it holds more than 10000 values/,
    },
  ];

  it('a bundle nesting 64 deep (an extra field of 63 nested arrays) or holding an extra 9,000 numbers is within the bounds: it still verifies', async () => {
    const { dir, model } = await workDir();
    const valid = (await readFile(await signModel(dir, model))).toString('utf8');
    for (const extra of [`${'['.repeat(63)}${']'.repeat(63)}`, `[${Array(9_000).fill(0).join(',')}]`]) {
      const sig = join(dir, 'extra.sig');
      await writeFile(sig, valid.replace(/^\{/, `{"extra":${extra},`));
      const { json, report } = await verifyBoth(dir, model, sig);
      expect(json.code, report.error?.message).toBe(0);
    }
  });

  it('hostile JSON up to the size cap is refused in bounded memory, as a bundle (60 MB of `[`, of `{},`) or as an unauthenticated payload (40 MB of `[`, of `{},`: never parsed before a signature verifies)', async () => {
    const dir = await tempDir('modelsign-bad-input-');
    const size = 60 * 1024 * 1024;
    await writeFile(join(dir, 'deep.sig'), '['.repeat(size));
    await writeFile(join(dir, 'wide.sig'), `[${'{},'.repeat(size / 3 - 1)}{}]`);
    const bundle = JSON.parse(signedBundle(Buffer.from(statement(legitResources()))).toString('utf8')) as { dsseEnvelope: { payload: string } };
    bundle.dsseEnvelope.payload = Buffer.from('['.repeat(40 * 1024 * 1024)).toString('base64');
    await writeFile(join(dir, 'payload.sig'), JSON.stringify(bundle));
    bundle.dsseEnvelope.payload = Buffer.from(`[${'{},'.repeat((40 * 1024 * 1024) / 3)}{}]`).toString('base64');
    await writeFile(join(dir, 'wide-payload.sig'), JSON.stringify(bundle));
    // In a process of its own, to read its peak memory: before, each took 2.2 to 2.9 GB.
    const script = `
      import { readFileSync } from 'node:fs';
      import { createPublicKey } from 'node:crypto';
      import { keyVerifier, parseBundle } from ${JSON.stringify(join(ROOT, 'dist/src/index.js'))};
      const outcome = (f) => { try { return f(); } catch (e) { return e.code; } };
      const out = {};
      for (const name of ['deep', 'wide']) out[name] = outcome(() => parseBundle(readFileSync(${JSON.stringify(dir)} + '/' + name + '.sig')));
      const verifier = keyVerifier(createPublicKey(readFileSync(${JSON.stringify(keys.pub)})));
      for (const name of ['payload', 'wide-payload']) out[name] = outcome(() => verifier.verify(parseBundle(readFileSync(${JSON.stringify(dir)} + '/' + name + '.sig'))));
      out.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
      console.log(JSON.stringify(out));`;
    const result = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', script])) as Record<string, unknown>;
    expect(result).toMatchObject({ deep: 'BUNDLE_MALFORMED', wide: 'BUNDLE_MALFORMED', payload: 'SIGNATURE_INVALID', 'wide-payload': 'SIGNATURE_INVALID' });
    expect(result.maxRssMiB).toBeLessThan(768);
  });

  it.each(cases)('$what: verify exits 1 with BUNDLE_MALFORMED, names the problem, writes nothing', async ({ bytes, message }) => {
    const { dir, model } = await workDir();
    const valid = await readFile(await signModel(dir, model));
    const sig = join(dir, 'bad.sig');
    await writeFile(sig, bytes(valid));

    const { json, report, text } = await verifyBoth(dir, model, sig);
    expect(json.code).toBe(1);
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('BUNDLE_MALFORMED');
    expect(report.error?.message).toMatch(message);
    expect(report.checks).toEqual([expect.objectContaining({ name: 'bundle', ok: false })]);
    expect(report.files).toEqual([]);

    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('Verification FAILED');
    expect(text.stderr).toContain('not a usable Sigstore bundle');
    expect(text.stderr).toMatch(message);
  });

  it('a signature path that does not exist: verify exits 2 naming the path', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'no-such.sig');
    const r = await runWritingNothing(verifyArgs(model, sig), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(sig);
    expect(r.stderr).toMatch(/cannot read signature .*ENOENT/);
    expect(r.stdout).toBe('');
    const j = await runWritingNothing([...verifyArgs(model, sig), '--json'], dir);
    expect(j.code).toBe(2);
    expect((JSON.parse(j.stdout) as { error: { code: string } }).error.code).toBe('SIGNATURE_NOT_FOUND');
  });
});

describe('keys the tool cannot use', () => {
  const unsupported: { what: string; pem: () => string; named: RegExp }[] = [
    {
      what: 'RSA',
      pem: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      named: /\bRSA\b/,
    },
    {
      what: 'Ed25519',
      pem: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      named: /ED25519/i,
    },
    {
      what: 'EC secp256k1',
      pem: () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      named: /secp256k1/,
    },
  ];

  it.each(unsupported)('signing with an $what private key exits 2, says the key type is unsupported, writes nothing', async ({ pem, named }) => {
    const { dir, model } = await workDir();
    const key = join(dir, 'key.pem');
    await writeFile(key, pem());
    const sig = join(dir, 'model.sig');
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', key, '--signature', sig], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(named);
    expect(r.stderr).toMatch(/unsupported|supports ECDSA P-256, P-384 and P-521 only|supported curves are/i);
    expect(r.stderr).toContain(key);
    expect(existsSync(sig)).toBe(false);
  });

  it('signing with the RSA key through `sign certificate` also exits 2 and writes nothing', async () => {
    const { dir, model } = await workDir();
    const key = join(dir, 'rsa.pem');
    await writeFile(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const r = await runWritingNothing(
      ['sign', 'certificate', model, '--private-key', key, '--signing-certificate', join(KEYS, 'signing-key-cert.pem'), '--signature', join(dir, 'model.sig')],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\bRSA\b/);
  });

  it('verifying with an RSA public key exits 2 naming the key type', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const pub = join(dir, 'rsa-pub.pem');
    await writeFile(pub, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const r = await runWritingNothing(verifyArgs(model, sig, pub), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/public key .*\bRSA\b/);
    expect(r.stderr).toMatch(/ECDSA/);
    expect(r.stdout).not.toMatch(/succeeded/);
  });

  describe.each([
    { format: 'PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY)', type: 'pkcs8' as const },
    { format: 'SEC1 (BEGIN EC PRIVATE KEY, Proc-Type: 4,ENCRYPTED)', type: 'sec1' as const },
  ])('an encrypted EC private key, $format', ({ type }) => {
    const encrypted = (): { pem: string; pub: string } => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return {
        pem: privateKey.export({ type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString(),
        pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    };

    it('without a password: exits 2, says it is encrypted and names the ways to give one, writes nothing', async () => {
      const { dir, model } = await workDir();
      const key = join(dir, 'enc.pem');
      await writeFile(key, encrypted().pem);
      const sig = join(dir, 'model.sig');
      const r = await runWritingNothing(['sign', 'key', model, '--private-key', key, '--signature', sig], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: private key ${key} is encrypted; give its password with --password-file, MODELSIGN_PASSWORD or --password\n`);
    });

    it('with a wrong password: exits 2 saying so, writes nothing', async () => {
      const { dir, model } = await workDir();
      const key = join(dir, 'enc.pem');
      await writeFile(key, encrypted().pem);
      const r = await runWritingNothing(['sign', 'key', model, '--private-key', key, '--password', 'wrong horse', '--signature', join(dir, 'model.sig')], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/wrong password/);
      expect(r.stderr).toContain(key);
    });

    it('with a wrong password whose decryption passes the padding check (about 1 in 256): still KEY_PASSWORD, not "not a PEM private key"', async () => {
      const { dir, model } = await workDir();
      const { pem } = encrypted();
      // Such a password, found by trying (the error then says nothing of decrypting): CBC padding is all PEM encryption checks.
      const lucky = Array.from({ length: 5000 }, (_, i) => `wrong ${i}`).find((password) => {
        try {
          createPrivateKey({ key: pem, format: 'pem', passphrase: password });
          return false;
        } catch (err) {
          return !/decrypt|passphrase/i.test((err as Error).message);
        }
      });
      expect(lucky).toBeDefined();
      const key = join(dir, 'enc.pem');
      await writeFile(key, pem);
      const r = await runWritingNothing(['sign', 'key', model, '--private-key', key, '--password', lucky!, '--signature', join(dir, 'model.sig')], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: cannot decrypt private key ${key}: wrong password (from --password)\n`);
    });

    it('with the right password: signs, and the signature verifies with its public key', async () => {
      const { dir, model } = await workDir();
      const { pem, pub } = encrypted();
      const key = join(dir, 'enc.pem');
      const pubPath = join(dir, 'enc-pub.pem');
      await writeFile(key, pem);
      await writeFile(pubPath, pub);
      const sig = join(dir, 'model.sig');
      const r = await runCli(['sign', 'key', model, '--private-key', key, '--password', 'correct horse', '--signature', sig], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(sig)).toBe(true);
      const v = await runCli(verifyArgs(model, sig, pubPath), { cwd: dir });
      expect(v.code, v.stderr).toBe(0);
    });
  });

  describe('the password of an encrypted key from --password-file (a file, or - for standard input) or MODELSIGN_PASSWORD', () => {
    const PASSWORD = 'correct horse battery';

    /** A work directory with the model, the key encrypted with `password` and its public key. */
    async function encryptedKey(password: string | Buffer = PASSWORD): Promise<{ dir: string; model: string; key: string; pub: string; sig: string }> {
      const { dir, model } = await workDir();
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const key = join(dir, 'enc.pem');
      const pub = join(dir, 'enc-pub.pem');
      await writeFile(key, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }));
      await writeFile(pub, publicKey.export({ type: 'spki', format: 'pem' }));
      return { dir, model, key, pub, sig: join(dir, 'model.sig') };
    }

    const signKey = (model: string, key: string, sig: string, ...more: string[]): string[] => ['sign', 'key', model, '--private-key', key, '--signature', sig, ...more];

    /** Signs with `args`, and checks that the signature verifies with the key's public key. */
    async function signsAndVerifies(k: { dir: string; model: string; sig: string; pub: string }, args: string[], options: RunOptions = {}): Promise<void> {
      const r = await runCli(args, { cwd: k.dir, ...options });
      expect(r.code, r.stderr).toBe(0);
      const v = await runCli([...verifyArgs(k.model, k.sig, k.pub), '--json'], { cwd: k.dir });
      expect(v.code, v.stderr).toBe(0);
      expect(parseReport(v).verified).toBe(true);
    }

    it.each([
      { what: 'a file ending in \\n', content: `${PASSWORD}\n`, password: PASSWORD },
      { what: 'a file ending in \\r\\n', content: `${PASSWORD}\r\n`, password: PASSWORD },
      { what: 'a file without a line end', content: PASSWORD, password: PASSWORD },
      { what: 'a file ending in two \\n (only one is dropped)', content: `${PASSWORD}\n\n`, password: `${PASSWORD}\n` },
      { what: 'a file with a password in bytes that are not UTF-8', content: Buffer.from([0xe9, 0x74, 0xe9, 0x0a]), password: Buffer.from([0xe9, 0x74, 0xe9]) },
      { what: 'an empty file (an empty password)', content: '', password: '' },
    ])('--password-file: $what', async ({ content, password }) => {
      const k = await encryptedKey(password);
      const file = join(k.dir, 'password.txt');
      await writeFile(file, content);
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig, '--password-file', file));
    });

    it('--password-file - (and --password_file -) read standard input, one line end dropped', async () => {
      const k = await encryptedKey();
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig, '--password-file', '-'), { input: `${PASSWORD}\n` });
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig, '--password_file', '-'), { input: `${PASSWORD}\r\n` });
    });

    it('MODELSIGN_PASSWORD, when no flag gives the password', async () => {
      const k = await encryptedKey();
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig), { env: { MODELSIGN_PASSWORD: PASSWORD } });
    });

    it('sign certificate takes --password-file too', async () => {
      const { dir, model } = await workDir();
      const key = join(dir, 'signing-key.enc.pem');
      await writeFile(key, createPrivateKey(readFileSync(join(KEYS, 'signing-key.pem'))).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD }));
      const file = join(dir, 'password.txt');
      await writeFile(file, `${PASSWORD}\n`);
      const sig = join(dir, 'model.sig');
      const s = await runCli(
        ['sign', 'certificate', model, '--private-key', key, '--password-file', file, '--signing-certificate', join(KEYS, 'signing-key-cert.pem'), '--certificate-chain', join(KEYS, 'int-ca-cert.pem'), '--signature', sig],
        { cwd: dir },
      );
      expect(s.code, s.stderr).toBe(0);
      const v = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', join(KEYS, 'ca-cert.pem'), '--json'], { cwd: dir });
      expect(v.code, v.stderr).toBe(0);
      expect(parseReport(v).verified).toBe(true);
    });

    it('a flag wins over MODELSIGN_PASSWORD: --password-file, --password', async () => {
      const k = await encryptedKey();
      const file = join(k.dir, 'password.txt');
      await writeFile(file, PASSWORD);
      const env = { MODELSIGN_PASSWORD: 'not the password' };
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig, '--password-file', file), { env });
      await signsAndVerifies(k, signKey(k.model, k.key, k.sig, '--password', PASSWORD), { env });
    });

    it('a key that is not encrypted ignores a password from any source, as it does --password', async () => {
      const { dir, model } = await workDir();
      const k = { dir, model, key: keys.priv, pub: keys.pub, sig: join(dir, 'model.sig') };
      const file = join(dir, 'password.txt');
      await writeFile(file, 'whatever\n');
      await signsAndVerifies(k, signKey(model, k.key, k.sig, '--password', 'whatever'));
      await signsAndVerifies(k, signKey(model, k.key, k.sig, '--password-file', file));
      await signsAndVerifies(k, signKey(model, k.key, k.sig), { env: { MODELSIGN_PASSWORD: 'whatever' } });
    });

    it('--password with --password-file, and --password-file - with --password-stdin or --private-key /dev/stdin (both read standard input), are BAD_FLAG, exit 2', async () => {
      const k = await encryptedKey();
      const file = join(k.dir, 'password.txt');
      await writeFile(file, PASSWORD);
      const both = await runWritingNothing([...signKey(k.model, k.key, k.sig, '--password', PASSWORD, '--password-file', file), '--json'], k.dir);
      expect(both.code).toBe(2);
      expect(JSON.parse(both.stdout)).toEqual({ error: { kind: 'usage', code: 'BAD_FLAG', message: 'give the password with --password or --password-file, not both' } });
      expect(both.stderr).not.toContain(PASSWORD);
      // Refused before the registry is reached (nothing listens on port 1).
      for (const file of ['-', '/dev/stdin']) {
        const stdin = await runWritingNothing(
          ['sign', 'key', 'oci://127.0.0.1:1/model:v1', '--attach', '--username', 'u', '--password-stdin', '--private-key', k.key, '--password-file', file, '--json'],
          k.dir,
          { input: `${PASSWORD}\n` },
        );
        expect(stdin.code).toBe(2);
        expect(JSON.parse(stdin.stdout)).toEqual({
          error: { kind: 'usage', code: 'BAD_FLAG', message: `--password-file ${file} and --password-stdin would both read standard input: put one of the passwords in a file` },
        });
      }
      // Any name for standard input (a pipe here): before, only - and /dev/stdin were seen, and
      // the password read swallowed the key (`wrong password`).
      for (const [key, file] of [['/dev/stdin', '-'], ['/dev/fd/0', '/dev/stdin'], ['/proc/self/fd/0', '/dev/fd/0']] as const) {
        const keyToo = await runWritingNothing([...signKey(k.model, key, k.sig, '--password-file', file), '--json'], k.dir, { input: `${PASSWORD}\n` });
        expect(keyToo.code).toBe(2);
        expect(JSON.parse(keyToo.stdout)).toEqual({
          error: { kind: 'usage', code: 'BAD_FLAG', message: `--password-file ${file} and --private-key ${key} would both read standard input: put one of them in a file` },
        });
      }
    });

    it('a wrong password from each source: exit 2, KEY_PASSWORD naming the key and the source, never the password, before the model is read', async () => {
      const k = await encryptedKey();
      const wrong = 'Tr0ub4dor&3-not-it';
      const file = join(k.dir, 'password.txt');
      await writeFile(file, `${wrong}\n`);
      // A model that does not exist: the key fails first, as it does before hashing.
      const model = join(k.dir, 'no-such-model');
      const sources: { args: string[]; options: RunOptions; source: string }[] = [
        { args: ['--password', wrong], options: {}, source: '--password' },
        { args: ['--password-file', file], options: {}, source: `--password-file ${file}` },
        { args: ['--password-file', '-'], options: { input: `${wrong}\n` }, source: '--password-file -' },
        { args: [], options: { env: { MODELSIGN_PASSWORD: wrong } }, source: 'MODELSIGN_PASSWORD' },
      ];
      for (const { args, options, source } of sources) {
        const r = await runWritingNothing([...signKey(model, k.key, k.sig, ...args), '--json'], k.dir, options);
        const message = `cannot decrypt private key ${k.key}: wrong password (from ${source})`;
        expect(r.code, source).toBe(2);
        expect(r.stderr).toBe(`error: ${message}\n`);
        expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'usage', code: 'KEY_PASSWORD', message } });
      }
    });

    it('a password from any source is blanked in errors that quote it (here, given as the key path)', async () => {
      const { dir, model } = await workDir();
      const secret = 'hunter2-hunter2';
      const file = join(dir, 'password.txt');
      await writeFile(file, `${secret}\r\n`);
      const sources: { args: string[]; options: RunOptions }[] = [
        { args: ['--password', secret], options: {} },
        { args: ['--password-file', file], options: {} },
        { args: ['--password-file', '-'], options: { input: `${secret}\n` } },
        { args: [], options: { env: { MODELSIGN_PASSWORD: secret } } },
      ];
      for (const { args, options } of sources) {
        const r = await runWritingNothing(['sign', 'key', model, '--private-key', secret, ...args, '--json'], dir, options);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe('error: cannot read private key <secret> (ENOENT)\n');
        expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'usage', code: 'INPUT_NOT_FOUND', message: 'cannot read private key <secret> (ENOENT)' } });
      }
      // A token under yargs' camelCase spelling, quoted by the "needs a value" message, is blanked too.
      const token = await runWritingNothing(['sign', 'sigstore', model, '--identityToken', '-xyzxyzxyzq'], dir);
      expect(token).toEqual({ code: 2, stdout: '', stderr: 'error: --identityToken needs a value\n' });
      const quoted = await runWritingNothing(['sign', 'sigstore', model, '--identityToken', 'abc-secret-value', '--identityToken', 'again'], dir);
      expect(quoted.code).toBe(2);
      expect(quoted.stderr).not.toContain('abc-secret-value');
    });

    it('a password file that is missing or unreadable: exit 2, INPUT_NOT_FOUND naming it, before the model is read', async () => {
      const k = await encryptedKey();
      const model = join(k.dir, 'no-such-model');
      for (const [file, why] of [[join(k.dir, 'no-such-file'), 'ENOENT'], [k.dir, 'EISDIR']] as const) {
        const r = await runWritingNothing([...signKey(model, k.key, k.sig, '--password-file', file), '--json'], k.dir);
        expect(r.code).toBe(2);
        expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'usage', code: 'INPUT_NOT_FOUND', message: `cannot read password file ${file} (${why})` } });
      }
    });
  });

  const unreadable: { what: string; make: (dir: string) => Promise<string>; message: RegExp }[] = [
    { what: 'does not exist', make: async (dir) => join(dir, 'no-such-key.pem'), message: /cannot read private key .*ENOENT/ },
    {
      what: 'is garbage',
      make: async (dir) => {
        const p = join(dir, 'garbage.pem');
        await writeFile(p, `garbage ${randomBytes(32).toString('hex')}\n`);
        return p;
      },
      message: /not a PEM private key/,
    },
    {
      what: 'is a public key',
      make: async (dir) => {
        const p = join(dir, 'pub-as-priv.pem');
        await writeFile(p, await readFile(keys.pub));
        return p;
      },
      message: /not a PEM private key/,
    },
  ];

  it.each(unreadable)('a private key file that $what: sign exits 2 naming it, writes nothing', async ({ make, message }) => {
    const { dir, model } = await workDir();
    const key = await make(dir);
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', key, '--signature', join(dir, 'model.sig')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(key);
    expect(r.stderr).toMatch(message);
  });
});

describe('hostile statements with a valid signature', () => {
  it('control: a hand-crafted statement over the real resources verifies (the crafting is right)', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'crafted.sig');
    await writeFile(sig, signedBundle(statement(legitResources())));
    const { json, report, text } = await verifyBoth(dir, model, sig);
    expect(json.code, json.stderr).toBe(0);
    expect(report.verified).toBe(true);
    expect(text.code).toBe(0);
  });

  it('a resource name with terminal escapes and a newline is printed escaped: it can neither drive the terminal nor forge a line', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'escapes.sig');
    const evil = '\u001b[2J\u001b[32mall good\u001b[0m\n  ok      forged.bin\u202e';
    await writeFile(sig, signedBundle(statement([...legitResources(), fileResource(evil, 'x')])));
    const { json, report, text } = await verifyBoth(dir, model, sig);
    expect(json.code).toBe(1);
    expect(report.files).toContainEqual(expect.objectContaining({ name: evil, status: 'missing' })); // JSON keeps the name exactly
    const output = text.stdout + text.stderr;
    expect(text.code).toBe(1);
    expect(output).not.toMatch(/[\u001b\u202e]/);
    expect(output).not.toMatch(/^\s+ok\s+forged\.bin/m);
    expect(output).toContain('missing \\x1b[2J\\x1b[32mall good\\x1b[0m\\x0a  ok      forged.bin\\u202e');
  });

  it('paths the CLI prints back (the model and the signature sign wrote) are escaped too', async () => {
    const dir = join(await tempDir(), 'odd\u001b[31m');
    await writeTree(join(dir, 'model'), { 'a.bin': 'a' });
    const signed = await runCli(['sign', 'key', join(dir, 'model'), '--private-key', join(KEYS, 'signing-key.pem'), '--signature', join(dir, 'model.sig')]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/^Signed .*odd\\x1b\[31m\/model \(1 resource, /);
    expect(signed.stdout).toMatch(/^Signature written to .*odd\\x1b\[31m\/model\.sig$/m);
    expect(signed.stdout).not.toContain('\u001b');
  });

  it('an ignore path outside the model, and --shard-size under --method files, are warned about (both used to be dropped silently)', async () => {
    const { dir, model } = await workDir({ 'scratch/x.bin': 'scratch' });
    // Meant relative to the model, given from its parent: the reference drops it, and so do we, saying so.
    const outside = `--ignore-paths scratch is not a path inside the model ${model}, so it leaves nothing out (ignore paths are absolute or relative to the current directory, as in model_signing)`;
    const shards = '--shard-size has no effect with --method files (each file is one resource): add --method shards to hash in shards';
    const text = await runCli(['digest', model, '--ignore-paths', 'scratch', '--shard-size', '100'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(`warning: ${outside}\nwarning: ${shards}\n`);
    const json = await runCli(['digest', model, '--ignore-paths', 'scratch', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ warnings: [outside], resources: [{ name: 'config.json' }, { name: 'scratch/x.bin' }, { name: 'weights.bin' }] });
    const sig = await signModel(dir, model);
    const verified = await runCli([...verifyArgs(model, sig), '--ignore-paths', 'scratch', '--json'], { cwd: dir });
    expect(JSON.parse(verified.stdout)).toMatchObject({ verified: true, warnings: [outside] });
    // Inside the model, relative to the current directory: no warning, and the path is left out.
    const inside = await runCli(['digest', model, '--ignore-paths', 'model/scratch', '--json'], { cwd: dir });
    expect(JSON.parse(inside.stdout)).toMatchObject({ warnings: [], ignored: ['scratch'] });
  });

  it('a newline in a path an error or a warning names is escaped: it cannot forge a line on stderr', async () => {
    const { dir, model } = await workDir();
    // Before, these printed `error: model path .../nl` and a second line `error: forged`.
    const missing = await runWritingNothing(['digest', join(dir, 'nl\nerror: forged')], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: model path ${join(dir, 'nl')}\\x0aerror: forged does not exist or cannot be read (ENOENT)\n`);
    await symlink(join(dir, 'outside.bin'), join(model, 'link\nwarning: forged'));
    await writeFile(join(dir, 'outside.bin'), 'outside');
    const warned = await runCli(['digest', model, '--allow-symlinks'], { cwd: dir });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr.split('\n').filter((line) => line !== '')).toEqual([`warning: link\\x0awarning: forged is a symbolic link to ${join(dir, 'outside.bin')}, outside the model`]);
  });

  const SECRET = 'top secret, outside the model\n';
  const etcPasswd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd') : Buffer.from('root:x:0:0::/root:/bin/sh\n');

  const hostile: { name: string | ((dir: string) => string); content: string | Uint8Array; method?: 'shards' }[] = [
    { name: '../secret', content: SECRET },
    { name: '/etc/passwd', content: etcPasswd },
    { name: (dir) => join(dir, 'secret'), content: SECRET },
    { name: 'a/../../secret', content: SECRET },
    { name: 'a//b', content: 'inside a/b\n' },
    { name: './weights.bin', content: WEIGHTS },
    { name: '../secret:0:30', content: SECRET, method: 'shards' },
  ];

  it.each(hostile)('resource name $name: verify exits 1 with RESOURCE_NAME_UNSAFE and hashes nothing', async ({ name, content, method }) => {
    // The outside file exists next to the model with exactly the signed digest: a verifier
    // that followed the name would find a match and pass.
    const { dir, model } = await workDir({ 'a/b': 'inside a/b\n' });
    await writeFile(join(dir, 'secret'), SECRET);
    const resourceName = typeof name === 'string' ? name : name(dir);
    const resources =
      method === 'shards'
        ? [
            { name: 'a/b:0:11', algorithm: 'sha256-sharded-1000', digest: sha256('inside a/b\n') },
            { name: resourceName, algorithm: 'sha256-sharded-1000', digest: sha256(content) },
          ]
        : [...legitResources(), fileResource(resourceName, content)];
    const serialization =
      method === 'shards'
        ? { method: 'shards', hash_type: 'sha256', allow_symlinks: false, shard_size: 1000 }
        : { method: 'files', hash_type: 'sha256', allow_symlinks: false };
    const sig = join(dir, 'hostile.sig');
    await writeFile(sig, signedBundle(statement(resources, { serialization })));

    const { json, report, text } = await verifyBoth(dir, model, sig);
    expect(json.code).toBe(1);
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('RESOURCE_NAME_UNSAFE');
    const unsafePath = method === 'shards' ? resourceName.replace(/:\d+:\d+$/, '') : resourceName;
    expect(report.error?.message).toContain(JSON.stringify(unsafePath));
    // The signature itself was valid; the statement was refused before any file was hashed.
    expect(report.checks).toEqual([
      { name: 'bundle', ok: true },
      { name: 'signature', ok: true },
      expect.objectContaining({ name: 'statement', ok: false }),
    ]);
    expect(report.files).toEqual([]);

    expect(text.code).toBe(1);
    expect(text.stderr).toContain('Verification FAILED');
    expect(text.stderr).toContain(JSON.stringify(unsafePath));
    expect(text.stdout).toBe('');
  });

  it('random payload strings are taken as base64 exactly when protobuf JSON reads them as bytes: standard or URL-safe, padded or not', () => {
    // The rule, written as patterns: one alphabet (URL-safe when `-` or `_` appears), then
    // either no padding and a length that is not 1 more than a multiple of 4, or whole
    // 4-character groups with at most two '=' at the very end. Blanks, a mix of alphabets
    // and misplaced padding (which Buffer.from would quietly accept) must all be refused.
    const pieces = ['QUJD', 'QUJD', 'QUJD', 'QUJD', 'A', 'z', '0', '+', '/', '=', '==', '-', '_', ' ', '\n', 'é'];
    const bundle = JSON.parse(signedBundle(statement(legitResources())).toString('utf8')) as { dsseEnvelope: { payload: string } };
    const random = randomSequence(4242);
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 3000; i += 1) {
      let text = '';
      for (let k = 1 + random(6); k > 0; k -= 1) text += pieces[random(pieces.length)]!;
      const letters = /[-_]/.test(text) ? '[A-Za-z0-9_-]' : '[A-Za-z0-9+/]';
      const standard = new RegExp(`^${letters}*$`).test(text) ? text.length % 4 !== 1 : text.length % 4 === 0 && new RegExp(`^${letters}*={1,2}$`).test(text);
      bundle.dsseEnvelope.payload = text;
      let outcome = 'accepted';
      try {
        parseBundle(Buffer.from(JSON.stringify(bundle)));
      } catch (err) {
        outcome = (err as Error).message;
      }
      if (standard) {
        expect(outcome, JSON.stringify(text)).toBe('accepted');
        accepted += 1;
      } else {
        expect(outcome, JSON.stringify(text)).toContain('dsseEnvelope.payload is not base64');
        refused += 1;
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('a bundle as other protobuf JSON writers may write it verifies: URL-safe unpadded base64, null for the material it does not carry', () => {
    const payload = statement(legitResources());
    const bundle = JSON.parse(signedBundle(payload).toString('utf8')) as { dsseEnvelope: { payload: string; signatures: { sig: string }[] }; verificationMaterial: Record<string, unknown> };
    const urlSafe = (b64: string): string => Buffer.from(b64, 'base64').toString('base64url');
    bundle.dsseEnvelope.payload = urlSafe(bundle.dsseEnvelope.payload);
    bundle.dsseEnvelope.signatures[0]!.sig = urlSafe(bundle.dsseEnvelope.signatures[0]!.sig);
    bundle.verificationMaterial.x509CertificateChain = null;
    bundle.verificationMaterial.certificate = null;
    const parsed = parseBundle(Buffer.from(JSON.stringify(bundle)));
    expect(parsed.payload.equals(payload)).toBe(true);
    expect(keyVerifier(keys.publicKey).verify(parsed).signer).toMatchObject({ method: 'key' });
    // Any byte changed still fails, in either alphabet.
    const flipped = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: urlSafe(Buffer.from(JSON.stringify({ ...JSON.parse(payload.toString('utf8')), _type: 'x' })).toString('base64')) } };
    expect(() => keyVerifier(keys.publicKey).verify(parseBundle(Buffer.from(JSON.stringify(flipped))))).toThrow(expect.objectContaining({ kind: 'unverified' }));
  });

  it('a tlogEntries item that is not an object is named as such (sigstore-js failed on it with a TypeError message)', () => {
    const bundle = JSON.parse(signedBundle(statement(legitResources())).toString('utf8')) as { verificationMaterial: { tlogEntries: unknown[] } };
    for (const entry of [null, 3, 'x', []]) {
      bundle.verificationMaterial.tlogEntries = [entry];
      expect(() => parseBundle(Buffer.from(JSON.stringify(bundle))), JSON.stringify(entry)).toThrow(expect.objectContaining({ kind: 'unverified', code: 'BUNDLE_MALFORMED', message: expect.stringContaining('tlogEntries[0] is not an object') }));
    }
  });

  it('random resource names are refused exactly when they are not plain relative paths', () => {
    // The rule, written the slow way: a name must be '.', or free of NUL and equal to its own
    // normalized form (relative; no empty, '.' or '..' component). parseStatement checks it
    // with a faster scan; over random names from the pieces that matter, they must agree.
    const pieces = ['a', 'b.c', '.', '..', '...', '.a', '', '/', '//', '\u0000', ':'];
    const random = randomSequence(2026);
    let refused = 0;
    for (let i = 0; i < 3000; i += 1) {
      let name = '';
      for (let k = 1 + random(5); k > 0; k -= 1) name += pieces[random(pieces.length)]!;
      if (name === '') continue;
      const plain = name === '.' || (!name.includes('\u0000') && normalizeRelative(name) === name);
      let code = 'accepted';
      try {
        parseStatement(statement([fileResource(name, 'x')]));
      } catch (err) {
        code = (err as { code?: string }).code ?? String(err);
      }
      expect(code, JSON.stringify(name)).toBe(plain ? 'accepted' : 'RESOURCE_NAME_UNSAFE');
      if (!plain) refused += 1;
    }
    // Both outcomes were exercised, many times.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(2500);
  });

  it('random digests are refused exactly when they are not lowercase hex of the right length', () => {
    // parseStatement checks all digests in one pass (in strings of 64 KiB, so lists longer
    // than 1,024 digests cross a join) and only then one by one; the rule, written the slow
    // way, must agree with it on which statements pass, which resource is named, and the root.
    const characters = ['0', '9', 'a', 'f', 'g', 'A', 'F', '\u0142', '\u0141', '\u0661', '-', ' ', '\u0000', 'é'];
    const random = randomSequence(77);
    let refused = 0;
    for (let i = 0; i < 160; i += 1) {
      const blake = random(4) === 0;
      const length = blake ? 128 : 64;
      const count = 1 + random(i % 4 === 0 ? 2600 : 40);
      const resources = Array.from({ length: count }, (_, k) => ({
        name: `f${String(k).padStart(5, '0')}`,
        algorithm: blake ? 'blake2b' : 'sha256',
        digest: createHash(blake ? 'blake2b512' : 'sha256').update(`${i}:${k}`).digest('hex'),
      }));
      const victim = random(count);
      const old = resources[victim]!.digest;
      const at = random(length);
      const change = random(3);
      resources[victim]!.digest = change === 0 ? old.slice(0, at) + old.slice(at + 1) : change === 1 ? old.slice(0, at) + characters[random(characters.length)]! + old.slice(at + 1) : old + characters[random(characters.length)]!;
      const valid = new RegExp(`^[0-9a-f]{${length}}$`).test(resources[victim]!.digest);
      let outcome = 'accepted';
      try {
        const parsed = parseStatement(statement(resources, { serialization: { method: 'files', hash_type: blake ? 'blake2b' : 'sha256', allow_symlinks: false } }));
        expect(parsed.manifest.rootDigest).toBe(omsRoot(resources.map((r) => r.digest)));
      } catch (err) {
        outcome = (err as Error).message;
      }
      if (valid) expect(outcome).toBe('accepted');
      else {
        expect(outcome).toBe(`invalid statement: resource "f${String(victim).padStart(5, '0')}" has a malformed ${blake ? 'blake2b' : 'sha256'} digest`);
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(80);
    expect(refused).toBeLessThan(160);
  });

  it('a duplicate resource name is found in any order, and the first repeat is the one named', () => {
    // Names in path order are unique by that order alone; parseStatement keeps a set of names
    // only once the order breaks. Checked against the rule written the slow way.
    const random = randomSequence(5);
    let duplicates = 0;
    for (let i = 0; i < 400; i += 1) {
      const names = Array.from({ length: 2 + random(60) }, (_, k) => `d${random(3)}/f${String(k).padStart(3, '0')}`).sort();
      if (random(2) === 0) names.splice(random(names.length + 1), 0, names[random(names.length)]!);
      // Sorted, one pair swapped, or shuffled.
      const order = random(3);
      if (order === 1) {
        const a = random(names.length);
        const b = random(names.length);
        [names[a], names[b]] = [names[b]!, names[a]!];
      } else if (order === 2) names.sort(() => random(3) - 1);
      const repeat = names.find((n, k) => names.indexOf(n) < k);
      let outcome = 'accepted';
      try {
        parseStatement(statement(names.map((n) => fileResource(n, n))));
      } catch (err) {
        outcome = (err as Error).message;
      }
      if (repeat === undefined) expect(outcome).toBe('accepted');
      else {
        expect(outcome).toBe(`invalid statement: resource ${JSON.stringify(repeat)} is listed twice`);
        duplicates += 1;
      }
    }
    expect(duplicates).toBeGreaterThan(100);
    expect(duplicates).toBeLessThan(300);
  });

  it('duplicate resource names: verify exits 1 naming the duplicate', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'dup.sig');
    const w = fileResource('weights.bin', WEIGHTS);
    await writeFile(sig, signedBundle(statement([fileResource('config.json', CONFIG), w, { ...w }])));
    expectRefused(await verifyBoth(dir, model, sig), 'STATEMENT_INVALID', /"weights\.bin" is listed twice/, 'listed twice');
  });

  it('a root digest that does not match its resources: verify exits 1 with ROOT_MISMATCH', async () => {
    const { dir, model } = await workDir();
    const resources = legitResources();
    // The root of the resources in the other order: plausible-looking, but not this statement's.
    const wrongRoot = omsRoot([...resources].reverse().map((r) => r.digest));
    const sig = join(dir, 'root.sig');
    await writeFile(sig, signedBundle(statement(resources, { root: wrongRoot })));
    const run = await verifyBoth(dir, model, sig);
    expectRefused(run, 'ROOT_MISMATCH', new RegExp(wrongRoot), wrongRoot);
    expect(run.report.error?.message).toContain(omsRoot(resources.map((r) => r.digest)));
  });

  it('a signed statement with a wrong predicateType: verify exits 1 naming it', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'pred.sig');
    await writeFile(sig, signedBundle(statement(legitResources(), { predicateType: 'https://example.com/wrong-predicate/v1.0' })));
    const run = await verifyBoth(dir, model, sig);
    expectRefused(run, 'STATEMENT_INVALID', /predicateType/, 'predicateType');
    expect(run.report.error?.message).toContain('https://example.com/wrong-predicate/v1.0');
  });

  it('a signed statement whose _type is not in-toto Statement v1: verify exits 1 with STATEMENT_INVALID naming _type', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'type.sig');
    await writeFile(sig, signedBundle(statement(legitResources(), { type: 'https://in-toto.io/Statement/v0.1' })));
    expectRefused(
      await verifyBoth(dir, model, sig),
      'STATEMENT_INVALID',
      'invalid statement: _type is "https://in-toto.io/Statement/v0.1", expected https://in-toto.io/Statement/v1',
      '_type is "https://in-toto.io/Statement/v0.1"',
    );
  });

  it('a signed statement with two subjects (the real one first): verify exits 1 with STATEMENT_INVALID, exactly one subject', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'subjects.sig');
    const other = { name: 'another model', digest: { sha256: sha256('another model') } };
    await writeFile(sig, signedBundle(statement(legitResources(), { moreSubjects: [other] })));
    expectRefused(await verifyBoth(dir, model, sig), 'STATEMENT_INVALID', 'invalid statement: expected exactly one subject, found 2', 'expected exactly one subject, found 2');
  });

  it('a valid signature by the trusted key or certificate over another payloadType (the PAE of that type): verify exits 1 with PAYLOAD_TYPE, no file reported', async () => {
    const { dir, model } = await workDir();
    const payload = statement(legitResources());
    const type = 'application/vnd.example.other+json';
    const leafKey = createPrivateKey(readFileSync(join(KEYS, 'signing-key.pem')));
    const leaf = new X509Certificate(readFileSync(join(KEYS, 'signing-key-cert.pem')));
    const intermediate = new X509Certificate(readFileSync(join(KEYS, 'int-ca-cert.pem')));
    const cases = [
      {
        method: 'key',
        material: { kind: 'publicKey', hint: publicKeyHint(keys.publicKey) } as const,
        key: keys.privateKey,
        digest: 'sha256',
        trust: ['--public-key', keys.pub],
      },
      {
        method: 'certificate',
        material: { kind: 'x509CertificateChain', certificates: [leaf.raw, intermediate.raw] } as const,
        key: leafKey,
        digest: 'sha384', // the leaf's key is P-384
        trust: ['--certificate-chain', join(KEYS, 'ca-cert.pem')],
      },
    ];
    for (const { method, material, key, digest, trust } of cases) {
      const signature = sign(digest, pae(type, payload), { key, dsaEncoding: 'der' });
      const doc = JSON.parse(buildBundle(material, payload, signature).toString('utf8')) as { dsseEnvelope: { payloadType: string } };
      doc.dsseEnvelope.payloadType = type;
      const sig = join(dir, `${method}-other-type.sig`);
      await writeFile(sig, JSON.stringify(doc));
      // The signature is good over what the envelope says: only the type is wrong.
      const args = ['verify', method, model, '--signature', sig, ...trust];
      const json = await runCli([...args, '--json'], { cwd: dir });
      expect(json.code, method).toBe(1);
      const report = parseReport(json);
      expect(report.error, method).toEqual({ code: 'PAYLOAD_TYPE', message: `payloadType is "${type}", expected application/vnd.in-toto+json` });
      expect(report.files, method).toEqual([]);
      const text = await runCli(args, { cwd: dir });
      expect(text.code, method).toBe(1);
      expect(text.stderr, method).toContain(`payloadType is "${type}"`);
      // Control: the same statement signed as in-toto verifies with the same trust.
      const good = join(dir, `${method}-good.sig`);
      await writeFile(good, buildBundle(material, payload, sign(digest, pae(IN_TOTO_PAYLOAD_TYPE, payload), { key, dsaEncoding: 'der' })));
      const control = await runCli(['verify', method, model, '--signature', good, ...trust], { cwd: dir });
      expect(control.code, `${method}: ${control.stderr}`).toBe(0);
      await rm(good);
    }
  });

  it('a v1.0 statement signed over the v0.2 pre-authentication encoding: verify exits 1 with SIGNATURE_INVALID (only v0.2 payloads may use it)', async () => {
    const { dir, model } = await workDir();
    const payload = statement(legitResources());
    const old = legacyPae(IN_TOTO_PAYLOAD_TYPE, payload);
    expect(old.subarray(0, 7).toString()).toBe('DSSEV1 ');
    const signature = sign('sha256', old, { key: keys.privateKey, dsaEncoding: 'der' });
    expect(verify('sha256', old, keys.publicKey, signature)).toBe(true);
    const sig = join(dir, 'legacy-pae.sig');
    await writeFile(sig, buildBundle({ kind: 'publicKey', hint: publicKeyHint(keys.publicKey) }, payload, signature));
    expectRefused(await verifyBoth(dir, model, sig), 'SIGNATURE_INVALID', SIGNATURE_DOES_NOT_VERIFY, 'signature does not verify');
  });

  it('a payload changed after signing (file swapped, digest and root updated): verify exits 1 with SIGNATURE_INVALID', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const doc = JSON.parse(await readFile(sig, 'utf8')) as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(doc.dsseEnvelope.payload, 'base64').toString('utf8');

    const evil = 'backdoored weights\n';
    await writeFile(join(model, 'weights.bin'), evil);
    const oldRoot = omsRoot([sha256(CONFIG), sha256(WEIGHTS)]);
    const newRoot = omsRoot([sha256(CONFIG), sha256(evil)]);
    expect(payload).toContain(sha256(WEIGHTS));
    expect(payload).toContain(oldRoot);
    doc.dsseEnvelope.payload = Buffer.from(payload.replace(sha256(WEIGHTS), sha256(evil)).replace(oldRoot, newRoot), 'utf8').toString('base64');
    await writeFile(sig, JSON.stringify(doc));

    expectRefused(await verifyBoth(dir, model, sig), 'SIGNATURE_INVALID', SIGNATURE_DOES_NOT_VERIFY, 'signature does not verify');
  });

  it('the spec vector invalid-payload/wrong-predicate.bundle.json fails `verify key` with exit 1', async () => {
    const model = join(SCRIPT_TESTS, 'v1.1.0-elliptic-key');
    const cwd = await tempDir();
    const args = [
      'verify',
      'key',
      model,
      '--signature',
      join(SPEC_VECTORS, 'invalid-payload/wrong-predicate.bundle.json'),
      '--public-key',
      join(KEYS, 'signing-key-pub.pem'),
      '--ignore-paths',
      join(model, 'model.sig'),
      '--ignore-paths',
      join(model, 'ignore-me'),
    ];
    const [json, text, control] = await Promise.all([
      runCli([...args, '--json'], { cwd }),
      runCli(args, { cwd }),
      // The same invocation with the model's own signature passes: the failure is the payload's.
      runCli(args.map((a) => (a.endsWith('wrong-predicate.bundle.json') ? join(model, 'model.sig') : a)), { cwd }),
    ]);
    expect(control.code, control.stderr).toBe(0);
    expect(json.code).toBe(1);
    expect(parseReport(json).error?.code).toBe('SIGNATURE_INVALID');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('Verification FAILED');
  });
});

describe('model paths that do not exist', () => {
  it('digest, sign and verify exit 2 naming the path; sign writes nothing', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const missing = join(dir, 'no-such-model');
    const [digest, signed, verified] = await Promise.all([
      runCli(['digest', missing], { cwd: dir }),
      runCli(['sign', 'key', missing, '--private-key', keys.priv, '--signature', join(dir, 'new.sig')], { cwd: dir }),
      runCli(verifyArgs(missing, sig), { cwd: dir }),
    ]);
    for (const r of [digest, signed, verified]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(missing);
      expect(r.stderr).toMatch(/does not exist/);
      expect(r.stdout).toBe('');
    }
    expect((await readdir(dir)).sort()).toEqual(['model', 'model.sig']);
  });
});

describe('symbolic links and special files in the model', () => {
  it('a symlink without --allow-symlinks: digest and sign exit 2 mentioning --allow-symlinks, sign writes nothing', async () => {
    const { dir, model } = await workDir();
    await symlink('weights.bin', join(model, 'alias.bin'));
    const d = await runWritingNothing(['digest', model], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('alias.bin');
    expect(d.stderr).toContain('--allow-symlinks');
    expect(d.stdout).toBe('');
    const s = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig')], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--allow-symlinks');
  });

  it('a symlink found after thousands of files the workers are already inspecting: exit 2 naming it, at once', async () => {
    const { dir, model } = await workDir();
    // The walk meets `z-alias.bin` after flushing the files of `a/` to the hash workers.
    await writeTree(join(model, 'a'), Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, `${i}`])));
    await symlink('weights.bin', join(model, 'z-alias.bin'));
    // A listing that left its workers running would hold the process open until the timeout.
    const d = await runCli(['digest', model], { cwd: dir, timeout: 20_000 });
    expect(d.code, d.stderr).toBe(2);
    expect(d.stderr).toContain('z-alias.bin');
    expect(d.stderr).toContain('--allow-symlinks');
  });

  it('a symlink added to a model signed without symlinks: verify exits 1 reporting it as extra', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    await symlink('weights.bin', join(model, 'alias.bin'));
    const r = await runWritingNothing(verifyArgs(model, sig), dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('extra   alias.bin  (present in the model but not signed; it is a symbolic link, and the signature was made without --allow-symlinks');
  });

  it('whatever was added that cannot be hashed (a link, a pipe, a link loop, a name that is not UTF-8) is reported with every other difference: exit 1, not a usage error', async () => {
    // It stopped verify at the first such entry (exit 2), so the changed file beside it went unreported.
    const { dir, model } = await workDir({ 'tokenizer.json': '{}' });
    const sig = await signModel(dir, model);
    await writeFile(join(model, 'config.json'), '{"changed":true}');
    await symlink('weights.bin', join(model, 'z-link'));
    await symlink('z-loop', join(model, 'z-loop'));
    await run('mkfifo', [join(model, 'z-pipe')]);
    await writeFile(Buffer.concat([Buffer.from(`${model}/z-name-`), Buffer.from([0xff])]), 'x');
    // A signed file replaced by a link to another: changed, not missing beside an extra.
    await rm(join(model, 'tokenizer.json'));
    await symlink('weights.bin', join(model, 'tokenizer.json'));
    const { json, report, text } = await verifyBoth(dir, model, sig);
    expect(json.code).toBe(1);
    expect(text.code).toBe(1);
    const notes = Object.fromEntries((report.files as { name: string; status: string; note?: string }[]).map((f) => [f.name, `${f.status}: ${f.note ?? ''}`]));
    expect(notes).toEqual({
      'config.json': 'changed: ',
      'tokenizer.json': expect.stringMatching(/^changed: it is a symbolic link, and the signature was made without --allow-symlinks/),
      'weights.bin': 'ok: ',
      'z-link': expect.stringMatching(/^extra: present in the model but not signed; it is a symbolic link/),
      'z-loop': expect.stringMatching(/^extra: present in the model but not signed; it is a symbolic link/),
      'z-name-\uFFFD': 'extra: present in the model but not signed; it cannot be read: its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)',
      'z-pipe': 'extra: present in the model but not signed; it is not a regular file or directory (a socket, pipe or device cannot be hashed)',
    });
    expect(report.checks.at(-1)).toEqual({ name: 'model', ok: false, message: '2 changed, 0 missing, 4 extra' });
    // Unsigned, they pass as any unsigned file does under --ignore-unsigned-files; the changed files still fail.
    const ignoring = parseReport(await runCli([...verifyArgs(model, sig), '--json', '--ignore-unsigned-files'], { cwd: dir }));
    expect(ignoring.files.filter((f) => f.status === 'ignored').map((f) => f.name)).toEqual(['z-link', 'z-loop', 'z-name-\uFFFD', 'z-pipe']);
    expect(ignoring.verified).toBe(false);
    await writeFile(join(model, 'config.json'), CONFIG);
    await rm(join(model, 'tokenizer.json'));
    await writeFile(join(model, 'tokenizer.json'), '{}');
    const passing = await runCli([...verifyArgs(model, sig), '--ignore-unsigned-files'], { cwd: dir });
    expect(passing.code, passing.stderr).toBe(0);
  });

  it('a link to a directory with --allow-symlinks is not followed, as in the reference (pathlib glob("**/*") never enters one): no resource under it, a warning naming it, and the same signature verifies', async () => {
    const { dir, model } = await workDir();
    await mkdir(join(model, 'dir'));
    await writeFile(join(model, 'dir', 'inner.bin'), 'inner\n');
    const withDir = await runCli(['digest', model, '--allow-symlinks', '--json'], { cwd: dir });
    const sig = join(dir, 'links.sig');
    expect((await runCli(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', sig], { cwd: dir })).code).toBe(0);
    // A loop back up (dir/up -> ..), the disk's root, and a plain link to a sibling directory.
    await symlink('..', join(model, 'dir', 'up'));
    await symlink('/', join(model, 'root'));
    await symlink('dir', join(model, 'alias'));
    const d = await runCli(['digest', model, '--allow-symlinks', '--json'], { cwd: dir });
    expect(d.code, d.stderr).toBe(0);
    const manifest = JSON.parse(d.stdout) as { rootDigest: string; resources: { name: string }[]; warnings: string[] };
    const before = JSON.parse(withDir.stdout) as { rootDigest: string; resources: { name: string }[] };
    expect(manifest.resources.map((r) => r.name)).toEqual(['config.json', 'dir/inner.bin', 'weights.bin']);
    expect(manifest.rootDigest).toBe(before.rootDigest);
    const notFollowed = (name: string, target: string): string => `${name} is a symbolic link to a directory (${target}): as in model_signing, links to directories are not followed, so nothing under it is hashed`;
    expect(manifest.warnings).toEqual([notFollowed('alias', join(model, 'dir')), notFollowed('dir/up', model), notFollowed('root', '/')]);
    expect(d.stderr).toBe(manifest.warnings.map((w) => `warning: ${w}\n`).join(''));
    // The signature made before the links were added still verifies: they add nothing.
    const v = await runCli([...verifyArgs(model, sig), '--json'], { cwd: dir });
    expect(v.code, v.stdout).toBe(0);
    expect(parseReport(v).warnings).toEqual(manifest.warnings);
    // Without the flag, a link to a directory is refused like any other link.
    const refused = await runWritingNothing(['digest', model], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: alias is a symbolic link; symbolic links are only hashed with --allow-symlinks$/m);
  });

  it('a self-referential link (a -> a) with --allow-symlinks: exit 2 naming it', async () => {
    const { dir, model } = await workDir();
    await symlink('a', join(model, 'a'));
    const d = await runWritingNothing(['digest', model, '--allow-symlinks'], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/\ba\b.*loop/);
    const s = await runWritingNothing(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', join(dir, 'model.sig')], dir);
    expect(s.code).toBe(2);
  });

  it('a symlink leaving the model is warned about by verify too (text and --json)', async () => {
    const { dir, model } = await workDir();
    await writeFile(join(dir, 'outside.bin'), 'shared\n');
    await symlink('../outside.bin', join(model, 'out.bin'));
    const sig = join(dir, 'model.sig');
    expect((await runCli(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', sig], { cwd: dir })).code).toBe(0);
    const text = await runCli(verifyArgs(model, sig), { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(`${text.stdout}${text.stderr}`).toMatch(/out\.bin is a symbolic link to .*outside\.bin, outside the model/);
    const json = await runCli([...verifyArgs(model, sig), '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toContainEqual(expect.stringMatching(/^out\.bin is a symbolic link to .*outside\.bin, outside the model$/));
  });

  it('a tree 2,000 directories deep is listed, its file under its whole path', async () => {
    const { dir, model } = await workDir();
    // One level at a time, from inside: the whole path is too long for a single call.
    await run('sh', ['-c', 'cd "$1" && i=0; while [ $i -lt 2000 ]; do mkdir d && cd d || exit 1; i=$((i+1)); done; echo deep > deep.bin', 'sh', model]);
    const r = await runCli(['digest', model, '--json'], { cwd: dir, timeout: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const names = (JSON.parse(r.stdout) as { resources: { name: string }[] }).resources.map((x) => x.name);
    expect(names).toContain(`${'d/'.repeat(2000)}deep.bin`);
  }, 90_000);

  it('a broken symlink with --allow-symlinks: exit 2 naming it, sign writes nothing', async () => {
    const { dir, model } = await workDir();
    await symlink('nowhere.bin', join(model, 'dangling.bin'));
    const d = await runWritingNothing(['digest', model, '--allow-symlinks'], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('dangling.bin');
    expect(d.stderr).toMatch(/missing target|broken/);
    const s = await runWritingNothing(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', join(dir, 'model.sig')], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('dangling.bin');
  });

  it('a symlink to a file outside the model with --allow-symlinks: signs and verifies, with a warning', async () => {
    const { dir, model } = await workDir();
    const outside = join(dir, 'outside.bin');
    await writeFile(outside, 'shared tokenizer\n');
    await symlink('../outside.bin', join(model, 'tokenizer.bin'));
    const sig = join(dir, 'model.sig');
    const s = await runCli(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', sig, '--json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/warning: tokenizer\.bin is a symbolic link to .*outside\.bin, outside the model/);
    expect(existsSync(sig)).toBe(true);
    // The link is hashed under its own path with its target's content.
    const doc = JSON.parse(await readFile(sig, 'utf8')) as { dsseEnvelope: { payload: string } };
    const stmt = JSON.parse(Buffer.from(doc.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicate: { resources: ResourceJson[] } };
    expect(stmt.predicate.resources).toContainEqual({ name: 'tokenizer.bin', algorithm: 'sha256', digest: sha256('shared tokenizer\n') });
    const v = await runCli(verifyArgs(model, sig), { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
  });

  it('an unreadable directory or file in the model: exit 2 naming it, without a stack trace', async () => {
    const { dir, model } = await workDir({ 'private/notes.txt': 'x', 'locked.bin': 'y' });
    // Permissions mean nothing to root: as root, the CLI runs without the capabilities that
    // override them (setpriv, util-linux), still as root, so it can read its own files.
    const asUser = (args: string[]): Promise<CliResult> =>
      new Promise((done) => {
        const [cmd, pre] = process.getuid?.() === 0 ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath]] : [process.execPath, []];
        execFile(cmd, [...pre, CLI, ...args], { cwd: dir }, (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }));
      });
    await chmod(join(model, 'private'), 0o000);
    const d = await asUser(['digest', model]);
    expect(d.code, d.stderr).toBe(2);
    expect(d.stderr).toMatch(/^error: cannot read directory private: EACCES$/m);
    expect(d.stderr).not.toMatch(/unexpected failure|\n\s+at /);
    await chmod(join(model, 'private'), 0o755);
    await chmod(join(model, 'locked.bin'), 0o000);
    const f = await asUser(['digest', model]);
    expect(f.code, f.stderr).toBe(2);
    expect(f.stderr).toMatch(/^error: cannot read .*locked\.bin: EACCES/m);
    expect(f.stderr).not.toMatch(/unexpected failure|\n\s+at /);
  });

  it('a file or directory whose name is not valid UTF-8: exit 2 saying so, without a stack trace', async () => {
    for (const [kind, make] of [
      ['file', (model: string) => writeFile(Buffer.from(`${model}/bad\xff.bin`, 'latin1'), 'x')],
      ['directory', async (model: string) => {
        await mkdir(Buffer.from(`${model}/dir\xfe`, 'latin1'));
        await writeFile(Buffer.from(`${model}/dir\xfe/w.bin`, 'latin1'), 'x');
      }],
    ] as const) {
      const { dir, model } = await workDir();
      await make(model);
      for (const args of [['digest', model], ['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig')]]) {
        const r = await runWritingNothing(args, dir);
        expect(r.code, `${kind} ${args[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain('its name is not valid UTF-8');
        expect(r.stderr).not.toMatch(/unexpected failure|\n\s+at /);
      }
    }
  });

  it('a name that is not valid UTF-8 beside one with a real U+FFFD: not verified (exit 1), not the twin hashed in its place', async () => {
    const { dir, model } = await workDir({ 'w\uFFFD.bin': 'signed twin\n' });
    const sig = await signModel(dir, model);
    // Node reads `w\xff.bin` as `w\uFFFD.bin`: before, it was opened as its twin and passed unseen.
    await writeFile(Buffer.from(`${model}/w\xff.bin`, 'latin1'), 'EVIL PAYLOAD\n');
    const v = await runCli([...verifyArgs(model, sig), '--json'], { cwd: dir });
    expect(v.code, v.stdout).toBe(1);
    const report = parseReport(v);
    expect(report.verified).toBe(false);
    // The two names read alike, so neither is hashed: the signed one is reported changed, saying why.
    expect(report.files.filter((f) => f.name === 'w\uFFFD.bin')).toEqual([expect.objectContaining({ status: 'changed', note: expect.stringContaining('it cannot be read: its name is not valid UTF-8') })]);
    const d = await runCli(['digest', model], { cwd: dir });
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('its name is not valid UTF-8');
  });

  it('a FIFO in the model: digest and sign exit 2 naming it, sign writes nothing', async () => {
    const { dir, model } = await workDir();
    await run('mkfifo', [join(model, 'pipe')]);
    const d = await runWritingNothing(['digest', model], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('pipe');
    expect(d.stderr).toMatch(/not a regular file/);
    const s = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig')], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('pipe');
  });
});

describe('bad flags', () => {
  it('an unknown flag on digest: exit 2 naming it, and no digest printed', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['digest', model, '--bogus'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument: bogus/);
    expect(r.stdout).toBe('');
  });

  it('an unknown flag on sign: exit 2 naming it, and no signature written', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig'), '--ignore-pats', 'x'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument/);
    expect(r.stderr).toMatch(/ignore-pats/);
    expect(r.stdout).not.toMatch(/Signed|Signature written/);
  });

  it('an unknown flag on verify: exit 2 naming it, and no verdict printed', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const r = await runWritingNothing([...verifyArgs(model, sig), '--ignore-unsigned-file'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument/);
    expect(r.stdout).not.toMatch(/Verification succeeded/);
  });

  it('a one-value flag given twice: exit 2 naming it and its values, nothing signed or written; list flags still repeat', async () => {
    const { dir, model } = await workDir();
    const out = join(dir, 'model.sig');
    const twice: [string[], RegExp][] = [
      // These reached the statement as lists: a bundle whose method or hash_type was a list.
      [['--method', 'files', '--method', 'shards'], /--method takes one value but was given 2: "files", "shards"/],
      [['--hash-algorithm', 'sha256', '--hash_algorithm', 'blake2b'], /--hash-algorithm takes one value but was given 2/],
      // These were an internal error (a path that was a list).
      [['--signature', out, '--signature', join(dir, 'other.sig')], /--signature takes one value/],
      [['--cache-file', join(dir, 'a.json'), '--cache-file', join(dir, 'b.json')], /--cache-file takes one value/],
      [['--private-key', keys.priv], /--private-key takes one value/],
    ];
    for (const [flags, message] of twice) {
      for (const json of [[], ['--json']]) {
        const r = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', out, ...flags, ...json], dir);
        expect(r.code, flags.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/unexpected|\bat /);
        if (json.length > 0) expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: 'usage', code: 'BAD_FLAG' } });
        else expect(r.stdout).toBe('');
      }
    }
    const verify = await runWritingNothing([...verifyArgs(model, join(dir, 'x.sig')), '--public-key', keys.pub], dir);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/--public-key takes one value/);
    // A boolean given twice is still one boolean, and --ignore-paths takes a list either way.
    const listed = await runCli(['digest', model, '--json', '--json', '--ignore-paths', join(model, 'config.json'), '--ignore-paths', join(model, 'weights.bin')], { cwd: dir });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { resources: unknown[] }).resources).toEqual([]);
  });

  it('an empty path (an unset shell variable) or a number flag that is not a number: exit 2 naming it, instead of the current directory or an odd error', async () => {
    const { dir, model } = await workDir();
    const cases: [string[], string][] = [
      // `digest ""` hashed the current directory.
      [['digest', ''], 'the <model> argument is empty'],
      [['sign', 'key', model, '--private-key', keys.priv, '--signature', ''], '--signature is empty'],
      [['sign', 'key', model, '--private-key', ''], '--private-key is empty'],
      [[...verifyArgs(model, join(dir, 'x.sig'), '')], '--public-key is empty'],
      [['digest', model, '--cache-file', ''], '--cache-file is empty'],
      [['digest', model, '--ignore-paths', 'a', '--ignore-paths', ''], '--ignore-paths has an empty value'],
      // A number flag that is not a number was reported as "got NaN".
      [['digest', model, '--max-workers', 'two'], '--max-workers takes a number'],
      [['digest', model, '--method', 'shards', '--shard-size', '1e'], '--shard-size takes a number'],
      // yargs reads an empty number as 0, which was reported as "got 0".
      [['digest', model, '--max-workers', ''], '--max-workers is empty'],
      [['digest', model, '--max_workers='], '--max_workers is empty'],
      [['digest', model, '--method', 'shards', '--shard-size='], '--shard-size is empty'],
      // `-` was reported as an empty value (yargs takes a lone `-` apart) or looked for as a file.
      [['sign', 'key', model, '--private-key', '-'], '--private-key takes a path, and `-` (standard input) is not one: use /dev/stdin'],
      [['sign', 'key', model, '--private-key', keys.priv, '--signature', '-'], '--signature takes a path, and `-` (standard output) is not one: use /dev/stdout'],
      [[...verifyArgs(model, join(dir, 'x.sig')).slice(0, -2), '--public_key', '-'], '--public-key takes a path, and `-` (standard input) is not one: use /dev/stdin'],
      [['sign', 'key', model, '--private-key=-'], 'the private key takes a path, and `-` (standard input) is not one: use /dev/stdin'],
      // A list flag's `-` was reported as "Unknown argument: -".
      [['digest', model, '--ignore-paths', '-'], '--ignore-paths takes a path, and `-` is not one (standard input is /dev/stdin; a file named - is ./-)'],
      [['verify', 'certificate', model, '--signature', join(dir, 'x.sig'), '--certificate-chain', 'a.pem', '--certificate-chain', '-'], '--certificate-chain takes a path, and `-` is not one (standard input is /dev/stdin; a file named - is ./-)'],
      // A flag left without its value took its default silently (sign with --shard-size and no size signed 1 GB shards).
      [['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'x.sig'), '--method', 'shards', '--shard-size'], '--shard-size needs a value'],
      [['digest', model, '--method'], '--method needs a value'],
      [['digest', model, '--max-workers', '--allow-symlinks'], '--max-workers needs a value'],
      [['digest', model, '--ignore-paths', '--', 'x'], '--ignore-paths needs a value'],
      // A value that starts with `-` is read as a flag: it was reported as "--signature is empty".
      [['sign', 'key', model, '--private-key', keys.priv, '--signature', '-m.sig'], '--signature needs a value, and the next word, "-m.sig", is read as a flag (for a value that starts with -, write --signature=-m.sig)'],
      // yargs read these as false: `--json=1` printed text.
      [['digest', model, '--json=1'], '--json=1 takes true or false (or no value)'],
      [['digest', model, '--allow_symlinks=yes'], '--allow_symlinks=yes takes true or false (or no value)'],
    ];
    for (const [args, message] of cases) {
      const r = await runWritingNothing(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: ${message}\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('an unknown flag is named once, as given (yargs adds a camelCase copy)', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['digest', model, '--public-key', 'x', '--trust_config', 'y'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: Unknown arguments: public-key, trust_config (run with --help for usage)\n');
    // An unknown command with a flag said "Unknown arguments: json, foo".
    const command = await runWritingNothing(['foo', '--json'], dir);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe('error: unknown command "foo": name one of digest, sign, verify, push, pull, attach or discover (run with --help for usage)\n');
  });

  it('a misspelt command or flag is answered with the one probably meant; an unknown flag beside a missing required one is named too', async () => {
    const { dir, model } = await workDir();
    const cases: [string[], string][] = [
      [['digset', model], 'unknown command "digset" (did you mean digest?): name one of digest, sign, verify, push, pull, attach or discover'],
      [['verify', 'kye', model], 'unknown verification method "kye" (did you mean key?): name key, certificate or sigstore (a model there means sigstore, as in model_signing, but no file or directory "kye" exists)'],
      [['digest', model, '--metod', 'files'], 'Unknown argument: metod (did you mean --method?)'],
      [['digest', model, '--JSON'], 'Unknown argument: JSON (did you mean --json?)'],
      [['digest', model, '--metod', 'files', '--hash-algoritm', 'sha256'], 'Unknown arguments: metod, hash-algoritm (did you mean --method for --metod, --hash-algorithm for --hash-algoritm?)'],
      // yargs names a misspelt negation without its no- (`jsn`), and the suggestion keeps it.
      [['digest', model, '--no-jsn'], 'Unknown argument: no-jsn (did you mean --no-json?)'],
      [['digest', model, '--no-jsn', '--n'], 'Unknown arguments: no-jsn, n (did you mean --no-json for --no-jsn?)'],
      // yargs named only the missing flag.
      [['verify', 'key', model, '--signature', 'x.sig', '--pubic-key', 'k.pem'], 'Missing required argument: public-key; Unknown argument: pubic-key (did you mean --public-key?)'],
      [['sign', 'key', model, '--privat-key=k.pem', '--signature', 'x.sig'], 'Missing required argument: private-key; Unknown argument: privat-key (did you mean --private-key?)'],
      // yargs puts this on two lines; errors are printed on one (it showed a literal \x0a).
      [['digest', model, '--method', 'x'], 'Invalid values: Argument: method, Given: "x", Choices: "files", "shards"'],
    ];
    for (const [args, message] of cases) {
      const r = await runWritingNothing(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: ${message} (run with --help for usage)\n`);
    }
  });

  it('flags given before the command act as they do after it (yargs took the command word as the value of a leading --json)', async () => {
    const { dir, model } = await workDir({ '.gitignore': 'x\n' });
    const same = async (before: string[], after: string[]) => {
      const early = await runCli(before, { cwd: dir });
      expect(early, before.join(' ')).toEqual(await runCli(after, { cwd: dir }));
      return early;
    };
    const digest = await same(['--json', '--no-ignore-git-paths', '--method', 'shards', 'digest', model], ['digest', model, '--json', '--no-ignore-git-paths', '--method', 'shards']);
    expect(digest.code).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({ serialization: { method: 'shards' }, resources: [{ name: '.gitignore:0:2' }, { name: 'config.json:0:14' }, { name: 'weights.bin:0:24' }] });
    const sig = join(dir, 'model.sig');
    const signed = await runCli(['--json', '--signature', sig, 'sign', 'key', model, '--private-key', keys.priv], { cwd: dir });
    expect(signed.code, signed.stderr).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ signed: true, method: 'key' });
    const verified = await same(['--json', 'verify', 'key', model, '--signature', sig, '--public-key', keys.pub], ['verify', 'key', model, '--signature', sig, '--public-key', keys.pub, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ verified: true });
    // Between `sign` or `verify` and the method too (the method was taken as --json's value).
    expect(await same(['verify', '--json', '--public-key', keys.pub, 'key', model, '--signature', sig], ['verify', 'key', model, '--signature', sig, '--json', '--public-key', keys.pub])).toEqual(verified);
    // A model where the method belongs still means sigstore.
    const keyless = await same(['--json', 'sign', model, '--no-use-ambient-credentials'], ['sign', model, '--no-use-ambient-credentials', '--json']);
    expect(JSON.parse(keyless.stdout).error.code).toBe('NO_IDENTITY');
    // Flags the command does not have are named as unknown, and help is the command's.
    const unknown = await runWritingNothing(['--bogus', 'digest', model], dir);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'error: Unknown argument: bogus (run with --help for usage)\n' });
    const help = await runCli(['--help', 'digest'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^modelsign digest <model>\n/);
  });

  it('verify without --signature: exit 2 naming the missing flag, no follow-on error', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['verify', 'key', model, '--public-key', keys.pub], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing required argument: signature/);
    // The handler must not run with the flag absent (it would report "cannot read signature undefined").
    expect(r.stderr).not.toMatch(/undefined/);
  });

  it('verify certificate without --certificate-chain: exit 2 naming the flag (no fallback to a system or web PKI trust store)', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['verify', 'certificate', model, '--signature', join(dir, 'model.sig')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: Missing required argument: certificate-chain (run with --help for usage)\n');
  });

  it('sign without --private-key: exit 2 naming the missing flag, no follow-on error, writes nothing', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['sign', 'key', model, '--signature', join(dir, 'model.sig')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing required argument: private-key/);
    expect(r.stderr).not.toMatch(/undefined/);
  });

  it('an unknown signing method (`sign foo`): exit 2 naming it, writes nothing', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['sign', 'foo', model, '--private-key', keys.priv], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /m);
    expect(r.stderr).toMatch(/foo|Unknown/);
  });

  it('an unknown verification method (`verify foo`): exit 2', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['verify', 'foo', model], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /m);
  });

  it('--method other than files/shards on digest: exit 2 naming the choices, no digest printed', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['digest', model, '--method', 'other'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/method/);
    expect(r.stderr).toMatch(/"other"/);
    expect(r.stderr).toMatch(/files.*shards/);
    expect(r.stdout).toBe('');
  });

  it('--method other than files/shards on sign: exit 2, no signature written', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig'), '--method', 'other'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"other"/);
  });

  it('--hash-algorithm outside the choices on sign: exit 2 naming it, no signature written, no crash', async () => {
    const { dir, model } = await workDir();
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig'), '--hash-algorithm', 'md5'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hash-algorithm/);
    expect(r.stderr).toMatch(/"md5"/);
    expect(r.stderr).not.toMatch(/Cannot read properties/);
  });

  it.each(['0', '-5', 'abc'])('--method shards --shard-size %s: exit 2 naming the flag; sign writes nothing', async (size) => {
    const { dir, model } = await workDir();
    // The engine's own message ("shard size must be ...") did not name the flag.
    const message = size === 'abc' ? 'error: --shard-size takes a number\n' : `error: --shard-size must be a positive integer, got ${size}\n`;
    const d = await runWritingNothing(['digest', model, '--method', 'shards', `--shard-size=${size}`], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toBe(message);
    expect(d.stdout).toBe('');
    const s = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig'), '--method', 'shards', `--shard-size=${size}`], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe(message);
  });

  it('--shard-size cutting the model into more shards than a signature can carry: exit 2 before any shard is planned or hashed, naming a size that fits; sign writes nothing', async () => {
    const { dir, model } = await workDir({ 'big.bin': 'x'.repeat(600_000) });
    // 600,000 + 24 + 14 one-byte shards, over the 524,288 (64 MiB / 128) a bundle can carry.
    const message = 'error: --shard-size 1 cuts the model into 600038 shards, more than the 524288 resources a signature can carry; a shard size of 2 or more would do\n';
    const d = await runWritingNothing(['digest', model, '--method', 'shards', '--shard-size', '1'], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toBe(message);
    const json = await runWritingNothing(['digest', model, '--method', 'shards', '--shard-size', '1', '--json'], dir);
    expect(JSON.parse(json.stdout)).toEqual({ error: { kind: 'usage', code: 'BAD_SHARD_SIZE', message: message.slice('error: '.length, -1) } });
    const s = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'model.sig'), '--method', 'shards', '--shard-size', '1'], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe(message);
    // The size it names does fit.
    const fits = await runCli(['digest', model, '--method', 'shards', '--shard-size', '2'], { cwd: dir });
    expect(fits.code, fits.stderr).toBe(0);
  });

  it.each(['0', '-1', '1.5'])('--max-workers %s: exit 2 naming the flag (digest, sign and verify)', async (n) => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const before = await snapshot(dir);
    const results = await Promise.all([
      runCli(['digest', model, `--max-workers=${n}`], { cwd: dir }),
      runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'new.sig'), `--max-workers=${n}`], { cwd: dir }),
      runCli([...verifyArgs(model, sig), `--max-workers=${n}`], { cwd: dir }),
    ]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--max-workers must be a positive integer/);
      expect(r.stdout).toBe('');
    }
    expect(await snapshot(dir)).toEqual(before);
  });

  it('--help wraps descriptions between words, never inside one', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    // Joining the wrapped lines back must give every description whole.
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Verify a model against its signature (methods: key, certificate, sigstore; a model in place of the method means sigstore)');
    expect(text).toContain('Push a local model to a registry as a ModelPack artifact (one raw layer per file)');
    expect(text).toContain('List the OMS signatures attached to a model in a registry (not verified)');
  });
});

describe("yargs' help cache (skipHelpCache)", () => {
  // The CLI skips the help text yargs renders and caches after starting a command's handler
  // (7 ms before a model is listed). This fails if a yargs update moves that hook.
  it('is not rendered once skipped, and is without the skip', async () => {
    const { createRequire } = await import('node:module');
    const yargs = createRequire(import.meta.url)('yargs/yargs') as typeof import('yargs/yargs');
    const { skipHelpCache } = await import('../dist/cli/options.js');
    type Internals = { getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean } } };
    const cached = async (skip: boolean): Promise<boolean> => {
      let seen: boolean | undefined;
      const cli = yargs(['run']).command('run', 'a command', {}, async () => {
        await Promise.resolve();
        seen = (cli as unknown as Internals).getInternalMethods().getUsageInstance().hasCachedHelpMessage();
      });
      if (skip) skipHelpCache(cli);
      await cli.parseAsync();
      return seen!;
    };
    expect(await cached(false)).toBe(true);
    expect(await cached(true)).toBe(false);
  });

  it('leaves a command\'s --help whole', async () => {
    const r = await runCli(['digest', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^modelsign digest <model>/);
    expect(r.stdout).toContain('--max-workers');
  });
});

describe('certificate verification inputs', () => {
  it.each([
    { what: 'plain text', content: 'not a certificate\n' },
    { what: 'a public key PEM', content: () => readFileSync(join(KEYS, 'signing-key-pub.pem'), 'utf8') },
  ])('a CA file holding no certificate ($what): verify certificate exits 2 naming it', async ({ content }) => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'model.sig');
    const s = await runCli(
      [
        'sign',
        'certificate',
        model,
        '--private-key',
        join(KEYS, 'signing-key.pem'),
        '--signing-certificate',
        join(KEYS, 'signing-key-cert.pem'),
        '--certificate-chain',
        join(KEYS, 'int-ca-cert.pem'),
        '--signature',
        sig,
      ],
      { cwd: dir },
    );
    expect(s.code, s.stderr).toBe(0);
    const ca = join(dir, 'ca.pem');
    await writeFile(ca, typeof content === 'string' ? content : content());
    const r = await runWritingNothing(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', ca], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(ca);
    expect(r.stderr).toMatch(/holds no PEM certificate/);
    expect(r.stdout).toBe('');
  });

  it('a full-chain file as --signing-certificate (leaf, then its issuer) carries its chain into the bundle, each certificate once; it verifies against the root alone', async () => {
    const { dir, model } = await workDir();
    const fullChain = join(dir, 'fullchain.pem');
    await writeFile(fullChain, `${await readFile(join(KEYS, 'signing-key-cert.pem'), 'utf8')}${await readFile(join(KEYS, 'int-ca-cert.pem'), 'utf8')}`);
    const raw = async (file: string): Promise<string> => new X509Certificate(await readFile(file)).raw.toString('base64');
    // Given again through --certificate-chain, and the leaf too: still each once.
    for (const extra of [[], ['--certificate-chain', join(KEYS, 'int-ca-cert.pem'), '--certificate-chain', join(KEYS, 'signing-key-cert.pem')]]) {
      const sig = join(dir, `full-${extra.length}.sig`);
      const signed = await runCli(['sign', 'certificate', model, '--private-key', join(KEYS, 'signing-key.pem'), '--signing-certificate', fullChain, ...extra, '--signature', sig], { cwd: dir });
      expect(signed.code, signed.stderr).toBe(0);
      const bundle = JSON.parse(await readFile(sig, 'utf8')) as { verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] } } };
      // Before, everything after the first certificate was dropped, and verify found no issuer.
      expect(bundle.verificationMaterial.x509CertificateChain.certificates.map((c) => c.rawBytes)).toEqual([await raw(join(KEYS, 'signing-key-cert.pem')), await raw(join(KEYS, 'int-ca-cert.pem'))]);
      const verified = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', join(KEYS, 'ca-cert.pem')], { cwd: dir });
      expect(verified.code, verified.stderr).toBe(0);
    }
  });

  it(`a chain of more than MAX_CHAIN_CERTIFICATES (${MAX_CHAIN_CERTIFICATES}) certificates, padded with decoys named as the intermediate, is BUNDLE_MALFORMED (exit 1) before any signature check; a chain of ${MAX_CHAIN_CERTIFICATES} verifies`, async () => {
    expect(MAX_CHAIN_CERTIFICATES).toBe(32);
    const { dir, model } = await workDir();
    const sig = join(dir, 'model.sig');
    const signArgs = ['sign', 'certificate', model, '--private-key', join(KEYS, 'signing-key.pem'), '--signing-certificate', join(KEYS, 'signing-key-cert.pem'), '--signature', sig];
    expect((await runCli([...signArgs, '--certificate-chain', join(KEYS, 'int-ca-cert.pem')])).code).toBe(0);
    // A decoy: self-signed, named as the intermediate, so path building checks the leaf's signature against each copy.
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=intermediate-ca', '-keyout', join(dir, 'decoy.key'), '-out', join(dir, 'decoy.pem'), '-days', '2']);
    const decoy = { rawBytes: new X509Certificate(await readFile(join(dir, 'decoy.pem'))).raw.toString('base64') };
    const bundle = JSON.parse(await readFile(sig, 'utf8')) as { verificationMaterial: { x509CertificateChain: { certificates: unknown[] } } };
    const [leaf, intermediate] = bundle.verificationMaterial.x509CertificateChain.certificates;
    const padded = async (decoys: number): Promise<CliResult> => {
      bundle.verificationMaterial.x509CertificateChain.certificates = [leaf, ...Array<unknown>(decoys).fill(decoy), intermediate];
      const path = join(dir, `padded-${decoys}.sig`);
      await writeFile(path, JSON.stringify(bundle));
      return runCli(['verify', 'certificate', model, '--signature', path, '--certificate-chain', join(KEYS, 'ca-cert.pem'), '--json']);
    };
    const atCap = await padded(MAX_CHAIN_CERTIFICATES - 2);
    expect(atCap.code, atCap.stdout).toBe(0);
    // Before, every decoy cost a signature check at each step of path building, and this verified.
    const over = await padded(2000);
    expect(over.code).toBe(1);
    expect(parseReport(over).error).toEqual({ code: 'BUNDLE_MALFORMED', message: 'not a usable Sigstore bundle: x509CertificateChain holds 2002 certificates, more than the 32 a certificate chain may hold' });
    expect(parseReport(over).checks).toEqual([expect.objectContaining({ name: 'bundle', ok: false })]);

    // sign certificate refuses to write a chain no verifier here would read.
    // Distinct certificates: copies of one are carried once.
    const chain = join(dir, 'long-chain.pem');
    const distinct = await Promise.all(
      Array.from({ length: MAX_CHAIN_CERTIFICATES }, async (_, i) => {
        const out = join(dir, `ca-${i}.pem`);
        await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=ca ${i}`, '-keyout', join(dir, `ca-${i}.key`), '-out', out, '-days', '2']);
        return readFile(out, 'utf8');
      }),
    );
    await writeFile(chain, distinct.join(''));
    await rm(sig);
    const refused = await runCli([...signArgs, '--certificate-chain', chain, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toEqual({ kind: 'usage', code: 'CERT_UNUSABLE', message: "the certificate chain holds 32 certificates besides the signing certificate: a bundle's chain may hold at most 32 in all" });
    expect(existsSync(sig)).toBe(false);
  });
});

describe('underscore spellings of flags (as the reference CLI accepts)', () => {
  it('sign key --private_key --ignore_paths, verify key --public_key --ignore_paths', async () => {
    const { dir, model } = await workDir({ 'junk.txt': 'not part of the model\n' });
    const sig = join(dir, 'model.sig');
    // --ignore_paths resolves against the current directory, as --ignore-paths does.
    const s = await runCli(['sign', 'key', 'model', '--private_key', keys.priv, '--signature', sig, '--ignore_paths', 'model/junk.txt'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    const doc = JSON.parse(await readFile(sig, 'utf8')) as { dsseEnvelope: { payload: string } };
    const stmt = JSON.parse(Buffer.from(doc.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      predicate: { serialization: { ignore_paths?: string[] }; resources: ResourceJson[] };
    };
    expect(stmt.predicate.serialization.ignore_paths).toContain('junk.txt');
    expect(stmt.predicate.resources.map((r) => r.name)).toEqual(['config.json', 'weights.bin']);

    await writeFile(join(model, 'later.txt'), 'added after signing\n');
    const [without, withIgnore] = await Promise.all([
      runCli(['verify', 'key', 'model', '--signature', sig, '--public_key', keys.pub], { cwd: dir }),
      runCli(['verify', 'key', 'model', '--signature', sig, '--public_key', keys.pub, '--ignore_paths', 'model/later.txt'], { cwd: dir }),
    ]);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/extra\s+later\.txt/);
    expect(withIgnore.code, withIgnore.stderr).toBe(0);
  });

  it('sign certificate --private_key --signing_certificate --certificate_chain, verify certificate --certificate_chain', async () => {
    const { dir, model } = await workDir();
    const sig = join(dir, 'model.sig');
    const s = await runCli(
      [
        'sign',
        'certificate',
        model,
        '--private_key',
        join(KEYS, 'signing-key.pem'),
        '--signing_certificate',
        join(KEYS, 'signing-key-cert.pem'),
        '--certificate_chain',
        join(KEYS, 'int-ca-cert.pem'),
        '--signature',
        sig,
      ],
      { cwd: dir },
    );
    expect(s.code, s.stderr).toBe(0);
    const doc = JSON.parse(await readFile(sig, 'utf8')) as { verificationMaterial: { x509CertificateChain: { certificates: unknown[] } } };
    // The intermediate given with --certificate_chain is in the bundle.
    expect(doc.verificationMaterial.x509CertificateChain.certificates).toHaveLength(2);
    const v = await runCli(['verify', 'certificate', model, '--signature', sig, '--certificate_chain', join(KEYS, 'ca-cert.pem'), '--json'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(parseReport(v).verified).toBe(true);
  });
});

describe('where the signature and the output go', () => {
  it('a model named through a symbolic link still leaves out a relative --signature and --ignore-paths inside it, as the reference compares real paths (Path.resolve)', async () => {
    const { dir, model } = await workDir({ 'notes.txt': 'scratch\n' });
    await symlink('model', join(dir, 'via'));
    const via = join(dir, 'via');
    // The current directory is the model's real path (the kernel's, whatever the shell says);
    // the model is named through the link, as `~/models/x` or a `$PWD` with a link in it would be.
    const s = await runCli(['sign', 'key', via, '--private-key', keys.priv, '--signature', 'model.sig', '--ignore-paths', 'notes.txt'], { cwd: model });
    expect(s.code, s.stderr).toBe(0);
    const v = await runCli(['verify', 'key', via, '--public-key', keys.pub, '--signature', 'model.sig', '--json'], { cwd: model });
    expect(v.code, v.stdout).toBe(0);
    const report = parseReport(v);
    expect(report.files.map((f) => `${f.name} ${f.status}`).sort()).toEqual(['config.json ok', 'model.sig ignored', 'notes.txt ignored', 'weights.bin ok']);
    // Signing again writes over model.sig: it is left out, not signed as a model file.
    const again = await runCli(['sign', 'key', via, '--private-key', keys.priv, '--signature', 'model.sig', '--ignore-paths', 'notes.txt'], { cwd: model });
    expect(again.code, again.stderr).toBe(0);
    expect((await runCli(['verify', 'key', via, '--public-key', keys.pub, '--signature', 'model.sig'], { cwd: model })).code).toBe(0);
  });

  it('a reference vector verifies through a symbolic link to its directory, its model.sig left out', async () => {
    const dir = await tempDir('modelsign-bad-input-');
    const vector = join(SCRIPT_TESTS, 'v1.0.0-certificate');
    await symlink(vector, join(dir, 'vlink'));
    const v = await runCli(['verify', 'certificate', join(dir, 'vlink'), '--signature', 'model.sig', '--certificate-chain', join(KEYS, 'ca-cert.pem'), '--json'], { cwd: vector });
    expect(v.code, v.stdout).toBe(0);
    expect(parseReport(v).files.filter((f) => f.status !== 'ok').map((f) => `${f.name} ${f.status}`)).toEqual(['model.sig ignored']);
  });

  it('--signature through a symbolic link replaces the file it points to and keeps the link', async () => {
    const { dir, model } = await workDir();
    const first = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'real.sig')]);
    expect(first.code, first.stderr).toBe(0);
    const old = await readFile(join(dir, 'real.sig'), 'utf8');
    await symlink('real.sig', join(dir, 'link.sig'));
    const s = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', join(dir, 'link.sig')]);
    expect(s.code, s.stderr).toBe(0);
    expect(await readlink(join(dir, 'link.sig'))).toBe('real.sig');
    const replaced = await readFile(join(dir, 'real.sig'), 'utf8');
    expect(replaced).not.toBe(old); // ECDSA signatures differ from run to run
    expect(JSON.parse(replaced)).toHaveProperty('dsseEnvelope');
    expect((await readdir(dir)).sort()).toEqual(['link.sig', 'model', 'real.sig']);
    expect((await runCli(['verify', 'key', model, '--public-key', keys.pub, '--signature', join(dir, 'link.sig')])).code).toBe(0);
  });

  it('--signature naming a file that is not a bundle (a model file) is refused before hashing, the file untouched', async () => {
    const { dir, model } = await workDir();
    const weights = join(model, 'weights.bin');
    const before = await readFile(weights);
    const r = await runWritingNothing(['sign', 'key', model, '--private-key', keys.priv, '--signature', weights, '--json'], dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'SIGNATURE_WOULD_OVERWRITE', message: expect.stringContaining('exists and is not a signature bundle') });
    expect(await readFile(weights)).toEqual(before);
    // An existing bundle is replaced, as re-signing needs.
    const sig = await signModel(dir, model);
    const again = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', sig]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('an existing file is replaced when it is a bundle by its opening bytes or by its parsed media type, and refused otherwise', async () => {
    const { dir, model } = await workDir();
    const bundle = JSON.parse(await readFile(await signModel(dir, model), 'utf8')) as Record<string, unknown>;
    const { mediaType, ...rest } = bundle;
    const cases: { name: string; text: string; replaced: boolean }[] = [
      // A bundle cut short is no JSON, but its opening bytes say what it is.
      { name: 'truncated.sig', text: JSON.stringify(bundle, null, 2).slice(0, 300), replaced: true },
      // The media type last: only parsing the whole document finds it.
      { name: 'reordered.sig', text: JSON.stringify({ ...rest, mediaType }), replaced: true },
      { name: 'other.json', text: JSON.stringify({ mediaType: 'application/json', dsseEnvelope: rest.dsseEnvelope }), replaced: false },
      { name: 'other-last.json', text: JSON.stringify({ ...rest, mediaType: 'application/json' }), replaced: false },
      { name: 'escaped.json', text: '{"mediaType": "application\\/vnd.dev.sigstore.bundle.v0.3+json", "x": [', replaced: false },
      // An empty file holds nothing to lose (`touch out.sig`, or a shell's `> out.sig`).
      { name: 'empty.sig', text: '', replaced: true },
    ];
    for (const c of cases) {
      const path = join(dir, c.name);
      await writeFile(path, c.text);
      const r = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', path]);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(c.replaced ? 0 : 2);
      if (c.replaced) expect(JSON.parse(await readFile(path, 'utf8'))).toHaveProperty('dsseEnvelope');
      else {
        expect(r.stderr).toContain('exists and is not a signature bundle');
        expect(await readFile(path, 'utf8')).toBe(c.text);
      }
    }
  });

  it('--signature naming a FIFO writes the bundle into it and leaves it a FIFO (as /dev/stdout would be)', async () => {
    const { dir, model } = await workDir();
    const fifo = join(dir, 'pipe.sig');
    await run('mkfifo', [fifo]);
    // A reader on the other end, as a shell pipeline would have.
    const reader = new Promise<string>((resolve, reject) => execFile('cat', [fifo], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    const s = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', fifo], { timeout: 20_000 });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(await reader)).toHaveProperty('dsseEnvelope');
    expect((await run('stat', ['-c', '%F', fifo])).trim()).toBe('fifo');
  });

  it('a statement of 150,000 shards (a 30 MB bundle) parses and verifies; one too large to be read is not signed (BUNDLE_TOO_LARGE)', () => {
    const shards = (count: number): Manifest => ({
      modelName: 'big',
      serialization: { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 1000 },
      resources: Array.from({ length: count }, (_, i) => ({ name: `weights-${i % 7}.bin:${i * 1000}:${i * 1000 + 1000}`, algorithm: 'sha256-sharded-1000', digest: sha256(String(i)) })),
      rootDigest: '',
    });
    const big = shards(150_000);
    const bytes = signManifest({ ...big, rootDigest: createHash('sha256').update(Buffer.concat(big.resources.map((r) => Buffer.from(r.digest, 'hex')))).digest('hex') }, keySigner(keys.privateKey));
    expect(bytes.length).toBeGreaterThan(25_000_000);
    expect(bytes.length).toBeLessThan(MAX_BUNDLE_BYTES);
    // The base64 check threw RangeError (call stack exceeded) on payloads of some megabytes.
    const parsed = parseBundle(bytes);
    expect(keyVerifier(keys.publicKey).verify(parsed).signer).toMatchObject({ method: 'key' });
    expect(parseStatement(parsed.payload).manifest.resources).toHaveLength(150_000);
    // About 380,000 resources would make a bundle over the limit: refused before signing.
    expect(() => signManifest(shards(400_000), keySigner(keys.privateKey))).toThrow(expect.objectContaining({ kind: 'usage', code: 'BUNDLE_TOO_LARGE', message: expect.stringContaining('400000 resources') }));
  }, 60_000);

  it('an endless or huge input (/dev/zero as signature or key) is refused at 64 MiB (a signature) or 16 MiB (anything else) instead of filling memory', async () => {
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const asSignature = await runCli(['verify', 'key', model, '--public-key', keys.pub, '--signature', '/dev/zero', '--json'], { timeout: 20_000 });
    expect(asSignature.code).toBe(1);
    expect(JSON.parse(asSignature.stdout).error).toMatchObject({ code: 'BUNDLE_MALFORMED', message: expect.stringContaining('/dev/zero holds more than 67108864 bytes') });
    const asKey = await runCli(['verify', 'key', model, '--public-key', '/dev/zero', '--signature', sig], { timeout: 20_000 });
    expect(asKey.code).toBe(2);
    expect(asKey.stderr).toContain('cannot read public key /dev/zero (over 16777216 bytes)');
    // Inputs from a pipe (a shell's <(...)) are read to their end as before.
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const piped = await run('bash', ['-c', `${quote(process.execPath)} ${quote(CLI)} verify key ${quote(model)} --public-key <(cat ${quote(keys.pub)}) --signature <(cat ${quote(sig)})`]);
    expect(piped).toMatch(/^Verification succeeded/);
  });

  it('readSmallFile reads every byte up to its cap and refuses one more, from a file (sized from its stat) or a pipe (no size)', async () => {
    const dir = await tempDir();
    for (const cap of [0, 1, 4096, 65536, 1024 * 1024 + 3]) {
      for (const size of [cap - 1, cap, cap + 1].filter((n) => n >= 0)) {
        const bytes = randomBytes(size);
        const path = join(dir, `f-${cap}-${size}`);
        await writeFile(path, bytes);
        if (size <= cap) expect((await readSmallFile(path, cap)).equals(bytes), `${size} of ${cap}`).toBe(true);
        else await expect(readSmallFile(path, cap), `${size} of ${cap}`).rejects.toBeInstanceOf(FileTooLargeError);
        // Through a pipe, where the buffer starts at 64 KiB and grows.
        const fifo = join(dir, `p-${cap}-${size}`);
        await run('mkfifo', [fifo]);
        const writing = writeFile(fifo, bytes).catch(() => undefined); // the reader may stop first
        if (size <= cap) expect((await readSmallFile(fifo, cap)).equals(bytes), `pipe, ${size} of ${cap}`).toBe(true);
        else await expect(readSmallFile(fifo, cap), `pipe, ${size} of ${cap}`).rejects.toBeInstanceOf(FileTooLargeError);
        await writing;
      }
    }
  });

  it('a reader that closes the output early (| head) ends nothing badly: no EPIPE crash, the exit code stands', async () => {
    const { model } = await workDir();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'digest', model, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // closed before the CLI writes anything
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});

describe('errors that name the problem, and keep secrets out', () => {
  it('a secret flag given twice (--identity-token, --password) is named with its count, never its values, in text or --json', async () => {
    const { dir, model } = await workDir();
    const cases: [string[], string, string[]][] = [
      [['sign', 'sigstore', model, '--identity-token', 'tok-A', '--identity_token', 'token-value-B'], '--identity-token takes one value but was given 2', ['tok-A', 'token-value-B']],
      [['sign', 'key', model, '--private-key', keys.priv, '--password', 'pw-1', '--password', 'hunter22'], '--password takes one value but was given 2', ['pw-1', 'hunter22']],
    ];
    for (const [args, message, secrets] of cases) {
      for (const json of [[], ['--json']]) {
        const r = await runWritingNothing([...args, '--signature', join(dir, 'model.sig'), ...json], dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`error: ${message}\n`);
        if (json.length > 0) expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'usage', code: 'BAD_FLAG', message } });
        for (const secret of secrets) expect(r.stderr + r.stdout).not.toContain(secret);
      }
    }
    // A token where an argument goes is named as unknown, not printed.
    const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const misplaced = await runWritingNothing(['sign', 'sigstore', model, token, '--signature', join(dir, 'model.sig')], dir);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toBe('error: Unknown argument: <identity token> (run with --help for usage)\n');
  });

  it('a stdout that cannot be written (a full disk): exit 2 with "cannot write output", no stack trace; a signature already written is named', async () => {
    // Debian always has it; a machine without it must not count this as passed.
    expect(existsSync('/dev/full'), '/dev/full is needed').toBe(true);
    const { dir, model } = await workDir();
    const sig = await signModel(dir, model);
    const made = join(dir, 'made.sig');
    const cases: [string[], string][] = [
      ...[['digest', model], ['digest', model, '--json'], verifyArgs(model, sig), [...verifyArgs(model, sig), '--json']].map((args): [string[], string] => [args, '']),
      // The signature is complete and stays: only the report is lost, and the error says so.
      [['sign', 'key', model, '--private-key', keys.priv, '--signature', made], ` (only the report was lost: the signature was written to ${made})`],
    ];
    for (const [args, suffix] of cases) {
      const { code, stderr } = await runCliToFullDisk(args);
      // It was exit 1 with Node's report of an uncaught ENOSPC.
      expect(stderr, args.join(' ')).toBe(`error: cannot write output: ENOSPC${suffix}\n`);
      expect(code, args.join(' ')).toBe(2);
    }
    expect((await runCli(verifyArgs(model, made))).code).toBe(0);
  });

  it('--json=true and --json true give a JSON error document; --json=false, --json false and --no-json do not', async () => {
    const { dir, model } = await workDir();
    const missing = join(dir, 'no-such-model');
    // Failures while parsing (an unknown flag, a flag twice) and in a command (a missing model).
    const failures = [['digest', model, '--bogus'], ['digest', model, '--method', 'files', '--method', 'shards'], ['digest', missing]];
    const on = [['--json'], ['--json=true'], ['--json', 'true'], ['--no-json', '--json']];
    const off = [[], ['--json=false'], ['--json', 'false'], ['--no-json'], ['--json', '--json=false']];
    for (const failure of failures) {
      for (const json of [...on, ...off]) {
        const r = await runWritingNothing([...failure, ...json], dir);
        const label = [...failure, ...json].join(' ');
        expect(r.code, label).toBe(2);
        expect(r.stderr, label).toMatch(/^error: /);
        if (on.includes(json)) expect(JSON.parse(r.stdout), label).toMatchObject({ error: { kind: 'usage' } });
        else expect(r.stdout, label).toBe('');
      }
    }
  });

  it('a missing argument taken as a flag\'s value says which flag took it', async () => {
    const { dir, model } = await workDir();
    const cases: [string[], string][] = [
      // Both said "Not enough non-option arguments: got 0, need at least 1".
      [['digest', '--bogus', model], `the <model> argument is missing: --bogus is not a flag of \`digest\`, and it took "${model}" as its value`],
      [['digest', '--', model], 'the <model> argument is missing: words after `--` are not read as arguments; put <model> before `--`'],
      [['verify', 'key', '--signature', 'x.sig'], 'the <model> argument is missing'],
    ];
    for (const [args, message] of cases) {
      const r = await runWritingNothing(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: ${message} (run with --help for usage)\n`);
    }
    // A word after `--` was reported as "---- takes one value".
    const extra = await runWritingNothing(['digest', model, '--', 'x'], dir);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toBe('error: 1 word(s) after `--` that no argument takes: "x"\n');
  });

  it('list flags take one value each time, as model_signing\'s do, and a second word after one is named', async () => {
    const { dir, model } = await workDir();
    const ignore = (name: string): string[] => ['--ignore-paths', join(model, name)];
    // The model after repeated list flags: model_signing's own order (its click options
    // take one value each), which the greedy lists refused as a missing model.
    const d = await runCli(['digest', ...ignore('config.json'), '--ignore_paths', join(model, 'weights.bin'), model, '--json'], { cwd: dir });
    expect(d.code, d.stderr).toBe(0);
    expect((JSON.parse(d.stdout) as { resources: unknown[]; ignored: string[] }).ignored.sort()).toEqual(['config.json', 'weights.bin']);
    const cases: [string[], string][] = [
      [
        ['digest', '--ignore-paths', 'x', 'y', model],
        `Unknown argument: ${model}: --ignore-paths takes one value each time it is given (as in model_signing), so "y" after --ignore-paths "x" was read as an argument; for a second value give the flag again (--ignore-paths "x" --ignore-paths "y")`,
      ],
      [
        ['verify', 'certificate', model, '--signature', 's.sig', '--certificate_chain', 'a.pem', 'b.pem'],
        'Unknown argument: b.pem: --certificate_chain takes one value each time it is given (as in model_signing), so "b.pem" after --certificate_chain "a.pem" was read as an argument; for a second value give the flag again (--certificate_chain "a.pem" --certificate_chain "b.pem")',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runWritingNothing(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: ${message} (run with --help for usage)\n`);
    }
  });

  it('a model where the method belongs means sigstore, as in model_signing; -h is --help', async () => {
    const { dir, model } = await workDir();
    // `sign <model>` said: unknown signing method "<model>".
    const signed = await runWritingNothing(['sign', model, '--identity-token', 'not-a-jwt'], dir);
    expect(signed.code).toBe(2);
    expect(signed.stderr).toMatch(/^error: the identity token is not a JWT with a subject or a verified email/);
    const verified = await runWritingNothing(['verify', model, '--signature', 'x.sig'], dir);
    expect(verified.stderr).toBe('error: Missing required arguments: identity, identity-provider (run with --help for usage)\n');
    // Flags before the model, as click (model_signing's CLI) takes them: it said "unknown verification method", naming a flag's value.
    const flagsFirst = await runWritingNothing(['verify', '--signature', 'x.sig', '--max-workers', '2', model], dir);
    expect(flagsFirst.stderr).toBe('error: Missing required arguments: identity, identity-provider (run with --help for usage)\n');
    const signedFlagsFirst = await runWritingNothing(['sign', '--identity-token', 'not-a-jwt', model], dir);
    expect(signedFlagsFirst.stderr).toMatch(/^error: the identity token is not a JWT with a subject or a verified email/);
    for (const reference of ['oci://127.0.0.1:9/m:v1', 'oci-layout:no-such-layout:v1']) {
      const r = await runWritingNothing(['verify', reference, '--signature', 'x.sig'], dir);
      expect(r.stderr, reference).toBe('error: Missing required arguments: identity, identity-provider (run with --help for usage)\n');
    }
    // model_signing's --use_ambient_credentials is on here whatever is given; off, only a token remains.
    const noAmbient = await runWritingNothing(['sign', model, '--use_ambient_credentials=false'], dir);
    expect(noAmbient.stderr).toBe('error: no identity token: --no-use-ambient-credentials leaves only --identity-token, and modelsign has no interactive sign-in\n');
    const help = await runCli(['sign', 'key', '-h'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--private-key');
  });

  it('`sign` or `verify` without a method, or with an unknown one, says so', async () => {
    const { dir, model } = await workDir();
    const cases: [string[], string][] = [
      // `sign` said "Not enough non-option arguments"; `sign foo <model>` "Unknown argument: <model>".
      [['sign'], 'name a signing method: key, certificate or sigstore'],
      [['sign', '--json'], 'name a signing method: key, certificate or sigstore'],
      [['sign', 'foo', model], 'unknown signing method "foo": name key, certificate or sigstore (a model there means sigstore, as in model_signing, but no file or directory "foo" exists)'],
      [['sign', 'foo'], 'unknown signing method "foo": name key, certificate or sigstore (a model there means sigstore, as in model_signing, but no file or directory "foo" exists)'],
      [['verify'], 'name a verification method: key, certificate or sigstore'],
      [['verify', 'keys', model, '--signature', 'x.sig'], 'unknown verification method "keys" (did you mean key?): name key, certificate or sigstore (a model there means sigstore, as in model_signing, but no file or directory "keys" exists)'],
    ];
    for (const [args, message] of cases) {
      const r = await runWritingNothing(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: ${message} (run with --help for usage)\n`);
    }
  });

  it('a signature or ignore path named `..something` inside the model counts as inside it', async () => {
    const { dir, model } = await workDir({ '..scratch': 'scratch notes\n' });
    const d = await runCli(['digest', model, '--ignore-paths', join(model, '..scratch'), '--json'], { cwd: dir });
    expect((JSON.parse(d.stdout) as { resources: ResourceJson[] }).resources.map((r) => r.name)).toEqual(['config.json', 'weights.bin']);
    // The signature was left out of the hash as "outside the model", so the model then
    // failed its own verification with the bundle as an extra file.
    const sig = join(model, '..sig');
    const s = await runCli(['sign', 'key', model, '--private-key', keys.priv, '--signature', sig, '--ignore-paths', join(model, '..scratch'), '--json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    const v = await runCli([...verifyArgs(model, sig), '--ignore-paths', join(model, '..scratch'), '--json'], { cwd: dir });
    expect(v.code, v.stdout).toBe(0);
    const report = parseReport(v);
    expect(report.files.filter((f) => f.status === 'ok').map((f) => f.name).sort()).toEqual(['config.json', 'weights.bin']);
  });

  it('a symbolic link to a file named `..something` inside the model is not reported as leaving it', async () => {
    const { dir, model } = await workDir({ '..shared.bin': 'shared\n' });
    await symlink('..shared.bin', join(model, 'alias.bin'));
    const d = await runCli(['digest', model, '--allow-symlinks'], { cwd: dir });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toBe('');
    // A link that does leave it still warns.
    await writeFile(join(dir, 'outside.bin'), 'x');
    await symlink('../outside.bin', join(model, 'out.bin'));
    const out = await runCli(['digest', model, '--allow-symlinks'], { cwd: dir });
    expect(out.stderr).toMatch(/^warning: out\.bin is a symbolic link to .*outside\.bin, outside the model\n$/);
  });

  it('verify takes --allow-symlinks / --allow_symlinks (as model_signing does): links pass when the signature allows them, and never otherwise', async () => {
    const { dir, model } = await workDir();
    await symlink('weights.bin', join(model, 'alias.bin'));
    const sig = join(dir, 'links.sig');
    const s = await runCli(['sign', 'key', model, '--allow-symlinks', '--private-key', keys.priv, '--signature', sig], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    for (const flag of [[], ['--allow-symlinks'], ['--allow_symlinks']]) {
      const v = await runCli([...verifyArgs(model, sig), ...flag], { cwd: dir });
      expect(v.code, v.stderr).toBe(0);
    }
    // Signed without links: the flag on verify does not let one in.
    await rm(join(model, 'alias.bin'));
    const plain = await signModel(dir, model);
    await symlink('weights.bin', join(model, 'alias.bin'));
    for (const flag of [[], ['--allow-symlinks']]) {
      const v = await runWritingNothing([...verifyArgs(model, plain), ...flag, '--json'], dir);
      expect(v.code, v.stderr).toBe(1);
      const note = 'present in the model but not signed; it is a symbolic link, and the signature was made without --allow-symlinks (which --allow-symlinks on verify cannot override)';
      expect((JSON.parse(v.stdout) as Report).files).toContainEqual({ name: 'alias.bin', status: 'extra', note });
    }
  });
});
