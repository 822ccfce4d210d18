import { X509Certificate } from 'node:crypto';
import {
  certificateVerifier,
  isTrustAnchor,
  keyVerifier,
  loadPublicKey,
  ModelsignError,
  parsePemCertificates,
  subjectOf,
  usageError,
  verifyModel,
  type CertificateValidityTime,
  type ModelListing,
  type ModelSource,
  type SignatureStore,
  type SignatureVerifier,
  type VerificationReport,
  type VerifyModelOptions,
} from '../../src/core.js';
import { SidecarSignatureStore } from '../../adapters/local/index.js';
import { closeCache, openCache } from '../cache.js';
import { openModel, printJson, readInput } from '../io.js';
import { isOciReference } from '../oci.js';
import { checkMaxSignatures, poolOptionsFrom } from '../options.js';
import { Progress } from '../progress.js';
import { reportText } from '../report-text.js';
import { printNotices } from '../terminal.js';
import { firstSignatures, goneWarning, lostSignatures, unusableReason } from '../stored-signatures.js';
import { verificationTrust } from '../sigstore-trust.js';
import { REQUIRED, type TrustMaterialArgs, type VerifyArgs, type VerifyMethod } from '../commands/verify.js';

/** Builds the verifier for a method from its flags; a missing flag is a usage error. */
export async function verifierFor(method: VerifyMethod, argv: TrustMaterialArgs): Promise<SignatureVerifier> {
  const missing = REQUIRED[method].filter((k) => argv[k] === undefined || (Array.isArray(argv[k]) && argv[k].length === 0));
  if (missing.length > 0) throw usageError('BAD_FLAG', `Missing required argument${missing.length > 1 ? 's' : ''} for ${method} verification: ${missing.map((m) => `--${m}`).join(', ')}`);
  switch (method) {
    case 'key':
      return keyVerifier(loadPublicKey(await readInput(argv['public-key']!, 'public key'), argv['public-key']!));
    case 'certificate': {
      const anchors = [];
      for (const path of argv['certificate-chain']!) {
        const certs = parsePemCertificates(await readInput(path, 'certificate chain'), path);
        if (argv['log-fingerprints']) {
          printNotices('note', certs.map((c) => fingerprintLine(c, isTrustAnchor(c) ? `trust anchor from ${path}` : `from ${path}, not self-signed: an intermediate, not a trust anchor`)));
        }
        anchors.push(...certs);
      }
      const verifier = certificateVerifier(anchors, argv['valid-at'] === undefined ? {} : { at: validityTime(argv['valid-at']) });
      return argv['log-fingerprints'] ? loggingChainFingerprints(verifier) : verifier;
    }
    case 'sigstore': {
      // sigstore-js loads only for keyless verification.
      const { sigstoreVerifier } = await import('../../src/verifying/sigstore-verifier.js');
      return sigstoreVerifier(await verificationTrust({ 'use-staging': false, offline: false, 'refresh-trust-root': false, ...argv }), {
        identity: argv.identity!,
        issuer: argv['identity-provider']!,
      });
    }
  }
}

const fingerprintLine = (cert: X509Certificate, what: string): string => `sha256 fingerprint ${cert.fingerprint256} of "${subjectOf(cert)}" (${what})`;

/** `--log-fingerprints`, as the reference's: each certificate a bundle carries, as it is checked. */
function loggingChainFingerprints(verifier: SignatureVerifier): SignatureVerifier {
  return {
    method: verifier.method,
    verify(bundle) {
      if (bundle.material.kind === 'x509CertificateChain') {
        printNotices(
          'note',
          bundle.material.certificates.map((der, i) => {
            const what = `certificate ${i} of the bundle's chain`;
            try {
              return fingerprintLine(new X509Certificate(der), what);
            } catch {
              return `${what} cannot be parsed`;
            }
          }),
        );
      }
      return verifier.verify(bundle);
    },
  };
}

// A date, or a date and time with its zone: a time without one would depend on the machine's.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Reads `--valid-at`: `issued`, `now`, or an ISO 8601 date (UTC) or time with its zone. */
function validityTime(value: string): CertificateValidityTime {
  if (value === 'issued' || value === 'now') return value;
  const [, year, month, day] = ISO_TIME.exec(value) ?? [];
  const time = new Date(value);
  // V8 takes February 30 as March 2.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (day === undefined || Number.isNaN(time.getTime()) || Number(day) < 1 || Number(day) > daysInMonth) {
    throw usageError('BAD_FLAG', `--valid-at must be "issued", "now" or an ISO 8601 date or time with its zone (2025-06-01, 2025-06-01T12:00:00Z), not "${value}"`);
  }
  return time;
}

