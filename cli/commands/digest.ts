import type { Argv } from 'yargs';
import { hashWithFlags } from '../hash.js';
import { openLocalModel, printJson } from '../io.js';
import { command, ignoreOptions, serializationOptions, type IgnoreArgs, type SerializationArgs } from '../options.js';

type DigestArgs = SerializationArgs & IgnoreArgs & { model: string };

export const digestCommand = command<DigestArgs>({
  command: 'digest <model>',
  describe: 'Hash a model and print its OMS root digest (--json: the whole manifest)',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file' })
      .options({ ...serializationOptions, ...ignoreOptions }),
  handler: async (argv: DigestArgs): Promise<void> => {
    const { source, ignorePaths } = await openLocalModel(argv.model, argv['ignore-paths'], undefined);
    const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths);
    if (argv.json) {
      printJson({ model: source.location, ...manifest, rootDigest: `sha256:${manifest.rootDigest}`, ignored: listing.ignored, warnings: listing.warnings });
    } else {
      process.stdout.write(`sha256:${manifest.rootDigest}\n`);
    }
  },
});
