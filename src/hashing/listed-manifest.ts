import { comparePaths, resourceAlgorithm, RootDigest, type Resource, type Serialization } from '../manifest/manifest.js';
import type { ModelFile } from '../source.js';

/**
 * A `files` manifest built while a source lists the model, from the digests it takes as
 * it lists (`ModelFile.listedDigest`): each batch of files becomes resources and feeds the
 * root digest at once, so that little is left to do when the listing ends. It only stands
 * when the result is exactly what planning and hashing the finished listing would give:
 * every file came with a digest of the serialization's algorithm, in strictly increasing
 * path order (the order the manifest needs), and the listing is those very files.
 */
export class ListedManifest {
  private readonly files: ModelFile[] = [];
  private readonly resources: Resource[] = [];
  private readonly root = new RootDigest();
  private readonly algorithm: string;
  private usable = true;

  constructor(private readonly serialization: Serialization) {
    this.algorithm = resourceAlgorithm(serialization);
  }

  /** Takes the next files of the listing, in its order. */
  add(files: readonly ModelFile[]): void {
    if (!this.usable) return;
    let hex = '';
    for (const file of files) {
      const listed = file.listedDigest;
      const previous = this.files[this.files.length - 1];
      if (listed?.algorithm !== this.serialization.hashType || (previous !== undefined && comparePaths(previous.name, file.name) >= 0)) {
        this.usable = false;
        return;
      }
      this.files.push(file);
      this.resources.push({ name: file.name, algorithm: this.algorithm, digest: listed.hex });
      hex += listed.hex;
    }
    this.root.addHex(hex);
  }

  /** The resources and root digest, when `files` (the finished listing) is what was added; otherwise undefined. */
  result(files: readonly ModelFile[]): { resources: Resource[]; rootDigest: string } | undefined {
    if (!this.usable || files.length !== this.files.length || files.some((file, i) => file !== this.files[i])) return undefined;
    this.usable = false;
    return { resources: this.resources, rootDigest: this.root.digest() };
  }
}
