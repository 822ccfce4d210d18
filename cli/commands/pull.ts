import type { Argv } from 'yargs';
import { ociOptions, type OciArgs } from '../oci.js';
import { command, ignoreOptions, maxSignaturesOption, type IgnoreArgs } from '../options.js';
import { allMethodOptions, type TrustMaterialArgs, type VerifyMethod } from './verify.js';

export type PullArgs = IgnoreArgs & OciArgs & TrustMaterialArgs & { reference: string; dir: string; verify: VerifyMethod; signature?: string; 'ignore-unsigned-files': boolean; 'max-signatures': number };

export const pullCommand = command<PullArgs>({
  command: 'pull <reference> <dir>',
  describe: 'Download a model from a registry, verifying it as it streams; nothing lands unless it verifies',
  builder: (y: Argv) =>
    y
      .positional('reference', { type: 'string', demandOption: true, describe: 'oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]' })
      .positional('dir', { type: 'string', demandOption: true, describe: 'Destination directory' })
      .options({
        verify: { choices: ['key', 'certificate', 'sigstore'] as const, demandOption: true, describe: 'How the signature must verify' },
        signature: { type: 'string', describe: 'A local bundle to verify with (default: the signatures attached in the registry)' },
        'ignore-unsigned-files': { alias: 'ignore_unsigned_files', type: 'boolean', default: false, describe: 'Skip (do not download) files that are not signed' },
        ...maxSignaturesOption,
        ...allMethodOptions,
        ...ignoreOptions,
        ...ociOptions,
      }),
  handler: async (argv: PullArgs) => (await import('../actions/pull.js')).pull(argv),
});
