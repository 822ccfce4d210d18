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

export const usageError = (code: string, message: string, cause?: unknown): ModelsignError =>
  new ModelsignError('usage', code, message, cause === undefined ? undefined : { cause });

export const unverifiedError = (code: string, message: string, cause?: unknown): ModelsignError =>
  new ModelsignError('unverified', code, message, cause === undefined ? undefined : { cause });

/** The message of any thrown value, for reports. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
