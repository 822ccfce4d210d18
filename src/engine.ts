/**
 * The whole engine, internals included, for the adapters, the CLI and the tests: the light
 * part (core.ts), the public API (index.ts, which adds Sigstore keyless and the OCI
 * client), and the OCI client's internals. Not part of the package's exports; consumers
 * get the public API of index.ts.
 */
export * from './core.js';
export * from './index.js';
export { fallbackTag } from './oci/repository.js';
export { attachArtifact, type AttachResult, type BlobSource } from './oci/attach.js';
