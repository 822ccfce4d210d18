/**
 * Sigstore keyless: the reference's keyless bundles verify offline against a trusted root,
 * every failure says which check failed, and signing through Fulcio, Rekor and a TSA on
 * loopback produces bundles that verify.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hashModel, signManifestKeyless, type SigningConfigJson } from '../dist/src/engine.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { ROOT, run, runCli, SCHEMAS, SCRIPT_TESTS, SPEC_VECTORS, tempDir, VECTORS, writeTree } from './helpers.js';
import { ACTIONS_RUNTIME_TOKEN, EMAIL_ISSUER, GITHUB_ACTIONS_ISSUER, signJwt, startSigstoreServers, type SigstoreFaults, type SigstoreServers } from './servers/sigstore.js';

const IDENTITY = ['--identity', 'stefanb@us.ibm.com', '--identity-provider', 'https://sigstore.verify.ibm.com/oauth2'];
const PROD_ROOT = join(VECTORS, 'external/sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json');
const CUSTOM_TRUST = join(VECTORS, 'tests/_signing/testdata/custom_trust_config.json');
const dir = (name: string) => join(SCRIPT_TESTS, name);
const sig = (name: string) => join(SCRIPT_TESTS, name, 'model.sig');

interface Report {
  verified: boolean;
  error?: { code: string; message: string };
  signer?: Record<string, unknown>;
  checks: { name: string; ok: boolean }[];
  files: { name: string; status: string }[];
}

/**
 * `verify sigstore --json`, always under the network guard: verification never needs the
 * network, so a run that reached for it (TUF for the pinned root, say) fails here instead
 * of passing online. `env` may add to the environment (its own guard log included).
 */
