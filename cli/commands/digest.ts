import type { Argv } from 'yargs';
import { ociOptions, type OciArgs } from '../oci.js';
import { command, ignoreOptions, serializationOptions, type IgnoreArgs, type SerializationArgs } from '../options.js';

export type DigestArgs = SerializationArgs & IgnoreArgs & OciArgs & { model: string };

export const digestCommand = command<DigestArgs>({
  command: 'digest <model>',
  describe: 'Hash a model and print its OMS root digest (--json: the whole manifest)',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file, or oci://registry/repository[:tag|@digest] or oci-layout:DIR[:tag|@digest]' })
      .options({ ...serializationOptions, ...ignoreOptions, ...ociOptions }),
  handler: async (argv: DigestArgs) => (await import('../actions/digest.js')).digest(argv),
});
