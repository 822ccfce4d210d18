import type { Serialization } from '../manifest/manifest.js';
import type { SignerInfo } from './signer-info.js';

/** What happened to one signed resource or one file found in the model. */
/** What verification found of a file: unchanged, changed, signed but absent, present but unsigned, or left out. */
export type FileStatusKind = 'ok' | 'changed' | 'missing' | 'extra' | 'ignored';

/** One file (or shard) of a verification report. */
export interface FileStatus {
  /** Resource name (a path, or `path:start:end` for shards). */
  readonly name: string;
  readonly status: FileStatusKind;
  /** `<algorithm>:<hex>` as signed. */
  readonly expected?: string;
  /** `<algorithm>:<hex>` as hashed now. */
  readonly actual?: string;
  /** Why, when the status alone does not say it. */
  readonly note?: string;
}

/** One step of verification and whether it passed. */
export interface Check {
  readonly name: 'bundle' | 'signature' | 'statement' | 'model';
  readonly ok: boolean;
  readonly message?: string;
}

/** The full, structured result of verifying a model against a signature. */
export interface VerificationReport {
  readonly verified: boolean;
  /** The verification method the caller chose. */
  readonly method: SignerInfo['method'];
  /** The v0.2-era format was accepted through the compatibility path. */
  readonly legacy: boolean;
  readonly signer?: SignerInfo;
  /** `sha256:<hex>` root digest of the signed statement. */
  readonly rootDigest?: string;
  readonly serialization?: Serialization;
  readonly checks: readonly Check[];
  readonly files: readonly FileStatus[];
  readonly summary: Readonly<Record<FileStatusKind, number>>;
  readonly warnings: readonly string[];
  /** The first failure, when not verified. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Counts statuses for the report summary. */
export function summarize(files: readonly FileStatus[]): Record<FileStatusKind, number> {
  const summary: Record<FileStatusKind, number> = { ok: 0, changed: 0, missing: 0, extra: 0, ignored: 0 };
  for (const f of files) summary[f.status] += 1;
  return summary;
}
