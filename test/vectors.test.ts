/**
 * Every bundle the reference signed, and every OMS spec vector, gives the result the
 * vectors' SOURCE.md states, through the CLI as a user runs it.
 */
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS, run, runCli, SCRIPT_TESTS, SPEC_VECTORS, tempDir } from './helpers.js';

const PUB = join(KEYS, 'signing-key-pub.pem');
const CA = join(KEYS, 'ca-cert.pem');
const dir = (name: string): string => join(SCRIPT_TESTS, name);
const sig = (name: string): string => join(SCRIPT_TESTS, name, 'model.sig');

interface Report {
  verified: boolean;
  legacy: boolean;
  error?: { code: string };
  checks: { name: string; ok: boolean; message?: string }[];
  files: { name: string; status: string }[];
  signer?: Record<string, unknown>;
  rootDigest?: string;
}

async function verify(method: 'key' | 'certificate', model: string, signature: string, extra: string[] = []) {
  const trust = method === 'key' ? ['--public-key', PUB] : ['--certificate-chain', CA];
  const result = await runCli(['verify', method, model, '--signature', signature, ...trust, '--json', ...extra]);
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

describe('reference bundles (scripts/tests)', () => {
  // A vector added when the vectors are refreshed must not go untested unnoticed.
  it('lists exactly the reference bundles SOURCE.md names, each of which a test below checks', async () => {
    expect((await readdir(SCRIPT_TESTS)).sort()).toEqual([
      'keys',
      ...['v0.2.0-certificate', 'v0.3.1-certificate', 'v0.3.1-elliptic-key', 'v0.3.1-sigstore'],
      ...['v1.0.0-certificate', 'v1.0.0-elliptic-key', 'v1.0.0-sigstore', 'v1.0.1-certificate', 'v1.0.1-elliptic-key', 'v1.0.1-sigstore'],
      ...['v1.1.0-certificate', 'v1.1.0-elliptic-key', 'v1.1.0-sigstore'],
    ]);
  });

  // SOURCE.md: the reference also verifies this certificate bundle as a key bundle (its key
  // verifier ignores the chain). Ours refuses it, on purpose (README, Compatibility notes):
  // recorded on the vector itself, so the divergence cannot change unnoticed.
  it('v1.0.0-certificate under `verify key` with the leaf\'s own key: WRONG_METHOD (exit 1), where the reference passes', async () => {
    const { code, report } = await verify('key', dir('v1.0.0-certificate'), sig('v1.0.0-certificate'));
    expect(code).toBe(1);
    expect(report.error?.code).toBe('WRONG_METHOD');
    expect(report.files).toEqual([]);
  });

  it.each([
    ['v0.3.1-elliptic-key', 'afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b'],
    ['v1.0.0-elliptic-key', 'afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b'],
  ])('%s: single-file model with legacy rawBytes key material passes', async (name, root) => {
    const { code, report } = await verify('key', join(dir(name), 'signme-1'), sig(name));
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
    expect(report.rootDigest).toBe(`sha256:${root}`);
    expect(report.files).toEqual([expect.objectContaining({ name: '.', status: 'ok' })]);
    expect(report.signer).toMatchObject({ method: 'key', legacyKeyMaterial: true });
  });

  it('v1.1.0-elliptic-key passes with its hint', async () => {
    const { code, report } = await verify('key', dir('v1.1.0-elliptic-key'), sig('v1.1.0-elliptic-key'));
    expect(code).toBe(0);
    expect(report.signer).toMatchObject({ keyHint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e', legacyKeyMaterial: false });
    expect(report.files.filter((f) => f.status === 'ok').map((f) => f.name)).toEqual(['signme-1', 'signme-2']);
  });

  it('v1.1.0-elliptic-key fails with any other key (hint mismatch)', async () => {
    const other = await tempDir();
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(other, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const result = await runCli(['verify', 'key', dir('v1.1.0-elliptic-key'), '--signature', sig('v1.1.0-elliptic-key'), '--public-key', join(other, 'pub.pem'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe('KEY_MISMATCH');
  });

  it.each([
    ['v1.0.1-elliptic-key', 'key'],
    ['v1.0.1-certificate', 'certificate'],
  ] as const)('%s fails on the extra ignore-me and passes when it is ignored', async (name, method) => {
    const without = await verify(method, dir(name), sig(name));
    expect(without.code).toBe(1);
    expect(without.report.error?.code).toBe('MODEL_MISMATCH');
    expect(without.report.files).toContainEqual(expect.objectContaining({ name: 'ignore-me', status: 'extra' }));
    const withIgnore = await verify(method, dir(name), sig(name), ['--ignore-paths', join(dir(name), 'ignore-me')]);
    expect(withIgnore.code).toBe(0);
    expect(withIgnore.report.verified).toBe(true);
  });

  it.each(['v0.3.1-certificate', 'v1.0.0-certificate', 'v1.1.0-certificate'])('%s passes against the root CA', async (name) => {
    const { code, report } = await verify('certificate', dir(name), sig(name));
    expect(code).toBe(0);
    expect(report.legacy).toBe(false);
    // Verified over the DSSE v1 PAE: the signature check carries no note.
    expect(report.checks).toContainEqual({ name: 'signature', ok: true });
    expect(report.rootDigest).toBe('sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');
    expect(report.signer).toMatchObject({ method: 'certificate', subject: 'CN=intermediate-ca', chain: ['CN=intermediate-ca', 'CN=intermediate-ca', 'CN=root-ca'], validAt: '2025-05-02T23:36:28.000Z' });
  });

  it('v0.2.0-certificate passes through the reported legacy path', async () => {
    const { code, report } = await verify('certificate', dir('v0.2.0-certificate'), sig('v0.2.0-certificate'));
    expect(code).toBe(0);
    expect(report.legacy).toBe(true);
    // The signature held only over the v0.2 encoding, and the report says so.
    expect(report.checks).toContainEqual({ name: 'signature', ok: true, message: 'verified over the v0.2 pre-authentication encoding' });
    expect(report.files.filter((f) => f.status === 'ok').map((f) => f.name).sort()).toEqual(['signme-1', 'signme-2']);
  });

  it('v0.2.0-certificate fails when a file changed', async () => {
    const copy = join(await tempDir(), 'model');
    await cp(dir('v0.2.0-certificate'), copy, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(copy, 'signme-2'), 'tampered');
    const { code, report } = await verify('certificate', copy, join(copy, 'model.sig'));
    expect(code).toBe(1);
    expect(report.files).toContainEqual(expect.objectContaining({ name: 'signme-2', status: 'changed' }));
  });

  it('certificate bundles need a self-signed trust anchor, as the reference: the intermediate or the leaf given alone fails, as openssl verify fails; given with the root, it passes through to the root', async () => {
    const INT = join(KEYS, 'int-ca-cert.pem');
    const LEAF = join(KEYS, 'signing-key-cert.pem');
    // The reference verifies with OpenSSL's store, without PARTIAL_CHAIN: error 2 (unable to get issuer certificate), error 20 (unable to get local issuer certificate).
    await expect(run('openssl', ['verify', '-CAfile', INT, LEAF])).rejects.toThrow(/error 2 at 1 depth/);
    await expect(run('openssl', ['verify', '-CAfile', LEAF, LEAF])).rejects.toThrow(/error 20 at 0 depth/);
    const trusting = (...files: string[]) => runCli(['verify', 'certificate', dir('v1.1.0-certificate'), '--signature', sig('v1.1.0-certificate'), ...files.flatMap((f) => ['--certificate-chain', f]), '--json']);
    for (const [given, current, issuer] of [[INT, 'CN=intermediate-ca', 'CN=root-ca'], [LEAF, 'CN=intermediate-ca', 'CN=root-ca']] as const) {
      const result = await trusting(given);
      expect(result.code, given).toBe(1);
      // Before, the intermediate (or the leaf) given ended the path as a trust anchor, and this verified.
      expect(JSON.parse(result.stdout).error, given).toEqual({
        code: 'CERT_UNTRUSTED',
        message: `no trusted issuer for "${current}" (issued by "${issuer}"): it is not signed by any given trust anchor or bundled intermediate (the given "CN=intermediate-ca" is not self-signed, so it is no trust anchor: a path must end at a given self-signed certificate)`,
      });
    }
    const withRoot = await trusting(INT, CA);
    expect(withRoot.code).toBe(0);
    expect(JSON.parse(withRoot.stdout).signer.chain).toEqual(['CN=intermediate-ca', 'CN=intermediate-ca', 'CN=root-ca']);
    // --log_fingerprints says which given certificate is a trust anchor.
    const logged = await runCli(['verify', 'certificate', dir('v1.1.0-certificate'), '--signature', sig('v1.1.0-certificate'), '--certificate-chain', INT, '--certificate-chain', CA, '--log_fingerprints', '--json']);
    expect(logged.code).toBe(0);
    expect(logged.stderr).toContain(`of "CN=intermediate-ca" (from ${INT}, not self-signed: an intermediate, not a trust anchor)\n`);
    expect(logged.stderr).toContain(`of "CN=root-ca" (trust anchor from ${CA})\n`);
  });

  it("--log_fingerprints (the reference's flag) prints the SHA-256 fingerprint of each trust anchor and of each certificate in the bundle's chain, as openssl computes them", async () => {
    const fingerprint = async (file: string): Promise<string> => (await run('openssl', ['x509', '-in', join(KEYS, file), '-noout', '-fingerprint', '-sha256'])).trim().replace(/^sha256 Fingerprint=/i, '');
    const [root, intermediate, leaf] = await Promise.all(['ca-cert.pem', 'int-ca-cert.pem', 'signing-key-cert.pem'].map(fingerprint));
    const result = await runCli(['verify', 'certificate', dir('v1.0.0-certificate'), '--signature', sig('v1.0.0-certificate'), '--certificate_chain', CA, '--log_fingerprints', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).verified).toBe(true);
    expect(result.stderr).toBe(
      [
        `note: sha256 fingerprint ${root} of "CN=root-ca" (trust anchor from ${CA})`,
        `note: sha256 fingerprint ${leaf} of "CN=intermediate-ca" (certificate 0 of the bundle's chain)`,
        `note: sha256 fingerprint ${intermediate} of "CN=intermediate-ca" (certificate 1 of the bundle's chain)`,
        '',
      ].join('\n'),
    );
    // Without the flag, none.
    expect((await runCli(['verify', 'certificate', dir('v1.0.0-certificate'), '--signature', sig('v1.0.0-certificate'), '--certificate-chain', CA, '--json'])).stderr).toBe('');
  });

  it('certificate bundles fail against a CA that did not issue them', async () => {
    const work = await tempDir();
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=root-ca', '-keyout', join(work, 'k.pem'), '-out', join(work, 'ca.pem'), '-days', '2']);
    const result = await runCli(['verify', 'certificate', dir('v1.1.0-certificate'), '--signature', sig('v1.1.0-certificate'), '--certificate-chain', join(work, 'ca.pem'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.error?.code).toBe('CERT_UNTRUSTED');
    expect(report.files).toEqual([]);
  });

  it.each(['v0.3.1-sigstore', 'v1.0.0-sigstore', 'v1.0.1-sigstore', 'v1.1.0-sigstore'])('%s is refused by key and certificate verification', async (name) => {
    for (const method of ['key', 'certificate'] as const) {
      const { code, report } = await verify(method, dir(name), sig(name), ['--ignore-paths', join(dir(name), 'ignore-me')]);
      expect(code).toBe(1);
      expect(report.error?.code).toBe('WRONG_METHOD');
    }
  });
});

describe('OMS spec vectors (ossf/model-signing-spec test-vectors/v1.0)', () => {
  /** The spec's valid vectors sign the v1.1.0-elliptic-key model without its model.sig. */
  async function specModel(): Promise<string> {
    const model = join(await tempDir(), 'model');
    await cp(dir('v1.1.0-elliptic-key'), model, { recursive: true, filter: (src) => !src.endsWith('model.sig') });
    return model;
  }

  it('valid/key.bundle.json passes', async () => {
    const { code, report } = await verify('key', await specModel(), join(SPEC_VECTORS, 'valid/key.bundle.json'));
    expect(code).toBe(0);
    expect(report.rootDigest).toBe('sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
  });

  it('valid/certificate.bundle.json passes', async () => {
    const { code, report } = await verify('certificate', await specModel(), join(SPEC_VECTORS, 'valid/certificate.bundle.json'));
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
  });

  it('invalid-payload/wrong-predicate.bundle.json fails: the payload was changed without re-signing', async () => {
    const { code, report } = await verify('key', await specModel(), join(SPEC_VECTORS, 'invalid-payload/wrong-predicate.bundle.json'));
    expect(code).toBe(1);
    expect(report.error?.code).toBe('SIGNATURE_INVALID');
  });

  it('lists exactly the invalid-payload vectors SOURCE.md names', async () => {
    expect((await readdir(join(SPEC_VECTORS, 'invalid-payload'))).sort()).toEqual(['wrong-predicate.bundle.json']);
  });

  it('lists exactly the invalid vectors SOURCE.md names', async () => {
    expect((await readdir(join(SPEC_VECTORS, 'invalid'))).sort()).toEqual([
      'empty.bundle.json',
      'missing-envelope.bundle.json',
      'missing-tlog-entries.bundle.json',
      'missing-verification-material.bundle.json',
    ]);
  });

  it.each(['empty', 'missing-envelope', 'missing-tlog-entries', 'missing-verification-material'])('invalid/%s.bundle.json fails bundle parsing', async (name) => {
    for (const method of ['key', 'certificate'] as const) {
      const { code, report } = await verify(method, await specModel(), join(SPEC_VECTORS, `invalid/${name}.bundle.json`));
      expect(code).toBe(1);
      expect(report.error?.code).toBe('BUNDLE_MALFORMED');
      expect(report.checks).toEqual([expect.objectContaining({ name: 'bundle', ok: false })]);
    }
  });
});
