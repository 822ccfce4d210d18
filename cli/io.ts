import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '../src/index.js';
import { LocalModelSource } from '../adapters/local/index.js';
import { modelRelativePaths } from './options.js';

/** Reads a local input file (key, certificate, signature); failure is a usage error naming it. */
export async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw usageError('INPUT_NOT_FOUND', `cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
}

/** Opens a local model and works out which CLI ignore paths (and the signature file) fall inside it. */
export async function openLocalModel(
  modelPath: string,
  ignorePaths: readonly string[],
  signaturePath: string | undefined,
): Promise<{ source: LocalModelSource; ignorePaths: string[] }> {
  const source = await LocalModelSource.open(modelPath);
  const paths = source.singleFile ? [] : modelRelativePaths([...ignorePaths, ...(signaturePath ? [resolve(signaturePath)] : [])], source.location);
  return { source, ignorePaths: paths };
}

/** Prints one JSON document on stdout. */
export const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
