import { type ListOptions, type ModelFile, type ModelListing, type ModelSource } from '../../src/core.js';
/** A model on the local file system: a directory tree or a single file. */
export declare class LocalModelSource implements ModelSource {
    readonly location: string;
    readonly modelName: string;
    readonly singleFile: boolean;
    private constructor();
    /** Opens a model path; a missing path or one that is neither a file nor a directory is a usage error. */
    static open(path: string): Promise<LocalModelSource>;
    list(options: ListOptions): Promise<ModelListing>;
    read(file: ModelFile, start: number, end: number): AsyncIterable<Uint8Array>;
}
