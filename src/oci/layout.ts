import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { makeDirectories } from '../directories.js';
import { replaceFile } from '../replace-file.js';
import { FileTooLargeError, readSmallFile } from '../small-file.js';
import { ModelsignError, usageError } from '../errors.js';
import type { ContentStore, FetchedManifest, PushedManifest } from './content-store.js';
import { digestOf, parseDigest, verifiedStream } from './digest.js';
import { checkManifest } from './manifest-check.js';
import { manifestShapeProblem } from './manifest-shape.js';
import { MAX_MANIFEST_BYTES, OCI_INDEX, type Descriptor, type ImageIndex } from './media-types.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
// index.json lists every manifest of the layout: larger than one manifest, still bounded.
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
// In a local layout, changed bytes are changed content (1) and an unusable manifest is unusable local input (2).
const IN_LAYOUT = { integrity: 'unverified', format: 'usage' } as const;

/** `oci-layout:PATH[:tag|@digest]` split into its parts. */
export function parseLayoutReference(input: string): { path: string; target: string } {
  const rest = input.slice('oci-layout:'.length);
  const at = rest.lastIndexOf('@');
  if (at > 0) return { path: rest.slice(0, at), target: rest.slice(at + 1) };
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && colon > 0) return { path: rest.slice(0, colon), target: rest.slice(colon + 1) };
  return { path: rest, target: 'latest' };
}

/**
 * An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as skopeo
 * and oras read and write it. Blobs are written to a temporary name, checked and renamed;
 * `index.json` is replaced atomically. Referrers are manifests listed in `index.json` whose
 * `subject` names the digest.
 */
