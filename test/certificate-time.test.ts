/**
 * When a certificate chain must have been valid (`verify certificate --valid-at`). The
 * reference checks a chain as of its leaf's notBefore, so a model it signed keeps verifying
 * after the leaf expires; modelsign does the same by default, says so, and checks at the
 * current time or a given one on request. Leaves are minted with openssl from the
 * reference's own test PKI (root valid 2025-05-02 to 2035-04-30), and each verdict is
 * checked against `openssl verify -attime` at the same time: the reference's verifier is
 * OpenSSL's.
 */
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, run, runCli, writeTree, type CliResult } from './helpers.js';
import { certificateSigner, hashModel, loadPrivateKey, parsePemCertificates, signManifest } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';

const ROOT_CA = join(KEYS, 'ca-cert.pem');
const INTERMEDIATE = join(KEYS, 'int-ca-cert.pem');
const INTERMEDIATE_NOT_BEFORE = '2025-05-02T23:36:28.000Z';

interface Report {
  verified: boolean;
  error?: { code: string; message: string; kind?: string };
  signer?: { validAt: string; notBefore: string; notAfter: string };
  files: unknown[];
  warnings: string[];
}

let dir: string;
let model: string;
/** Signed with a leaf valid 2025-06-01 to 2025-07-01: expired now. */
let expiredSig: string;
/** Signed with a leaf valid from 2025-01-01, before the reference's CAs were. */
let earlySig: string;

/**
 * Mints a leaf for the reference's signing key, issued by its intermediate CA, valid
 * [start, end), signed with SHA-256; or, as options say, another hash, issuer, key, or a CA.
 */
async function mintLeaf(
  name: string,
  subject: string,
  start: string,
  end: string,
  { md = 'sha256', issuer = { cert: INTERMEDIATE, key: join(KEYS, 'int-ca-priv.pem') }, key = join(KEYS, 'signing-key.pem'), extensions = 'leaf' } = {},
): Promise<string> {
  const p = (f: string): string => join(dir, f);
  await writeFile(p(`${name}.index`), '');
  await writeFile(p(`${name}.serial`), '1000\n');
  await writeFile(
    p(`${name}.cnf`),
    [
      '[ca]', 'default_ca = d', '[d]',
      `database = ${p(`${name}.index`)}`, `new_certs_dir = ${dir}`, `serial = ${p(`${name}.serial`)}`,
      `default_md = ${md}`, 'policy = any', '[any]', 'commonName = supplied',
      '[leaf]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = codeSigning',
      '[intermediate]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign', '',
    ].join('\n'),
  );
  await run('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', p(`${name}.csr`)]);
  await run('openssl', [
    'ca', '-batch', '-config', p(`${name}.cnf`), '-cert', issuer.cert, '-keyfile', issuer.key,
    '-in', p(`${name}.csr`), '-out', p(`${name}.pem`), '-startdate', start, '-enddate', end, '-extensions', extensions, '-notext',
  ]);
  return p(`${name}.pem`);
}

/** Signs the model through the library, which checks nothing of the certificate (the CLI refuses an expired one). */
async function signWith(leafPath: string, out: string, intermediate = INTERMEDIATE): Promise<string> {
  const key = loadPrivateKey(await readFile(join(KEYS, 'signing-key.pem')), undefined, 'signing-key.pem');
  const [leaf] = parsePemCertificates(await readFile(leafPath), leafPath);
  const chain = parsePemCertificates(await readFile(intermediate), intermediate);
  const { manifest } = await hashModel(await LocalModelSource.open(model));
  await writeFile(out, signManifest(manifest, certificateSigner(key, leaf!, chain)));
  return out;
}

/**
 * Rewrites one time of a certificate's validity as `value` (a UTCTime that is not a time) and
 * signs it again with its issuer's key: a certificate that verifies, whose validity Node reads
 * as "Bad time value".
 */
