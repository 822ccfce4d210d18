import { ModelsignError } from '../errors.js';
import type { ModelListing, ModelSource } from '../source.js';
import { parseBundle, type ParsedBundle } from '../bundle/bundle.js';
import { parseStatement, type ParsedStatement } from '../manifest/statement.js';
import { workersBeside } from '../hashing/pool.js';
import { checkModel, listSigned, type ModelCheckOptions } from './model-check.js';
import { readSerializationAhead } from './serialization-ahead.js';
import { summarize, type Check, type FileStatus, type VerificationReport } from './report.js';
import type { SignatureCheck, SignatureVerifier } from './signer-info.js';

/** What `verifyModel` checks: a model (its source) against one bundle, with a verifier for the bundle's signer. */
export interface VerifyModelOptions extends ModelCheckOptions {
  /** The model. */
  readonly source: ModelSource;
  /** The bundle file's bytes. */
  readonly bundle: Uint8Array;
  readonly verifier: SignatureVerifier;
  /**
   * Start listing the model before the bundle is checked, under the serialization its
   * payload appears to record (unless that allows symbolic links), and check the bundle on
   * the calling thread while the hash workers open and hash the listed files. The listing
   * is used only if the verified statement's rules are the same; otherwise the model is
   * listed again. Worth it for a local model; a source that downloads to list would
   * download before the signature is known to be good.
   */
  readonly listAhead?: boolean;
}

/** The bundle's signature and statement, checked; or the report of the first check that failed. */
type Examined = { readonly signature: SignatureCheck; readonly statement: ParsedStatement } | { readonly report: VerificationReport };

/**
 * Verifies a model against a signature bundle, step by step: parse the bundle, check the
 * signature with the chosen method, parse the statement, hash the model as it was signed
 * and compare. Every "not verified" outcome is returned as a report, never thrown; local
 * input problems (an unreadable model, a symlink the signature does not allow) throw a
 * usage `ModelsignError`.
 */
export async function verifyModel(options: VerifyModelOptions): Promise<VerificationReport> {
  const checks: Check[] = [];
  const warnings: string[] = [];
  const method = options.verifier.method;
  const listings = options.listings ?? new Map<string, ModelListing>();
  const examine = once((): Examined => examineBundle(options, checks, warnings));
  // Without a worker (one thread, the calling one hashing) there is nothing to overlap.
  if (options.listAhead && workersBeside(options) > 0) {
    const guess = readSerializationAhead(options.bundle);
    // Links are followed on a verified say-so only: unverified, one to / would walk the disk.
    // Failures are the real listing's to report, under the verified rules.
    if (guess && !guess.allowSymlinks) await listSigned(options.source, guess, { ...options, listings, meanwhile: examine }).catch(() => undefined);
  }
  const examined = examine();
  if ('report' in examined) return examined.report;
  const { signature, statement } = examined;
  const { manifest, legacy } = statement;
  let files: FileStatus[];
  try {
    const checked = await checkModel(options.source, manifest, { ...options, listings });
    files = checked.files;
    warnings.push(...checked.warnings);
  } catch (err) {
    if (!(err instanceof ModelsignError) || err.kind !== 'unverified') throw err;
    checks.push({ name: 'model', ok: false, message: err.message });
    return { verified: false, method, legacy, signer: signature.signer, checks, files: [], summary: summarize([]), warnings, error: { code: err.code, message: err.message } };
  }
  const summary = summarize(files);
  const bad = summary.changed + summary.missing + summary.extra;
  const message = bad === 0 ? undefined : `${summary.changed} changed, ${summary.missing} missing, ${summary.extra} extra`;
  checks.push({ name: 'model', ok: bad === 0, ...(message ? { message } : {}) });
  return {
    verified: bad === 0,
    method,
    legacy,
    signer: signature.signer,
    rootDigest: `sha256:${manifest.rootDigest}`,
    serialization: manifest.serialization,
    checks,
    files,
    summary,
    warnings,
    ...(message ? { error: { code: 'MODEL_MISMATCH', message: `the model does not match its signature: ${message}` } } : {}),
  };
}

/** The first three steps: bundle, signature, statement, each recorded in `checks`. */
function examineBundle(options: VerifyModelOptions, checks: Check[], warnings: string[]): Examined {
  const method = options.verifier.method;
  const failed = (name: Check['name'], err: unknown, partial: Partial<VerificationReport> = {}): Examined => {
    if (!(err instanceof ModelsignError) || err.kind !== 'unverified') throw err;
    checks.push({ name, ok: false, message: err.message });
    return { report: { verified: false, method, legacy: false, checks, files: [], summary: summarize([]), warnings, ...partial, error: { code: err.code, message: err.message } } };
  };

  let bundle: ParsedBundle;
  try {
    bundle = parseBundle(options.bundle);
  } catch (err) {
    return failed('bundle', err);
  }
  checks.push({ name: 'bundle', ok: true });

  let signature: SignatureCheck;
  try {
    signature = options.verifier.verify(bundle);
  } catch (err) {
    return failed('signature', err);
  }
  checks.push({ name: 'signature', ok: true, ...(signature.legacyPae ? { message: 'verified over the v0.2 pre-authentication encoding' } : {}) });
  warnings.push(...(signature.warnings ?? []));

  let statement: ParsedStatement;
  try {
    statement = parseStatement(bundle.payload);
  } catch (err) {
    return failed('statement', err, { signer: signature.signer });
  }
  checks.push({ name: 'statement', ok: true });
  if (statement.legacy) warnings.push('legacy v0.2 signature (predicate https://model_signing/Digests/v0.1), accepted through the compatibility path');
  return { signature, statement };
}

/** `work` run at most once: later calls return its result, or throw what it threw, again. */
function once<T>(work: () => T): () => T {
  let outcome: { readonly value: T } | { readonly error: unknown } | undefined;
  return () => {
    if (outcome === undefined) {
      try {
        outcome = { value: work() };
      } catch (error) {
        outcome = { error };
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
}
