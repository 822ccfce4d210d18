import type { Argv } from 'yargs';
import { ociOptions, type OciArgs } from '../oci.js';
import { command, ignoreOptions, maxSignaturesOption, serializationOptions } from '../options.js';

export type PushArgs = OciArgs & { model: string; reference: string; json: boolean; 'max-workers'?: number; 'allow-symlinks': boolean };
export type AttachArgs = OciArgs & { reference: string; signature: string; json: boolean };
export type DiscoverArgs = OciArgs & { reference: string; json: boolean; 'max-signatures': number };

export const pushCommand = command<PushArgs>({
  command: 'push <model> <reference>',
  describe: 'Push a local model to a registry as a ModelPack artifact (one raw layer per file)',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file' })
      .positional('reference', { type: 'string', demandOption: true, describe: 'oci://registry/repository:tag or oci-layout:PATH:tag' })
      .options({
        ...ociOptions,
        json: ignoreOptions.json,
        'max-workers': ignoreOptions['max-workers'],
        'allow-symlinks': { ...serializationOptions['allow-symlinks'], describe: 'Follow symbolic links (each pushed as its target\'s bytes under the link\'s path) instead of failing on them' },
      }),
  handler: async (argv: PushArgs) => (await import('../actions/registry.js')).push(argv),
});

export const attachCommand = command<AttachArgs>({
  command: 'attach <reference>',
  describe: 'Attach an existing signature bundle to a model in a registry, as a referrer, once its statement is found to name the model\'s files',
  builder: (y: Argv) =>
    y
      .positional('reference', { type: 'string', demandOption: true, describe: 'oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]' })
      .options({ signature: { type: 'string', demandOption: true, describe: 'The bundle to attach' }, ...ociOptions, json: ignoreOptions.json }),
  handler: async (argv: AttachArgs) => (await import('../actions/registry.js')).attach(argv),
});

export const discoverCommand = command<DiscoverArgs>({
  command: 'discover <reference>',
  describe: 'List the OMS signatures attached to a model in a registry (not verified)',
  builder: (y: Argv) =>
    y
      .positional('reference', { type: 'string', demandOption: true, describe: 'oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]' })
      .options({
        'max-signatures': { ...maxSignaturesOption['max-signatures'], describe: 'Fetch and list at most this many of the attached signatures, in the order the registry lists them' },
        ...ociOptions,
        json: ignoreOptions.json,
      }),
  handler: async (argv: DiscoverArgs) => (await import('../actions/registry.js')).discover(argv),
});
