import { usageError } from '../errors.js';
const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
// The distribution spec's tag grammar; an OCI layout's tags follow it too.
const TAG = /^[\w][\w.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// V8 runs a repeated group recursively: on megabytes these patterns throw RangeError instead
// of answering. No real digest or repository name comes near these lengths (registries cap a
// name at 255 characters), so longer strings are refused before the pattern runs.
const MAX_DIGEST_LENGTH = 1024;
const MAX_REPOSITORY_LENGTH = 4096;
/** True for a tag in the distribution spec's grammar: 1 to 128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`. */
export const isTag = (s) => TAG.test(s);
/** True for a string in the OCI digest grammar (image-spec descriptor.md): algorithm ":" encoded. */
export const isDigestString = (s) => s.length <= MAX_DIGEST_LENGTH && DIGEST.test(s);
/**
 * Parses a reference. Docker Hub short names work as in docker: `ubuntu` is
 * `docker.io/library/ubuntu:latest`. An `oci://` prefix is accepted and dropped.
 */
export function parseReference(input) {
    let rest = input.startsWith('oci://') ? input.slice('oci://'.length) : input;
    let digest;
    const at = rest.indexOf('@');
    if (at !== -1) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!isDigestString(digest))
            throw usageError('BAD_REFERENCE', `${input}: ${digest} is not a digest`);
        // The registered algorithms have fixed encodings: a typo should fail here, not remotely.
        const [algorithm, encoded = ''] = digest.split(':');
        const hexLength = algorithm === 'sha256' ? 64 : algorithm === 'sha512' ? 128 : undefined;
        if (hexLength !== undefined && !new RegExp(`^[0-9a-f]{${hexLength}}$`).test(encoded)) {
            throw usageError('BAD_REFERENCE', `${input}: ${digest} is not a ${algorithm} digest (${hexLength} lower-case hex characters)`);
        }
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw usageError('BAD_REFERENCE', `${input}: ${JSON.stringify(tag)} is not a valid tag`);
    }
    const slash = rest.indexOf('/');
    // `oci://127.0.0.1:5000` or `oci://ghcr.io`: docker would read a Docker Hub image
    // `library/127.0.0.1:5000`, but a host with no repository is what was written (no
    // official Docker Hub image has a dot in its name).
    if (slash === -1 && (rest.includes('.') || rest === 'localhost' || rest.startsWith('['))) {
        throw usageError('BAD_REFERENCE', `${input} names a registry but no repository: write ${rest}${tag ? `:${tag}` : ''}/REPOSITORY[:tag|@digest]`);
    }
    const first = slash === -1 ? '' : rest.slice(0, slash);
    const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
    const registry = isHost ? (first === 'index.docker.io' ? DOCKER_HUB : first) : DOCKER_HUB;
    let repository = isHost ? rest.slice(slash + 1) : rest;
    if (registry === DOCKER_HUB && !repository.includes('/'))
        repository = `library/${repository}`;
    if (repository.length > MAX_REPOSITORY_LENGTH || !REPOSITORY.test(repository))
        throw usageError('BAD_REFERENCE', `${input}: ${JSON.stringify(repository)} is not a valid repository name`);
    if (!tag && !digest)
        tag = 'latest';
    return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
/** The tag or digest to ask the registry for (the digest wins when both are given). */
export const referenceTarget = (ref) => ref.digest ?? ref.tag ?? 'latest';
export const formatReference = (ref) => `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
/** The host the distribution API lives on. */
export const apiHost = (registry) => (registry === DOCKER_HUB ? 'registry-1.docker.io' : registry);
/** Loopback registries speak plain HTTP without asking; everything else needs --plain-http. */
export function isLoopback(registry) {
    const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0];
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/** True for the references the OCI adapter opens: `oci://...` and `oci-layout:PATH[:tag|@digest]`. */
export const isOciReference = (arg) => arg.startsWith('oci://') || arg.startsWith('oci-layout:');
//# sourceMappingURL=reference.js.map