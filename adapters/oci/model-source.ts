import { createHash } from 'node:crypto';
import {
  normalizeRelative,
  unverifiedError,
  type Descriptor,
  type ImageManifest,
  type ListOptions,
  type ModelFile,
  type ModelListing,
  type ModelSource,
  type ContentStore,
} from '../../src/engine.js';
import { ANNOTATION_FILEPATH, ANNOTATION_TITLE } from '../../src/oci/media-types.js';
import { layerKind, nameFromMediaType, pathProblem, shownName, unsignableProblem, walkTar } from './layers.js';

// Layers fetched at once: enough to hide per-request latency, few enough to keep memory flat.
const LAYER_CONCURRENCY = 4;

interface OciFile extends ModelFile {
  readonly layer: Descriptor;
}

/**
 * A model stored as an OCI artifact. Raw one-file layers (ModelPack `.raw`, ORAS, Docker
 * Model Runner) are files whose layer digest is a content address; tar layers (ModelPack
 * tar, KitOps) are read entry by entry while streaming.
 */
export class OciModelSource implements ModelSource {
  readonly singleFile = false;

  constructor(
    readonly repository: ContentStore,
    readonly manifest: ImageManifest,
    readonly location: string,
    readonly modelName: string,
  ) {}

  /** True when listing the model downloads: a tar layer's file list is only known by reading it. */
  get listingDownloads(): boolean {
    return this.manifest.layers.some((layer) => layerKind(layer.mediaType) !== 'raw');
  }

  async list(options: ListOptions): Promise<ModelListing> {
    const files: OciFile[] = [];
    const ignored: string[] = [];
    const taken = new Set<string>();
    // Every directory the files so far lie in: a name cannot be both a file and a directory.
    const directories = new Set<string>();
    const parents = (name: string): string[] => [...name.matchAll(/\//g)].map((m) => name.slice(0, m.index));
    // Names here may be 4 KB long: messages show their start, unquoted as before.
    const shown = (name: string): string => shownName(name, (text) => text);
    const check = (name: string): void => {
      if (taken.has(name)) throw unverifiedError('LAYER_PATH_UNSAFE', `${this.location} holds ${shown(name)} twice`);
      if (directories.has(name)) throw unverifiedError('LAYER_PATH_UNSAFE', `${this.location} holds ${shown(name)} both as a file and as a directory`);
      const file = parents(name).find((directory) => taken.has(directory));
      if (file !== undefined) throw unverifiedError('LAYER_PATH_UNSAFE', `${this.location} holds ${shown(file)} both as a file and as a directory`);
    };
    const add = (file: OciFile): void => {
      check(file.name);
      for (const directory of parents(file.name)) directories.add(directory);
      taken.add(file.name);
      if (options.isIgnored(file.name)) ignored.push(file.name);
      else files.push(file);
    };
    for (const layer of this.manifest.layers) {
      const kind = layerKind(layer.mediaType);
      if (kind === 'raw') {
        const annotated = layer.annotations?.[ANNOTATION_FILEPATH] ?? layer.annotations?.[ANNOTATION_TITLE];
        const name = annotated === undefined ? nameFromMediaType(layer, taken) : normalizeRelative(annotated);
        if (!name) throw unverifiedError('LAYER_PATH_UNSAFE', `layer ${layer.digest} is named ${shownName(annotated ?? '')}, which escapes the model root`);
        const problem = pathProblem(name) ?? unsignableProblem(name);
        if (problem !== undefined) throw unverifiedError('LAYER_PATH_UNSAFE', `layer ${layer.digest} is named ${shownName(name)}, which ${problem}`);
        // In a registry the layer digest is a content address; in a layout it must be read to count.
        add({ name, size: layer.size, ...(this.repository.local ? {} : { contentDigest: layer.digest }), layer });
      } else {
        // A tar layer's file list is only known by reading it, so each entry is hashed on
        // the way: the layer's digest is checked as it arrives (the listing fails if it does
        // not match), which makes these digests content addresses and saves a second read.
        await walkTar(this.repository.fetchBlob(layer), kind, async (entry, stream) => {
          // Before its bytes pass: a pull stages them under this name, and a name taken (or
          // a file where a directory is) would fail there as a write error, not as unverified.
          check(entry.name);
          const hash = createHash('sha256');
          for await (const chunk of options.passBytes?.(entry.name, stream) ?? stream) hash.update(chunk);
          add({ name: entry.name, size: entry.size, layer, contentDigest: `sha256:${hash.digest('hex')}` });
        }, layer.digest);
      }
    }
    return { files, ignored, warnings: [] };
  }

  /** Random access for raw layers (the engine prefers `stream`, which reads each layer once). */
  async *read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array> {
    const layer = (file as OciFile).layer;
    if (layerKind(layer.mediaType) !== 'raw') throw new Error(`${file.name} is inside a tar layer and can only be streamed`);
    let position = 0;
    for await (const chunk of this.repository.fetchBlob(layer)) {
      const from = Math.max(0, start - position);
      const to = Math.min(chunk.length, end - position);
      if (to > from) yield chunk.subarray(from, to);
      position += chunk.length;
    }
  }

  /**
   * Reads each needed layer once, several layers at a time: a raw layer is its file; a tar
   * layer yields its requested entries in order.
   */
  async stream(files: readonly ModelFile[], visit: (file: ModelFile, bytes: AsyncIterable<Uint8Array>) => Promise<void>): Promise<void> {
    const wanted = new Map((files as readonly OciFile[]).map((f) => [f.name, f]));
    const needed = new Set([...wanted.values()].map((f) => f.layer));
    const layers = this.manifest.layers.filter((l) => needed.has(l));
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let layer = layers[next++]; layer; layer = layers[next++]) {
        const kind = layerKind(layer.mediaType);
        if (kind === 'raw') {
          const current = layer;
          await visit([...wanted.values()].find((f) => f.layer === current)!, this.repository.fetchBlob(layer));
          continue;
        }
        const current = layer;
        await walkTar(this.repository.fetchBlob(layer), kind, async (entry, bytes) => {
          const file = wanted.get(entry.name);
          if (file && file.layer === current) await visit(file, bytes);
          else for await (const _ of bytes) void _;
        }, layer.digest);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LAYER_CONCURRENCY, layers.length) }, worker));
  }
}
