import { type ImageManifest, type ListOptions, type ModelFile, type ModelListing, type ModelSource, type ContentStore } from '../../src/index.js';
/**
 * A model stored as an OCI artifact. Raw one-file layers (ModelPack `.raw`, ORAS, Docker
 * Model Runner) are files whose layer digest is a content address; tar layers (ModelPack
 * tar, KitOps) are read entry by entry while streaming.
 */
export declare class OciModelSource implements ModelSource {
    readonly repository: ContentStore;
    readonly manifest: ImageManifest;
    readonly location: string;
    readonly modelName: string;
    readonly singleFile = false;
    constructor(repository: ContentStore, manifest: ImageManifest, location: string, modelName: string);
    /** True when listing the model downloads: a tar layer's file list is only known by reading it. */
    get listingDownloads(): boolean;
    list(options: ListOptions): Promise<ModelListing>;
    /** Random access for raw layers (the engine prefers `stream`, which reads each layer once). */
    read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array>;
    /**
     * Reads each needed layer once, several layers at a time: a raw layer is its file; a tar
     * layer yields its requested entries in order.
     */
    stream(files: readonly ModelFile[], visit: (file: ModelFile, bytes: AsyncIterable<Uint8Array>) => Promise<void>): Promise<void>;
}
