import { fstatSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FileTooLargeError, readSmallFile, usageError } from '../src/core.js';
import type { ModelSource } from '../src/core.js';
import { LocalModelSource } from '../adapters/local/index.js';
import type { OciModel } from '../adapters/oci/index.js';
import { isOciReference, ociAccess, type OciArgs } from './oci.js';
import { modelRelativePaths, STDIN_DASH } from './options.js';

// Keys, certificates, trusted roots and tokens are kilobytes; this leaves room for any real one.
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Reads a local input file (key, certificate, trust root, token); failure is a usage error naming it. */
export async function readInput(path: string, what: string): Promise<Buffer> {
  if (path === '-') throw usageError('BAD_FLAG', STDIN_DASH(`the ${what}`));
  try {
    return await readSmallFile(path, MAX_INPUT_BYTES);
  } catch (err) {
    const why = err instanceof FileTooLargeError ? `over ${MAX_INPUT_BYTES} bytes` : ((err as NodeJS.ErrnoException).code ?? 'error');
    throw usageError('INPUT_NOT_FOUND', `cannot read ${what} ${path} (${why})`, err);
  }
}

/**
 * Opens a local model and works out which CLI ignore paths (and the signature file) fall
 * inside it. An ignore path that does not is dropped, as in the reference, with a warning:
 * one meant relative to the model, not the current directory, would leave nothing out.
 */
export async function openLocalModel(
  modelPath: string,
  ignorePaths: readonly string[],
  signaturePath: string | undefined,
): Promise<{ source: LocalModelSource; ignorePaths: string[]; warnings: string[] }> {
  const source = await LocalModelSource.open(modelPath);
  if (source.singleFile) return { source, ignorePaths: [], warnings: [] };
  const warnings: string[] = [];
  const paths = [
    ...modelRelativePaths(ignorePaths, source.location, (p) =>
      warnings.push(`--ignore-paths ${p} is not a path inside the model ${source.location}, so it leaves nothing out (ignore paths are absolute or relative to the current directory, as in model_signing)`),
    ),
    ...modelRelativePaths(signaturePath ? [resolve(signaturePath)] : [], source.location),
  ];
  return { source, ignorePaths: paths, warnings };
}

/** A model named on the command line: a local path or `oci://registry/repo[:tag|@digest]`. */
export interface OpenedModel {
  readonly source: ModelSource;
  /** Ignore paths relative to the model root. */
  readonly ignorePaths: string[];
  /** About the command line's view of the model (ignore paths outside it), for the command's warnings. */
  readonly warnings: string[];
  /** Set for a model in a registry. */
  readonly oci?: OciModel;
}

/**
 * Opens a model argument. Local ignore paths are resolved from the current directory, as
 * the reference CLI does; for a registry model they are relative to the model root.
 */
export async function openModel(arg: string, ignorePaths: readonly string[], signaturePath: string | undefined, argv: OciArgs): Promise<OpenedModel> {
  if (!isOciReference(arg)) return openLocalModel(arg, ignorePaths, signaturePath);
  // The OCI adapter (undici, tar-stream) loads only for registry and layout models.
  const { openOciModel } = await import('../adapters/oci/index.js');
  const oci = await openOciModel(arg, await ociAccess(argv));
  return { source: oci.source, ignorePaths: [...ignorePaths], warnings: [], oci };
}

/**
 * Whether a path leads to this process's standard output, whatever that is: `/dev/stdout`
 * or `/dev/fd/1` (links the kernel follows to a pipe, a terminal, or the file stdout was
 * redirected to), or that file or terminal by its own name. Compared by device and inode.
 */
export async function isStandardOutput(path: string): Promise<boolean> {
  let out;
  try {
    out = fstatSync(1);
  } catch {
    return false; // stdout closed
  }
  const at = await stat(path).catch(() => undefined);
  return at !== undefined && at.dev === out.dev && at.ino === out.ino;
}

/**
 * The file standard output was redirected to (`> model/x.sig`), by its real path; undefined
 * for a pipe, a terminal or anything else that is not a regular file.
 */
export async function standardOutputFile(): Promise<string | undefined> {
  try {
    if (!fstatSync(1).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return realpath('/dev/stdout').catch(() => undefined);
}

/** Writes bytes to stdout; resolves once they are handed to the system, rejects if they cannot be. */
export const writeStdout = (bytes: Uint8Array | string): Promise<void> =>
  new Promise((done, fail) => process.stdout.write(bytes, (err) => (err ? fail(err) : done())));

/** What this run has already done that stays done (a signature written, a model pulled), said when its report cannot be printed. */
const done: string[] = [];
export const recordDone = (what: string): void => void done.push(what);
export const doneSoFar = (): readonly string[] => done;

/** Prints one JSON document on stdout. */
export const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
