/**
 * Error kinds map one-to-one onto the CLI's exit codes:
 * - `unverified` (1): a signature, bundle or model did not verify.
 * - `usage` (2): flags or local input the tool cannot use.
 * - `remote` (3): a remote source failed (network, auth, not found).
 */
export type ErrorKind = 'unverified' | 'usage' | 'remote';

/**
 * Every code a ModelsignError can carry: short, stable names for machines (the CLI prints
 * them in `--json` errors and reports). The same code may come with more than one kind
 * where the same failure means different things (DIGEST_MISMATCH: a registry blob, exit 3;
 * a layer in a verified pull, exit 1).
 */
export const ERROR_CODES = [
  'ABORTED', 'ATTACH_CONFLICT', 'AUTH_FAILED', 'BAD_CREDENTIALS', 'BAD_DIGEST',
  'BAD_DOCKER_CONFIG', 'BAD_FLAG', 'BAD_IDENTITY_TOKEN', 'BAD_IGNORE_PATH', 'BAD_REFERENCE',
  'BAD_SHARD_SIZE', 'BAD_USAGE', 'BUNDLE_MALFORMED', 'BUNDLE_TOO_LARGE', 'CACHE_INSIDE_MODEL',
  'CACHE_LOCKED', 'CACHE_UNTRUSTED', 'CACHE_WOULD_OVERWRITE', 'CA_CERTIFICATES_SET_ASIDE',
  'CERT_KEY_UNSUPPORTED', 'CERT_UNREADABLE', 'CERT_UNTRUSTED', 'CERT_UNUSABLE',
  'CRED_HELPER_FAILED', 'CRED_HELPER_MISSING', 'DESTINATION_INVALID', 'DIGEST_MISMATCH',
  'HTTPS_DOWNGRADE', 'IDENTITY_TOKEN_EXPIRED', 'IDENTITY_TOKEN_UNAVAILABLE', 'INDEX_NOT_MODEL',
  'INPUT_NOT_FOUND', 'KEY_CERT_MISMATCH', 'KEY_ENCRYPTED', 'KEY_MISMATCH', 'KEY_PASSWORD',
  'KEY_UNREADABLE', 'KEY_UNSUPPORTED', 'LAYER_INVALID', 'LAYER_PATH_UNSAFE', 'LAYOUT_INVALID',
  'LAYOUT_NOT_FOUND', 'MANIFEST_BLOB_UNKNOWN', 'MANIFEST_INVALID', 'MANIFEST_TOO_LARGE',
  'MEDIA_TYPE_UNSUPPORTED', 'MODEL_MISMATCH', 'MODEL_NOT_FOUND', 'MODEL_NOT_LOCAL', 'NETWORK',
  'NOT_A_LAYOUT', 'NOT_FOUND', 'NO_IDENTITY', 'NO_SIGNATURE', 'NO_STAGING_ROOT', 'PAYLOAD_TYPE',
  'PRECONDITION_FAILED', 'READ_FAILED', 'REGISTRY_ERROR', 'RESOURCE_NAME_UNSAFE',
  'ROOT_MISMATCH', 'SIGNATURE_INVALID', 'SIGNATURE_NOT_FOUND', 'SIGNATURE_WOULD_OVERWRITE',
  'SIGNATURE_WRITE_FAILED', 'SIGSTORE_CERTIFICATE', 'SIGSTORE_FAILED', 'SIGSTORE_PUBLIC_KEY',
  'SIGSTORE_SIGNATURE', 'SIGSTORE_SIGN_FAILED', 'SIGSTORE_TIMESTAMP', 'SIGSTORE_TLOG',
  'SIGSTORE_TLOG_BODY', 'SIGSTORE_TLOG_INCLUSION_PROMISE', 'SIGSTORE_TLOG_INCLUSION_PROOF',
  'SIGSTORE_TLOG_MISSING_INCLUSION', 'SIGSTORE_UNTRUSTED_SIGNER', 'SPECIAL_FILE', 'STAGED_TWICE',
  'STATEMENT_INVALID', 'SYMLINK', 'SYMLINK_BROKEN', 'SYMLINK_LOOP', 'TOKEN_SERVICE_UNAVAILABLE',
  'TOO_MANY_REDIRECTS', 'TRUST_CONFIG_INVALID', 'TRUST_ROOT_INVALID', 'TUF_CACHE_UNUSABLE',
  'TUF_REFRESH_FAILED', 'UPLOAD_FAILED', 'WRITE_FAILED', 'WRONG_METHOD', 'ZSTD_UNAVAILABLE',
] as const;

/** A code of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error that names the problem and says which kind of failure it is. */
export class ModelsignError extends Error {
  readonly kind: ErrorKind;
  /** A short stable code for machines, e.g. `BUNDLE_MALFORMED`. */
  readonly code: ErrorCode;

  constructor(kind: ErrorKind, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelsignError';
    this.kind = kind;
    this.code = code;
  }
}

/** An error of unusable usage or local input (CLI exit 2): flags, paths, keys. */
export const usageError = (code: ErrorCode, message: string, cause?: unknown): ModelsignError =>
  new ModelsignError('usage', code, message, cause === undefined ? undefined : { cause });

/** An error that means "not verified" (CLI exit 1): a bad or malformed signature, a hostile bundle or layer. */
export const unverifiedError = (code: ErrorCode, message: string, cause?: unknown): ModelsignError =>
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