async function verifySigstore(model: string, signature: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const log = join(await tempDir(), 'network.log');
  await writeFile(log, '');
  const guarded = { NODE_OPTIONS: `--require ${join(ROOT, 'test/support/no-network.cjs')}`, MODELSIGN_NETWORK_LOG: log, ...env };
  const result = await runCli(['verify', 'sigstore', model, '--signature', signature, '--json', ...extra], { env: guarded });
  expect(await readFile(log, 'utf8'), 'network use').toBe('');
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

describe('verify sigstore: the reference vectors', () => {
  const vectors: [string, string[]][] = [
    ['v0.3.1-sigstore', []],
    ['v1.0.0-sigstore', []],
    ['v1.0.1-sigstore', ['--ignore-paths', join(dir('v1.0.1-sigstore'), 'ignore-me')]],
    ['v1.1.0-sigstore', []],
  ];

  it.each(vectors)('%s passes against the sigstore-python trusted root', async (name, ignore) => {
    const { code, report } = await verifySigstore(dir(name), sig(name), [...IDENTITY, '--trusted-root', PROD_ROOT, ...ignore]);
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
    expect(report.signer).toMatchObject({ method: 'sigstore', identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' });
    expect(report.signer?.logIndex).toMatch(/^\d+$/);
    expect(report.signer?.integratedTime).toMatch(/^20\d\d-/);
    expect(report.signer?.logId).toMatch(/^[A-Za-z0-9+/]{40,}=*$/);
  });

  // Under the network guard: the pinned root is used as it is, so a verify that went to
  // tuf-repo-cdn.sigstore.dev instead would be logged (and fail), not pass on the network.
  it.each(vectors)('%s passes against the pinned public-good root, with no flag and no network', async (name, ignore) => {
    const log = join(await tempDir(), 'network.log');
    await writeFile(log, '');
    const env = { NODE_OPTIONS: `--require ${join(ROOT, 'test/support/no-network.cjs')}`, MODELSIGN_NETWORK_LOG: log };
    const { code } = await verifySigstore(dir(name), sig(name), [...IDENTITY, ...ignore], env);
    expect(code).toBe(0);
    expect(await readFile(log, 'utf8')).toBe('');
  });

  it('v1.0.1-sigstore fails on the unsigned ignore-me without the ignore', async () => {
    const { code, report } = await verifySigstore(dir('v1.0.1-sigstore'), sig('v1.0.1-sigstore'), IDENTITY);
    expect(code).toBe(1);
    expect(report.error).toEqual({ code: 'MODEL_MISMATCH', message: 'the model does not match its signature: 0 changed, 0 missing, 1 extra' });
    expect(report.files).toContainEqual(expect.objectContaining({ name: 'ignore-me', status: 'extra' }));
  });

  it('the spec valid/sigstore.bundle.json passes, with its RFC 3161 timestamp reported', async () => {
    const model = join(await tempDir(), 'model');
    await cp(dir('v1.1.0-sigstore'), model, { recursive: true, filter: (src) => !src.endsWith('model.sig') });
    const { code, report } = await verifySigstore(model, join(SPEC_VECTORS, 'valid/sigstore.bundle.json'), IDENTITY);
    expect(code).toBe(0);
    expect(report.signer).toMatchObject({ logIndex: '598151086', integratedTime: '2025-10-10T02:12:20.000Z', rfc3161Timestamps: ['2025-10-10T02:12:20.000Z'] });
  });

  /** The v1.1.0-sigstore model (without its model.sig) and a copy of its bundle whose Rekor entry `edit` changed. */
  async function editedLogEntry(edit: (entry: Record<string, unknown>) => void): Promise<{ model: string; signature: string }> {
    const work = await tempDir();
    const model = join(work, 'model');
    await cp(dir('v1.1.0-sigstore'), model, { recursive: true, filter: (src) => !src.endsWith('model.sig') });
    const bundle = JSON.parse(await readFile(sig('v1.1.0-sigstore'), 'utf8'));
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    edit(bundle.verificationMaterial.tlogEntries[0]);
    const signature = join(work, 'model.sig');
    await writeFile(signature, JSON.stringify(bundle));
    return { model, signature };
  }

  it('without an inclusion promise, the entry logIndex, integratedTime and logId (which nothing signs) are not reported: the logIndex is the one the inclusion proof proved, and nothing in them reaches the text report', async () => {
    const { model, signature } = await editedLogEntry((entry) => {
      expect((entry.inclusionProof as { logIndex: string }).logIndex).toBe('476246824');
      delete entry.inclusionPromise;
      entry.logIndex = '1\u001b[31m\nforged';
      entry.integratedTime = '99999999999999';
    });
    // The RFC 3161 timestamp is the trusted time, so this verifies: only what was authenticated is reported.
    const { code, report } = await verifySigstore(model, signature, IDENTITY);
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
    expect(report.signer).toMatchObject({ logIndex: '476246824', rfc3161Timestamps: ['2025-10-10T02:12:20.000Z'] });
    expect(report.signer).not.toHaveProperty('integratedTime');
    expect(report.signer).not.toHaveProperty('logId');
    const text = await runCli(['verify', 'sigstore', model, '--signature', signature, ...IDENTITY]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('(Sigstore keyless, Rekor log index 476246824, timestamped 2025-10-10T02:12:20.000Z)');
    expect(text.stdout).not.toMatch(/forged|\u001b|integrated/);
  });

  it('an integratedTime past the last date (99999999999999) is never reported nor crashes, with or without the promise', async () => {
    for (const promise of [false, true]) {
      const { model, signature } = await editedLogEntry((entry) => {
        if (!promise) delete entry.inclusionPromise;
        entry.integratedTime = '99999999999999';
      });
      const { code, report } = await verifySigstore(model, signature, IDENTITY);
      // With the promise, the time counts as a trusted timestamp: it is checked (and refused) against
      // the Fulcio certificate's validity before the promise's signature; without it, it is not reported.
      if (promise) {
        expect(code).toBe(1);
        expect(report.error?.code).toBe('SIGSTORE_CERTIFICATE');
      } else {
        expect(code).toBe(0);
        expect(report.signer).toMatchObject({ logIndex: '476246824' });
        expect(report.signer).not.toHaveProperty('integratedTime');
      }
    }
  });

  it('with the inclusion promise, an edited logIndex fails it: the reported entry values are the signed ones', async () => {
    const { model, signature } = await editedLogEntry((entry) => {
      entry.logIndex = '598151087';
    });
    const { code, report } = await verifySigstore(model, signature, IDENTITY);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('SIGSTORE_TLOG_INCLUSION_PROMISE');
  });

  it('a ClientTrustConfig (--trust-config) is accepted', async () => {
    const { code, report } = await verifySigstore(dir('v1.0.0-sigstore'), sig('v1.0.0-sigstore'), [...IDENTITY, '--trust-config', CUSTOM_TRUST]);
    expect(code).toBe(0);
    expect(report.signer?.trustRoot).toBe(CUSTOM_TRUST);
  });

  it('a wrong identity fails the identity policy, naming both values', async () => {
    const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), sig('v1.1.0-sigstore'), ['--identity', 'mallory@example.com', '--identity-provider', 'https://sigstore.verify.ibm.com/oauth2']);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('SIGSTORE_UNTRUSTED_SIGNER');
    expect(report.error?.message).toContain('identity is "stefanb@us.ibm.com", expected "mallory@example.com"');
    expect(report.checks).toContainEqual({ name: 'signature', ok: false, message: report.error?.message });
  });

  it('an identity that only matches as a regular expression, or as part of the SAN, fails the identity policy', async () => {
    // A prefix (an unanchored end), a suffix (an unanchored start), a `.` that would match any character.
    for (const identity of ['stefanb@us.ibm.co', 'b@us.ibm.com', 'us.ibm.com', 'stefanb@us.ibm.c.m']) {
      const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), sig('v1.1.0-sigstore'), ['--identity', identity, '--identity-provider', 'https://sigstore.verify.ibm.com/oauth2']);
      expect(code, identity).toBe(1);
      expect(report.verified, identity).toBe(false);
      expect(report.error, identity).toEqual({
        code: 'SIGSTORE_UNTRUSTED_SIGNER',
        message: `Sigstore check failed: identity policy: identity is "stefanb@us.ibm.com", expected "${identity}"`,
      });
      expect(report.files, identity).toEqual([]);
    }
  });

  it('a wrong identity provider fails the identity policy', async () => {
    const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), sig('v1.1.0-sigstore'), ['--identity', 'stefanb@us.ibm.com', '--identity-provider', 'https://accounts.google.com']);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('SIGSTORE_UNTRUSTED_SIGNER');
    expect(report.error?.message).toContain('identity provider is "https://sigstore.verify.ibm.com/oauth2", expected "https://accounts.google.com"');
  });

  it('a tampered model fails, naming the file', async () => {
    const model = join(await tempDir(), 'model');
    await cp(dir('v1.1.0-sigstore'), model, { recursive: true });
    await writeFile(join(model, 'signme-1'), 'tampered');
    const { code, report } = await verifySigstore(model, join(model, 'model.sig'), IDENTITY);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('MODEL_MISMATCH');
    expect(report.files).toContainEqual(expect.objectContaining({ name: 'signme-1', status: 'changed' }));
  });

  it('a changed signature fails the Sigstore checks', async () => {
    const work = await tempDir();
    const bundle = JSON.parse(await readFile(sig('v1.1.0-sigstore'), 'utf8'));
    const raw = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    raw[raw.length - 3]! ^= 1;
    bundle.dsseEnvelope.signatures[0].sig = raw.toString('base64');
    await writeFile(join(work, 'model.sig'), JSON.stringify(bundle));
    const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), join(work, 'model.sig'), IDENTITY);
    expect(code).toBe(1);
    // The RFC 3161 timestamp is over the signature bytes: it is the first check to notice.
    expect(report.error).toEqual({ code: 'SIGSTORE_TIMESTAMP', message: 'Sigstore check failed: timestamps: timestamp could not be verified' });
    expect(report.files).toEqual([]);
  });

  it('a changed payload fails: the Rekor entry no longer matches', async () => {
    const work = await tempDir();
    const bundle = JSON.parse(await readFile(sig('v1.0.0-sigstore'), 'utf8'));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8').replace('"allow_symlinks": false', '"allow_symlinks": true');
    bundle.dsseEnvelope.payload = Buffer.from(payload).toString('base64');
    await writeFile(join(work, 'model.sig'), JSON.stringify(bundle));
    const { code, report } = await verifySigstore(dir('v1.0.0-sigstore'), join(work, 'model.sig'), IDENTITY);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('SIGSTORE_TLOG_BODY');
  });

  /** The v1.0.0-sigstore vector rewritten in the v0.2 bundle form: its Fulcio certificate as a one-certificate x509CertificateChain. */
  async function asV02Bundle(): Promise<string> {
    const bundle = JSON.parse(await readFile(sig('v1.0.0-sigstore'), 'utf8'));
    const vm = bundle.verificationMaterial;
    expect(vm.certificate?.rawBytes).toMatch(/^MII/);
    expect(vm.tlogEntries[0].inclusionProof).toBeDefined();
    vm.x509CertificateChain = { certificates: [vm.certificate] };
    delete vm.certificate;
    bundle.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
    const path = join(await tempDir(), 'model.sig');
    await writeFile(path, JSON.stringify(bundle));
    return path;
  }

  it('a v0.2 bundle (the Fulcio certificate in x509CertificateChain, as older clients wrote) verifies, and holds to the identity', async () => {
    const v02 = await asV02Bundle();
    // The vector's own model.sig lies in the model: this copy of it is checked from elsewhere.
    const ok = await verifySigstore(dir('v1.0.0-sigstore'), v02, [...IDENTITY, '--ignore-paths', sig('v1.0.0-sigstore')]);
    expect(ok.code).toBe(0);
    expect(ok.report.signer).toMatchObject({ method: 'sigstore', identity: 'stefanb@us.ibm.com' });
    const wrong = await verifySigstore(dir('v1.0.0-sigstore'), v02, ['--identity', 'someone@example.com', '--identity-provider', 'https://sigstore.verify.ibm.com/oauth2']);
    expect(wrong.code).toBe(1);
    expect(wrong.report.error?.code).toBe('SIGSTORE_UNTRUSTED_SIGNER');
    expect(wrong.report.error?.message).toContain('identity is "stefanb@us.ibm.com", expected "someone@example.com"');
    // Its chain is a keyless signer's (it has log entries), so `verify certificate` points to `verify sigstore`.
    const cert = await runCli(['verify', 'certificate', dir('v1.0.0-sigstore'), '--signature', v02, '--certificate-chain', join(SCRIPT_TESTS, 'keys/certificate/ca-cert.pem'), '--json']);
    expect(cert.code).toBe(1);
    expect(JSON.parse(cert.stdout).error).toMatchObject({ code: 'WRONG_METHOD', message: expect.stringContaining('verify it with `verify sigstore`') });
  });

  it('a key bundle verified as sigstore fails with WRONG_METHOD', async () => {
    const { code, report } = await verifySigstore(dir('v1.1.0-elliptic-key'), sig('v1.1.0-elliptic-key'), IDENTITY);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('WRONG_METHOD');
  });

  it('invalid/missing-tlog-entries.bundle.json fails', async () => {
    const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), join(SPEC_VECTORS, 'invalid/missing-tlog-entries.bundle.json'), IDENTITY);
    expect(code).toBe(1);
    expect(report.error?.code).toBe('BUNDLE_MALFORMED');
  });

  it('flag misuse is a usage error, each with its own code (yargs also exits 2, for a flag it does not know)', async () => {
    const base = ['verify', 'sigstore', dir('v1.1.0-sigstore'), '--signature', sig('v1.1.0-sigstore'), '--json', ...IDENTITY];
    const cases: [string[], string, string][] = [
      [[...base, '--offline', '--refresh-trust-root'], 'BAD_FLAG', '--refresh-trust-root needs the network, which --offline forbids'],
      [[...base, '--trusted-root', PROD_ROOT, '--trust-config', CUSTOM_TRUST], 'BAD_FLAG', '--trusted-root and --trust-config cannot be combined: choose one source of trust'],
      [[...base, '--use-staging'], 'NO_STAGING_ROOT', "no staging trusted root is pinned in this package: pass staging's trusted_root.json with --trusted-root, or a --trust-config"],
      [[...base, '--trusted-root', sig('v1.1.0-sigstore')], 'TRUST_ROOT_INVALID', `${sig('v1.1.0-sigstore')} is not a Sigstore trusted root (mediaType "application/vnd.dev.sigstore.bundle.v0.3+json")`],
      [['verify', 'sigstore', dir('v1.1.0-sigstore'), '--signature', sig('v1.1.0-sigstore'), '--json'], 'BAD_USAGE', 'Missing required arguments: identity, identity-provider (run with --help for usage)'],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(args);
      expect(r.code, code).toBe(2);
      expect(JSON.parse(r.stdout), message).toEqual({ error: { kind: 'usage', code, message } });
      expect(r.stderr, message).toBe(`error: ${message}\n`);
    }
  });

  it('a trusted root with a wrong mediaType (otherwise the real root) is refused: exit 2, TRUST_ROOT_INVALID', async () => {
    const work = await tempDir();
    const root = JSON.parse(await readFile(PROD_ROOT, 'utf8')) as Record<string, unknown>;
    const args = (path: string) => [...IDENTITY, '--trusted-root', path];
    // Control: the copy with its real mediaType verifies.
    await writeFile(join(work, 'real.json'), JSON.stringify(root));
    expect((await verifySigstore(dir('v1.1.0-sigstore'), sig('v1.1.0-sigstore'), args(join(work, 'real.json')))).code).toBe(0);
    for (const mediaType of ['application/json', 'application/vnd.dev.sigstore.bundle.v0.3+json', undefined]) {
      const path = join(work, 'root.json');
      await writeFile(path, JSON.stringify({ ...root, mediaType }));
      const r = await runCli(['verify', 'sigstore', dir('v1.1.0-sigstore'), '--signature', sig('v1.1.0-sigstore'), '--json', ...args(path)]);
      expect(r.code, String(mediaType)).toBe(2);
      const message = `${path} is not a Sigstore trusted root (mediaType ${JSON.stringify(mediaType)})`;
      expect(JSON.parse(r.stdout), String(mediaType)).toEqual({ error: { kind: 'usage', code: 'TRUST_ROOT_INVALID', message } });
    }
  });
});

