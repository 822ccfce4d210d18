import { DOCKER_MANIFEST_LIST, OCI_INDEX } from './media-types.js';
// Only the grammar: which algorithms can be checked is decided where a digest is used (parseDigest).
import { isDigestString } from './reference.js';
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * What is wrong with the shape of a parsed manifest (image manifest, or index when the
 * media type says so), or undefined when every field this client reads has the type the
 * OCI image spec gives it. Fields it does not read are not checked.
 */
export function manifestShapeProblem(json, mediaType) {
    if (!isObject(json))
        return 'is not a JSON object';
    if (json.schemaVersion !== 2)
        return `has schemaVersion ${JSON.stringify(json.schemaVersion)}, not 2`;
    const common = fieldsProblem(json, 'has');
    if (common)
        return common;
    if (mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST)
        return descriptorsProblem(json.manifests, 'manifests');
    return (descriptorProblem(json.config, 'config') ??
        descriptorsProblem(json.layers, 'layers') ??
        (json.subject === undefined ? undefined : descriptorProblem(json.subject, 'subject')));
}
/** What is wrong with a list of descriptors (an index's `manifests`, a manifest's `layers`), if anything. */
function descriptorsProblem(list, where) {
    if (!Array.isArray(list))
        return `has no ${where} array`;
    for (let i = 0; i < list.length; i += 1) {
        const problem = descriptorProblem(list[i], `${where}[${i}]`);
        if (problem)
            return problem;
    }
    return undefined;
}
function descriptorProblem(d, where) {
    if (!isObject(d))
        return `has a ${where} that is not a descriptor object`;
    if (typeof d.mediaType !== 'string')
        return `has a ${where} without a mediaType string`;
    if (typeof d.digest !== 'string' || !isDigestString(d.digest))
        return `has a ${where} whose digest ${JSON.stringify(d.digest)?.slice(0, 100)} is not a digest`;
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
        return `has a ${where} whose size ${JSON.stringify(d.size)?.slice(0, 40)} is not a byte count`;
    return fieldsProblem(d, `has a ${where} with`);
}
/** The optional fields manifests and descriptors share: `artifactType`, a string, and `annotations`, a map of strings. */
function fieldsProblem(o, prefix) {
    if (o.artifactType !== undefined && typeof o.artifactType !== 'string')
        return `${prefix} an artifactType that is not a string`;
    const a = o.annotations;
    if (a !== undefined && (!isObject(a) || Object.values(a).some((value) => typeof value !== 'string')))
        return `${prefix} annotations that are not a map of strings`;
    return undefined;
}
//# sourceMappingURL=manifest-shape.js.map