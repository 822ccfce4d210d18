import { hashWithFlags } from '../hash.js';
import { openModel, printJson } from '../io.js';
import { ociOptions } from '../oci.js';
import { command, ignoreOptions, serializationOptions } from '../options.js';
export const digestCommand = command({
    command: 'digest <model>',
    describe: 'Hash a model and print its OMS root digest (--json: the whole manifest)',
    builder: (y) => y
        .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file, or oci://registry/repository[:tag|@digest] or oci-layout:DIR[:tag|@digest]' })
        .options({ ...serializationOptions, ...ignoreOptions, ...ociOptions }),
    handler: async (argv) => {
        const { source, ignorePaths } = await openModel(argv.model, argv['ignore-paths'], undefined, argv);
        const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths);
        if (argv.json) {
            printJson({ model: source.location, ...manifest, rootDigest: `sha256:${manifest.rootDigest}`, ignored: listing.ignored, warnings: listing.warnings });
        }
        else {
            process.stdout.write(`sha256:${manifest.rootDigest}\n`);
        }
    },
});
//# sourceMappingURL=digest.js.map