export class OciLayout implements ContentStore {
  readonly name: string;
  readonly local = true;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly root: string,
    readonly target: string,
  ) {
    this.name = `oci-layout:${root}`;
  }

  /** Opens a layout; `create` makes an empty one where none exists. */
  static async open(reference: string, options: { create?: boolean } = {}): Promise<OciLayout> {
    const { path, target } = parseLayoutReference(reference);
    const root = resolve(path);
    const layout = new OciLayout(root, target);
    const marker = await readSmallFile(join(root, 'oci-layout'), MAX_MANIFEST_BYTES).catch(() => undefined);
    if (marker === undefined) {
      if (!options.create) throw usageError('LAYOUT_NOT_FOUND', `${path} is not an OCI image layout (no oci-layout file)`);
      try {
        await makeDirectories(join(root, 'blobs'));
        await writeFile(join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
        await layout.writeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
      } catch (err) {
        throw usageError('LAYOUT_INVALID', `cannot create an OCI image layout at ${path}: ${(err as Error).message}`, err);
      }
    }
    return layout;
  }

  async fetchManifest(target: string): Promise<FetchedManifest> {
    const found = await this.fetchManifestIfExists(target);
    if (!found) throw new ModelsignError('usage', 'NOT_FOUND', `${this.name} has no manifest ${target}`);
    return found;
  }

  async fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined> {
    let descriptor: Descriptor | undefined;
    if (target.includes(':')) {
      parseDigest(target);
      descriptor = (await this.readIndex()).manifests.find((m) => m.digest === target);
      if (!descriptor && !(await this.blobExists(target))) return undefined;
    } else {
      descriptor = (await this.readIndex()).manifests.find((m) => m.annotations?.[REF_NAME] === target);
      if (!descriptor) return undefined;
    }
    const digest = descriptor?.digest ?? target;
    let bytes: Buffer;
    try {
      bytes = await readSmallFile(this.blobPath(digest), MAX_MANIFEST_BYTES);
    } catch (err) {
      if (err instanceof FileTooLargeError) throw new ModelsignError('usage', 'MANIFEST_TOO_LARGE', `manifest ${digest} in ${this.name} is over ${MAX_MANIFEST_BYTES} bytes`);
      throw this.unreadableBlob('manifest', digest, err);
    }
    return checkManifest(bytes, { digest, ...(descriptor ? { mediaType: descriptor.mediaType } : {}) }, `manifest ${digest} in ${this.name}`, IN_LAYOUT);
  }

  async *fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array> {
    let handle;
    try {
      handle = await open(this.blobPath(descriptor.digest), 'r');
    } catch (err) {
      throw this.unreadableBlob('blob', descriptor.digest, err);
    }
    try {
      yield* verifiedStream(handle.createReadStream({ highWaterMark: 1024 * 1024 }), descriptor, `blob ${descriptor.digest} in ${this.name}`, 'unverified');
    } catch (err) {
      throw err instanceof ModelsignError ? err : this.unreadableBlob('blob', descriptor.digest, err);
    }
  }

  /** A blob the layout names but that is missing or cannot be read: the layout is damaged (LAYOUT_INVALID). */
  private unreadableBlob(what: string, digest: string, err: unknown): ModelsignError {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (err as Error).message})`;
    return usageError('LAYOUT_INVALID', `${what} ${digest} of ${this.name} ${why}`, err);
  }

  async blobExists(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(() => true, () => false);
  }

  async pushBlob(descriptor: Descriptor, open: (start: number, end: number) => Readable): Promise<void> {
    if (await this.blobExists(descriptor.digest)) return;
    const final = this.blobPath(descriptor.digest);
    await makeDirectories(join(final, '..'));
    const temp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    const out = createWriteStream(temp, { flags: 'wx' });
    try {
      for await (const chunk of verifiedStream(open(0, descriptor.size), descriptor, `blob ${descriptor.digest}`)) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');
      await rename(temp, final);
    } catch (err) {
      out.destroy();
      await rm(temp, { force: true });
      throw err;
    }
  }

  async pushManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PushedManifest> {
    const descriptor: Descriptor = { mediaType, digest: digestOf(bytes, 'sha256'), size: bytes.length };
    await this.pushBlob(descriptor, () => Readable.from([bytes]));
    const json = JSON.parse(bytes.toString('utf8')) as { artifactType?: string; annotations?: Record<string, string> };
    await this.updateIndex((manifests) => {
      const kept = manifests.filter((m) => (tag ? m.annotations?.[REF_NAME] !== tag : m.digest !== descriptor.digest));
      const entry: Descriptor = {
        ...descriptor,
        ...(json.artifactType ? { artifactType: json.artifactType } : {}),
        ...(tag || json.annotations ? { annotations: { ...(json.annotations ?? {}), ...(tag ? { [REF_NAME]: tag } : {}) } } : {}),
      };
      return [...kept, entry];
    });
    return { descriptor, subjectIndexed: true };
  }

  async referrers(subject: string, artifactType?: string): Promise<{ descriptors: Descriptor[]; via: 'index' }> {
    const descriptors: Descriptor[] = [];
    for (const entry of (await this.readIndex()).manifests) {
      const manifest = await this.fetchManifestIfExists(entry.digest);
      const json = manifest?.json as { subject?: Descriptor; artifactType?: string; annotations?: Record<string, string> } | undefined;
      if (json?.subject?.digest !== subject) continue;
      if (artifactType && json.artifactType !== artifactType) continue;
      descriptors.push({ ...manifest!.descriptor, ...(json.artifactType ? { artifactType: json.artifactType } : {}), ...(json.annotations ? { annotations: json.annotations } : {}) });
    }
    return { descriptors, via: 'index' };
  }

  private blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'blobs', algorithm, hex);
  }

  private async readIndex(): Promise<ImageIndex> {
    let json: unknown;
    try {
      json = JSON.parse((await readSmallFile(join(this.root, 'index.json'), MAX_INDEX_BYTES)).toString('utf8'));
    } catch (err) {
      throw usageError('LAYOUT_INVALID', `${this.name} has no readable index.json`, err);
    }
    const problem = manifestShapeProblem(json, OCI_INDEX);
    if (problem) throw usageError('LAYOUT_INVALID', `the index.json of ${this.name} ${problem}`);
    return json as ImageIndex;
  }

  /** Read-modify-write of index.json, one at a time within this process, replaced atomically. */
  private updateIndex(change: (manifests: readonly Descriptor[]) => Descriptor[]): Promise<void> {
    const run = this.writing.catch(() => undefined).then(async () => {
      const index = await this.readIndex();
      await this.writeIndex({ ...index, manifests: change(index.manifests ?? []) });
    });
    this.writing = run;
    return run;
  }

  private async writeIndex(index: ImageIndex): Promise<void> {
    await replaceFile(join(this.root, 'index.json'), JSON.stringify(index));
  }
}
