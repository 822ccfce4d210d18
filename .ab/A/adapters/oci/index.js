/** The OCI adapter: models stored as OCI artifacts in registries, and signatures kept as referrers. */
import { OciLayout, parseReference, RegistryRepository, } from '../../src/index.js';
import { ModelsignError } from '../../src/index.js';
import { OCI_INDEX, DOCKER_MANIFEST_LIST } from '../../src/oci/media-types.js';
import { OciModelSource } from './model-source.js';
import { OciSignatureStore } from './signature-store.js';
export { OciModelSource } from './model-source.js';
export { OciSignatureStore } from './signature-store.js';
export { pushModelPack } from './pack.js';
export { isOciReference } from '../../src/oci/reference.js';
/**
 * The store a reference names: a registry repository, or an OCI image layout on disk
 * (created when `create` is set and none exists, for a push destination).
 */
export async function openStore(reference, options, create = false) {
    if (reference.startsWith('oci-layout:'))
        return OciLayout.open(reference, { create });
    return new RegistryRepository(parseReference(reference), options);
}
/**
 * Opens `oci://registry/repo[:tag|@digest]` or `oci-layout:PATH[:tag|@digest]`; an index
 * must be narrowed to one manifest.
 */
export async function openOciModel(reference, options) {
    const repository = await openStore(reference, options);
    const fetched = await repository.fetchManifest(repository.target);
    const named = `${repository.name}${repository.target.includes(':') ? '@' : ':'}${repository.target}`;
    if (fetched.descriptor.mediaType === OCI_INDEX || fetched.descriptor.mediaType === DOCKER_MANIFEST_LIST) {
        throw new ModelsignError('usage', 'INDEX_NOT_MODEL', `${named} is an image index; name one of its manifests by digest`);
    }
    // checkManifest has checked the fields read here.
    const manifest = fetched.json;
    const location = `${repository.name}@${fetched.descriptor.digest}`;
    const modelName = repository.name.split('/').pop();
    return {
        repository,
        subject: fetched.descriptor,
        source: new OciModelSource(repository, manifest, location, modelName),
        signatures: new OciSignatureStore(repository, fetched.descriptor),
    };
}
//# sourceMappingURL=index.js.map