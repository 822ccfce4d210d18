import type { KeyObject } from 'node:crypto';
import { fstatSync, statSync } from 'node:fs';
import {
  certificateSigner,
  checkSigningCertificate,
  checkSigningCertificateValidity,
  keySigner,
  ModelsignError,
  loadPrivateKey,
  messageOf,
  parsePemCertificates,
  reworded,
  signManifest,
  usageError,
  type Manifest,
  type Signer,
} from '../../src/core.js';
import { SidecarSignatureStore } from '../../adapters/local/index.js';
import { hashWithFlags } from '../hash.js';
import { isStandardOutput, openModel, printJson, readInput, recordDone, standardOutputFile, writeStdout } from '../io.js';
import { isOciReference, readStdin, withoutLineEnd } from '../oci.js';
import { addSecret, checkShardSize } from '../options.js';
import { signingConfigFor } from '../sigstore-trust.js';
import type { CertificateSignArgs, CommonSignArgs, KeySignArgs, SigstoreSignArgs } from '../commands/sign.js';
import { attachNotes } from '../stored-signatures.js';
import { counted, printable, printNotices } from '../terminal.js';

/** The environment variable a private key's password is taken from when no flag gives one, as cosign's COSIGN_PASSWORD. */
const PASSWORD_VARIABLE = 'MODELSIGN_PASSWORD';

/** A prepared signing method: its name and how it turns a manifest into a bundle. */
interface SigningMethod {
  readonly name: 'key' | 'certificate' | 'sigstore';
  sign(manifest: Manifest): Promise<Buffer>;
}

const local = (signer: Signer): SigningMethod => ({ name: signer.method, sign: (m) => Promise.resolve(signManifest(m, signer)) });

/** Hashes, signs and writes the bundle atomically; nothing is written if any step fails. */
async function run(argv: CommonSignArgs, prepare: () => Promise<SigningMethod>): Promise<void> {
  // Prepare key material first: a bad key should fail before minutes of hashing.
  checkShardSize(argv['shard-size']);
  const oci = isOciReference(argv.model);
  if (argv.attach && !oci) throw usageError('BAD_FLAG', '--attach stores the signature in a registry: it needs an oci:// model');
  if (oci && !argv.attach && argv.signature === undefined) throw usageError('BAD_FLAG', 'say where the signature goes: --attach (a referrer in the registry) and/or --signature FILE');
  const signaturePath = argv.signature ?? (oci ? undefined : 'model.sig');
  // `--signature /dev/stdout` (or any path to what stdout is: a pipe, a terminal, the file it
  // was redirected to): the bundle is written to stdout, and stdout then carries the bundle
  // alone, as for any tool whose output is data: the report goes to stderr.
  const toStdout = signaturePath !== undefined && (await isStandardOutput(signaturePath));
  if (toStdout && argv.json) {
    throw usageError('BAD_FLAG', `--json prints its report on stdout, which --signature ${signaturePath} takes for the bundle: write the signature to a file, or leave out --json`);
  }
  const sidecar = signaturePath === undefined || toStdout ? undefined : new SidecarSignatureStore(signaturePath);
  // Before minutes of hashing: a signature path that holds something else is refused now.
  await sidecar?.assertReplaceable();
  const method = await prepare();
  // The signature is left out of the hash where it sits inside the model; on stdout, where
  // that is a file (`> model/model.sig`), the file is.
  const leftOut = toStdout ? await standardOutputFile() : signaturePath;
  const { source, ignorePaths, warnings, oci: ociModel } = await openModel(argv.model, argv['ignore-paths'], leftOut, argv);
  const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths, warnings);
  const bundle = await method.sign(manifest);
  // The registry first: a push that fails then leaves no local signature behind. (The local
  // path was checked above, so writing it rarely fails; if it does, the error says where the
  // signature went.)
  const attached = ociModel && argv.attach ? await ociModel.signatures.put(bundle) : undefined;
  let written: string | undefined;
  try {
    written = toStdout ? await bundleToStdout(bundle, signaturePath!) : await sidecar?.put(bundle);
  } catch (err) {
    throw attached === undefined ? err : reworded(err, (message) => `${message} (the signature was attached as ${attached})`);
  }
  if (attached) recordDone(`the signature was attached as ${attached}`);
  if (written && !toStdout) recordDone(`the signature was written to ${written}`);
  const notes = ociModel ? attachNotes(ociModel.signatures) : [];
  if (argv.json) {
    printJson({
      signed: true,
      method: method.name,
      model: source.location,
      ...(written ? { signature: written } : {}),
      ...(attached ? { attached } : {}),
      rootDigest: `sha256:${manifest.rootDigest}`,
      serialization: manifest.serialization,
      resources: manifest.resources.length,
      warnings: listing.warnings,
      notes,
    });
  } else {
    const out = toStdout ? process.stderr : process.stdout;
    out.write(`Signed ${printable(source.location)} (${counted(manifest.resources.length, 'resource')}, root sha256:${manifest.rootDigest})\n`);
    if (written) out.write(`Signature written to ${toStdout ? 'standard output' : printable(written)}\n`);
    if (attached) out.write(`Signature attached as ${printable(attached)}\n`);
    printNotices('note', notes);
  }
}

