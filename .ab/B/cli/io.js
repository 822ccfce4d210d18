import { fstatSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FileTooLargeError, readSmallFile, usageError } from '../src/core.js';
import { LocalModelSource } from '../adapters/local/index.js';
import { isOciReference, ociAccess } from './oci.js';
import { modelRelativePaths, STDIN_DASH } from './options.js';
// Keys, certificates, trusted roots and tokens are kilobytes; this leaves room for any real one.
const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** Reads a local input file (key, certificate, trust root, token); failure is a usage error naming it. */
export async function readInput(path, what) {
    if (path === '-')
        throw usageError('BAD_FLAG', STDIN_DASH(`the ${what}`));
    try {
        return await readSmallFile(path, MAX_INPUT_BYTES);
    }
    catch (err) {
        const why = err instanceof FileTooLargeError ? `over ${MAX_INPUT_BYTES} bytes` : (err.code ?? 'error');
        throw usageError('INPUT_NOT_FOUND', `cannot read ${what} ${path} (${why})`, err);
    }
}
/** Opens a local model and works out which CLI ignore paths (and the signature file) fall inside it. */
export async function openLocalModel(modelPath, ignorePaths, signaturePath) {
    const source = await LocalModelSource.open(modelPath);
    const paths = source.singleFile ? [] : modelRelativePaths([...ignorePaths, ...(signaturePath ? [resolve(signaturePath)] : [])], source.location);
    return { source, ignorePaths: paths };
}
/**
 * Opens a model argument. Local ignore paths are resolved from the current directory, as
 * the reference CLI does; for a registry model they are relative to the model root.
 */
export async function openModel(arg, ignorePaths, signaturePath, argv) {
    if (!isOciReference(arg))
        return openLocalModel(arg, ignorePaths, signaturePath);
    // The OCI adapter (undici, tar-stream) loads only for registry and layout models.
    const { openOciModel } = await import('../adapters/oci/index.js');
    const oci = await openOciModel(arg, await ociAccess(argv));
    return { source: oci.source, ignorePaths: [...ignorePaths], oci };
}
/**
 * Whether a path leads to this process's standard output, whatever that is: `/dev/stdout`
 * or `/dev/fd/1` (links the kernel follows to a pipe, a terminal, or the file stdout was
 * redirected to), or that file or terminal by its own name. Compared by device and inode.
 */
export async function isStandardOutput(path) {
    let out;
    try {
        out = fstatSync(1);
    }
    catch {
        return false; // stdout closed
    }
    const at = await stat(path).catch(() => undefined);
    return at !== undefined && at.dev === out.dev && at.ino === out.ino;
}
/**
 * The file standard output was redirected to (`> model/x.sig`), by its real path; undefined
 * for a pipe, a terminal or anything else that is not a regular file.
 */
export async function standardOutputFile() {
    try {
        if (!fstatSync(1).isFile())
            return undefined;
    }
    catch {
        return undefined;
    }
    return realpath('/dev/stdout').catch(() => undefined);
}
/** Writes bytes to stdout; resolves once they are handed to the system, rejects if they cannot be. */
export const writeStdout = (bytes) => new Promise((done, fail) => process.stdout.write(bytes, (err) => (err ? fail(err) : done())));
/** What this run has already done that stays done (a signature written, a model pulled), said when its report cannot be printed. */
const done = [];
export const recordDone = (what) => void done.push(what);
export const doneSoFar = () => done;
/** Prints one JSON document on stdout. */
export const printJson = (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
//# sourceMappingURL=io.js.map