async function withMalformedTime(certPath: string, issuerKeyPath: string, field: 'notBefore' | 'notAfter', out: string, value = 'not a time'): Promise<string> {
  const der = new X509Certificate(await readFile(certPath)).raw;
  const tlv = (buf: Buffer, at: number) => {
    let length = buf[at + 1]!;
    let header = 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + buf[at + 2 + i]!;
      header += n;
    }
    return { start: at, content: at + header, end: at + header + length };
  };
  const encode = (tag: number, content: Buffer): Buffer => {
    const n = content.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return Buffer.concat([Buffer.from([tag, ...length]), content]);
  };
  const cert = tlv(der, 0);
  const tbs = tlv(der, cert.content);
  const algorithm = tlv(der, tbs.end);
  const fields: Buffer[] = [];
  for (let at = tbs.content; at < tbs.end; at = tlv(der, at).end) fields.push(der.subarray(at, tlv(der, at).end));
  const v = fields[0]![0] === 0xa0 ? 4 : 3; // validity follows version (if any), serial, signature algorithm, issuer
  const validity = fields[v]!;
  const notBefore = tlv(validity, tlv(validity, 0).content);
  const notAfter = tlv(validity, notBefore.end);
  const malformed = encode(0x17, Buffer.from(value, 'latin1'));
  fields[v] = encode(0x30, Buffer.concat([
    field === 'notBefore' ? malformed : validity.subarray(notBefore.start, notBefore.end),
    field === 'notAfter' ? malformed : validity.subarray(notAfter.start, notAfter.end),
  ]));
  const newTbs = encode(0x30, Buffer.concat(fields));
  const signature = sign('sha256', newTbs, createPrivateKey(await readFile(issuerKeyPath)));
  const signed = encode(0x30, Buffer.concat([newTbs, der.subarray(algorithm.start, algorithm.end), encode(0x03, Buffer.concat([Buffer.from([0]), signature]))]));
  const check = new X509Certificate(signed);
  expect(field === 'notBefore' ? check.validFrom : check.validTo).toBe('Bad time value');
  await writeFile(out, `-----BEGIN CERTIFICATE-----\n${signed.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
  return out;
}

/**
 * OpenSSL's verdict on a leaf's chain at a time (undefined: now), as the reference would
 * reach it: 'accepted', or OpenSSL's own words for why not, so that a refusal for another
 * reason (a bad flag, a missing file) cannot pass for the one a test expects.
 */
async function openssl(leafPath: string, at?: string, intermediate = INTERMEDIATE): Promise<string> {
  const attime = at === undefined ? [] : ['-attime', String(Math.floor(Date.parse(at) / 1000))];
  try {
    await run('openssl', ['verify', ...attime, '-CAfile', ROOT_CA, '-untrusted', intermediate, leafPath]);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
}

const verifyCert = (sig: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['verify', 'certificate', model, '--signature', sig, '--certificate-chain', ROOT_CA, ...extra]);

async function reportOf(sig: string, ...extra: string[]): Promise<{ code: number | null; report: Report }> {
  const r = await verifyCert(sig, '--json', ...extra);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

let expiredLeaf: string;
let earlyLeaf: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelsign-certificate-time-'));
  model = join(dir, 'model');
  await writeTree(model, { 'config.json': '{"layers": 2}', 'weights/model.safetensors': 'weights' });
  expiredLeaf = await mintLeaf('expired', '/CN=expired model signer', '20250601000000Z', '20250701000000Z');
  earlyLeaf = await mintLeaf('early', '/CN=early model signer', '20250101000000Z', '20350101000000Z');
  expiredSig = await signWith(expiredLeaf, join(dir, 'expired.sig'));
  earlySig = await signWith(earlyLeaf, join(dir, 'early.sig'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('verify certificate --valid-at', () => {
  it('the minted leaves are what the tests assume, by OpenSSL: the expired one held when issued, the early one holds only now', async () => {
    expect(await openssl(expiredLeaf, '2025-06-01T00:00:00Z')).toBe('accepted');
    expect(await openssl(expiredLeaf)).toMatch(/certificate has expired/);
    expect(await openssl(earlyLeaf, '2025-01-01T00:00:00Z')).toMatch(/certificate is not yet valid/);
    expect(await openssl(earlyLeaf)).toBe('accepted');
  });

  it('by default, as the reference: a leaf expired since it was issued verifies, with a warning that says so (text and JSON)', async () => {
    const warning =
      'signing certificate "CN=expired model signer" expired on 2025-07-01T00:00:00.000Z: accepted, as the chain is checked as of 2025-06-01T00:00:00.000Z, when the signing certificate was issued (as the reference does; a certificate bundle carries no trusted signing time), and checking at the current time would reject it';
    const { code, report } = await reportOf(expiredSig);
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
    expect(report.signer).toMatchObject({ notBefore: '2025-06-01T00:00:00.000Z', notAfter: '2025-07-01T00:00:00.000Z', validAt: '2025-06-01T00:00:00.000Z' });
    expect(report.warnings).toEqual([warning]);
    // `issued` said outright is the default.
    expect((await reportOf(expiredSig, '--valid-at', 'issued')).report).toEqual(report);

    const text = await verifyCert(expiredSig);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\n  warning: ${warning}\n`);
  });

  it('--valid-at now rejects the expired leaf (exit 1, the expiry named, no file reported), as OpenSSL does now', async () => {
    const { code, report } = await reportOf(expiredSig, '--valid-at', 'now');
    expect(code).toBe(1);
    expect(report.verified).toBe(false);
    expect(report.error).toEqual({ code: 'CERT_UNTRUSTED', message: 'signing certificate "CN=expired model signer" expired on 2025-07-01T00:00:00.000Z' });
    expect(report.files).toEqual([]);
    const text = await verifyCert(expiredSig, '--valid-at', 'now');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('  reason: signing certificate "CN=expired model signer" expired on 2025-07-01T00:00:00.000Z\n');
  });

  it('--valid-at a time: inside the leaf\'s validity verifies without a warning; before it, rejected, as OpenSSL at those times', async () => {
    const inside = '2025-06-15T12:00:00+02:00';
    expect(await openssl(expiredLeaf, inside)).toBe('accepted');
    const ok = await reportOf(expiredSig, '--valid-at', inside);
    expect(ok.code).toBe(0);
    expect(ok.report.signer?.validAt).toBe('2025-06-15T10:00:00.000Z');
    expect(ok.report.warnings).toEqual([]);

    expect(await openssl(expiredLeaf, '2025-05-31T00:00:00Z')).toMatch(/certificate is not yet valid/);
    const before = await reportOf(expiredSig, '--valid-at', '2025-05-31');
    expect(before.code).toBe(1);
    expect(before.report.error).toEqual({ code: 'CERT_UNTRUSTED', message: 'signing certificate "CN=expired model signer" is not valid before 2025-06-01T00:00:00.000Z' });
  });

  it('by default a leaf issued before its CAs were valid is rejected, naming the issuer once; --valid-at now accepts it', async () => {
    const { code, report } = await reportOf(earlySig);
    expect(code).toBe(1);
    // Before, the issuer's subject was named twice: `issuer certificate "CN=intermediate-ca" "CN=intermediate-ca" ...`.
    expect(report.error).toEqual({ code: 'CERT_UNTRUSTED', message: `issuer certificate "CN=intermediate-ca" is not valid before ${INTERMEDIATE_NOT_BEFORE}` });

    const before = Date.now();
    const now = await reportOf(earlySig, '--valid-at', 'now');
    expect(now.code).toBe(0);
    expect(now.report.warnings).toEqual([]);
    const validAt = Date.parse(now.report.signer!.validAt);
    expect(validAt).toBeGreaterThanOrEqual(before);
    expect(validAt).toBeLessThanOrEqual(Date.now());
  });

  it('a --valid-at that is not "issued", "now" or a dated ISO 8601 time is a usage error (exit 2) before the model is read', async () => {
    const cases: [string, string][] = [
      ...['yesterday', '2025-02-30', '2025-06-01T12:00:00', '2025-13-01'].map((value): [string, string] => [
        value,
        `--valid-at must be "issued", "now" or an ISO 8601 date or time with its zone (2025-06-01, 2025-06-01T12:00:00Z), not "${value}"`,
      ]),
      ['', '--valid-at is empty'],
    ];
    for (const [value, message] of cases) {
      const r = await runCli(['verify', 'certificate', join(dir, 'no-such-model'), '--signature', expiredSig, '--certificate-chain', ROOT_CA, '--valid-at', value, '--json']);
      expect(r.code, value).toBe(2);
      expect(JSON.parse(r.stdout), value).toEqual({ error: { kind: 'usage', code: 'BAD_FLAG', message } });
    }
    // Only certificate verification takes it.
    const key = await runCli(['verify', 'key', model, '--signature', expiredSig, '--public-key', join(KEYS, 'signing-key-pub.pem'), '--valid-at', 'now']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('Unknown argument: valid-at');
  });

  it('pull --verify certificate takes --valid-at: with now, the expired leaf\'s model is not pulled; by default it is', async () => {
    const layout = `oci-layout:${join(dir, 'layout')}:v1`;
    expect((await runCli(['push', model, layout])).code).toBe(0);
    expect((await runCli(['attach', layout, '--signature', expiredSig])).code).toBe(0);
    const strict = join(dir, 'pulled-strict');
    const refused = await runCli(['pull', layout, strict, '--verify', 'certificate', '--certificate-chain', ROOT_CA, '--valid-at', 'now']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('expired on 2025-07-01T00:00:00.000Z');
    await expect(access(strict)).rejects.toThrow();

    const pulled = join(dir, 'pulled');
    const ok = await runCli(['pull', layout, pulled, '--verify', 'certificate', '--certificate-chain', ROOT_CA]);
    expect(ok.code).toBe(0);
    expect(await readFile(join(pulled, 'weights/model.safetensors'), 'utf8')).toBe('weights');
  });
});

