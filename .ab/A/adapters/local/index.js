/** The local file system adapter: models on disk and sidecar signature files. */
export { LocalModelSource } from './model-source.js';
export { SidecarSignatureStore } from './signature-store.js';
export { StagedDownload } from './staged-download.js';
//# sourceMappingURL=index.js.map