/**
 * Writes the bundle to stdout, byte for byte what a signature file holds; on a terminal a
 * newline follows, so that what comes next starts on a line of its own.
 */
async function bundleToStdout(bundle: Buffer, path: string): Promise<string> {
  try {
    await writeStdout(process.stdout.isTTY ? Buffer.concat([bundle, Buffer.from('\n')]) : bundle);
  } catch (err) {
    throw usageError('SIGNATURE_WRITE_FAILED', `cannot write signature ${path} (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`, err);
  }
  return path;
}

/**
 * The private key's password and where it came from: --password, --password-file or
 * MODELSIGN_PASSWORD, in that order; undefined if none gives one. One read from a file or
 * the environment is blanked in errors, as --password's value is.
 */
async function keyPassword(argv: KeySignArgs): Promise<{ password: string | Buffer; source: string } | undefined> {
  const file = argv['password-file'];
  if (file !== undefined && argv.password !== undefined) throw usageError('BAD_FLAG', 'give the password with --password or --password-file, not both');
  if (argv.password !== undefined) return { password: argv.password, source: '--password' };
  if (file !== undefined) {
    const stdin = readsStandardInput(file);
    if (stdin && argv['password-stdin']) throw usageError('BAD_FLAG', `--password-file ${file} and --password-stdin would both read standard input: put one of the passwords in a file`);
    const key = argv['private-key'];
    if (stdin && readsStandardInput(key)) throw usageError('BAD_FLAG', `--password-file ${file} and --private-key ${key} would both read standard input: put one of them in a file`);
    const password = withoutLineEnd(file === '-' ? await readStdin() : await readInput(file, 'password file'));
    addSecret(password.toString('utf8'));
    return { password, source: `--password-file ${file}` };
  }
  const variable = process.env[PASSWORD_VARIABLE];
  if (variable === undefined) return undefined;
  addSecret(variable);
  return { password: variable, source: PASSWORD_VARIABLE };
}

/**
 * Whether reading `path` reads this process's standard input as a stream: `-`, or any name
 * for it (/dev/stdin, /dev/fd/0, /proc/self/fd/0, a link to one) when it is a pipe, socket
 * or terminal, which two readers would split between them. (A file redirected to standard
 * input is opened afresh under each name, and reads whole each time.)
 */
function readsStandardInput(path: string): boolean {
  if (path === '-') return true;
  try {
    const input = fstatSync(0);
    if (input.isFile()) return false;
    const named = statSync(path);
    return named.dev === input.dev && named.ino === input.ino;
  } catch {
    return false;
  }
}

