/**
 * Error kinds map one-to-one onto the CLI's exit codes:
 * - `unverified` (1): a signature, bundle or model did not verify.
 * - `usage` (2): flags or local input the tool cannot use.
 * - `remote` (3): a remote source failed (network, auth, not found).
 */
export type ErrorKind = 'unverified' | 'usage' | 'remote';

/** An error that names the problem and says which kind of failure it is. */
export class ModelsignError extends Error {
  readonly kind: ErrorKind;
  /** A short stable code for machines, e.g. `BUNDLE_MALFORMED`. */
  readonly code: string;

  constructor(kind: ErrorKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelsignError';
    this.kind = kind;
    this.code = code;
  }
}

/** An error of unusable usage or local input (CLI exit 2): flags, paths, keys. */
export const usageError = (code: string, message: string, cause?: unknown): ModelsignError =>
  new ModelsignError('usage', code, message, cause === undefined ? undefined : { cause });

/** An error that means "not verified" (CLI exit 1): a bad or malformed signature, a hostile bundle or layer. */
export const unverifiedError = (code: string, message: string, cause?: unknown): ModelsignError =>
  new ModelsignError('unverified', code, message, cause === undefined ? undefined : { cause });

/**
 * The same failure (kind, code, and the original as its cause) with its message reworded,
 * to say where it happened; any other thrown value is returned as it is.
 */
export function reworded(err: unknown, message: (text: string) => string): unknown {
  return err instanceof ModelsignError ? new ModelsignError(err.kind, err.code, message(err.message), { cause: err }) : err;
}

/** The message of any thrown value, for reports. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An error's message followed by those of its causes, so the reason (a URL refused,
 * `ECONNREFUSED`, an HTTP status) is named, not only sigstore-js' summary of it.
 */
export function causeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const text = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown }).code;
    const part = typeof code === 'string' && !text.includes(code) && !/^[A-Z_]+_ERROR$/.test(code) ? `${text} (${code})` : text;
    // make-fetch-happen repeats its cause's message in its own: keep the longer once.
    if (part !== '' && !parts.some((p) => p.includes(part))) parts.push(part);
  }
  return parts.join(': ');
}