/** How one stored signature fared. */
export interface SignatureOutcome {
  /** Where the signature is. */
  readonly signature: string;
  readonly verified: boolean;
  /** Why it did not verify. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * A report on a model checked against stored signatures: the report of the signature that
 * decided, and, when more than one was tried, how each of them fared.
 */
export type StoreReport = VerificationReport & { readonly signatures?: readonly SignatureOutcome[] };

/** The outcome of checking a model against every signature a store holds. */
export interface StoreVerification {
  readonly report: StoreReport;
  /** Where the signature that decided the outcome is. */
  readonly signature: string;
  readonly signaturesFound: number;
}

/**
 * Verifies against the stored signatures; the model verifies if one of them does. The
 * checks share one listing and one digest memo, so a model is listed and read once however
 * many signatures it has. When none verifies, the report is that of the signature that came
 * closest (the most checks passed, so a signature by the right signer over other content,
 * whose report names the files that differ, is preferred to one by another key), and with
 * several tried, `signatures` gives each one's reason.
 *
 * At most `maxSignatures` (default all) are fetched and tried, in the store's order: each
 * costs requests and a verification, and a registry may list thousands. When none of those
 * verifies and more were listed, the model is not verified and a warning says how many
 * were left untried and that `--max-signatures` tries more.
 */
export async function verifyWithStore(
  source: ModelSource,
  store: SignatureStore,
  verifier: SignatureVerifier,
  options: Omit<VerifyModelOptions, 'source' | 'bundle' | 'verifier' | 'memo' | 'listings'> & { readonly maxSignatures?: number },
): Promise<StoreVerification> {
  const { maxSignatures = Infinity, ...verifyOptions } = options;
  const listed = await store.list();
  if (listed.length === 0) throw noSignature(source, store);
  const { signatures, leftOut } = firstSignatures(listed, maxSignatures, 'tried');
  const tried: { report: VerificationReport; signature: string }[] = [];
  // Only a later signature can reuse digests: with one, remembering them cost ~0.7 us per resource for nothing.
  const memo = signatures.length > 1 ? new Map<string, string>() : undefined;
  const listings = new Map<string, ModelListing>();
  const gone = await lostSignatures(
    signatures,
    async (stored, bundle) => {
      const report = await verifyModel({ ...verifyOptions, ...(memo ? { memo } : {}), listings, source, bundle, verifier });
      tried.push({ report, signature: stored.location });
      return report.verified;
    },
    (stored, err) => tried.push({ report: unusableReport(verifier.method, err.code, unusableReason(stored.location, err)), signature: stored.location }),
  );
  if (tried.length === 0) throw noSignature(source, store, `the ${gone.length} listed are gone${leftOut ? `; ${leftOut}` : ''}`);
  const passed = (r: VerificationReport): number => r.checks.filter((c) => c.ok).length;
  const result = tried[tried.length - 1]!.report.verified ? tried[tried.length - 1]! : tried.reduce((best, t) => (passed(t.report) > passed(best.report) ? t : best));
  const outcomes: SignatureOutcome[] = tried.map(({ report, signature }) => ({ signature, verified: report.verified, ...(report.error ? { error: report.error } : {}) }));
  // Signatures left untried matter only when none of those tried verified.
  const warnings = [...result.report.warnings, ...(store.skipped ?? []), ...gone.map(goneWarning), ...(leftOut && !result.report.verified ? [leftOut] : [])];
  return {
    signature: result.signature,
    report: { ...result.report, warnings, ...(tried.length > 1 ? { signatures: outcomes } : {}) },
    signaturesFound: listed.length - gone.length,
  };
}

/**
 * NO_SIGNATURE, with why the store found none: what it passed over while looking (a
 * layout's unreadable index entries, at most three named) would otherwise go unsaid, as
 * warnings are printed only with a report.
 */
function noSignature(source: ModelSource, store: SignatureStore, why?: string): ModelsignError {
  const skipped = store.skipped ?? [];
  const passed = skipped.length === 0 ? [] : [`${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? `; and ${skipped.length - 3} more` : ''}`];
  const reasons = [...(why ? [why] : []), ...passed];
  return new ModelsignError('unverified', 'NO_SIGNATURE', `no OMS signature is attached to ${source.location}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`);
}

/** The report of a stored signature that holds no usable bundle: it failed at the first step, reading the bundle. */
function unusableReport(method: SignatureVerifier['method'], code: string, message: string): VerificationReport {
  return {
    verified: false,
    method,
    legacy: false,
    checks: [{ name: 'bundle', ok: false, message }],
    files: [],
    summary: { ok: 0, changed: 0, missing: 0, extra: 0, ignored: 0 },
    warnings: [],
    error: { code, message },
  };
}

/** `verify <method>`: verifies and prints the report; exit code 1 when not verified. */
export async function verify(method: VerifyMethod, argv: VerifyArgs): Promise<void> {
  const oci = isOciReference(argv.model);
  if (!oci && argv.signature === undefined) throw usageError('BAD_FLAG', 'Missing required argument: signature (only a model in a registry, oci://, or a layout, oci-layout:, can find its own)');
  const maxSignatures = checkMaxSignatures(argv['max-signatures']);
  const verifier = await verifierFor(method, argv);
  const model = await openModel(argv.model, argv['ignore-paths'], argv.signature, argv);
  const store = argv.signature !== undefined ? new SidecarSignatureStore(argv.signature) : model.oci!.signatures;
  const progress = Progress.forOutput(argv.json);
  const { cache, warnings: cacheWarnings } = await openCache(argv, model.source);
  const flagWarnings = [...model.warnings, ...cacheWarnings];
  let verified: StoreVerification;
  try {
    verified = await verifyWithStore(model.source, store, verifier, {
      maxSignatures,
      ignorePaths: model.ignorePaths,
      ignoreGitPaths: argv['ignore-git-paths'],
      ignoreUnsignedFiles: argv['ignore-unsigned-files'],
      readContentAddressed: argv.full,
      // A local model is listed while the bundle is checked (see VerifyModelOptions.listAhead).
      listAhead: model.oci === undefined,
      ...poolOptionsFrom(argv),
      cache,
      onTotal: progress.onTotal,
      onProgress: progress.onProgress,
    });
  } finally {
    // Also on failure: the error must not be printed on the end of the progress line.
    progress.finish();
  }
  const { signature, signaturesFound } = verified;
  const unsaved = await closeCache(cache, argv.json);
  const report = flagWarnings.length + unsaved.length === 0 ? verified.report : { ...verified.report, warnings: [...flagWarnings, ...verified.report.warnings, ...unsaved] };
  if (argv.json) printJson({ model: model.source.location, signature, signaturesFound, ...report });
  else (report.verified ? process.stdout : process.stderr).write(reportText(report, model.source.location, signature));
  if (!report.verified) process.exitCode = 1;
}