/** Loads the signing key; a wrong password is reported with where it came from. */
async function loadKey(argv: KeySignArgs): Promise<KeyObject> {
  // The password first, so that it is blanked even in an error that quotes the key's path.
  const given = await keyPassword(argv);
  const path = argv['private-key'];
  const pem = await readInput(path, 'private key');
  try {
    return loadPrivateKey(pem, given?.password, path);
  } catch (err) {
    if (!(err instanceof ModelsignError) || err.code !== 'KEY_PASSWORD' || given === undefined) throw err;
    throw usageError('KEY_PASSWORD', `${err.message} (from ${given.source})`, err);
  }
}

/** `sign key`: signs with an EC private key. */
export function signWithKey(argv: KeySignArgs): Promise<void> {
  return run(argv, async () => local(keySigner(await loadKey(argv))));
}

/** `sign certificate`: signs with a private key and its certificate chain, checked first. */
export function signWithCertificate(argv: CertificateSignArgs): Promise<void> {
  return run(argv, async () => {
    const key = await loadKey(argv);
    const leafPath = argv['signing-certificate'];
    // A full-chain file (leaf, then its issuers, as ACME clients write it) carries its chain.
    const [leaf, ...withLeaf] = parsePemCertificates(await readInput(leafPath, 'signing certificate'), leafPath);
    if (!leaf) throw usageError('CERT_UNREADABLE', `${leafPath} holds no certificate`);
    // Before hashing: a leaf our own verifier rejects whenever it checks it (not for
    // signing, an unknown critical extension) would only make a signature that cannot
    // verify; one that is not valid now must not sign now, although verifying as of its
    // issue (the default) would accept what it signed.
    const refuse = (check: () => void, why: string): void => {
      try {
        check();
      } catch (err) {
        if (!(err instanceof ModelsignError)) throw err;
        throw usageError('CERT_UNUSABLE', `${err.message}${why}`, err);
      }
    };
    refuse(() => checkSigningCertificate(leaf), `, so signatures made with ${leafPath} would not verify`);
    refuse(() => checkSigningCertificateValidity(leaf), `: sign with a certificate that is valid now (\`verify certificate --valid-at now\` would reject this signature)`);
    const chain = [...withLeaf];
    for (const path of argv['certificate-chain']) chain.push(...parsePemCertificates(await readInput(path, 'certificate chain'), path));
    // Each certificate once, the leaf not again: one given both ways is not carried twice.
    const distinct = chain.filter((c, i) => !c.raw.equals(leaf.raw) && chain.findIndex((d) => d.raw.equals(c.raw)) === i);
    return local(certificateSigner(key, leaf, distinct));
  });
}

/** `sign sigstore`: signs keylessly (Fulcio, Rekor, a timestamp). */
export function signWithSigstore(argv: SigstoreSignArgs): Promise<void> {
  return run(argv, async () => {
    const identityToken = argv['identity-token'];
    if (!identityToken && !argv['use-ambient-credentials']) {
      throw usageError('NO_IDENTITY', 'no identity token: --no-use-ambient-credentials leaves only --identity-token, and modelsign has no interactive sign-in');
    }
    const { signingConfig, trust } = await signingConfigFor(argv);
    // sigstore-js loads only for keyless signing: it is most of the CLI's start-up otherwise.
    const { checkKeylessSetup, signManifestKeyless } = await import('../../src/signing/sigstore-signer.js');
    // Before hashing: what would fail after it (no identity, an unusable signing config, a
    // token expired or naming no one) fails now; a token is checked again when it is used.
    checkKeylessSetup({ signingConfig, ...(identityToken ? { identityToken } : {}) });
    return { name: 'sigstore', sign: (m) => signManifestKeyless(m, { signingConfig, ...(trust ? { trust } : {}), ...(identityToken ? { identityToken } : {}) }) };
  });
}
