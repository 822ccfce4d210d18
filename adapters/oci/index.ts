/** The OCI adapter: models stored as OCI artifacts in registries, and signatures kept as referrers. */
import {
  formatReference,
  parseReference,
  referenceTarget,
  RegistryRepository,
  type CredentialResolver,
  type Descriptor,
  type ImageManifest,
} from '../../src/index.js';
import { ModelsignError } from '../../src/index.js';
import { OCI_INDEX, DOCKER_MANIFEST_LIST } from '../../src/oci/media-types.js';
import { OciModelSource } from './model-source.js';
import { OciSignatureStore } from './signature-store.js';

export { OciModelSource } from './model-source.js';
export { OciSignatureStore, type AttachedSignature } from './signature-store.js';
export { pushModelPack } from './pack.js';

export interface OciOptions {
  readonly plainHttp?: boolean;
  readonly credentials: CredentialResolver;
}

/** A model in a registry, opened: its manifest as the subject, a source and a signature store. */
export interface OciModel {
  readonly repository: RegistryRepository;
  readonly subject: Descriptor;
  readonly source: OciModelSource;
  readonly signatures: OciSignatureStore;
}

/** Opens `oci://registry/repo[:tag|@digest]`; an index must be narrowed to one manifest. */
export async function openOciModel(reference: string, options: OciOptions): Promise<OciModel> {
  const ref = parseReference(reference);
  const repository = new RegistryRepository(ref, options);
  const fetched = await repository.fetchManifest(referenceTarget(ref));
  if (fetched.descriptor.mediaType === OCI_INDEX || fetched.descriptor.mediaType === DOCKER_MANIFEST_LIST) {
    throw new ModelsignError('usage', 'INDEX_NOT_MODEL', `${formatReference(ref)} is an image index; name one of its manifests by digest`);
  }
  const manifest = fetched.json as unknown as ImageManifest;
  if (!Array.isArray(manifest.layers)) throw new ModelsignError('remote', 'MANIFEST_INVALID', `${formatReference(ref)} has no layers`);
  const location = `${ref.registry}/${ref.repository}@${fetched.descriptor.digest}`;
  const modelName = ref.repository.split('/').pop()!;
  return {
    repository,
    subject: fetched.descriptor,
    source: new OciModelSource(repository, manifest, location, modelName),
    signatures: new OciSignatureStore(repository, fetched.descriptor),
  };
}
