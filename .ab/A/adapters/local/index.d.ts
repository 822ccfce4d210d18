/** The local file system adapter: models on disk and sidecar signature files. */
export { LocalModelSource } from './model-source.js';
export { SidecarSignatureStore } from './signature-store.js';
export { StagedDownload, type DownloadState } from './staged-download.js';