describe('verify sigstore works with no network at all', () => {
  const guard = join(ROOT, 'test/support/no-network.cjs');

  it('verifies in a process whose every connection fails', async () => {
    const log = join(await tempDir(), 'network.log');
    await writeFile(log, '');
    const env = { NODE_OPTIONS: `--require ${guard}`, MODELSIGN_NETWORK_LOG: log };
    const { code, report } = await verifySigstore(dir('v1.1.0-sigstore'), sig('v1.1.0-sigstore'), [...IDENTITY, '--offline'], env);
    expect(code).toBe(0);
    expect(report.verified).toBe(true);
    expect(await readFile(log, 'utf8')).toBe('');
  });

  it('the guard does block the network (the one online step fails under it)', async () => {
    const log = join(await tempDir(), 'network.log');
    await writeFile(log, '');
    const env = { NODE_OPTIONS: `--require ${guard}`, MODELSIGN_NETWORK_LOG: log, XDG_CACHE_HOME: await tempDir() };
    const result = await runCli(['verify', 'sigstore', dir('v1.1.0-sigstore'), '--signature', sig('v1.1.0-sigstore'), ...IDENTITY, '--refresh-trust-root'], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot refresh the trusted root through TUF');
    // The cause is named, not only TUF's summary of it.
    expect(result.stderr).toContain('network access is blocked in this test process');
    expect(await readFile(log, 'utf8')).not.toBe('');
  });

  it('the TUF cache goes under $HOME/.cache when XDG_CACHE_HOME is empty or relative (never the current directory), and an unusable one is local input', async () => {
    const refresh = ['verify', 'sigstore', dir('v1.1.0-sigstore'), '--signature', sig('v1.1.0-sigstore'), ...IDENTITY, '--refresh-trust-root'];
    for (const xdg of ['', 'relative']) {
      const home = await tempDir();
      const cwd = await tempDir();
      const env = { NODE_OPTIONS: `--require ${guard}`, HOME: home, XDG_CACHE_HOME: xdg };
      const result = await runCli(refresh, { env, cwd });
      expect(result.code, result.stderr).toBe(3);
      expect(readdirSync(cwd)).toEqual([]);
      expect(readdirSync(join(home, '.cache', 'modelsign'))).toEqual(['tuf']);
    }
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, '');
    const result = await runCli([...refresh, '--json'], { env: { NODE_OPTIONS: `--require ${guard}`, XDG_CACHE_HOME: file } });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ kind: 'usage', code: 'TUF_CACHE_UNUSABLE', message: expect.stringContaining(`cannot use ${join(file, 'modelsign', 'tuf')} to keep TUF metadata`) });
  });
});

