import type { Argv } from 'yargs';
import {
  certificateVerifier,
  sigstoreVerifier,
  keyVerifier,
  loadPublicKey,
  parsePemCertificates,
  verifyModel,
  ModelsignError,
  usageError,
  type SignatureVerifier,
  type VerificationReport,
} from '../../src/index.js';
import { SidecarSignatureStore } from '../../adapters/local/index.js';
import { openModel, printJson, readInput } from '../io.js';
import { isOciReference, ociOptions, type OciArgs } from '../oci.js';
import { checkWorkers, command, ignoreOptions, type IgnoreArgs } from '../options.js';
import { Progress } from '../progress.js';
import { reportText } from '../report-text.js';
import { trustOptions, verificationTrust, type VerifyTrustArgs } from '../sigstore-trust.js';

type VerifyArgs = IgnoreArgs & OciArgs & { model: string; signature?: string; 'ignore-unsigned-files': boolean; full: boolean };

const common = (y: Argv) =>
  y
    .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file' })
    .options({
      signature: { type: 'string', describe: 'The signature bundle to verify (an oci:// model finds its attached signatures without it)' },
      'ignore-unsigned-files': { alias: 'ignore_unsigned_files', type: 'boolean', default: false, describe: 'Let files that are present but not signed pass' },
      full: { type: 'boolean', default: false, describe: 'For an oci:// model: stream and hash every byte instead of trusting layer digests' },
      ...ignoreOptions,
      ...ociOptions,
    });

/** Verifies and prints the report; exit code 1 when not verified. */
async function run(argv: VerifyArgs, makeVerifier: () => Promise<SignatureVerifier>): Promise<void> {
  const oci = isOciReference(argv.model);
  if (!oci && argv.signature === undefined) throw usageError('BAD_FLAG', 'Missing required argument: signature (only an oci:// model can find its own)');
  const verifier = await makeVerifier();
  const model = await openModel(argv.model, argv['ignore-paths'], argv.signature, argv);
  const store = argv.signature !== undefined ? new SidecarSignatureStore(argv.signature) : model.oci!.signatures;
  const signatures = await store.list();
  if (signatures.length === 0) {
    throw new ModelsignError('remote', 'NO_SIGNATURE', `no OMS signature is attached to ${model.source.location}`);
  }
  const progress = Progress.forOutput(argv.json);
  // Several signatures may be attached: the model verifies if one of them does.
  let report: VerificationReport | undefined;
  let used = '';
  for (const stored of signatures) {
    used = stored.location;
    report = await verifyModel({
      source: model.source,
      bundle: await stored.bytes(),
      verifier,
      ignorePaths: model.ignorePaths,
      ignoreGitPaths: argv['ignore-git-paths'],
      ignoreUnsignedFiles: argv['ignore-unsigned-files'],
      readContentAddressed: argv.full,
      maxWorkers: checkWorkers(argv['max-workers']),
      onTotal: progress.onTotal,
      onProgress: progress.onProgress,
    });
    if (report.verified) break;
  }
  progress.finish();
  const final = report!;
  if (argv.json) printJson({ model: model.source.location, signature: used, signaturesFound: signatures.length, ...final });
  else (final.verified ? process.stdout : process.stderr).write(reportText(final, model.source.location));
  if (!final.verified) process.exitCode = 1;
}

const verifyKey = command<VerifyArgs & { 'public-key': string }>({
  command: 'key <model>',
  describe: 'Verify a key-method signature with a public key',
  builder: (y: Argv) =>
    common(y).options({ 'public-key': { alias: 'public_key', type: 'string', demandOption: true, describe: 'PEM public key' } }),
  handler: (argv: VerifyArgs & { 'public-key': string }) =>
    run(argv, async () => keyVerifier(loadPublicKey(await readInput(argv['public-key'], 'public key'), argv['public-key']))),
});

const verifyCertificate = command<VerifyArgs & { 'certificate-chain': string[] }>({
  command: 'certificate <model>',
  describe: 'Verify a certificate-method signature against trust anchors',
  builder: (y: Argv) =>
    common(y).options({
      'certificate-chain': {
        alias: 'certificate_chain',
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'PEM trust anchor certificates (repeatable; a file may hold several)',
      },
    }),
  handler: (argv: VerifyArgs & { 'certificate-chain': string[] }) =>
    run(argv, async () => {
      const anchors = [];
      for (const path of argv['certificate-chain']) anchors.push(...parsePemCertificates(await readInput(path, 'certificate chain'), path));
      return certificateVerifier(anchors);
    }),
});

type SigstoreVerifyArgs = VerifyArgs & VerifyTrustArgs & { identity: string; 'identity-provider': string };

const verifySigstore = command<SigstoreVerifyArgs>({
  command: 'sigstore <model>',
  describe: 'Verify a Sigstore keyless signature offline against a trusted root and an identity',
  builder: (y: Argv) =>
    common(y).options({
      identity: { type: 'string', demandOption: true, describe: "The signer's identity: the certificate SAN (email or URI), matched exactly" },
      'identity-provider': { alias: 'identity_provider', type: 'string', demandOption: true, describe: 'The OIDC issuer, matched exactly' },
      'trusted-root': { alias: 'trusted_root', type: 'string', describe: 'A Sigstore trusted_root.json (default: the public-good root pinned in the package)' },
      ...trustOptions,
      offline: { type: 'boolean', default: false, describe: 'Guarantee no network access (verification never needs it)' },
      'refresh-trust-root': { alias: 'refresh_trust_root', type: 'boolean', default: false, describe: 'Fetch the current public-good trusted root through TUF first (online)' },
    }),
  handler: (argv: SigstoreVerifyArgs) =>
    run(argv, async () => sigstoreVerifier(await verificationTrust(argv), { identity: argv.identity, issuer: argv['identity-provider'] })),
});

export const verifyCommand = command<unknown>({
  command: 'verify <method>',
  describe: 'Verify a model against its signature (methods: key, certificate, sigstore)',
  builder: (y: Argv) =>
    y.command(verifyKey).command(verifyCertificate).command(verifySigstore).demandCommand(1, 'name a verification method: key, certificate or sigstore'),
  handler: () => undefined,
});
