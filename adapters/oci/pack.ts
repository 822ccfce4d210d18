import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  ModelsignError,
  hashPlanned,
  listModel,
  planResources,
  serializationFor,
  sha256Digest,
  toResources,
  usageError,
  type Descriptor,
  type ImageManifest,
  type ModelSource,
  type PoolOptions,
  type ContentStore,
} from '../../src/engine.js';
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
 * Pushes a local model (a source whose files have a `localPath`, as LocalModelSource's do;
 * any other fails with MODEL_NOT_LOCAL) as a ModelPack artifact: one raw layer per file (its digest is the
 * file's sha256, its path in `org.cncf.model.filepath`), a ModelPack config, and the
 * manifest under `tag`. Files are hashed first, then streamed up; blobs the registry
 * already has are skipped.
 *
 * The same files give the same manifest digest on every push: signatures are referrers of
 * that digest, so a re-push of an unchanged model must keep them attached. Hence no
 * timestamp in the config (ModelPack's `createdAt` is optional).
 */
export async function pushModelPack(
  source: ModelSource,
  repo: ContentStore,
  tag: string,
  options: PoolOptions & { ignorePaths?: string[]; allowSymlinks?: boolean } = {},
): Promise<{ descriptor: Descriptor; warnings: readonly string[] }> {
  // Symbolic links are followed as `digest --allow-symlinks` follows them: each becomes a
  // layer of its target's bytes under the link's path (a layer cannot be a link).
  const serialization = serializationFor({ ...options, method: 'files', hashAlgorithm: 'sha256' }, source.singleFile);
  const listing = await listModel(source, serialization, { pool: options });
  // Uploads read local files (checked against their digest as they go); a registry or layout
  // model is copied, not pushed. Found before any byte of it is hashed.
  const remote = listing.files.find((f) => f.localPath === undefined);
  if (remote) throw usageError('MODEL_NOT_LOCAL', `pushModelPack pushes a model on the local file system; ${source.location} is not one (${remote.name} has no local path)`);
  const plan = planResources(listing.files, serialization);
  const resources = toResources(plan, await hashPlanned(source, plan, serialization, options), serialization);
  const byName = new Map(listing.files.map((f) => [f.name, f]));
  const layers: Descriptor[] = [];
  for (const resource of resources) {
    const file = byName.get(resource.name)!;
    const name = source.singleFile ? source.modelName : resource.name;
    const layer: Descriptor = {
      mediaType: layerMediaType(name),
      digest: `sha256:${resource.digest}`,
      size: file.size,
      annotations: { [ANNOTATION_FILEPATH]: name, [ANNOTATION_TITLE]: name },
    };
    await repo.pushBlob(layer, checkedFileReader(file.localPath!, layer));
    layers.push(layer);
  }
  const config = Buffer.from(
    JSON.stringify({
      descriptor: { name: source.modelName },
      config: {},
      modelfs: { type: 'layers', diffIds: layers.map((l) => l.digest) },
    }),
  );
  const configDescriptor: Descriptor = { mediaType: MODELPACK_CONFIG, digest: sha256Digest(config), size: config.length };
  await repo.pushBlob(configDescriptor, () => Readable.from([config]));
  const image: ImageManifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: MODELPACK_ARTIFACT, config: configDescriptor, layers };
  const pushed = await repo.pushManifest(Buffer.from(JSON.stringify(image)), OCI_MANIFEST, tag);
  return { descriptor: pushed.descriptor, warnings: listing.warnings };
}

/**
 * The bytes of a local file for upload, checked as they are read against the sha256 and
 * size it was hashed with: a file changed since fails as READ_FAILED naming it (local input,
 * exit 2), not as a store's complaint about a digest. The last chunk is held back until the
 * whole file has checked out, so no store or registry completes a blob from wrong bytes.
 * Ranges come in order (a registry's chunked upload) and may be asked for again (a retry):
 * the hash state at the end of each range is kept for the range that follows.
 */
function checkedFileReader(path: string, expected: { digest: string; size: number }): (start: number, end: number) => Readable {
  const states = new Map<number, Hash>([[0, createHash('sha256')]]);
  const changed = (why: string): ModelsignError => usageError('READ_FAILED', `${path} changed after it was hashed (${why}): push it again`);
  async function* range(start: number, end: number): AsyncGenerator<Buffer> {
    const before = states.get(start);
    if (!before) throw new Error(`internal: upload range ${start}-${end} of ${path} does not follow one read before`);
    const hash = before.copy();
    const last = end >= expected.size;
    // The last range reads to the end of the file, so a file that grew shows.
    const stream = last ? createReadStream(path, { start }) : createReadStream(path, { start, end: end - 1 });
    let position = start;
    let held: Buffer | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        position += chunk.length;
        if (position > expected.size) throw changed(`it is now larger than the ${expected.size} bytes it had`);
        hash.update(chunk);
        if (held) yield held;
        held = chunk;
      }
    } catch (err) {
      if (err instanceof ModelsignError) throw err;
      throw usageError('READ_FAILED', `cannot read ${path}: ${(err as Error).message}`, err);
    } finally {
      stream.destroy();
    }
    if (position < end) throw changed(`it now has ${position} bytes, not the ${expected.size} it had`);
    if (last) {
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== expected.digest) throw changed(`its content is now ${actual}, not ${expected.digest}`);
    } else {
      states.set(end, hash);
    }
    if (held) yield held;
  }
  return (start, end) => Readable.from(range(start, end), { objectMode: false });
}
