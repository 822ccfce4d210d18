/**
 * Our key-method signatures checked by an implementation that is not ours: the `openssl`
 * command line verifies the DSSE PAE against the DER signature, and computes the public key
 * PEM whose SHA-256 is the bundle's `publicKey.hint`. Keys are made by openssl, too.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeTree } from './helpers.js';

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and reports its exit code and output, never rejecting. */
function exec(cmd: string, args: readonly string[]): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(cmd: string, args: readonly string[]): Promise<string> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE PAE, written out here from the DSSE spec, independently of the code under test. */
function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `, 'utf8'), payload]);
}

const CURVES = [
  { curve: 'P-256', digest: '-sha256' },
  { curve: 'P-384', digest: '-sha384' },
  { curve: 'P-521', digest: '-sha512' },
] as const;

interface Signed {
  dir: string;
  model: string;
  pub: string;
  priv: string;
  sig: string;
  bundle: {
    verificationMaterial: { publicKey: { hint: string } };
    dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
  };
}

async function signWithOpensslKey(curve: string): Promise<Signed> {
  const dir = await tempDir('modelsign-openssl-');
  const model = join(dir, 'model');
  await writeTree(model, { 'weights.bin': 'some weights', 'config/params.json': '{"p": 1}' });
  const priv = join(dir, 'key.pem');
  const pub = join(dir, 'pub.pem');
  await ok('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', priv]);
  await ok('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub]);
  const sig = join(dir, 'model.sig');
  const r = await runCli(['sign', 'key', model, '--private-key', priv, '--signature', sig]);
  if (r.code !== 0) throw new Error(`sign failed (${r.code}): ${r.stderr}`);
  const bundle = JSON.parse(await readFile(sig, 'utf8')) as Signed['bundle'];
  return { dir, model, pub, priv, sig, bundle };
}

describe('openssl verifies our key signatures', () => {
  for (const { curve, digest } of CURVES) {
    it(`ECDSA ${curve}: openssl dgst ${digest} -verify prints "Verified OK"`, async () => {
      const { dir, pub, bundle } = await signWithOpensslKey(curve);
      expect(bundle.dsseEnvelope.payloadType).toBe(PAYLOAD_TYPE);
      expect(bundle.dsseEnvelope.signatures).toHaveLength(1);
      const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
      const der = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
      // A DER ECDSA-Sig-Value is a SEQUENCE.
      expect(der[0]).toBe(0x30);

      const paeFile = join(dir, 'pae.bin');
      const sigFile = join(dir, 'sig.der');
      await writeFile(paeFile, pae(PAYLOAD_TYPE, payload));
      await writeFile(sigFile, der);
      const good = await exec('openssl', ['dgst', digest, '-verify', pub, '-signature', sigFile, paeFile]);
      expect(good.code).toBe(0);
      expect(good.stdout.trim()).toBe('Verified OK');

      // One flipped payload byte: openssl must reject it.
      const tampered = Buffer.from(payload);
      tampered[10] = tampered[10]! ^ 0x01;
      await writeFile(paeFile, pae(PAYLOAD_TYPE, tampered));
      const bad = await exec('openssl', ['dgst', digest, '-verify', pub, '-signature', sigFile, paeFile]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('Verification failure');
      expect(bad.stdout).not.toContain('Verified OK');

      // The PAE commits to the payload type as well.
      await writeFile(paeFile, pae('application/json', payload));
      const wrongType = await exec('openssl', ['dgst', digest, '-verify', pub, '-signature', sigFile, paeFile]);
      expect(wrongType.code).toBe(1);
    });

    it(`ECDSA ${curve}: publicKey.hint is the SHA-256 of the PEM openssl prints`, async () => {
      const { priv, pub, bundle } = await signWithOpensslKey(curve);
      const pem = await ok('openssl', ['pkey', '-in', priv, '-pubout']);
      expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
      const hint = createHash('sha256').update(pem, 'utf8').digest('hex');
      expect(bundle.verificationMaterial.publicKey.hint).toBe(hint);
      // Not the hash of the DER.
      const der = await new Promise<Buffer>((resolve, reject) =>
        execFile('openssl', ['pkey', '-in', priv, '-pubout', '-outform', 'DER'], { encoding: 'buffer' }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      expect(createHash('sha256').update(der).digest('hex')).not.toBe(hint);
      // The file openssl wrote earlier is the same text.
      expect(await readFile(pub, 'utf8')).toBe(pem);
    });
  }

  it('we verify a signature openssl made over our PAE', async () => {
    const { dir, model, pub, priv, sig, bundle } = await signWithOpensslKey('P-384');
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    const paeFile = join(dir, 'pae.bin');
    const sigFile = join(dir, 'openssl.der');
    await writeFile(paeFile, pae(PAYLOAD_TYPE, payload));
    await ok('openssl', ['dgst', '-sha384', '-sign', priv, '-out', sigFile, paeFile]);
    bundle.dsseEnvelope.signatures[0]!.sig = (await readFile(sigFile)).toString('base64');
    await writeFile(sig, JSON.stringify(bundle));

    const r = await runCli(['verify', 'key', model, '--public-key', pub, '--signature', sig, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { verified: boolean }).verified).toBe(true);

    // An openssl signature with the wrong digest for the curve (SHA-256 on P-384) is rejected.
    await ok('openssl', ['dgst', '-sha256', '-sign', priv, '-out', sigFile, paeFile]);
    bundle.dsseEnvelope.signatures[0]!.sig = (await readFile(sigFile)).toString('base64');
    await writeFile(sig, JSON.stringify(bundle));
    const bad = await runCli(['verify', 'key', model, '--public-key', pub, '--signature', sig, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { verified: boolean; error?: { code: string } };
    expect(report.verified).toBe(false);
    expect(report.error?.code).toBe('SIGNATURE_INVALID');
  });
});