describe('a certificate whose validity cannot be read', () => {
  let goodLeaf: string;
  beforeAll(async () => {
    goodLeaf = await mintLeaf('good', '/CN=model signer', '20250601000000Z', '20350101000000Z');
  });

  it('a leaf with a malformed notBefore or notAfter is refused, naming it (CERT_UNTRUSTED, exit 1; it crashed), whatever the time, as OpenSSL refuses it', async () => {
    for (const field of ['notBefore', 'notAfter'] as const) {
      const leaf = await withMalformedTime(goodLeaf, join(KEYS, 'int-ca-priv.pem'), field, join(dir, `leaf-bad-${field}.pem`));
      expect(await openssl(leaf), field).toMatch(new RegExp(`format error in certificate's ${field} field`));
      const sig = await signWith(leaf, join(dir, `leaf-bad-${field}.sig`));
      // sign certificate refuses it before hashing, with the same reason.
      const signing = await runCli(['sign', 'certificate', model, '--private-key', join(KEYS, 'signing-key.pem'), '--signing-certificate', leaf, '--certificate-chain', INTERMEDIATE, '--signature', join(dir, 'unwritten.sig'), '--json']);
      expect(signing.code, field).toBe(2);
      expect(JSON.parse(signing.stdout).error, field).toMatchObject({ code: 'CERT_UNUSABLE', message: expect.stringContaining(`signing certificate "CN=model signer" has a ${field} that cannot be read`) });
      const error = { code: 'CERT_UNTRUSTED', message: `signing certificate "CN=model signer" has a ${field} that cannot be read ("Bad time value")` };
      // A NaN notBefore made the default time NaN, which passed every validity check.
      for (const at of [[], ['--valid-at', 'now'], ['--valid-at', '2030-01-01']]) {
        const { code, report } = await reportOf(sig, ...at);
        expect(code, `${field} ${at.join(' ')}`).toBe(1);
        expect(report.error, `${field} ${at.join(' ')}`).toEqual(error);
      }
    }
  });

  it('an intermediate with a malformed notAfter is refused, naming it (it was accepted), as OpenSSL refuses it', async () => {
    const intermediate = await withMalformedTime(INTERMEDIATE, join(KEYS, 'ca-priv.pem'), 'notAfter', join(dir, 'int-bad-notAfter.pem'));
    expect(await openssl(goodLeaf, undefined, intermediate)).toMatch(/format error in certificate's notAfter field/);
    expect(await openssl(goodLeaf)).toBe('accepted');
    const sig = await signWith(goodLeaf, join(dir, 'int-bad-notAfter.sig'), intermediate);
    for (const at of [[], ['--valid-at', 'now']]) {
      const { code, report } = await reportOf(sig, ...at);
      expect(code).toBe(1);
      expect(report.error).toEqual({ code: 'CERT_UNTRUSTED', message: 'issuer certificate "CN=intermediate-ca" has a notAfter that cannot be read ("Bad time value")' });
    }
  });
});

describe('broken cryptography in a chain', () => {
  it('a certificate signed with MD5 or SHA-1, or an issuer with a 1024-bit RSA key, is refused (CERT_UNTRUSTED, exit 1), which OpenSSL (and so the reference) still accepts', async () => {
    const start = '20250601000000Z';
    const end = '20350101000000Z';
    // An intermediate CA with a 1024-bit RSA key, issued by the reference's root with SHA-256.
    const weakKey = join(dir, 'weak-ca.key');
    await run('openssl', ['genrsa', '-out', weakKey, '1024']);
    const weakCa = await mintLeaf('weak-ca', '/CN=weak ca', start, end, { issuer: { cert: ROOT_CA, key: join(KEYS, 'ca-priv.pem') }, key: weakKey, extensions: 'intermediate' });
    const cases = [
      { name: 'md5', leaf: await mintLeaf('md5', '/CN=md5 signer', start, end, { md: 'md5' }), intermediate: INTERMEDIATE, reason: 'certificate "CN=md5 signer" is signed with md5WithRSAEncryption, a broken signature algorithm' },
      { name: 'sha1', leaf: await mintLeaf('sha1', '/CN=sha1 signer', start, end, { md: 'sha1' }), intermediate: INTERMEDIATE, reason: 'certificate "CN=sha1 signer" is signed with sha1WithRSAEncryption, a broken signature algorithm' },
      { name: 'weak', leaf: await mintLeaf('weak', '/CN=weak-issued signer', start, end, { issuer: { cert: weakCa, key: weakKey } }), intermediate: weakCa, reason: 'certificate "CN=weak ca" has a 1024-bit RSA key, weaker than the 2048 bits required' },
    ];
    for (const c of cases) {
      expect(await openssl(c.leaf, undefined, c.intermediate), c.name).toBe('accepted');
      const sig = await signWith(c.leaf, join(dir, `${c.name}.sig`), c.intermediate);
      const { code, report } = await reportOf(sig);
      expect(code, c.name).toBe(1);
      expect(report.error, c.name).toEqual({ code: 'CERT_UNTRUSTED', message: c.reason });
    }
    // The same chain signed with SHA-256 by a 3072-bit CA (the reference's) verifies.
    const sound = await mintLeaf('sound', '/CN=sound signer', start, end);
    expect((await reportOf(await signWith(sound, join(dir, 'sound.sig')))).code).toBe(0);
  });
});
