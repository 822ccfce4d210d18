import { hashWithFlags } from '../hash.js';
import { openModel, printJson } from '../io.js';
import type { DigestArgs } from '../commands/digest.js';

/** `digest`: hashes the model and prints its root digest, or with --json the whole manifest. */
export async function digest(argv: DigestArgs): Promise<void> {
  const { source, ignorePaths, warnings } = await openModel(argv.model, argv['ignore-paths'], undefined, argv);
  const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths, warnings);
  if (argv.json) {
    printJson({ model: source.location, ...manifest, rootDigest: `sha256:${manifest.rootDigest}`, ignored: listing.ignored, warnings: listing.warnings });
  } else {
    process.stdout.write(`sha256:${manifest.rootDigest}\n`);
  }
}
