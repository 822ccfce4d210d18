/** The OCI adapter: models stored as OCI artifacts in registries, and signatures kept as referrers. */
import {
  OciLayout,
  parseReference,
  RegistryRepository,
  type ContentStore,
  type CredentialResolver,
  type Descriptor,
  type ImageManifest,
} from '../../src/engine.js';
import { ModelsignError } from '../../src/engine.js';
import { OCI_INDEX, DOCKER_MANIFEST_LIST } from '../../src/oci/media-types.js';
import type { Dispatcher } from 'undici';
import { OciModelSource } from './model-source.js';
import { OciSignatureStore } from './signature-store.js';

export { OciModelSource } from './model-source.js';
export { OciSignatureStore, type AttachedSignature } from './signature-store.js';
export { pushModelPack } from './pack.js';

/** How a registry is reached (a layout needs none of it). */
export interface OciOptions {
  /** Speak plain HTTP instead of HTTPS (a registry on loopback, a test). */
  readonly plainHttp?: boolean;
  /** Where credentials for a registry host come from (Docker's config, a helper, flags). */
  readonly credentials: CredentialResolver;
  /** What sends the registry requests (a proxy agent, say); by default undici's global dispatcher. */
  readonly dispatcher?: Dispatcher;
}

/** A model in a registry, opened: its manifest as the subject, a source and a signature store. */
export interface OciModel {
  readonly repository: ContentStore;
  readonly subject: Descriptor;
  readonly source: OciModelSource;
  readonly signatures: OciSignatureStore;
}

export { isOciReference } from '../../src/oci/reference.js';

/**
 * The store a reference names: a registry repository, or an OCI image layout on disk
 * (created when `create` is set and none exists, for a push destination).
 */
export async function openStore(reference: string, options: OciOptions, create = false): Promise<ContentStore> {
  if (reference.startsWith('oci-layout:')) return OciLayout.open(reference, { create });
  return new RegistryRepository(parseReference(reference), options);
}

/**
 * Opens `oci://registry/repo[:tag|@digest]` or `oci-layout:PATH[:tag|@digest]`; an index
 * must be narrowed to one manifest.
 */
export async function openOciModel(reference: string, options: OciOptions): Promise<OciModel> {
  const repository = await openStore(reference, options);
  const fetched = await repository.fetchManifest(repository.target);
  const named = `${repository.name}${repository.target.includes(':') ? '@' : ':'}${repository.target}`;
  if (fetched.descriptor.mediaType === OCI_INDEX || fetched.descriptor.mediaType === DOCKER_MANIFEST_LIST) {
    throw new ModelsignError('usage', 'INDEX_NOT_MODEL', `${named} is an image index; name one of its manifests by digest`);
  }
  // checkManifest has checked the fields read here.
  const manifest = fetched.json as unknown as ImageManifest;
  const location = `${repository.name}@${fetched.descriptor.digest}`;
  const modelName = repository.name.split('/').pop()!;
  return {
    repository,
    subject: fetched.descriptor,
    source: new OciModelSource(repository, manifest, location, modelName),
    signatures: new OciSignatureStore(repository, fetched.descriptor),
  };
}
