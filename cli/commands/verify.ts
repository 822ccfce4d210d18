import type { Argv } from 'yargs';
import {
  certificateVerifier,
  keyVerifier,
  loadPublicKey,
  parsePemCertificates,
  verifyModel,
  type SignatureVerifier,
} from '../../src/index.js';
import { SidecarSignatureStore } from '../../adapters/local/index.js';
import { closeCache, openCache } from '../cache.js';
import { openLocalModel, printJson, readInput } from '../io.js';
import { checkWorkers, command, ignoreOptions, type IgnoreArgs } from '../options.js';
import { Progress } from '../progress.js';
import { reportText } from '../report-text.js';

type VerifyArgs = IgnoreArgs & { model: string; signature: string; 'ignore-unsigned-files': boolean };

const common = (y: Argv) =>
  y
    .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file' })
    .options({
      signature: { type: 'string', demandOption: true, describe: 'The signature bundle to verify' },
      'ignore-unsigned-files': { alias: 'ignore_unsigned_files', type: 'boolean', default: false, describe: 'Let files that are present but not signed pass' },
      ...ignoreOptions,
    });

/** Verifies and prints the report; exit code 1 when not verified. */
async function run(argv: VerifyArgs, makeVerifier: () => Promise<SignatureVerifier>): Promise<void> {
  const verifier = await makeVerifier();
  const [stored] = await new SidecarSignatureStore(argv.signature).list();
  const bundle = await stored!.bytes();
  const { source, ignorePaths } = await openLocalModel(argv.model, argv['ignore-paths'], argv.signature);
  const progress = Progress.forOutput(argv.json);
  const cache = await openCache(argv);
  const report = await verifyModel({
    source,
    bundle,
    verifier,
    ignorePaths,
    ignoreGitPaths: argv['ignore-git-paths'],
    ignoreUnsignedFiles: argv['ignore-unsigned-files'],
    maxWorkers: checkWorkers(argv['max-workers']),
    cache,
    onTotal: progress.onTotal,
    onProgress: progress.onProgress,
  });
  progress.finish();
  await closeCache(cache, argv.json);
  if (argv.json) printJson({ model: source.location, signature: argv.signature, ...report });
  else (report.verified ? process.stdout : process.stderr).write(reportText(report, source.location));
  if (!report.verified) process.exitCode = 1;
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

export const verifyCommand = command<unknown>({
  command: 'verify <method>',
  describe: 'Verify a model against its signature (methods: key, certificate)',
  builder: (y: Argv) => y.command(verifyKey).command(verifyCertificate).demandCommand(1, 'name a verification method: key or certificate'),
  handler: () => undefined,
});
