import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  hashModel,
  sha256Digest,
  type Descriptor,
  type ImageManifest,
  type ModelSource,
  type PoolOptions,
  type ContentStore,
} from '../../src/index.js';
import {
  ANNOTATION_FILEPATH,
  ANNOTATION_TITLE,
  MODELPACK_ARTIFACT,
  MODELPACK_CONFIG,
  OCI_MANIFEST,
} from '../../src/oci/media-types.js';

/** The ModelPack layer media type for a file, by what it is. */
function layerMediaType(name: string): string {
  const base = name.split('/').pop()!.toLowerCase();
  if (/\.(md|rst|txt)$|^license|^notice/.test(base) && !/vocab|merges|tokenizer/.test(base)) return 'application/vnd.cncf.model.doc.v1.raw';
  if (/\.(py|sh|ipynb)$/.test(base)) return 'application/vnd.cncf.model.code.v1.raw';
  if (/\.(json|ya?ml|toml|txt|model|tiktoken)$/.test(base)) return 'application/vnd.cncf.model.weight.config.v1.raw';
  return 'application/vnd.cncf.model.weight.v1.raw';
}

/**
 * Pushes a local model as a ModelPack artifact: one raw layer per file (its digest is the
 * file's sha256, its path in `org.cncf.model.filepath`), a ModelPack config, and the
 * manifest under `tag`. Files are hashed first, then streamed up; blobs the registry
 * already has are skipped.
 */
export async function pushModelPack(source: ModelSource, repo: ContentStore, tag: string, options: PoolOptions & { ignorePaths?: string[] } = {}): Promise<Descriptor> {
  const { manifest, listing } = await hashModel(source, { ...options, method: 'files', hashAlgorithm: 'sha256' });
  const byName = new Map(listing.files.map((f) => [f.name, f]));
  const layers: Descriptor[] = [];
  for (const resource of manifest.resources) {
    const file = byName.get(resource.name)!;
    const name = source.singleFile ? source.modelName : resource.name;
    const layer: Descriptor = {
      mediaType: layerMediaType(name),
      digest: `sha256:${resource.digest}`,
      size: file.size,
      annotations: { [ANNOTATION_FILEPATH]: name, [ANNOTATION_TITLE]: name },
    };
    await repo.pushBlob(layer, (start, end) => (end > start ? createReadStream(file.localPath!, { start, end: end - 1 }) : Readable.from([])));
    layers.push(layer);
  }
  const config = Buffer.from(
    JSON.stringify({
      descriptor: { name: source.modelName, createdAt: new Date().toISOString() },
      config: {},
      modelfs: { type: 'layers', diffIds: layers.map((l) => l.digest) },
    }),
  );
  const configDescriptor: Descriptor = { mediaType: MODELPACK_CONFIG, digest: sha256Digest(config), size: config.length };
  await repo.pushBlob(configDescriptor, () => Readable.from([config]));
  const image: ImageManifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: MODELPACK_ARTIFACT, config: configDescriptor, layers };
  const pushed = await repo.pushManifest(Buffer.from(JSON.stringify(image)), OCI_MANIFEST, tag);
  return pushed.descriptor;
}