/** The DER of the SCT-list extension's OID, 1.3.6.1.4.1.11129.2.4.2 (RFC 6962). */
const SCT_LIST_OID = Buffer.from('060a2b06010401d679020402', 'hex');

describe('sign sigstore through Fulcio, Rekor and a TSA on loopback', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
  const validBundle = ajv.getSchema('https://model_signing/bundle/v1.0/schema')!;

  /** A GitHub Actions token for acme/models' release workflow, from the deployment's issuer: Fulcio certifies the workflow URI. */
  const githubClaims = { iss: GITHUB_ACTIONS_ISSUER, sub: 'repo:acme/models:ref:refs/heads/main', job_workflow_ref: 'acme/models/.github/workflows/release.yml@refs/heads/main' };
  const githubToken = (servers: SigstoreServers) => servers.identityToken(githubClaims);

  async function signedModel(faults: SigstoreFaults = {}) {
    const work = await tempDir();
    const servers = await startSigstoreServers(work, undefined, faults);
    const model = join(work, 'model');
    await writeTree(model, { 'weights.bin': 'weights', 'config.json': '{}' });
    const identity = 'https://github.com/acme/models/.github/workflows/release.yml@refs/heads/main';
    const token = githubToken(servers);
    const signed = await runCli(['sign', 'sigstore', model, '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig'), '--json']);
    await servers.close();
    return { work, servers, model, identity, signed };
  }

  it('signs, and the bundle carries a certificate, a Rekor entry and a timestamp', async () => {
    const { work, servers, signed } = await signedModel();
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ signed: true, method: 'sigstore' });
    expect(servers.requests).toEqual(['POST /api/v2/signingCert', 'POST /api/v1/log/entries', 'POST /api/v1/timestamp']);
    const bundle = JSON.parse(await readFile(join(work, 'model.sig'), 'utf8'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64').includes(SCT_LIST_OID)).toBe(true);
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(bundle.verificationMaterial.tlogEntries[0].kindVersion.kind).toBe('dsse');
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    expect(validBundle(bundle), JSON.stringify(validBundle.errors)).toBe(true);
  });

  it('the new bundle verifies against the deployment trust, with --trust-config and --trusted-root', async () => {
    const { work, servers, model, identity } = await signedModel();
    const issuer = ['--identity', identity, '--identity-provider', 'https://token.actions.githubusercontent.com'];
    const viaConfig = await verifySigstore(model, join(work, 'model.sig'), [...issuer, '--trust-config', servers.trustConfigPath]);
    expect(viaConfig.code, viaConfig.stdout).toBe(0);
    expect(viaConfig.report.signer).toMatchObject({ identity, logIndex: expect.stringMatching(/^\d+$/) });
    expect(viaConfig.report.signer?.rfc3161Timestamps).toHaveLength(1);
    const viaRoot = await verifySigstore(model, join(work, 'model.sig'), [...issuer, '--trusted-root', servers.trustedRootPath]);
    expect(viaRoot.code, viaRoot.stdout).toBe(0);
    const publicGood = await verifySigstore(model, join(work, 'model.sig'), issuer);
    expect(publicGood.code).toBe(1);
    // The loopback TSA is not one the public-good root trusts: its timestamp is the first check to fail.
    expect(publicGood.report.error).toEqual({ code: 'SIGSTORE_TIMESTAMP', message: 'Sigstore check failed: timestamps: timestamp could not be verified' });
    await writeFile(join(model, 'weights.bin'), 'changed');
    const tampered = await verifySigstore(model, join(work, 'model.sig'), [...issuer, '--trust-config', servers.trustConfigPath]);
    expect(tampered.code).toBe(1);
    expect(tampered.report.files).toContainEqual(expect.objectContaining({ name: 'weights.bin', status: 'changed' }));
  });

  it("a certificate whose embedded SCT no trusted CT log signed fails SIGSTORE_CERTIFICATE: the trusted root's CT logs are checked, not skipped", async () => {
    const { work, servers, model, identity } = await signedModel();
    const issuer = ['--identity', identity, '--identity-provider', 'https://token.actions.githubusercontent.com'];
    const root = JSON.parse(await readFile(servers.trustedRootPath, 'utf8'));
    // The deployment's root as it is, but for its CT log: another key under the same log ID
    // (the SCT is found, its signature does not verify), or no CT log at all (none is found).
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const variants = { 'another key': [{ ...root.ctlogs[0], publicKey: { ...root.ctlogs[0].publicKey, rawBytes: otherKey } }], 'no CT log': [] };
    for (const [what, ctlogs] of Object.entries(variants)) {
      const path = join(work, `root-${what.replaceAll(' ', '-')}.json`);
      await writeFile(path, JSON.stringify({ ...root, ctlogs }));
      const { code, report } = await verifySigstore(model, join(work, 'model.sig'), [...issuer, '--trusted-root', path]);
      expect(code, what).toBe(1);
      expect(report.error, what).toEqual({ code: 'SIGSTORE_CERTIFICATE', message: 'Sigstore check failed: Fulcio certificate chain: SCT verification failed' });
    }
    // The same bundle against the unchanged root passes (the test above), so the CT log is what fails.
    expect((await verifySigstore(model, join(work, 'model.sig'), [...issuer, '--trusted-root', servers.trustedRootPath])).code).toBe(0);
  });

  it('a certificate with no SCT at all (a CA outside certificate transparency): sign refuses the bundle the services returned (exit 3, nothing written), and verify fails it SIGSTORE_CERTIFICATE', async () => {
    const { work, servers, model, identity, signed } = await signedModel({ noSct: true });
    // The CLI checks what Fulcio, Rekor and the TSA returned against the trust config's root before writing it.
    expect(signed.code, signed.stderr).toBe(3);
    expect(JSON.parse(signed.stdout)).toEqual({
      error: {
        kind: 'remote',
        code: 'SIGSTORE_SIGN_FAILED',
        message: `keyless signing failed: the bundle the Sigstore services returned does not verify against ${servers.trustConfigPath} (CERTIFICATE_ERROR): expected 1 SCTs, got 0; nothing was written`,
      },
    });
    expect(existsSync(join(work, 'model.sig'))).toBe(false);
    // Made through the library, which checks only when given a trusted root, the same bundle fails verification.
    await mkdir(join(work, 'again'));
    const again = await startSigstoreServers(join(work, 'again'), undefined, { noSct: true });
    const manifest = (await hashModel(await LocalModelSource.open(model))).manifest;
    const signingConfig = (JSON.parse(await readFile(again.trustConfigPath, 'utf8')) as { signingConfig: SigningConfigJson }).signingConfig;
    await writeFile(join(work, 'model.sig'), await signManifestKeyless(manifest, { signingConfig, identityToken: githubToken(again) }));
    await again.close();
    // The leaf is a valid certificate with no SCT-list extension (OID 1.3.6.1.4.1.11129.2.4.2).
    const leaf = Buffer.from(JSON.parse(await readFile(join(work, 'model.sig'), 'utf8')).verificationMaterial.certificate.rawBytes, 'base64');
    expect(new X509Certificate(leaf).subjectAltName).toBe(`URI:${identity}`);
    expect(leaf.includes(SCT_LIST_OID)).toBe(false);
    const { code, report } = await verifySigstore(model, join(work, 'model.sig'), ['--identity', identity, '--identity-provider', 'https://token.actions.githubusercontent.com', '--trusted-root', again.trustedRootPath]);
    expect(code).toBe(1);
    expect(report.error).toEqual({ code: 'SIGSTORE_CERTIFICATE', message: 'Sigstore check failed: Fulcio certificate chain: expected 1 SCTs, got 0' });
  });

  it('a --signature that cannot be written (a directory, or in a directory that does not exist) is refused before Fulcio or Rekor is asked: no log entry for a signature that could not be kept', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    onTestFinished(() => servers.close());
    const model = join(work, 'model');
    await writeTree(model, { 'weights.bin': 'weights' });
    await mkdir(join(work, 'adir'));
    for (const [path, why] of [
      [join(work, 'adir'), 'it is a directory'],
      [join(work, 'nodir', 'model.sig'), `its directory ${join(work, 'nodir')} does not exist`],
    ] as const) {
      const r = await runCli(['sign', 'sigstore', model, '--identity-token', githubToken(servers), '--trust-config', servers.trustConfigPath, '--signature', path, '--json']);
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'usage', code: 'SIGNATURE_WRITE_FAILED', message: `cannot write signature ${path}: ${why}` } });
    }
    expect(servers.requests).toEqual([]);
  });

  it('a trust config naming a Sigstore service over plain http off loopback is TRUST_CONFIG_INVALID (exit 2) before the token is sent anywhere', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    onTestFinished(() => servers.close());
    const model = join(work, 'model');
    await writeTree(model, { 'weights.bin': 'weights' });
    const config = JSON.parse(await readFile(servers.trustConfigPath, 'utf8')) as { signingConfig: { caUrls: { url: string }[] } };
    config.signingConfig.caUrls[0]!.url = 'http://fulcio.example.invalid';
    const path = join(work, 'plain.json');
    await writeFile(path, JSON.stringify(config));
    const r = await runCli(['sign', 'sigstore', model, '--identity-token', githubToken(servers), '--trust-config', path, '--signature', join(work, 'model.sig'), '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        kind: 'usage',
        code: 'TRUST_CONFIG_INVALID',
        message: `${path} names http://fulcio.example.invalid in caUrls: identity tokens and signatures would travel unencrypted; Sigstore services must use https (plain http only on loopback)`,
      },
    });
    expect(servers.requests).toEqual([]);
    expect(existsSync(join(work, 'model.sig'))).toBe(false);
  });

  it('signs with an email identity: the proof of possession is over the email, and the bundle verifies against it', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    const model = join(work, 'model');
    await writeTree(model, { 'weights.bin': 'weights' });
    // `sub` is not the email: Fulcio's email issuers want the proof over the email.
    const token = servers.identityToken({ iss: EMAIL_ISSUER, sub: 'CgVhbGljZRIEbWFpbA', email: 'alice@example.com', email_verified: true });
    const signed = await runCli(['sign', 'sigstore', model, '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig')]);
    await servers.close();
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const identity = ['--identity', 'alice@example.com', '--identity-provider', EMAIL_ISSUER];
    const verified = await verifySigstore(model, join(work, 'model.sig'), [...identity, '--trust-config', servers.trustConfigPath]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.report.signer).toMatchObject({ method: 'sigstore', identity: 'alice@example.com', issuer: EMAIL_ISSUER });
  });

  it('an expired identity token (flag or SIGSTORE_ID_TOKEN) is refused before hashing: IDENTITY_TOKEN_EXPIRED, exit 2, saying when it expired; Fulcio is not asked, nothing is written', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await writeTree(join(work, 'model'), { a: 'a' });
    const now = Math.floor(Date.now() / 1000);
    const token = servers.identityToken({ ...githubClaims, iat: now - 1200, exp: now - 600 });
    const sign = ['sign', 'sigstore', join(work, 'model'), '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig'), '--json'];
    const byFlag = await runCli([...sign, '--identity-token', token]);
    const byEnv = await runCli(sign, { env: { SIGSTORE_ID_TOKEN: token, ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' } });
    await servers.close();
    for (const result of [byFlag, byEnv]) {
      expect(result.code, result.stderr).toBe(2);
      const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
      expect(error.code).toBe('IDENTITY_TOKEN_EXPIRED');
      expect(error.message).toMatch(new RegExp(`^the identity token expired at ${new Date((now - 600) * 1000).toISOString().replace(/[.]/g, '\\.')} \\(6\\d\\d s ago\\), and Fulcio certifies only a current one: get a fresh token`));
      expect(result.stderr).not.toContain(token);
    }
    expect(servers.rejections).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(['model', 'trust_config.json', 'trusted_root.json']);
  });

  it('what keyless signing would fail on after hashing fails before it: no identity, an unusable signing config, a token naming no one (the model holds a pipe, which hashing would name first)', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    onTestFinished(() => servers.close());
    const model = join(work, 'model');
    await writeTree(model, { a: 'a' });
    await run('mkfifo', [join(model, 'pipe')]);
    const trustConfig = JSON.parse(await readFile(servers.trustConfigPath, 'utf8')) as { signingConfig: { caUrls: unknown[] } };
    const noCa = join(work, 'no-ca.json');
    await writeFile(noCa, JSON.stringify({ ...trustConfig, signingConfig: { ...trustConfig.signingConfig, caUrls: [] } }));
    const now = Math.floor(Date.now() / 1000);
    const good = servers.identityToken({ ...githubClaims, iat: now, exp: now + 600 });
    const noAmbient = { SIGSTORE_ID_TOKEN: '', ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' };
    const unverifiedEmail = servers.identityToken({ iss: EMAIL_ISSUER, sub: 'eve', email: 'eve@example.com', email_verified: false, iat: now, exp: now + 600 });
    const cases: [string[], NodeJS.ProcessEnv, string, RegExp][] = [
      [[], noAmbient, 'NO_IDENTITY', /^no identity token: pass --identity-token, set SIGSTORE_ID_TOKEN/],
      [['--identity-token', good, '--trust-config', noCa], {}, 'TRUST_CONFIG_INVALID', /^the signing config is not usable/],
      [['--identity-token', 'notajwt-secretvalue123'], {}, 'BAD_IDENTITY_TOKEN', /^the identity token is not a JWT with a subject or a verified email \(its payload is not base64url JSON\)$/],
      [['--identity-token', unverifiedEmail], {}, 'BAD_IDENTITY_TOKEN', /\(JWT email not verified by issuer\)$/],
      [[], { ...noAmbient, SIGSTORE_ID_TOKEN: 'notajwt-secretvalue123' }, 'BAD_IDENTITY_TOKEN', /its payload is not base64url JSON/],
    ];
    for (const [flags, env, code, message] of cases) {
      const trust = flags.includes('--trust-config') ? [] : ['--trust-config', servers.trustConfigPath];
      const args = ['sign', 'sigstore', model, ...trust, '--signature', join(work, 'model.sig'), '--json', ...flags];
      const result = await runCli(args, { env });
      expect(result.code, `${code}: ${result.stdout}`).toBe(2);
      // Before, each was found only after hashing, here SPECIAL_FILE.
      const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
      expect(error.code, `${code}: ${error.message}`).toBe(code);
      expect(error.message).toMatch(message);
      expect(result.stdout + result.stderr).not.toContain('secretvalue123');
    }
    expect(servers.rejections).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(['model', 'no-ca.json', 'trust_config.json', 'trusted_root.json']);
  });

  it('the library checks the token when it is used, after hashing: one that expired meanwhile is IDENTITY_TOKEN_EXPIRED, and Fulcio is not asked', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await writeTree(join(work, 'model'), { a: 'a' });
    const { hashModel, signManifestKeyless } = await import('../dist/src/engine.js');
    const { LocalModelSource } = await import('../dist/adapters/local/index.js');
    const { manifest } = await hashModel(await LocalModelSource.open(join(work, 'model')), { method: 'files', hashAlgorithm: 'sha256' });
    const { signingConfig } = JSON.parse(await readFile(servers.trustConfigPath, 'utf8')) as { signingConfig: SigningConfigJson };
    const now = Math.floor(Date.now() / 1000);
    const expired = servers.identityToken({ ...githubClaims, iat: now - 60, exp: now - 1 });
    const failure = await signManifestKeyless(manifest, { signingConfig, identityToken: expired }).catch((err: unknown) => err);
    await servers.close();
    expect(failure).toMatchObject({ kind: 'usage', code: 'IDENTITY_TOKEN_EXPIRED' });
    expect(servers.rejections).toEqual([]);
  });

  it('a token Fulcio refuses (signed by a key its issuer does not publish): a remote failure (exit 3) with its message, and nothing written', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await writeTree(join(work, 'model'), { a: 'a' });
    const now = Math.floor(Date.now() / 1000);
    const forged = signJwt({ ...githubClaims, aud: 'sigstore', iat: now, exp: now + 600 }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--identity-token', forged, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig')]);
    await servers.close();
    expect(servers.rejections).toHaveLength(1);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('(400) There was an error processing the identity token');
    expect(result.stderr).not.toContain(forged);
    expect(readdirSync(work).sort()).toEqual(['model', 'trust_config.json', 'trusted_root.json']);
  });

  it('in GitHub Actions the token comes from its OIDC token service after hashing; a service that fails or answers without a token is IDENTITY_TOKEN_UNAVAILABLE, a remote failure (exit 3), not NO_IDENTITY', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    onTestFinished(() => servers.close());
    await writeTree(join(work, 'model'), { a: 'a' });
    const sign = (url: string) =>
      runCli(['sign', 'sigstore', join(work, 'model'), '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig'), '--json'], {
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: ACTIONS_RUNTIME_TOKEN, SIGSTORE_ID_TOKEN: '' },
      });
    const signed = await sign(servers.actionsTokenUrl);
    expect(signed.code, signed.stderr).toBe(0);
    const identity = 'https://github.com/acme/models/.github/workflows/release.yml@refs/heads/main';
    const verified = await verifySigstore(join(work, 'model'), join(work, 'model.sig'), ['--identity', identity, '--identity-provider', GITHUB_ACTIONS_ISSUER, '--trust-config', servers.trustConfigPath]);
    expect(verified.code, verified.stdout).toBe(0);
    await rm(join(work, 'model.sig'));
    for (const fault of ['error', 'empty']) {
      const r = await sign(`${servers.actionsTokenUrl}&fault=${fault}`);
      expect(r.code, `${fault}: ${r.stderr}`).toBe(3);
      expect(JSON.parse(r.stdout), fault).toEqual({
        error: { kind: 'remote', code: 'IDENTITY_TOKEN_UNAVAILABLE', message: "GitHub Actions' OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL) gave no identity token: it failed or answered without one" },
      });
      expect(existsSync(join(work, 'model.sig'))).toBe(false);
    }
  });

  it('without a token or CI credentials it is a usage error and writes nothing', async () => {
    const work = await tempDir();
    await writeTree(join(work, 'model'), { a: 'a' });
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '', SIGSTORE_ID_TOKEN: '' };
    const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--signature', join(work, 'model.sig')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--identity-token, set SIGSTORE_ID_TOKEN, or run in GitHub Actions');
    expect(readdirSync(work)).toEqual(['model']);
  });

  it('ordinary text with `eyJ` and a dot (a path) is not taken for a token and blanked', async () => {
    const path = join(await tempDir(), 'heyJude.v2', 'modelKeyJSON.pem');
    const r = await runCli(['sign', 'key', join(await tempDir()), '--private-key', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toContain('<identity token>');
  });

  it('a malformed identity token is a usage error, and the token is never printed', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await writeTree(join(work, 'model'), { a: 'a' });
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from('{"email":"a@b.c"}').toString('base64url')}.c2VjcmV0`;
    const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig')]);
    await servers.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the identity token is not a JWT with a subject or a verified email (JWT email not verified by issuer)');
    expect(result.stderr).not.toContain(token);
    expect(readdirSync(work).sort()).toEqual(['model', 'trust_config.json', 'trusted_root.json']);
  });

  it('an unreachable Fulcio is a remote failure (exit 3) naming the URL and the cause, and writes nothing', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await servers.close();
    await writeTree(join(work, 'model'), { a: 'a' });
    const token = githubToken(servers);
    const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('keyless signing failed (CA_CREATE_SIGNING_CERTIFICATE_ERROR)');
    // It said only "error creating signing certificate": the cause names what failed.
    expect(result.stderr).toContain(`${servers.url}/api/v2/signingCert`);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).not.toContain(token);
    expect(readdirSync(work).sort()).toEqual(['model', 'trust_config.json', 'trusted_root.json']);
  });

  it('no part of an identity token is printed, opaque or JWT-shaped, in text or --json', async () => {
    const work = await tempDir();
    const servers = await startSigstoreServers(work);
    await writeTree(join(work, 'model'), { a: 'a' });
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    // sigstore-js quoted the whole token ("invalid identity token: <token>"); the old
    // redaction only knew base64url, so a standard-base64 tail was printed.
    const tokens = ['my-secret-opaque-token', `${part({ alg: 'none' })}.${part({ foo: 'bar' })}.sig+with/base64==`];
    for (const token of tokens) {
      for (const json of [[], ['--json']]) {
        const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig'), ...json]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain('the identity token is not a JWT with a subject or a verified email');
        for (const piece of [token, ...token.split('.'), 'secret-opaque', '+with/base64==']) {
          expect(result.stderr + result.stdout, piece).not.toContain(piece);
        }
      }
    }
    await servers.close();
  });

  it('a Fulcio error that quotes the token is printed with the token blanked, and says why it failed', async () => {
    const work = await tempDir();
    // A CA that answers 400 quoting the credential it was sent, as a careless server might.
    const servers = await startSigstoreServers(work, undefined, { echoToken: true });
    onTestFinished(() => servers.close());
    await writeTree(join(work, 'model'), { a: 'a' });
    // A token that parses (it has a subject) with a standard-base64 signature part.
    const token = `${githubToken(servers).split('.').slice(0, 2).join('.')}.c2ln+with/base64==`;
    const result = await runCli(['sign', 'sigstore', join(work, 'model'), '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, 'model.sig')]);
    // Fulcio was asked, and its answer quoted the token.
    expect(servers.rejections).toEqual(['the echoToken fault refuses every request']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('(400) token rejected: <identity token>');
    for (const piece of [token, ...token.split('.'), '+with/base64==']) expect(result.stderr, piece).not.toContain(piece);
  });
});
