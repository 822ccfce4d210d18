/** A parsed image reference: `registry/repository[:tag][@digest]`. */
export interface Reference {
    /** Host (and port) as the user wrote it, e.g. `docker.io`, `127.0.0.1:5000`. */
    readonly registry: string;
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}
/** True for a tag in the distribution spec's grammar: 1 to 128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`. */
export declare const isTag: (s: string) => boolean;
/** True for a string in the OCI digest grammar (image-spec descriptor.md): algorithm ":" encoded. */
export declare const isDigestString: (s: string) => boolean;
/**
 * Parses a reference. Docker Hub short names work as in docker: `ubuntu` is
 * `docker.io/library/ubuntu:latest`. An `oci://` prefix is accepted and dropped.
 */
export declare function parseReference(input: string): Reference;
/** The tag or digest to ask the registry for (the digest wins when both are given). */
export declare const referenceTarget: (ref: Reference) => string;
export declare const formatReference: (ref: Reference) => string;
/** The host the distribution API lives on. */
export declare const apiHost: (registry: string) => string;
/** Loopback registries speak plain HTTP without asking; everything else needs --plain-http. */
export declare function isLoopback(registry: string): boolean;
/** True for the references the OCI adapter opens: `oci://...` and `oci-layout:PATH[:tag|@digest]`. */
export declare const isOciReference: (arg: string) => boolean;
