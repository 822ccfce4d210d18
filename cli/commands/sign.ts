import type { Argv } from 'yargs';
import {
  certificateSigner,
  hashModel,
  keySigner,
  loadPrivateKey,
  parsePemCertificates,
  signManifest,
  usageError,
  type Signer,
} from '../../src/index.js';
import { SidecarSignatureStore } from '../../adapters/local/index.js';
import { closeCache, openCache } from '../cache.js';
import { openLocalModel, printJson, readInput } from '../io.js';
import { checkWorkers, command, ignoreOptions, serializationOptions, type IgnoreArgs, type SerializationArgs } from '../options.js';
import { Progress } from '../progress.js';

type CommonSignArgs = SerializationArgs & IgnoreArgs & { model: string; signature: string; 'private-key': string };
type KeySignArgs = CommonSignArgs & { password?: string };
type CertificateSignArgs = CommonSignArgs & { 'signing-certificate': string; 'certificate-chain': string[] };

const common = (y: Argv) =>
  y
    .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file' })
    .options({
      signature: { type: 'string', default: 'model.sig', describe: 'Where to write the signature bundle' },
      'private-key': { alias: 'private_key', type: 'string', demandOption: true, describe: 'PEM private key (ECDSA P-256, P-384 or P-521)' },
      ...serializationOptions,
      ...ignoreOptions,
    });

/** Hashes, signs and writes the bundle atomically; nothing is written if any step fails. */
async function run(argv: CommonSignArgs, makeSigner: () => Promise<Signer>): Promise<void> {
  // Load the key material first: a bad key should fail before minutes of hashing.
  const signer = await makeSigner();
  const { source, ignorePaths } = await openLocalModel(argv.model, argv['ignore-paths'], argv.signature);
  const progress = Progress.forOutput(argv.json);
  const cache = await openCache(argv);
  const { manifest, listing } = await hashModel(source, {
    method: argv.method,
    hashAlgorithm: argv['hash-algorithm'],
    shardSize: argv['shard-size'],
    allowSymlinks: argv['allow-symlinks'],
    ignorePaths,
    ignoreGitPaths: argv['ignore-git-paths'],
    maxWorkers: checkWorkers(argv['max-workers']),
    cache,
    onTotal: progress.onTotal,
    onProgress: progress.onProgress,
  });
  progress.finish();
  await closeCache(cache, argv.json);
  for (const w of listing.warnings) process.stderr.write(`warning: ${w}\n`);
  const bundle = signManifest(manifest, signer);
  const written = await new SidecarSignatureStore(argv.signature).put(bundle);
  if (argv.json) {
    printJson({
      signed: true,
      method: signer.method,
      model: source.location,
      signature: written,
      rootDigest: `sha256:${manifest.rootDigest}`,
      serialization: manifest.serialization,
      resources: manifest.resources.length,
      warnings: listing.warnings,
    });
  } else {
    process.stdout.write(`Signed ${source.location} (${manifest.resources.length} resources, root sha256:${manifest.rootDigest})\nSignature written to ${written}\n`);
  }
}

const signKey = command<KeySignArgs>({
  command: 'key <model>',
  describe: 'Sign with an EC private key (bundle carries the public key hint)',
  builder: (y: Argv) => common(y).options({ password: { type: 'string', describe: 'Password of an encrypted private key' } }),
  handler: (argv: KeySignArgs) =>
    run(argv, async () => keySigner(loadPrivateKey(await readInput(argv['private-key'], 'private key'), argv.password, argv['private-key']))),
});

const signCertificate = command<CertificateSignArgs & { password?: string }>({
  command: 'certificate <model>',
  describe: 'Sign with a private key and its X.509 certificate chain',
  builder: (y: Argv) =>
    common(y).options({
      'signing-certificate': { alias: 'signing_certificate', type: 'string', demandOption: true, describe: 'PEM certificate of the signing key' },
      'certificate-chain': { alias: 'certificate_chain', type: 'string', array: true, default: [] as string[], describe: 'PEM intermediate certificates to include (repeatable)' },
      password: { type: 'string', describe: 'Password of an encrypted private key' },
    }),
  handler: (argv: CertificateSignArgs & { password?: string }) =>
    run(argv, async () => {
      const key = loadPrivateKey(await readInput(argv['private-key'], 'private key'), argv.password, argv['private-key']);
      const leafPath = argv['signing-certificate'];
      const [leaf] = parsePemCertificates(await readInput(leafPath, 'signing certificate'), leafPath);
      if (!leaf) throw usageError('CERT_UNREADABLE', `${leafPath} holds no certificate`);
      const chain = [];
      for (const path of argv['certificate-chain']) chain.push(...parsePemCertificates(await readInput(path, 'certificate chain'), path));
      return certificateSigner(key, leaf, chain);
    }),
});

export const signCommand = command<unknown>({
  command: 'sign <method>',
  describe: 'Sign a model (methods: key, certificate)',
  builder: (y: Argv) => y.command(signKey).command(signCertificate).demandCommand(1, 'name a signing method: key or certificate'),
  handler: () => undefined,
});
