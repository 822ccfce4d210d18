import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelsignError } from '../errors.js';
import { EMPTY_CONFIG, OCI_INDEX, OCI_MANIFEST, type Descriptor, type ImageIndex, type ImageManifest } from './media-types.js';
import { fallbackTag, type RegistryRepository } from './repository.js';

/** Where an attached referrer was recorded. */
export interface AttachResult {
  readonly descriptor: Descriptor;
  /** `api`: the registry indexes referrers itself; `tag`: we updated the `sha256-<hex>` index. */
  readonly via: 'api' | 'tag';
}

const MAX_ATTEMPTS = 20;
// Attaches to one subject from this process run one at a time: the fallback index is a
// read-modify-write, and racing ourselves would only lose entries.
const locks = new Map<string, Promise<unknown>>();

/**
 * Pushes an artifact manifest (empty config, the given layers) whose subject is `subject`,
 * and makes it discoverable: nothing more to do when the registry answers `OCI-Subject`,
 * else the referrer is merged into the tag-schema index. distribution 2.8 ignores
 * `If-Match`, so after writing we wait a jittered moment, read the index again and merge
 * again until our entry is there.
 */
export async function attachArtifact(
  repo: RegistryRepository,
  artifact: { artifactType: string; layers: Descriptor[]; annotations: Record<string, string> },
  subject: Descriptor,
): Promise<AttachResult> {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: artifact.artifactType,
    config: EMPTY_CONFIG,
    layers: artifact.layers,
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: artifact.annotations,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  await repo.pushBlob(EMPTY_CONFIG, () => Readable.from([Buffer.from('{}')]));
  const pushed = await repo.pushManifest(bytes, OCI_MANIFEST);
  const descriptor: Descriptor = { ...pushed.descriptor, artifactType: artifact.artifactType, annotations: artifact.annotations };
  if (pushed.subjectIndexed) return { descriptor, via: 'api' };

  const key = `${repo.reference.registry}/${repo.reference.repository}@${subject.digest}`;
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => addToFallbackIndex(repo, subject.digest, descriptor));
  locks.set(key, run);
  try {
    await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
  return { descriptor, via: 'tag' };
}

async function addToFallbackIndex(repo: RegistryRepository, subject: string, entry: Descriptor): Promise<void> {
  const tag = fallbackTag(subject);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await repo.fetchManifestIfExists(tag);
    const manifests = (current?.json as ImageIndex | undefined)?.manifests ?? [];
    if (attempt > 0 && manifests.some((m) => m.digest === entry.digest)) return;
    const index: ImageIndex = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...manifests.filter((m) => m.digest !== entry.digest), entry] };
    try {
      await repo.pushManifest(Buffer.from(JSON.stringify(index)), OCI_INDEX, tag, current?.etag);
    } catch (err) {
      if (!(err instanceof ModelsignError && err.code === 'PRECONDITION_FAILED')) throw err;
    }
    // Let a concurrent writer's PUT land before we look, so we see (and repair) its effect.
    await sleep(50 + Math.random() * 150 * (attempt + 1));
  }
  throw new ModelsignError('remote', 'ATTACH_CONFLICT', `could not record the referrer in ${tag} after ${MAX_ATTEMPTS} attempts: other writers keep replacing it`);
}

