import type { ModelSource } from '../src/core.js';
import { LocalModelSource } from '../adapters/local/index.js';
import type { OciModel } from '../adapters/oci/index.js';
import { type OciArgs } from './oci.js';
/** Reads a local input file (key, certificate, trust root, token); failure is a usage error naming it. */
export declare function readInput(path: string, what: string): Promise<Buffer>;
/** Opens a local model and works out which CLI ignore paths (and the signature file) fall inside it. */
export declare function openLocalModel(modelPath: string, ignorePaths: readonly string[], signaturePath: string | undefined): Promise<{
    source: LocalModelSource;
    ignorePaths: string[];
}>;
/** A model named on the command line: a local path or `oci://registry/repo[:tag|@digest]`. */
export interface OpenedModel {
    readonly source: ModelSource;
    /** Ignore paths relative to the model root. */
    readonly ignorePaths: string[];
    /** Set for a model in a registry. */
    readonly oci?: OciModel;
}
/**
 * Opens a model argument. Local ignore paths are resolved from the current directory, as
 * the reference CLI does; for a registry model they are relative to the model root.
 */
export declare function openModel(arg: string, ignorePaths: readonly string[], signaturePath: string | undefined, argv: OciArgs): Promise<OpenedModel>;
/**
 * Whether a path leads to this process's standard output, whatever that is: `/dev/stdout`
 * or `/dev/fd/1` (links the kernel follows to a pipe, a terminal, or the file stdout was
 * redirected to), or that file or terminal by its own name. Compared by device and inode.
 */
export declare function isStandardOutput(path: string): Promise<boolean>;
/**
 * The file standard output was redirected to (`> model/x.sig`), by its real path; undefined
 * for a pipe, a terminal or anything else that is not a regular file.
 */
export declare function standardOutputFile(): Promise<string | undefined>;
/** Writes bytes to stdout; resolves once they are handed to the system, rejects if they cannot be. */
export declare const writeStdout: (bytes: Uint8Array | string) => Promise<void>;
export declare const recordDone: (what: string) => void;
export declare const doneSoFar: () => readonly string[];
/** Prints one JSON document on stdout. */
export declare const printJson: (value: unknown) => void;
